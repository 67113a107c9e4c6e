"""``factlint audit``: the corpus checked against itself.

Reports pairs of facts from two different source files that have the same key and values
that do not agree — two sources giving different dates for one event, different counts,
incompatible titles for one person, one quotation attributed to two people, or one statement
placed in two places. The keys and the agreement tests are the ones the draft checks use
(``factlint.check``), made stricter because both sides are now extracted text:

* quote-speaker: the shorter quotation (6 words or more) occurs word for word in the other,
  and both are attributed to named persons (not organisations, not unknown speakers).
* date: the same event; the same participants (last meeting), an overlapping name
  (agreements), or else every participant word of one fact found in the other's (two or
  more). Dates agree at the coarser granularity of the two.
* number: the same event, thing and unit, with the anchor rule of dates; counts agree when
  their intervals overlap.
* role: the same person, two specific titles of offices that cannot be the same; titles
  bound to a time ("former", "acting") are left out. A title that is another person's is not
  audited: offices change hands, and articles of different dates name different holders.
* place: only statements, keyed by the same quotation (6 words or more) and speaker; events
  such as meetings and attacks recur, so two places for "the meeting" are not a conflict.

A pair is reported only when neither source agrees with the other anywhere: if source B also
gives source A's value for the same key elsewhere, the two sources do not disagree.
Within one source, facts are never compared (repetition and context are the norm there).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from factlint.facts import Fact
from factlint.names import any_overlap, stem_match
from factlint.titles import Title
from factlint.values import dates_agree, intervals_overlap

MIN_QUOTE_WORDS = 6
MIN_ANCHORS = 2
CODES = ("quote-speaker", "date", "number", "role", "place")


@dataclass(frozen=True)
class Side:
    source: str
    path: str
    line: int  # 1-based
    column: int  # 1-based, UTF-16
    text: str  # the sentence
    value: str  # what this source says

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "column": self.column,
                "text": self.text, "value": self.value}


@dataclass(frozen=True)
class Conflict:
    code: str
    severity: str
    subject: str
    a: Side
    b: Side

    @property
    def message(self) -> str:
        return (f"{self.subject}: {self.a.source}:{self.a.line} says {self.a.value}, "
                f"{self.b.source}:{self.b.line} says {self.b.value}")

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "subject": self.subject,
                "message": self.message, "sources": [self.a.to_json(), self.b.to_json()]}


# ---------------------------------------------------------------------- key helpers
def _contained(xs: Iterable[str], ys: Iterable[str]) -> bool:
    """Every word of the smaller set matches a word of the other, and there are enough."""
    a, b = sorted((list(dict.fromkeys(xs)), list(dict.fromkeys(ys))), key=len)
    return len(a) >= MIN_ANCHORS and any_overlap(a, b) == len(a)


def _sublist(short: list[str], long_: list[str]) -> bool:
    n = len(short)
    return any(long_[i:i + n] == short for i in range(len(long_) - n + 1))


def same_quotation(a: list[str], b: list[str]) -> bool:
    short, long_ = sorted((a, b), key=len)
    return len(short) >= MIN_QUOTE_WORDS and _sublist(short, long_)


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    n = MIN_QUOTE_WORDS
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _is_person(pid: str | None) -> bool:
    return bool(pid) and not str(pid).startswith("org:")


def _places_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["place"] == b["place"]:
        return True
    wa, wb = a["place"].split(), b["place"].split()
    return len(wa) == len(wb) and all(stem_match(x, y) for x, y in zip(wa, wb, strict=True))


# ---------------------------------------------------------------------- per kind
@dataclass
class _Kind:
    code: str
    facts: Callable[[list[Fact]], list[Fact]]
    buckets: Callable[[Fact], Iterable[Any]]
    same_key: Callable[[Fact, Fact], bool]
    agree: Callable[[Fact, Fact], bool]
    subject: Callable[[Fact], str]
    value: Callable[[Fact], str]


def _kinds(people: Any) -> list[_Kind]:
    titles = people.titles
    name = people.name

    def quotes(facts: list[Fact]) -> list[Fact]:
        return [f for f in facts if f.kind == "quote" and _is_person(f.value.get("speaker"))
                and len(f.value.get("words") or []) >= MIN_QUOTE_WORDS]

    def quote_subject(f: Fact) -> str:
        text = f.value["text"]
        return f'Speaker of "{text if len(text) <= 60 else text[:57].rstrip() + "..."}"'

    def date_key(a: Fact, b: Fact) -> bool:
        ka, kb = a.key, b.key
        if ka["event"] != kb["event"]:
            return False
        if ka["event"] == "last-meeting":
            return bool(ka["persons"]) and set(ka["persons"]) == set(kb["persons"])
        if "name" in ka or "name" in kb:
            return bool(any_overlap(ka.get("name") or [], kb.get("name") or []))
        return _contained(ka.get("args") or [], kb.get("args") or [])

    def count_key(a: Fact, b: Fact) -> bool:
        ka, kb = a.key, b.key
        return (ka["event"] is not None and ka["event"] == kb["event"]
                and ka["thing"] == kb["thing"] and ka["unit"] == kb["unit"]
                and _contained(ka.get("anchors") or [], kb.get("anchors") or []))

    def counts_agree(a: Fact, b: Fact) -> bool:
        return intervals_overlap((a.value["lo"], a.value["hi"]), (b.value["lo"], b.value["hi"]))

    def title(f: Fact) -> Title:
        return Title.from_json(f.value["parsed"])

    def roles(facts: list[Fact]) -> list[Fact]:
        out = []
        for f in facts:
            if f.kind != "role":
                continue
            t = title(f)
            if t.generic or any(r not in titles.firm_ranks for r in t.rank):
                continue
            out.append(f)
        return out

    def statements(facts: list[Fact]) -> list[Fact]:
        return [f for f in facts if f.kind == "place" and f.key.get("event") == "statement"
                and any(len(q.split()) >= MIN_QUOTE_WORDS for q in f.key.get("quotes") or [])]

    def statement_key(a: Fact, b: Fact) -> bool:
        sa, sb = a.key.get("speaker"), b.key.get("speaker")
        if sa and sb and sa != sb:
            return False
        return any(same_quotation(qa.split(), qb.split())
                   for qa in a.key.get("quotes") or [] for qb in b.key.get("quotes") or [])

    def statement_buckets(f: Fact) -> set[tuple[str, ...]]:
        out: set[tuple[str, ...]] = set()
        for q in f.key.get("quotes") or []:
            out |= _shingles(q.split())
        return out

    return [
        _Kind("quote-speaker", quotes, lambda f: _shingles(f.value["words"]),
              lambda a, b: same_quotation(a.value["words"], b.value["words"]),
              lambda a, b: a.value["speaker"] == b.value["speaker"],
              quote_subject, lambda f: name(f.value["speaker"])),
        _Kind("date", lambda fs: [f for f in fs if f.kind == "date"],
              lambda f: [f.key["event"]], date_key,
              lambda a, b: dates_agree(a.value, b.value),
              lambda f: _cap(f.key["label"]), lambda f: f.value["text"]),
        _Kind("number", lambda fs: [f for f in fs if f.kind == "count"],
              lambda f: [(f.key["event"], f.key["thing"], f.key["unit"])], count_key,
              counts_agree, lambda f: _cap(f.key["label"]), lambda f: f.value["text"]),
        _Kind("role", roles, lambda f: [f.key["person"]],
              lambda a, b: a.key["person"] == b.key["person"],
              lambda a, b: titles.offices_compatible(title(a), title(b)),
              lambda f: f"Title of {name(f.key['person'])}",
              lambda f: f'"{f.value["title"]}"'),
        _Kind("place", statements, statement_buckets, statement_key,
              lambda a, b: _places_agree(a.value, b.value),
              lambda f: "The statement" + (f" of {name(f.key['speaker'])}"
                                           if f.key.get("speaker") else ""),
              lambda f: f.value["text"]),
    ]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _side(f: Fact, value: str) -> Side:
    p = f.prov
    assert p is not None
    return Side(p.source, p.path, p.line, p.lsp[1] + 1, p.text, value)


def _order(f: Fact) -> tuple[str, int, int]:
    p = f.prov
    assert p is not None
    return (p.source, p.start, p.end)


def audit_facts(facts: list[Fact], people: Any, levels: dict[str, str],
                disabled: Iterable[str] = ()) -> list[Conflict]:
    """Conflicts between source files; ``levels`` is the severity of each check code."""
    off = set(disabled)
    facts = [f for f in facts if f.prov is not None]
    found: dict[tuple[str, tuple[str, int, int], tuple[str, int, int]], Conflict] = {}
    for kind in _kinds(people):
        if kind.code in off:
            continue
        chosen = kind.facts(facts)
        buckets: dict[Any, list[int]] = defaultdict(list)
        for i, f in enumerate(chosen):
            for b in kind.buckets(f):
                buckets[b].append(i)
        # same-key pairs across files
        pairs: set[tuple[int, int]] = set()
        for members in buckets.values():
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    a, b = chosen[i], chosen[j]
                    if a.prov.path == b.prov.path:  # type: ignore[union-attr]
                        continue
                    key = (i, j) if i < j else (j, i)
                    if key not in pairs and kind.same_key(a, b):
                        pairs.add(key)
        # which files agree on each fact: a fact agreeing with anything in a file is not
        # contradicted by that file
        agrees_in: dict[int, set[str]] = defaultdict(set)
        for i, j in pairs:
            a, b = chosen[i], chosen[j]
            if kind.agree(a, b):
                agrees_in[i].add(b.prov.path)  # type: ignore[union-attr]
                agrees_in[j].add(a.prov.path)  # type: ignore[union-attr]
        for i, j in sorted(pairs):
            a, b = chosen[i], chosen[j]
            if kind.agree(a, b) or b.prov.path in agrees_in[i] \
                    or a.prov.path in agrees_in[j]:  # type: ignore[union-attr]
                continue
            if _order(b) < _order(a):
                a, b = b, a
            sig = (kind.code, _order(a), _order(b))
            if sig not in found:
                found[sig] = Conflict(kind.code, levels.get(kind.code, "error"),
                                      kind.subject(a), _side(a, kind.value(a)),
                                      _side(b, kind.value(b)))
    return sorted(found.values(), key=lambda c: (c.a.source, c.a.line, c.a.column,
                                                 c.b.source, c.b.line, c.code))


def format_text(conflicts: list[Conflict]) -> str:
    out = []
    for c in conflicts:
        out.append(f"{c.a.source}:{c.a.line}:{c.a.column}: {c.severity} {c.code}: {c.message}")
        for side in (c.a, c.b):
            out.append(f"    {side.source}:{side.line}: {side.text}")
    return "\n".join(out) + ("\n" if out else "")


def format_json(conflicts: list[Conflict]) -> str:
    return json.dumps({"version": 1, "conflicts": [c.to_json() for c in conflicts]},
                      indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[list[Conflict]], str]] = {"text": format_text,
                                                          "json": format_json}
