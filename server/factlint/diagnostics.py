"""Result types of a check: what the CLI prints and the server converts to LSP.

Positions are 0-based lines and UTF-16 code-unit characters, as in LSP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info", "hint")


@dataclass(frozen=True, order=True)
class Position:
    line: int
    character: int

    def to_json(self) -> dict[str, int]:
        return {"line": self.line, "character": self.character}


@dataclass(frozen=True, order=True)
class Range:
    start: Position
    end: Position

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.to_json(), "end": self.end.to_json()}


@dataclass(frozen=True)
class Evidence:
    """A corpus sentence that supports the finding."""

    source: str  # path of the corpus file as given (relative to cwd when possible)
    path: str  # absolute path of the corpus file
    line: int  # 1-based line of the sentence start
    text: str  # the sentence
    range: Range  # 0-based range of the sentence in the corpus file
    fact: str  # the fact in words, e.g. 'quote by Volodymyr Zelensky'

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "text": self.text}


@dataclass(frozen=True)
class Fix:
    range: Range
    new_text: str
    old_text: str | None = None  # the draft text the fix replaces (None: not known)

    def to_json(self) -> dict[str, Any]:
        return {"range": self.range.to_json(), "new_text": self.new_text}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    range: Range
    evidence: tuple[Evidence, ...] = ()
    fix: Fix | None = None
    link: str | None = None
    claim: str = ""  # the draft text the finding is about (stable across edits elsewhere)
    value_range: Range | None = None  # the span of the contradicting value, when known

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "range": self.range.to_json(),
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.fix is not None:
            out["fix"] = self.fix.to_json()
        return out


CLAIM_CODES = {"quote": "quote-speaker", "date": "date", "count": "number", "role": "role",
               "place": "place"}


@dataclass(frozen=True)
class Support:
    """A draft claim the corpus confirms: compared with corpus facts and found consistent."""

    kind: str  # the claim kind: quote, date, count, role, place
    range: Range  # the claim's value in the draft (or the claim's sentence)
    value: str  # the draft's text of that value
    evidence: tuple[Evidence, ...]  # the agreeing corpus sentences, one per source line

    @property
    def code(self) -> str:
        """The check that compared it (its findings' code)."""
        return CLAIM_CODES.get(self.kind, self.kind)

    def shifted(self, line: int, col: int) -> Support:
        def pos(p: Position) -> Position:
            return Position(p.line + line, p.character + col if p.line == 0 else p.character)
        return Support(self.kind, Range(pos(self.range.start), pos(self.range.end)), self.value,
                       self.evidence)


@dataclass
class FileReport:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: str | None = None  # reason the file was not checked, if any

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "diagnostics": [d.to_json() for d in self.diagnostics]}


def _range_rec(r: Range) -> list[int]:
    return [r.start.line, r.start.character, r.end.line, r.end.character]


def _rec_range(v: list[int]) -> Range:
    return Range(Position(v[0], v[1]), Position(v[2], v[3]))


def diagnostic_record(d: Diagnostic) -> dict[str, Any]:
    """Everything in a Diagnostic, as JSON-able data (for the result cache)."""
    return {
        "code": d.code, "severity": d.severity, "message": d.message,
        "range": _range_rec(d.range), "link": d.link, "claim": d.claim,
        "value_range": _range_rec(d.value_range) if d.value_range else None,
        "fix": [_range_rec(d.fix.range), d.fix.new_text, d.fix.old_text] if d.fix else None,
        "evidence": [[e.source, e.path, e.line, e.text, _range_rec(e.range), e.fact]
                     for e in d.evidence],
    }


def diagnostic_from_record(r: dict[str, Any]) -> Diagnostic:
    return Diagnostic(
        code=r["code"], severity=r["severity"], message=r["message"],
        range=_rec_range(r["range"]), link=r["link"], claim=r["claim"],
        value_range=_rec_range(r["value_range"]) if r["value_range"] else None,
        fix=Fix(_rec_range(r["fix"][0]), *r["fix"][1:3]) if r["fix"] else None,
        evidence=tuple(Evidence(e[0], e[1], e[2], e[3], _rec_range(e[4]), e[5])
                       for e in r["evidence"]),
    )


def _evidence_rec(e: Evidence) -> list[Any]:
    return [e.source, e.path, e.line, e.text, _range_rec(e.range), e.fact]


def _rec_evidence(v: list[Any]) -> Evidence:
    return Evidence(v[0], v[1], v[2], v[3], _rec_range(v[4]), v[5])


def support_record(c: Support) -> dict[str, Any]:
    """A confirmed claim as JSON-able data (for the result cache)."""
    return {"kind": c.kind, "range": _range_rec(c.range), "value": c.value,
            "evidence": [_evidence_rec(e) for e in c.evidence]}


def support_from_record(r: dict[str, Any]) -> Support:
    return Support(r["kind"], _rec_range(r["range"]), r["value"],
                   tuple(_rec_evidence(e) for e in r["evidence"]))

