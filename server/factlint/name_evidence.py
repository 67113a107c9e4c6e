"""The name evidence of one document: what the corpus-wide people registry is reduced from.

:meth:`factlint.people.PeopleRegistry.collect` reads it off a document's parsed paragraphs
once; :meth:`~factlint.people.PeopleRegistry.build_from` sums the documents' evidence in
corpus order and resolves persons. Small and JSON-able, so an index keeps it per document
and updates the registry without re-parsing anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# (name words, evidence flags, other entity labels, each word inside a PERSON entity?)
Run = tuple[tuple[str, ...], frozenset[str], frozenset[str], tuple[bool, ...]]


@dataclass
class NameEvidence:
    lower: set[str] = field(default_factory=set)  # lower-case words
    caps: Counter[str] = field(default_factory=Counter)  # capitalised words
    place_ctx: Counter[str] = field(default_factory=Counter)  # ... after "in", "to", "from"
    votes: Counter[tuple[str, str]] = field(default_factory=Counter)  # (entity text, label)
    runs: list[Run] = field(default_factory=list)  # name runs, in order

    @staticmethod
    def total(parts: Iterable[NameEvidence]) -> NameEvidence:
        out = NameEvidence()
        for ev in parts:
            out.lower |= ev.lower
            out.caps.update(ev.caps)
            out.place_ctx.update(ev.place_ctx)
            out.votes.update(ev.votes)
            out.runs.extend(ev.runs)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"lower": sorted(self.lower), "caps": dict(self.caps),
                "place": dict(self.place_ctx),
                "votes": [[k, label, n] for (k, label), n in self.votes.items()],
                "runs": [[list(w), sorted(f), sorted(labels), [int(b) for b in p]]
                         for w, f, labels, p in self.runs]}

    @staticmethod
    def from_json(d: dict[str, Any]) -> NameEvidence:
        return NameEvidence(
            set(d["lower"]), Counter(d["caps"]), Counter(d["place"]),
            Counter({(k, label): n for k, label, n in d["votes"]}),
            [(tuple(w), frozenset(f), frozenset(labels), tuple(bool(b) for b in p))
             for w, f, labels, p in d["runs"]])
