"""Typed facts with provenance. Plain data, JSON-serialisable for the on-disk index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from factlint.jsonload import dumps, loads

KINDS = ("quote", "role", "date", "count", "place")


_FIELDS = ("source", "path", "line", "start", "end", "text", "lsp")


class Provenance:
    """Where a fact was read: the source file and its sentence. Immutable.

    A corpus fact read from the index keeps its provenance as the JSON text stored for it
    (:meth:`stored`) until a field is first read: a check compares many candidate facts
    by key and value and shows the sentences of a few.
    """

    __slots__ = ("_fields", "_raw")
    _fields: tuple[str, str, int, int, int, str, tuple[int, int, int, int]] | None
    _raw: str | None

    def __init__(self, source: str, path: str, line: int, start: int, end: int, text: str,
                 lsp: tuple[int, int, int, int] = (0, 0, 0, 0)) -> None:
        # source: corpus file as displayed; path: absolute; line: 1-based line of the
        # sentence start; start, end: character offsets of the sentence in the file;
        # text: the sentence; lsp: its 0-based LSP range (line, utf16 col, line, utf16 col)
        set_ = object.__setattr__
        set_(self, "_fields", (source, path, line, start, end, text, tuple(lsp)))
        set_(self, "_raw", None)

    @classmethod
    def stored(cls, raw: str) -> Provenance:
        """The provenance whose JSON text (:meth:`to_json`) is ``raw``, decoded on first
        use."""
        p = cls.__new__(cls)
        object.__setattr__(p, "_fields", None)
        object.__setattr__(p, "_raw", raw)
        return p

    def _values(self) -> tuple[str, str, int, int, int, str, tuple[int, int, int, int]]:
        f = self._fields
        if f is None:
            d = loads(self._raw or "{}")
            f = (d["source"], d["path"], d["line"], d["start"], d["end"], d["text"],
                 tuple(d.get("lsp") or (0, 0, 0, 0)))  # type: ignore[assignment]
            object.__setattr__(self, "_fields", f)
            object.__setattr__(self, "_raw", None)
        return f  # type: ignore[return-value]

    @property
    def source(self) -> str:
        return self._values()[0]

    @property
    def path(self) -> str:
        return self._values()[1]

    @property
    def line(self) -> int:
        return self._values()[2]

    @property
    def start(self) -> int:
        return self._values()[3]

    @property
    def end(self) -> int:
        return self._values()[4]

    @property
    def text(self) -> str:
        return self._values()[5]

    @property
    def lsp(self) -> tuple[int, int, int, int]:
        return self._values()[6]

    def to_json(self) -> dict[str, Any]:
        return dict(zip(_FIELDS, self._values(), strict=True))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Provenance is immutable: cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Provenance):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "Provenance(" + ", ".join(
            f"{k}={v!r}" for k, v in zip(_FIELDS, self._values(), strict=True)) + ")"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Provenance, self._values())


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
                "prov": None if p is None else p.to_json(),
                "span": self.span, "value_span": self.value_span, "extra": self.extra}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Fact:
        prov = data.get("prov")
        return Fact._from_parts(data, Provenance(**{**prov, "lsp": tuple(prov["lsp"])})
                                if prov else None)

    @staticmethod
    def _from_parts(d: dict[str, Any], prov: Provenance | None) -> Fact:
        """The fact of :meth:`to_json`'s data (its ``prov`` aside) and a provenance."""
        value_span = d.get("value_span")
        # (fields by position: a check decodes hundreds of candidates it has not seen)
        return Fact(d["kind"], d["key"], d["value"], prov,
                    tuple(d.get("span") or (0, 0)),  # type: ignore[arg-type]
                    tuple(value_span) if value_span else None,  # type: ignore[arg-type]
                    d.get("extra") or {})

    def to_stored(self) -> tuple[str, str | None]:
        """The fact as the index stores it: its JSON text without the provenance, and the
        provenance's own (read back by :meth:`from_stored`)."""
        data = self.to_json()
        prov = data.pop("prov")
        return dumps(data), None if prov is None else dumps(prov)

    @staticmethod
    def from_stored(data: str, prov: str | None) -> Fact:
        """The fact of :meth:`to_stored`'s texts; the provenance is decoded on first use."""
        return Fact._from_parts(loads(data), None if prov is None else Provenance.stored(prov))
