"""Project configuration: ``factlint.toml`` or ``[tool.factlint]`` in ``pyproject.toml``.

Found by searching upward from a start folder. The same file is read by the CLI and the
language server. Paths in it are relative to the file's folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factlint.errors import FactlintError

KEYS = {"corpus", "rules", "severity", "disable", "include", "exclude", "model"}
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

    for key, value in data.items():
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
    if "severity" in data:
        sev = data["severity"]
        if not isinstance(sev, dict):
            raise fail("severity", "severity must be a table of code = level")
        for code, level in sev.items():
            if level not in LEVELS:
                raise fail("severity", f"severity of {code} must be one of {', '.join(LEVELS)}")
        cfg.severity = {str(k): str(v) for k, v in sev.items()}
    if "model" in data:
        if not isinstance(data["model"], str):
            raise fail("model", "model must be a string")
        cfg.model = data["model"]
    return cfg


def load_project_config(start: Path) -> ProjectConfig | None:
    found = find_config_file(start)
    if found is None:
        return None
    return parse_config(*found)


def as_dict(cfg: ProjectConfig) -> dict[str, Any]:
    return {"corpus": [str(p) for p in cfg.corpus], "rules": [str(p) for p in cfg.rules],
            "severity": cfg.severity, "disable": cfg.disable}
