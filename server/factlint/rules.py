"""Loading the declarative rule files (YAML) into one typed RuleSet.

Bundled rules load first; every extra folder's ``*.yml``/``*.yaml`` files are merged on top:
mappings merge key by key, lists extend, scalars replace. Files are read with
``yaml.safe_load`` semantics (no tags that construct objects). Errors name the file and line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factlint.errors import FactlintError
from factlint.resources import bundled_docs, bundled_rules

TOP_LEVEL_KEYS = {
    "checks", "speech", "titles", "events", "last_markers", "numbers", "dates", "places",
    "compare", "frames",
}
CHECK_KEYS = {"description", "level", "message", "link"}
LEVELS = ("error", "warning", "info", "hint")
EVENT_KEYS = {"label", "verbs", "nouns", "phrases", "dated", "placed", "counted", "needs",
              "needs_name", "participants", "speech"}


@dataclass(frozen=True)
class CheckRule:
    code: str
    description: str
    level: str
    message: str
    link: str | None


@dataclass(frozen=True)
class EventRule:
    name: str
    label: str
    verbs: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()
    dated: bool = False
    placed: bool = False
    counted: bool = False
    needs: str | None = None
    needs_name: bool = False
    participants: str | None = None
    speech: bool = False


@dataclass
class RuleSet:
    checks: dict[str, CheckRule]
    data: dict[str, Any]
    events: dict[str, EventRule]
    digest: str
    files: list[Path] = field(default_factory=list)

    # convenient typed views -----------------------------------------------------------
    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name) or {}
        return value if isinstance(value, dict) else {}

    def words(self, section: str, key: str) -> list[str]:
        value = self.section(section).get(key) or []
        return [str(v) for v in value]


def _load_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    import yaml  # here, not at the top: a run the result cache answers reads no YAML

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where it is
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FactlintError("rules file is not UTF-8 text", str(path)) from None
    except OSError as exc:
        raise FactlintError(f"cannot read rules file: {exc.strerror}", str(path)) from None
    try:
        # one pass: the node tree (key lines for error messages), then the data from it
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FactlintError(f"invalid YAML: {problem}", str(path), line) from None
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.MappingNode):
                for sub_key, _ in value_node.value:
                    lines[f"{key_node.value}.{sub_key.value}"] = sub_key.start_mark.line + 1
    return data, lines


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [v for v in extra if v not in base]
    return extra


def _rule_files(folder: Path) -> list[Path]:
    if not folder.exists():
        raise FactlintError("rules folder does not exist", str(folder))
    if folder.is_file():
        return [folder]
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    if not files:
        raise FactlintError("rules folder has no .yml files", str(folder))
    return files


def _check_types(path: Path, data: Any, lines: dict[str, int]) -> None:
    if data is None:
        return
    if not isinstance(data, dict):
        raise FactlintError("a rules file must be a mapping of sections", str(path), 1)
    for key, value in data.items():
        line = lines.get(str(key))
        if key not in TOP_LEVEL_KEYS:
            raise FactlintError(
                f"unknown section {key!r} (expected one of {', '.join(sorted(TOP_LEVEL_KEYS))})",
                str(path), line)
        if key != "last_markers" and not isinstance(value, dict):
            raise FactlintError(f"section {key!r} must be a mapping", str(path), line)
    for code, spec in (data.get("checks") or {}).items():
        line = lines.get(f"checks.{code}")
        if not isinstance(spec, dict):
            raise FactlintError(f"check {code!r} must be a mapping", str(path), line)
        unknown = set(spec) - CHECK_KEYS
        if unknown:
            raise FactlintError(f"check {code!r}: unknown key {sorted(unknown)[0]!r}",
                                str(path), line)
        if "level" in spec and spec["level"] not in LEVELS:
            raise FactlintError(f"check {code!r}: level must be one of {', '.join(LEVELS)}",
                                str(path), line)
        for text_key in ("message", "description", "link"):
            if text_key in spec and not isinstance(spec[text_key], str):
                raise FactlintError(f"check {code!r}: {text_key} must be a string",
                                    str(path), line)
    for name, spec in (data.get("events") or {}).items():
        line = lines.get(f"events.{name}")
        if not isinstance(spec, dict):
            raise FactlintError(f"event {name!r} must be a mapping", str(path), line)
        unknown = set(spec) - EVENT_KEYS
        if unknown:
            raise FactlintError(f"event {name!r}: unknown key {sorted(unknown)[0]!r}",
                                str(path), line)
        for list_key in ("verbs", "nouns", "phrases"):
            if list_key in spec and not isinstance(spec[list_key], list):
                raise FactlintError(f"event {name!r}: {list_key} must be a list",
                                    str(path), line)
    compare = data.get("compare") or {}
    for key, value in compare.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise FactlintError(f"compare.{key} must be a number", str(path),
                                lines.get(f"compare.{key}"))


def _resolve_link(link: str | None, code: str) -> str | None:
    if not link:
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", link):
        return link
    docs = bundled_docs()
    name, _, anchor = link.partition("#")
    target = (docs / name).resolve()
    uri = target.as_uri()
    return f"{uri}#{anchor}" if anchor else uri


def rule_files(extra_dirs: list[Path] | None = None) -> tuple[list[Path], int]:
    """The rule files in load order, and how many of them are bundled."""
    files = _rule_files(bundled_rules())
    n_bundled = len(files)
    for folder in extra_dirs or []:
        files += _rule_files(Path(folder))
    return files, n_bundled


def load_rules(extra_dirs: list[Path] | None = None) -> RuleSet:
    files, n_bundled = rule_files(extra_dirs)
    merged: dict[str, Any] = {}
    digest = hashlib.sha256()
    for n, path in enumerate(files):
        data, lines = _load_yaml(path)
        _check_types(path, data, lines)
        if n >= n_bundled:  # a user's file: the bundled rules are its schema
            from factlint.rule_schema import check_rule_file

            check_rule_file(path, data, merged)
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        merged = _merge(merged, data or {})
    checks: dict[str, CheckRule] = {}
    for code, spec in (merged.get("checks") or {}).items():
        checks[str(code)] = CheckRule(
            code=str(code),
            description=str(spec.get("description", "")),
            level=str(spec.get("level", "warning")),
            message=str(spec.get("message", "{claimed} contradicts the corpus ({expected})")),
            link=_resolve_link(spec.get("link"), str(code)),
        )
    events: dict[str, EventRule] = {}
    for name, spec in (merged.get("events") or {}).items():
        events[str(name)] = EventRule(
            name=str(name),
            label=str(spec.get("label", name)),
            verbs=frozenset(str(v).lower() for v in spec.get("verbs") or []),
            nouns=frozenset(str(v).lower() for v in spec.get("nouns") or []),
            phrases=tuple(str(v).lower() for v in spec.get("phrases") or []),
            dated=bool(spec.get("dated")),
            placed=bool(spec.get("placed")),
            counted=bool(spec.get("counted")),
            needs=spec.get("needs"),
            needs_name=bool(spec.get("needs_name")),
            participants=spec.get("participants"),
            speech=bool(spec.get("speech")),
        )
    return RuleSet(checks=checks, data=merged, events=events, digest=digest.hexdigest(),
                   files=files)
