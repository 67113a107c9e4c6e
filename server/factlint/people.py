"""People: canonical persons with aliases, built from the corpus, and finding their mentions.

Resolution does not trust the NER label alone: spaCy's small model tags some surnames ORG or
GPE, so a token that matches a known surname (or a spelling variant of one) is a mention
whatever its label, and label votes across the whole corpus decide single-word names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from factlint.names import norm_word, similar_name
from factlint.rules import RuleSet
from factlint.titles import TitleLexicon

_NAME_OK = set("-'’.")
_PLACE_PREPS = {"in", "to", "from", "at", "near", "outside", "across", "into"}


def _is_name_word(text: str) -> bool:
    return bool(text) and text[0].isupper() and all(c.isalpha() or c in _NAME_OK for c in text)


@dataclass
class Person:
    id: str
    first: str | None
    surnames: Counter[str] = field(default_factory=Counter)  # spelling variants seen
    firsts: Counter[str] = field(default_factory=Counter)

    @property
    def surname(self) -> str:
        return self.surnames.most_common(1)[0][0]

    @property
    def name(self) -> str:
        first = self.firsts.most_common(1)[0][0] if self.firsts else None
        return f"{first} {self.surname}" if first else self.surname

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "first": self.first, "surnames": dict(self.surnames),
                "firsts": dict(self.firsts)}

    @staticmethod
    def from_json(d: dict[str, Any]) -> Person:
        return Person(d["id"], d["first"], Counter(d["surnames"]), Counter(d["firsts"]))


@dataclass(frozen=True)
class Mention:
    start: int  # token index
    end: int  # token index (exclusive)
    start_char: int
    end_char: int
    person: str
    text: str


class PeopleRegistry:
    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.persons: dict[str, Person] = {}
        self.titles = TitleLexicon(rules)
        self.honorifics = {h.rstrip(".").lower() for h in rules.words("speech", "honorifics")}
        self.threshold = float(rules.section("compare").get("name_similarity", 88))
        self._by_surname: dict[str, list[str]] = defaultdict(list)
        self._fuzzy_cache: dict[str, str | None] = {}
        self.label_votes: dict[str, Counter[str]] = defaultdict(Counter)
        self.place_words: set[str] = set()
        self.known_words: set[str] = set()  # every capitalised word of the corpus, normalised

    # -- building ----------------------------------------------------------------------
    def _strip(self, tokens: list[Any]) -> list[Any]:
        out = list(tokens)
        while out and (out[0].text.rstrip(".").lower() in self.honorifics
                       or self.titles.is_head_word(out[0].text) or not out[0].text[0].isupper()):
            out.pop(0)
        while out and (out[-1].text in ("'s", "’s", "'", "’") or not _is_name_word(out[-1].text)):
            out.pop()
        return out

    def _index(self) -> None:
        self._by_surname = defaultdict(list)
        for pid, p in self.persons.items():
            for s in p.surnames:
                self._by_surname[s].append(pid)
        self._fuzzy_cache = {}

    def _add(self, first: str | None, surname: str) -> str:
        # attach to an existing person with the same (or a variant) surname and first name
        for pid, p in self.persons.items():
            if any(similar_name(surname, s, self.threshold) for s in p.surnames):
                if first is None or not p.firsts or first in p.firsts:
                    p.surnames[surname] += 1
                    if first:
                        p.firsts[first] += 1
                    return pid
        pid = f"{first} {surname}" if first else surname
        person = Person(pid, first)
        person.surnames[surname] += 1
        if first:
            person.firsts[first] += 1
        self.persons[pid] = person
        return pid

    def build(self, docs: list[Any]) -> None:
        """Collect persons from parsed corpus paragraphs (spaCy Docs)."""
        fulls: list[tuple[str, str]] = []
        singles: Counter[str] = Counter()
        certain: set[str] = set()
        seen_words: Counter[str] = Counter()
        place_context: Counter[str] = Counter()
        for doc in docs:
            for tok in doc:
                if tok.text[:1].isupper():
                    seen_words[tok.text] += 1
                    if tok.i > 0 and doc[tok.i - 1].lower_ in _PLACE_PREPS:
                        place_context[tok.text] += 1
            for ent in doc.ents:
                key = ent.text.replace("’s", "").replace("'s", "").strip()
                self.label_votes[key][ent.label_] += 1
            for ent in doc.ents:
                if ent.label_ != "PERSON":
                    continue
                toks = self._strip(list(ent))
                words = [t.text for t in toks]
                if not words or not all(_is_name_word(w) for w in words):
                    continue
                if len(words) >= 2:
                    fulls.append((words[0], words[-1]))
                else:
                    singles[words[0]] += 1
            for tok in doc:
                if tok.text.rstrip(".").lower() in self.honorifics and tok.i + 1 < len(doc):
                    nxt = doc[tok.i + 1]
                    if _is_name_word(nxt.text) and nxt.pos_ == "PROPN":
                        singles[nxt.text] += 1
                        certain.add(nxt.text)
        self.known_words = {norm_word(w) for w in seen_words}
        # a word seen after "in"/"to"/"from" often enough is a place, whatever NER says
        self.place_words = {w for w, n in place_context.items() if n >= max(1, seen_words[w] / 4)}
        for first, surname in fulls:
            if self.is_place_like(first) or self.is_place_like(surname):
                continue
            self._add(first, surname)
        self._index()
        for word, _n in singles.most_common():
            if self.lookup_surname(word):
                self.persons[self.lookup_surname(word)].surnames[word] += 0  # type: ignore[index]
                continue
            votes = self.label_votes.get(word, Counter())
            person_votes = votes.get("PERSON", 0)
            other = max((v for k, v in votes.items() if k != "PERSON"), default=0)
            if word in certain or (person_votes > other and person_votes >= 2
                                   and word not in self.place_words):
                self._add(None, word)
                self._index()
        self._index()

    # -- lookup ------------------------------------------------------------------------
    def lookup_surname(self, word: str) -> str | None:
        ids = self._by_surname.get(word)
        if ids:
            return max(ids, key=lambda pid: sum(self.persons[pid].surnames.values()))
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        found = None
        if len(word) >= 5 and _is_name_word(word):
            for surname, pids in self._by_surname.items():
                if similar_name(word, surname, self.threshold):
                    found = pids[0]
                    break
        self._fuzzy_cache[word] = found
        return found

    def name(self, pid: str | None) -> str:
        if pid is None:
            return "unknown"
        if pid.startswith("org:"):
            return pid[4:]
        p = self.persons.get(pid)
        return p.name if p else pid

    def surname(self, pid: str) -> str:
        p = self.persons.get(pid)
        return p.surname if p else pid.split()[-1]

    def display_names(self) -> dict[str, str]:
        return {pid: p.name for pid, p in self.persons.items()}

    def is_place_like(self, text: str) -> bool:
        if text in self.place_words:
            return True
        votes = self.label_votes.get(text)
        if not votes:
            return False
        top = votes.most_common(1)[0][0]
        return top in ("GPE", "LOC", "FAC", "NORP")

    # -- mentions ----------------------------------------------------------------------
    def mentions(self, doc: Any, allow_new: bool = False) -> list[Mention]:
        """Person mentions in a parsed paragraph, longest first, non-overlapping."""
        out: list[Mention] = []
        taken: set[int] = set()
        person_ents = {}
        if allow_new:
            for ent in doc.ents:
                if ent.label_ == "PERSON":
                    toks = self._strip(list(ent))
                    if toks:
                        person_ents[toks[0].i] = toks
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            text = tok.text
            if not _is_name_word(text) or text.rstrip(".").lower() in self.honorifics:
                i += 1
                continue
            # first name + surname
            if i + 1 < n and _is_name_word(doc[i + 1].text):
                pid = self.lookup_surname(doc[i + 1].text)
                if pid and (text in self.persons[pid].firsts):
                    out.append(self._mention(doc, i, i + 2, pid))
                    taken.update((i, i + 1))
                    i += 2
                    continue
            pid = self.lookup_surname(text)
            if pid and (tok.pos_ == "PROPN" or tok.ent_type_ or text in self._by_surname):
                out.append(self._mention(doc, i, i + 1, pid))
                taken.add(i)
                i += 1
                continue
            if allow_new and i in person_ents:
                toks = person_ents[i]
                words = [t.text for t in toks]
                if all(_is_name_word(w) for w in words) and not self.is_place_like(words[-1]):
                    end = toks[-1].i + 1
                    surname = words[-1]
                    pid = self.lookup_surname(surname) or " ".join(words)
                    out.append(self._mention(doc, i, end, pid))
                    i = end
                    continue
            if allow_new and i > 0 and doc[i - 1].text.rstrip(".").lower() in self.honorifics:
                out.append(self._mention(doc, i, i + 1, text))
            i += 1
        return out

    @staticmethod
    def _mention(doc: Any, start: int, end: int, pid: str) -> Mention:
        span = doc[start:end]
        return Mention(start, end, span.start_char, span.end_char, pid, span.text)

    # -- persistence -------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"persons": [p.to_json() for p in self.persons.values()],
                "votes": {k: dict(v) for k, v in self.label_votes.items()},
                "place_words": sorted(self.place_words),
                "known_words": sorted(self.known_words)}

    def load_json(self, data: dict[str, Any]) -> None:
        self.persons = {d["id"]: Person.from_json(d) for d in data["persons"]}
        self.label_votes = defaultdict(Counter, {k: Counter(v) for k, v in data["votes"].items()})
        self.place_words = set(data.get("place_words", []))
        self.known_words = set(data.get("known_words", []))
        self._index()
