"""Rendering reports: text and JSON (other formats register here too)."""

from __future__ import annotations

import json
from collections.abc import Callable

from factlint.diagnostics import FileReport

Formatter = Callable[[list[FileReport]], str]


def format_text(reports: list[FileReport]) -> str:
    lines = []
    for r in reports:
        for d in r.diagnostics:
            lines.append(f"{r.path}:{d.range.start.line + 1}:{d.range.start.character + 1}: "
                         f"{d.severity} {d.code}: {d.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(reports: list[FileReport]) -> str:
    return json.dumps({"version": 1, "files": [r.to_json() for r in reports]}, indent=2,
                      ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Formatter] = {"text": format_text, "json": format_json}
