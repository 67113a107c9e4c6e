"""Project configuration: ``factlint.toml`` or ``[tool.factlint]`` in ``pyproject.toml``.

Found by searching upward from a start folder. The same file is read by the CLI and the
language server. Paths in it are relative to the file's folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from factlint.errors import FactlintError

KEYS = {"corpus", "rules", "severity", "disable", "include", "exclude", "model",
        "max_draft_bytes", "store"}
LEVELS = ("error", "warning", "info", "hint")


@dataclass
class ProjectConfig:
    path: Path
    corpus: list[Path] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    disable: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    model: str | None = None
    max_draft_bytes: int | None = None  # None: the engine's default (limits.py)
    store: str | None = None  # a postgresql:// URL of a shared fact index


def find_config_file(start: Path) -> tuple[Path, bool] | None:
    """(path, is_pyproject) of the nearest config file at or above ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent,
                                                                   *start.parent.parents]:
        candidate = folder / "factlint.toml"
        if candidate.is_file():
            return candidate, False
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if re.search(r"^\s*\[tool\.factlint\]", text, re.M):
                return pyproject, True
    return None


def _line_of(text: str, key: str, section: str | None) -> int | None:
    in_section = section is None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = section is None or stripped.strip("[] ") == section
            continue
        if in_section and re.match(rf"{re.escape(key)}\s*=", stripped):
            return n
    return None


