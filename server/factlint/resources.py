"""Where the bundled seeds, rules and docs live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _HERE / "_bundled" / name
    if installed.is_dir():
        return installed
    # editable install / source checkout: server/factlint -> repo root
    return _HERE.parent.parent / name


def bundled_seeds() -> Path:
    return _bundled("seeds")


def bundled_rules() -> Path:
    return _bundled("rules")


def bundled_docs() -> Path:
    return _bundled("docs")
