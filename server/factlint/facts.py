"""Typed facts with provenance. Plain data, JSON-serialisable for the on-disk index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("quote", "role", "date", "count", "place")


@dataclass(frozen=True)
class Provenance:
    source: str  # corpus file as displayed
    path: str  # absolute path
    line: int  # 1-based line of the sentence start
    start: int  # character offset of the sentence in the file
    end: int
    text: str  # the sentence
    # 0-based LSP range of the sentence: (line, utf16 col, line, utf16 col)
    lsp: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass
class Fact:
    """kind: quote | role | date | count | place. ``key`` says what the fact is about,
    ``value`` what the corpus says about it; both are plain JSON-able dicts."""

    kind: str
    key: dict[str, Any]
    value: dict[str, Any]
    prov: Provenance | None = None
    # draft-side only: character spans of the claim and its value in the draft
    span: tuple[int, int] = (0, 0)
    value_span: tuple[int, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self, people: Mapping[str, str] | None = None) -> str:
        def name(pid: str | None) -> str:
            return (people or {}).get(pid or "", pid or "unknown")

        k, v = self.key, self.value
        if self.kind == "quote":
            return f'quote by {name(v.get("speaker"))}: "{v.get("text")}"'
        if self.kind == "role":
            return f'{name(k.get("person"))} is {v.get("title")}'
        if self.kind == "date" and k.get("event") == "statement":
            return f'{k.get("label")}: {v.get("text")}'
        if self.kind == "date":
            who = ", ".join(name(p) for p in k.get("persons", []))
            return f'{k.get("label")}{" of " + who if who else ""}: {v.get("text")}'
        if self.kind == "count":
            return f'{k.get("label")}: {v.get("text")}'
        if self.kind == "place":
            return f'{k.get("label")}: in {v.get("text")}'
        return self.kind

    def to_json(self) -> dict[str, Any]:
        """The fact as plain data (what ``dataclasses.asdict`` gives, without its deep copy
        of every nested value: indexing writes tens of thousands of facts)."""
        p = self.prov
        return {"kind": self.kind, "key": self.key, "value": self.value,
                "prov": None if p is None else {
                    "source": p.source, "path": p.path, "line": p.line, "start": p.start,
                    "end": p.end, "text": p.text, "lsp": p.lsp},
                "span": self.span, "value_span": self.value_span, "extra": self.extra}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Fact:
        prov = data.get("prov")
        return Fact(
            kind=data["kind"], key=data["key"], value=data["value"],
            prov=Provenance(**{**prov, "lsp": tuple(prov["lsp"])}) if prov else None,
            span=tuple(data.get("span", (0, 0))),  # type: ignore[arg-type]
            value_span=tuple(data["value_span"]) if data.get("value_span") else None,  # type: ignore[arg-type]
            extra=data.get("extra") or {},
        )
