"""Language-server settings: typed dataclasses, parsing and layering.

Settings come from four layers, highest precedence first:

1. ``initializationOptions`` sent with ``initialize``;
2. the client's ``workspace/configuration`` (section ``factlint``), or the ``settings``
   of ``workspace/didChangeConfiguration`` for clients without ``workspace/configuration``;
3. the project file (``factlint.toml`` or ``[tool.factlint]`` in ``pyproject.toml``) found
   from the workspace root;
4. the defaults of :class:`ServerSettings`.

Layering is per key: a key missing (or invalid) in a higher layer falls through to the next
one. Invalid values never raise: they are reported as warnings (shown to the user with
``window/showMessage``) and ignored. Nothing here knows about LSP transport or the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from factlint.diagnostics import SEVERITIES

SECTION = "factlint"
DEFAULT_DEBOUNCE_MS = 300
MAX_DEBOUNCE_MS = 60_000


class CheckFrequency(StrEnum):
    """When documents are re-checked."""

    CHANGE = "change"  # on open, on every (debounced) change and on save
    SAVE = "save"  # on open and on save only


@dataclass(frozen=True)
class SettingsLayer:
    """One layer of settings; ``None`` means "not set here, ask the next layer"."""

    corpus: tuple[Path, ...] | None = None
    rules: tuple[Path, ...] | None = None
    severity: Mapping[str, str] | None = None
    disable: tuple[str, ...] | None = None
    model: str | None = None
    debounce_ms: int | None = None
    check_frequency: CheckFrequency | None = None
    show_supported: bool | None = None


@dataclass(frozen=True)
class ServerSettings:
    """The effective settings of the server (every field resolved)."""

    corpus: tuple[Path, ...] = ()  # empty: the engine's bundled seeds
    rules: tuple[Path, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    disable: tuple[str, ...] = ()
    model: str | None = None  # spaCy pipeline package; None: the engine's default
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    check_frequency: CheckFrequency = CheckFrequency.CHANGE
    show_supported: bool = False  # inlay hints (or code lenses) on claims the corpus confirms

    def engine_key(self) -> tuple[tuple[Path, ...], tuple[Path, ...], str | None]:
        """The settings that need a new Engine (re-loaded rules, re-indexed corpus)."""
        return (self.corpus, self.rules, self.model)


@dataclass
class ParseResult:
    layer: SettingsLayer
    warnings: list[str] = field(default_factory=list)


# Accepted spellings of each key: camelCase (LSP clients) and snake_case / kebab-case
# (TOML-minded users). The first spelling is the documented one.
_KEYS: dict[str, tuple[str, ...]] = {
    "corpus": ("corpus",),
    "rules": ("rules",),
    "severity": ("severity",),
    "disable": ("disable",),
    "model": ("model",),
    "debounce_ms": ("debounceMs", "debounce_ms", "debounce-ms"),
    "check_frequency": ("checkFrequency", "check_frequency", "check-frequency"),
    "show_supported": ("showSupported", "show_supported", "show-supported"),
}
_KNOWN = {alias for aliases in _KEYS.values() for alias in aliases}


def unwrap_section(raw: Any) -> Any:
    """Accept both ``{"factlint": {...}}`` and the bare ``{...}`` section."""
    if isinstance(raw, Mapping) and isinstance(raw.get(SECTION), Mapping):
        return raw[SECTION]
    return raw


def _paths(value: Any, key: str, base: Path | None, warnings: list[str],
           origin: str) -> tuple[Path, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        warnings.append(f"{origin}: '{key}' must be a list of paths; ignored")
        return None
    out: list[Path] = []
    for item in value:
        path = Path(item).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        path = Path(_normalise(path))
        if not path.exists():
            warnings.append(f"{origin}: {key} path {item!r} does not exist; ignored")
            continue
        out.append(path)
    if value and not out:
        return None  # every path was invalid: fall back to the next layer / default
    return tuple(out)


def _normalise(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path)


def parse_layer(raw: Any, *, base: Path | None, origin: str) -> ParseResult:
    """Parse one layer of settings from JSON-like data.

    ``base`` resolves relative paths (the workspace root); ``origin`` names the layer in
    warnings, e.g. ``"initializationOptions"``.
    """
    warnings: list[str] = []
    raw = unwrap_section(raw)
    if raw is None:
        return ParseResult(SettingsLayer(), warnings)
    if not isinstance(raw, Mapping):
        warnings.append(f"{origin}: settings must be an object, got {type(raw).__name__}")
        return ParseResult(SettingsLayer(), warnings)

    unknown = sorted(k for k in raw if k not in _KNOWN)
    if unknown:
        warnings.append(f"{origin}: unknown setting(s) {', '.join(unknown)}; ignored")

    def get(name: str) -> tuple[str, Any]:
        for alias in _KEYS[name]:
            if alias in raw and raw[alias] is not None:
                return alias, raw[alias]
        return _KEYS[name][0], None

    values: dict[str, Any] = {}
    for name in ("corpus", "rules"):
        key, value = get(name)
        if value is not None:
            values[name] = _paths(value, key, base, warnings, origin)

    key, value = get("severity")
    if value is not None:
        if not isinstance(value, Mapping):
            warnings.append(f"{origin}: '{key}' must map codes to severities; ignored")
        else:
            severity: dict[str, str] = {}
            for code, level in value.items():
                if not isinstance(level, str) or level.lower() not in SEVERITIES:
                    warnings.append(
                        f"{origin}: severity of {code!r} must be one of "
                        f"{', '.join(SEVERITIES)}, got {level!r}; ignored")
                    continue
                severity[str(code)] = level.lower()
            values["severity"] = severity

    key, value = get("disable")
    if value is not None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            warnings.append(f"{origin}: '{key}' must be a list of codes; ignored")
        else:
            values["disable"] = tuple(value)

    key, value = get("model")
    if value is not None:
        if not isinstance(value, str) or not value.strip():
            warnings.append(f"{origin}: '{key}' must be a spaCy package name; ignored")
        else:
            values["model"] = value.strip()

    key, value = get("debounce_ms")
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            warnings.append(
                f"{origin}: '{key}' must be a number of milliseconds >= 0, got {value!r}; "
                "ignored")
        else:
            values["debounce_ms"] = min(int(value), MAX_DEBOUNCE_MS)

    key, value = get("check_frequency")
    if value is not None:
        try:
            values["check_frequency"] = CheckFrequency(str(value).lower())
        except ValueError:
            warnings.append(
                f"{origin}: '{key}' must be 'change' or 'save', got {value!r}; ignored")

    key, value = get("show_supported")
    if value is not None:
        if not isinstance(value, bool):
            warnings.append(f"{origin}: '{key}' must be true or false, got {value!r}; ignored")
        else:
            values["show_supported"] = value

    return ParseResult(SettingsLayer(**values), warnings)


def layer_from_project(project: Any) -> SettingsLayer:
    """A layer from a ``factlint.project_config.ProjectConfig`` (paths already resolved)."""

    def opt_tuple(value: Any) -> tuple[Any, ...] | None:
        return tuple(value) if value else None

    return SettingsLayer(
        corpus=opt_tuple(getattr(project, "corpus", None)),
        rules=opt_tuple(getattr(project, "rules", None)),
        severity=dict(project.severity) if getattr(project, "severity", None) else None,
        disable=opt_tuple(getattr(project, "disable", None)),
        model=getattr(project, "model", None) or None,
    )


def changed_keys(baseline: SettingsLayer | None, current: SettingsLayer) -> SettingsLayer:
    """The keys of ``current`` that differ from ``baseline`` (the first client settings seen).

    ``initializationOptions`` outrank the client's configuration, but they are a snapshot
    taken at start-up: clients such as VS Code send the same settings both ways. A value the
    user changes while the server runs must win over that snapshot, so the keys changed since
    the first ``workspace/configuration`` answer form a layer above ``initializationOptions``.
    """
    if baseline is None:
        return SettingsLayer()
    values = {}
    for name in SettingsLayer.__dataclass_fields__:
        value = getattr(current, name)
        if value is not None and value != getattr(baseline, name):
            values[name] = value
    return SettingsLayer(**values)


def cleared_keys(baseline: SettingsLayer | None, current: SettingsLayer) -> frozenset[str]:
    """Keys the client set in its first answer and has since cleared (sent as null).

    The user removed the setting: the start-up ``initializationOptions`` snapshot of it must
    no longer apply either, so lower layers (project file, defaults) decide."""
    if baseline is None:
        return frozenset()
    return frozenset(name for name in SettingsLayer.__dataclass_fields__
                     if getattr(current, name) is None and getattr(baseline, name) is not None)


def without(layer: SettingsLayer, keys: frozenset[str]) -> SettingsLayer:
    return replace(layer, **{name: None for name in keys}) if keys else layer


def merge(*layers: SettingsLayer) -> ServerSettings:
    """Resolve layers, highest precedence first, over the defaults."""
    resolved: dict[str, Any] = {}
    for name in ("corpus", "rules", "severity", "disable", "model", "debounce_ms",
                 "check_frequency", "show_supported"):
        for layer in layers:
            value = getattr(layer, name)
            if value is not None:
                resolved[name] = value
                break
    return ServerSettings(**resolved)


def restrict_codes(settings: ServerSettings, known: set[str]) -> tuple[ServerSettings, list[str]]:
    """Drop severity/disable entries for codes the loaded rules do not define."""
    warnings: list[str] = []
    severity = {}
    for code, level in settings.severity.items():
        if code in known:
            severity[code] = level
        else:
            warnings.append(f"severity: unknown check code {code!r}; ignored")
    disable = []
    for code in settings.disable:
        if code in known:
            disable.append(code)
        else:
            warnings.append(f"disable: unknown check code {code!r}; ignored")
    if not warnings:
        return settings, warnings
    return replace(settings, severity=severity, disable=tuple(disable)), warnings