def parse_config(path: Path, is_pyproject: bool) -> ProjectConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FactlintError(f"cannot read config: {exc}", str(path)) from None
    import tomllib  # here: with --no-config, or no config file, nothing reads TOML

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise FactlintError(f"invalid TOML: {str(exc).split(' (at')[0]}", str(path),
                            int(m.group(1)) if m else None) from None
    section = "tool.factlint" if is_pyproject else None
    if is_pyproject:
        data = (data.get("tool") or {}).get("factlint") or {}
    elif "tool" in data and "factlint" in (data.get("tool") or {}):
        data = data["tool"]["factlint"]
        section = "tool.factlint"
    cfg = ProjectConfig(path=path)
    base = path.parent

    def fail(key: str, reason: str) -> FactlintError:
        return FactlintError(reason, str(path), _line_of(text, key, section))

    for key in data:
        if key not in KEYS:
            raise fail(key, f"unknown key {key!r} (expected one of {', '.join(sorted(KEYS))})")
    for key in ("corpus", "rules", "disable", "include", "exclude"):
        if key in data:
            value = data[key]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise fail(key, f"{key} must be a string or a list of strings")
            if key in ("corpus", "rules"):
                setattr(cfg, key, [(base / v).resolve() for v in value])
            else:
                setattr(cfg, key, list(value))
            if key in ("include", "exclude"):
                for pattern in value:
                    try:
                        _glob_regex(pattern)
                    except re.error as exc:
                        raise fail(key, f"invalid {key} pattern {pattern!r}: {exc.msg}") from None
    if "severity" in data:
        sev = data["severity"]
        if not isinstance(sev, dict):
            raise fail("severity", "severity must be a table of code = level")
        for code, level in sev.items():
            if level not in LEVELS:
                raise FactlintError(f"severity of {code} must be one of {', '.join(LEVELS)}",
                                    str(path), _code_line(cfg, "severity", str(code)))
        cfg.severity = {str(k): str(v) for k, v in sev.items()}
    if "model" in data:
        if not isinstance(data["model"], str):
            raise fail("model", "model must be a string")
        cfg.model = data["model"]
    if "store" in data:
        store = data["store"]
        if not isinstance(store, str) or not re.match(r"^postgres(ql)?://", store):
            raise fail("store", "store must be a postgresql:// URL")
        cfg.store = store
    if "max_draft_bytes" in data:
        limit = data["max_draft_bytes"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise fail("max_draft_bytes", "max_draft_bytes must be a whole number of bytes "
                                          ">= 0 (0: no limit)")
        cfg.max_draft_bytes = limit
    return cfg


def load_project_config(start: Path) -> ProjectConfig | None:
    found = find_config_file(start)
    if found is None:
        return None
    return parse_config(*found)


def load_config_file(path: Path) -> ProjectConfig:
    """An explicitly named config file (``--config``): factlint.toml or a pyproject.toml."""
    if not path.is_file():
        raise FactlintError("config file does not exist", str(path))
    is_pyproject = path.name == "pyproject.toml"
    if is_pyproject:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FactlintError(f"cannot read config: {exc}", str(path)) from None
        if not re.search(r"^\s*\[tool\.factlint\]", text, re.M):
            raise FactlintError("no [tool.factlint] table in this pyproject.toml", str(path))
    return parse_config(path, is_pyproject)


_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")


def _code_line(cfg: ProjectConfig, key: str, code: str) -> int | None:
    """The line of ``code`` inside the ``severity`` or ``disable`` setting of the file."""
    try:
        lines = cfg.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    nested = any((m := _TABLE_HEADER.match(line)) and m.group(1).startswith("tool.factlint")
                 for line in lines)
    prefix = "tool.factlint." if nested else ""
    assign = re.compile(rf"^\s*{key}\s*=")
    token = re.compile(rf"(?<![\w-]){re.escape(code)}(?![\w-])")
    table: str | None = "tool.factlint" if nested else ""
    current = ""
    found: int | None = None  # the line where the setting starts
    for n, line in enumerate(lines):
        header = _TABLE_HEADER.match(line)
        if header:
            current = header.group(1).replace(" ", "")
            if current == f"{prefix}{key}":
                found = n
            elif found is not None:
                break
            continue
        body = line.split("#", 1)[0]
        if found is None and current == table and assign.match(body):
            found = n
        if found is not None and token.search(body):
            return n + 1
    return found + 1 if found is not None else None


def validate_codes(cfg: ProjectConfig, known: Iterable[str]) -> None:
    """Every code named in ``severity`` and ``disable`` must be a check the rules define.

    Raises FactlintError naming the file and the line of the first unknown code.
    """
    codes = set(known)
    choices = ", ".join(sorted(codes))
    problems: list[tuple[int, FactlintError]] = []
    for key, named in (("severity", list(cfg.severity)), ("disable", cfg.disable)):
        for code in named:
            if code not in codes:
                line = _code_line(cfg, key, code)
                problems.append((line or 0, FactlintError(
                    f"unknown check code {code!r} in {key} (known: {choices})",
                    str(cfg.path), line)))
    if problems:
        raise min(problems, key=lambda p: p[0])[1]


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = j + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(pattern: str, relpath: str) -> bool:
    """Does a gitignore-style glob match a relative POSIX path (or one of its folders)?

    ``*`` and ``?`` stay inside one path segment, ``**`` spans segments. A pattern without a
    slash matches any one segment (``*.md``, ``archive``); with a slash it is anchored at the
    config folder (``drafts/**/*.md``). A pattern that matches a folder matches all under it.
    """
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if not pattern:
        return False
    parts = PurePosixPath(relpath).parts
    if "/" not in pattern:
        rx = _glob_regex(pattern)
        return any(rx.match(part) for part in parts)
    rx = _glob_regex(pattern.lstrip("/"))
    return any(rx.match("/".join(parts[:k])) for k in range(len(parts), 0, -1))


def path_selected(relpath: str, include: list[str], exclude: list[str]) -> bool:
    """``include`` (when given) must match and ``exclude`` must not."""
    if include and not any(glob_match(p, relpath) for p in include):
        return False
    return not any(glob_match(p, relpath) for p in exclude)


def as_dict(cfg: ProjectConfig) -> dict[str, Any]:
    return {"corpus": [str(p) for p in cfg.corpus], "rules": [str(p) for p in cfg.rules],
            "severity": cfg.severity, "disable": cfg.disable}
