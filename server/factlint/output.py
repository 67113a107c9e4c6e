"""Rendering reports: text, JSON, GitHub workflow commands, reviewdog (rdjson/rdjsonl), SARIF.

Every formatter takes the reports and a :class:`RenderContext` (the rules, for descriptions
and links; the draft texts, for byte columns) and returns the whole output as one string.
Diagnostic positions are 0-based lines and UTF-16 columns (LSP); each format converts them to
what its consumer expects, and says so below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from factlint.diagnostics import Diagnostic, FileReport, Position
from factlint.rules import CheckRule


@dataclass
class RenderContext:
    rules: dict[str, CheckRule] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)  # effective level per code
    disabled: frozenset[str] = frozenset()
    texts: dict[str, str] = field(default_factory=dict)  # display path -> draft text
    root: Path = field(default_factory=Path.cwd)  # paths in SARIF are relative to it


Formatter = Callable[[list[FileReport], RenderContext], str]


def _diagnostics(reports: list[FileReport]) -> list[tuple[FileReport, Diagnostic]]:
    return [(r, d) for r in reports for d in r.diagnostics]


# ---------------------------------------------------------------------- text and JSON
def text_line(path: str, d: Diagnostic) -> str:
    return (f"{path}:{d.range.start.line + 1}:{d.range.start.character + 1}: "
            f"{d.severity} {d.code}: {d.message}")


def format_text(reports: list[FileReport], ctx: RenderContext) -> str:
    lines = [text_line(r.path, d) for r, d in _diagnostics(reports)]
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(reports: list[FileReport], ctx: RenderContext) -> str:
    return json.dumps({"version": 1, "files": [r.to_json() for r in reports]}, indent=2,
                      ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------- GitHub Actions
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}


def github_escape_data(s: str) -> str:
    """Escape a workflow command's message (the runner decodes %25, %0D, %0A)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(s: str) -> str:
    """Escape a workflow command property value (also %3A for ':' and %2C for ',')."""
    return github_escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github_line(path: str, d: Diagnostic) -> str:
    """``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message``.

    Lines and columns are 1-based; columns count UTF-16 code units and ``endColumn`` is the
    column just after the finding. The runner drops columns when ``line`` and ``endLine``
    differ, so they are only written for a finding on one line.
    """
    start, end = d.range.start, d.range.end
    end_line, end_col = end.line, end.character + 1
    if end.line > start.line and end.character == 0:
        end_line, end_col = end.line - 1, None  # ends at a line break: the previous line
    props = [("file", path), ("line", str(start.line + 1))]
    if end_line == start.line:
        props.append(("col", str(start.character + 1)))
        props.append(("endLine", str(end_line + 1)))
        if end_col is not None:
            props.append(("endColumn", str(max(end_col, start.character + 1))))
    else:
        props.append(("endLine", str(end_line + 1)))
    props.append(("title", f"factlint {d.code}"))
    head = ",".join(f"{k}={github_escape_property(v)}" for k, v in props)
    return f"::{GITHUB_LEVELS.get(d.severity, 'warning')} {head}::{github_escape_data(d.message)}"


def format_github(reports: list[FileReport], ctx: RenderContext) -> str:
    lines = [github_line(r.path, d) for r, d in _diagnostics(reports)]
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------------- reviewdog
RDJSON_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO", "hint": "INFO"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _ByteColumns:
    """LSP positions (UTF-16 columns) to reviewdog positions (1-based UTF-8 byte columns)."""

    def __init__(self, text: str | None) -> None:
        self.lines = _LINE_BREAK.split(text) if text is not None else None

    def position(self, pos: Position) -> dict[str, int]:
        if self.lines is None or pos.line >= len(self.lines):
            return {"line": pos.line + 1, "column": pos.character + 1}
        line = self.lines[pos.line]
        units = 0
        index = 0
        while index < len(line) and units < pos.character:
            units += 2 if ord(line[index]) > 0xFFFF else 1
            index += 1
        return {"line": pos.line + 1, "column": len(line[:index].encode("utf-8")) + 1}


def rdjson_diagnostic(path: str, d: Diagnostic, ctx: RenderContext) -> dict[str, object]:
    cols = _ByteColumns(ctx.texts.get(path))
    out: dict[str, object] = {
        "message": d.message,
        "location": {"path": path, "range": {"start": cols.position(d.range.start),
                                             "end": cols.position(d.range.end)}},
        "severity": RDJSON_SEVERITY.get(d.severity, "WARNING"),
        "source": {"name": "factlint"},
        "code": {"value": d.code, **({"url": d.link} if d.link else {})},
        "original_output": text_line(path, d),
    }
    if d.fix is not None:
        out["suggestions"] = [{"range": {"start": cols.position(d.fix.range.start),
                                         "end": cols.position(d.fix.range.end)},
                               "text": d.fix.new_text}]
    return out


def format_rdjson(reports: list[FileReport], ctx: RenderContext) -> str:
    """Reviewdog Diagnostic Format, one DiagnosticResult (``reviewdog -f=rdjson``)."""
    data = {"source": {"name": "factlint"},
            "diagnostics": [rdjson_diagnostic(r.path, d, ctx) for r, d in _diagnostics(reports)]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def format_rdjsonl(reports: list[FileReport], ctx: RenderContext) -> str:
    """Reviewdog Diagnostic Format, one Diagnostic per line (``reviewdog -f=rdjsonl``)."""
    lines = [json.dumps(rdjson_diagnostic(r.path, d, ctx), ensure_ascii=False)
             for r, d in _diagnostics(reports)]
    return "\n".join(lines) + ("\n" if lines else "")


def _sarif(reports: list[FileReport], ctx: RenderContext) -> str:
    from factlint.formats_sarif import format_sarif

    return format_sarif(reports, ctx)


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "rdjson": format_rdjson,
    "rdjsonl": format_rdjsonl,
    "sarif": _sarif,
}
