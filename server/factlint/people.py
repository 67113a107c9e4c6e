"""People: canonical persons with aliases, built from the corpus, and finding their mentions.

Names are read as people write them, from spaCy's tokens rather than its entity boundaries
(the small model cuts "Ursula von der" from "Leyen", or tags "Le Pen" ORG):

* a *name run* is a sequence of capitalised proper nouns, initials ("N.", "R. K.", "GS") and
  surname particles ("de", "von der", "Le") followed by a capitalised word; hyphenated words
  are one word ("Anne-Marie", "al-Assad"); honorifics ("Dr.", "Mr", "Gen.") and title words
  ("Prime Minister") before it are not part of the name, nor suffixes ("Jr.") after it;
* the surname of a full name is its last word with the particles before it ("Le Pen",
  "de la Croix", "von der Leyen"), or a longer tail that the corpus uses on its own
  ("Kyobe Bosa" of "Henry Kyobe Bosa");
* names compare folded (``names.fold``: "François" is "Francois", "Núñez" is "Nunez"); the
  display form is the one written most often;
* two full names are one person when their surnames match and their given names are
  compatible ("N." / "Natarajan", "Jean-Paul" / "Jean Paul"), never when the given names
  differ ("Sam Parker" / "Jo Parker"): a bare "Parker" then resolves to the one named in the
  same paragraph (or in ``recent``, the people in focus) or stays unresolved.

Resolution does not trust the NER label alone: a run is a person in the corpus when a PERSON
entity covers it, an honorific or a title precedes it, or a speech verb follows it, and
label votes across the whole corpus decide single-word names and words that are also places
("Washington" is a person only where the corpus says so).

:meth:`PeopleRegistry.build` reads token ``text``, ``lower_``, ``pos_``, ``i`` and entities'
``text``, ``label_``, ``start`` and ``end`` only, through :meth:`PeopleRegistry.collect`
(which keeps a Doc's tokens and entities in its ``user_data``: :mod:`factlint.doctools`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from nameparser.config import CONSTANTS

from factlint.doctools import doc_ents, doc_tokens
from factlint.name_evidence import NameEvidence
from factlint.names import (
    HYPHEN_PARTICLES,
    GivenPart,
    fold,
    given_compatible,
    given_parts,
    initials,
    is_particle,
    is_suffix,
    name_key,
    name_parts,
    norm_word,
    similar_names,
)
from factlint.rules import RuleSet
from factlint.titles import TitleLexicon

_NAME_OK = set("-'’.‐")
_NAME_WORD_RE = re.compile(r"(?:[^\W\d_]|[-'’.‐])+")
_JOINERS = {"-", "‐"}
_PLACE_PREPS = {"in", "to", "from", "at", "near", "outside", "across", "into"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
# parts of speech a capitalised word of a name never has
_NOT_NAME_POS = {"AUX", "VERB", "DET", "PRON", "ADP", "CCONJ", "SCONJ", "PART", "NUM", "PUNCT",
                 "SYM", "INTJ"}
# tokens an entity may hold around a name and still be that name ("the", "'s", titles)
_ENT_FILLER = {"the", "'s", "’s", "'", "’", ",", "."}
_IRREGULAR = {"say": ("said", "says"), "tell": ("told",), "write": ("wrote", "written"),
              "speak": ("spoke", "spoken"), "put": ("put",), "quip": ("quipped",),
              "admit": ("admitted",), "vow": ("vowed",), "signal": ("signalled", "signaled"),
              "pledge": ("pledged",), "refer": ("referred",), "post": ("posted",)}


# nameparser's titles ("Judge", "Professor", "Detective"), less words that begin other names
# or are common words before a capitalised noun ("First", "Royal", "State", "Air", "US")
_NP_NOT_TITLES = {"us", "uk", "state", "army", "navy", "air", "first", "high", "most", "right",
                  "royal", "civil", "field", "flag", "grand", "group", "law", "legal", "model",
                  "radio", "risk", "rock", "saint", "staff", "tax", "voice", "wing", "her", "his",
                  "host", "met", "pro", "rear", "vice", "film", "blues", "comic", "bench", "heir",
                  "opera", "petty", "chef", "count", "king", "queen", "prince", "princess", "bard",
                  "druid", "lama", "guru", "baba", "maid", "nanny", "uncle", "aunt", "tenor",
                  "poet", "actor", "pilot", "monk", "canon", "prior", "abbot", "dean", "sultan",
                  "master", "knight", "ranger", "sailor", "warden", "woodman", "goodman",
                  "pioneer", "marcher", "banner"}
_NP_NOT_TITLES |= {"united", "states", "supreme", "special", "senior", "superior", "family",
                   "kingdom", "knowledge", "information", "intelligence", "security", "software",
                   "strategy", "television", "theater", "theatre", "travel", "revenue", "soccer",
                   "baseball", "ballet", "business", "computer", "credit", "customs",
                   "discovery", "division", "district", "mathematics", "mystery", "analytics",
                   "burlesque", "celebrity", "personality", "police", "foreign", "excellent",
                   "docket", "marketing", "english", "british", "honorable", "honourable",
                   "appellate", "corporate", "charge", "bearer", "warrant", "familie"}
# adjectives ("Political", "Federal", "Presiding") are no titles of their own
_NP_TITLES = frozenset(t for t in (str(x) for x in CONSTANTS.titles)
                       if t.isascii() and t.isalpha() and len(t) >= 4 and t not in _NP_NOT_TITLES
                       and not t.endswith(("al", "ic", "ish", "ed", "ing", "ive", "ous", "ary")))


def _is_name_word(text: str) -> bool:
    return bool(text) and text[0].isupper() and all(c.isalpha() or c in _NAME_OK for c in text)


_SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by",
                "with", "from", "as", "is", "are", "vs", "after", "over", "into", "amid"}


def _title_case(toks: Sequence[Any]) -> bool:
    """A headline or heading in title case: most words after the first are capitalised."""
    words = [t.text for t in toks[1:] if t.text.isalpha() and t.lower_ not in _SMALL_WORDS]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.75 * len(words)


def _verb_forms(lemmas: Iterable[str]) -> set[str]:
    """Surface forms of the speech verbs (build reads no lemmas): say -> said, says..."""
    out: set[str] = set()
    for lemma in lemmas:
        v = lemma.lower()
        out.update((v, v + "s", v + "es", v + "ed", v + "d", v + v[-1:] + "ed"))
        if v.endswith("y"):
            out.update((v[:-1] + "ies", v[:-1] + "ied"))
        out.update(_IRREGULAR.get(v, ()))
    return out


def _best_form(forms: Counter[str]) -> str:
    """The form written most often, spellings that fold alike counted together ("Núñez" and
    "Nunez"); among those, the most frequent, then one with diacritics, then the first seen."""
    groups: dict[tuple[str, ...], int] = defaultdict(int)
    order: dict[tuple[str, ...], int] = {}
    for n, (form, count) in enumerate(forms.items()):
        key = name_key(form.split())
        groups[key] += count
        order.setdefault(key, n)
    best_key = max(groups, key=lambda k: (groups[k], -order[k]))
    cands = [(form, count, n) for n, (form, count) in enumerate(forms.items())
             if name_key(form.split()) == best_key]
    return max(cands, key=lambda c: (c[1], not c[0].isascii(), -c[2]))[0]


@dataclass
class Person:
    id: str
    first: str | None  # the given name first seen
    surnames: Counter[str] = field(default_factory=Counter)  # surname forms seen ("Le Pen")
    firsts: Counter[str] = field(default_factory=Counter)  # given names as written ("N.")
    fulls: Counter[str] = field(default_factory=Counter)  # whole names as written
    bare: Counter[str] = field(default_factory=Counter)  # surname forms seen on their own

    @property
    def surname(self) -> str:
        """The surname as written on its own ("Le Pen", "Kim" of "Kim Jong Un")."""
        if self.bare:
            # written as in the full names where it can be ("de la Croix", though sentences
            # begin "De la Croix said")
            key = name_key(_best_form(self.bare).split())
            for forms in (self.surnames - self.bare, self.bare):
                same = Counter({f: n for f, n in forms.items() if name_key(f.split()) == key})
                if same:
                    return _best_form(same)
        return _best_form(self.surnames) if self.surnames else self.id

    @property
    def name(self) -> str:
        if self.fulls:
            return _best_form(self.fulls)
        first = _best_form(self.firsts) if self.firsts else None
        return f"{first} {self.surname}" if first else self.surname

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "first": self.first, "surnames": dict(self.surnames),
                "firsts": dict(self.firsts), "fulls": dict(self.fulls), "bare": dict(self.bare)}

    @staticmethod
    def from_json(d: dict[str, Any]) -> Person:
        return Person(d["id"], d["first"], Counter(d["surnames"]), Counter(d["firsts"]),
                      Counter(d.get("fulls", {})), Counter(d.get("bare", {})))


@dataclass(frozen=True)
class Mention:
    start: int  # token index
    end: int  # token index (exclusive)
    start_char: int
    end_char: int
    person: str
    text: str


class _W(NamedTuple):
    """One written word of a name: tokens [start, end), hyphenated parts joined (a tuple:
    one is made for every token of every paragraph)."""

    start: int
    end: int
    text: str
    kind: str  # "cap", "init", "part" (particle) or "other"
    name_pos: bool  # a part of speech or entity label a name can have


@dataclass
class _Run:
    words: list[_W]
    lead: list[_W]  # honorific and title words before the name, in the same capitalised run
    hon: bool = False
    title: bool = False
    speech: bool = False
    person_ent: bool = False
    age: bool = False  # followed by ", 49,"
    scope: bool = False  # followed by a title noun: an organisation or place ("X manager")
    labels: frozenset[str] = frozenset()  # other entity labels over the name's tokens

    @property
    def texts(self) -> list[str]:
        return [w.text for w in self.words]


@dataclass
class _Obs:
    words: tuple[str, ...]
    evidence: frozenset[str]
    labels: frozenset[str]


class _Ents:
    """Entity label and extent of each token (of a spaCy Doc)."""

    def __init__(self, doc: Any) -> None:
        self.label: dict[int, str] = {}
        self.span: dict[int, tuple[int, int]] = {}
        for ent in doc_ents(doc):
            s, e = ent.start, ent.end
            for i in range(s, e):
                self.label[i] = ent.label_
                self.span[i] = (s, e)


class _Surnames:
    """Persons by surname while building: exact folded keys, and single-word keys by their
    first three letters for spelling variants (``similar_name`` needs those to agree)."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.exact: dict[tuple[str, ...], list[Person]] = defaultdict(list)
        self.prefix: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self.order: dict[int, int] = {}

    def add(self, p: Person, form: str) -> None:
        self.order.setdefault(id(p), len(self.order))
        key = name_key(form.split())
        if p not in self.exact[key]:
            self.exact[key].append(p)
        if len(key) == 1:
            self.prefix[key[0][:3]].add(key)

    def find(self, words: Sequence[str]) -> list[Person]:
        """Persons with this surname or a spelling variant of it, in creation order."""
        key = name_key(words)
        found = list(self.exact.get(key, ()))
        if len(key) == 1:
            keys = [k for k in self.prefix.get(key[0][:3], ()) if k != key]
            for i in similar_names(key[0], [k[0] for k in keys], self.threshold):
                found.extend(p for p in self.exact[keys[i]] if p not in found)
        return sorted(found, key=lambda p: self.order[id(p)])


class PeopleRegistry:
    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.persons: dict[str, Person] = {}
        self.titles = TitleLexicon(rules)
        self.honorifics = {h.rstrip(".").lower() for h in rules.words("speech", "honorifics")}
        self.name_titles = {fold(h).rstrip(".") for h in rules.words("speech", "name_titles")}
        self.not_name_words = {fold(w) for w in rules.words("speech", "not_name_words")}
        self.threshold = float(rules.section("compare").get("name_similarity", 88))
        self.speech_forms = _verb_forms(rules.words("speech", "verbs"))
        self._by_surname: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self._by_prefix: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self._given: dict[str, list[tuple[GivenPart, ...]]] = {}
        self._name_parts: set[str] = set()
        self._fuzzy_cache: dict[str, list[str]] = {}
        self.label_votes: dict[str, Counter[str]] = defaultdict(Counter)
        self.place_words: set[str] = set()
        self.known_words: set[str] = set()  # every capitalised word of the corpus, normalised
        self.placey: set[str] = set()  # surnames the corpus uses more as places than persons
        self._lower_seen: set[str] = set()  # lower-case words of the corpus (while building)
        self._seq = 0
        self._display: DisplayNames | None = None

    # -- words and runs ----------------------------------------------------------------
    def _honorific(self, text: str) -> bool:
        return text.rstrip(".").lower() in self.honorifics

    def _name_title(self, words: list[_W], k: int) -> bool:
        """A title word before a name that is not part of it: "Judge Harold Lim", "Detective
        Inspector Sunil K. Batra" (rules' ``speech.name_titles``, or nameparser's titles
        before a name of two words or more)."""
        w = fold(words[k].text).rstrip(".")
        explicit = w in self.name_titles
        if not explicit and w not in _NP_TITLES:
            return False
        follow = 0
        for nxt in words[k + 1:k + 3]:
            if nxt.kind not in ("cap", "init", "part") or nxt.kind == "cap" and not nxt.name_pos:
                break
            follow += 1
        return follow >= (1 if explicit else 2)

    def _words(self, doc: Any, ents: _Ents, known: set[str] | None = None) -> list[_W]:
        toks = doc_tokens(doc)
        n = len(toks)
        out: list[_W] = []
        i = 0
        while i < n:
            text = toks[i].text
            j = i + 1
            if not text[:1].isupper() and (j + 1 >= n or toks[j].text not in _JOINERS) \
                    and not is_particle(text):
                out.append(_W(i, j, text, "other", False))  # the common case, decided early
                i = j
                continue
            parts = [text]
            # "Anne-Marie", "Okonkwo-Adeyemi", "al-Assad": one word
            # (not a dateline: "LONDON - Marcus Pellew-Hart")
            while j + 1 < n and toks[j].text in _JOINERS and parts[-1].replace("'", "").isalpha() \
                    and toks[j + 1].text[:1].isupper() and toks[j + 1].text.isalpha() \
                    and not (len(parts[-1]) > 1 and parts[-1].isupper()):
                parts += ["-", toks[j + 1].text]
                j += 2
            word = "".join(parts)
            kind = self._kind(word, parts, toks, i, j, ents)
            name_pos = kind != "other" and any(
                toks[k].pos_ == "PROPN" or ents.label.get(k) in _NAME_LABELS
                for k in range(i, j) if toks[k].text not in _JOINERS)
            if not name_pos and known and kind == "cap" and toks[i].pos_ not in _NOT_NAME_POS:
                name_pos = all(p in known for p in name_parts(word))
            out.append(_W(i, j, word, kind, name_pos))
            i = j
        return out

    def _kind(self, word: str, parts: list[str], toks: Sequence[Any], i: int, j: int,
              ents: _Ents) -> str:
        if not word or (not word[0].isupper() and len(parts) == 1 and not is_particle(word)):
            return "other"  # the common case, decided before the letter-by-letter test
        if not _NAME_WORD_RE.fullmatch(word):
            return "other"
        letters = initials(word)
        if letters is not None:
            if "." not in word and toks[i].pos_ != "PROPN":
                return "other"  # "A", "I"
            # "GS Malik", "N. Chandrasekaran", but not "US", "U.S." or "UN": initials only
            # before the rest of a name, and not an entity of their own
            span = ents.span.get(i)
            if span is not None and ents.label.get(i) != "PERSON" and span[1] <= j:
                return "other"
            if j >= len(toks) or not toks[j].text[:1].isupper():
                return "other"
            return "init"
        if is_particle(word) and len(parts) == 1:
            return "part"
        first = parts[0]
        if first[:1].isupper() or (len(parts) > 1 and fold(first) in HYPHEN_PARTICLES
                                   and parts[2][:1].isupper()):
            return "cap"
        return "other"

    def _runs(self, doc: Any, words: list[_W], ents: _Ents) -> list[_Run]:
        """Name runs of a paragraph with the evidence around them."""
        toks = doc_tokens(doc)
        runs: list[_Run] = []
        k, n = 0, len(words)
        while k < n:
            if words[k].kind == "other" or not words[k].name_pos and words[k].kind == "cap":
                k += 1
                continue
            lead: list[_W] = []
            while k < n and words[k].kind in ("cap", "init") and (
                    self._honorific(words[k].text) or self.titles.is_head_word(words[k].text)
                    or self._name_title(words, k)):
                lead.append(words[k])
                k += 1
            run: list[_W] = []
            while k < n:
                w = words[k]
                if w.kind == "cap" and w.name_pos and not self._honorific(w.text):
                    run.append(w)
                elif w.kind == "init":
                    run.append(w)
                elif w.kind == "part" and self._particle_continues(words, k):
                    run.append(w)
                else:
                    break
                k += 1
            if not run:
                if not lead:
                    k += 1
                continue
            while run and (is_suffix(run[-1].text) or run[-1].kind != "cap"):
                run.pop()  # "Jr.", a trailing initial
            # "Kyiv Mayor Vitali Klitschko": the name starts after the last title word
            cut = max((m for m, w in enumerate(run[:-1]) if self.titles.is_head_word(w.text)),
                      default=-1)
            if cut >= 0:
                lead += run[:cut + 1]
                run = run[cut + 1:]
            if not run or run[-1].kind != "cap":
                continue
            complement = self._complement(toks, run, lead, ents)
            if complement:
                lead += run[:complement]
                run = run[complement:]
            r = self._evidence(toks, run, lead, ents)
            r.title = r.title or complement > 0
            runs.append(r)
        return runs

    def _complement(self, toks: Sequence[Any], run: list[_W], lead: list[_W], ents: _Ents) -> int:
        """"Minister for Civil Protection Rosaria Benvenuti", "Minister of State for Health
        Claire Oyelaran-Dubois": the run begins with the office's complement; how many of its
        words do (0 if it does not)."""
        if len(run) < 3 or lead:
            return 0
        b = run[0].start - 1
        if b < 1 or toks[b].lower_ not in ("for", "of", "to") or \
                not self.titles.is_head_word(toks[b - 1].text):
            return 0
        last = run[-1].end
        first = run[0].start
        if first in ents.span and ents.label[first] != "PERSON" and ents.span[first][1] >= last:
            return 0  # "head of Civil Protection Department": all one organisation
        for m in range(1, len(run) - 1):
            i = run[m].start
            if i in ents.span and ents.span[i][0] == i and ents.span[i][1] >= last:
                return m  # an entity that begins there and runs to the end: the name
        m = len(run) - 2
        while m > 1 and run[m - 1].kind == "part":
            m -= 1
        return m

    @staticmethod
    def _particle_continues(words: list[_W], k: int) -> bool:
        """A particle is part of a name only before the rest of it: "de [la] Croix"."""
        m = k + 1
        while m < len(words) and words[m].kind == "part":
            m += 1
        return m < len(words) and words[m].kind == "cap" and m - k <= 3

    def _evidence(self, toks: Sequence[Any], run: list[_W], lead: list[_W], ents: _Ents) -> _Run:
        r = _Run(run, lead)
        s, e = run[0].start, run[-1].end
        r.person_ent = any(ents.label.get(i) == "PERSON" for i in range(s, e))
        r.labels = frozenset(ents.label[i] for i in range(s, e)
                             if i in ents.label and ents.label[i] != "PERSON")
        before = lead[-1].end if lead else s
        # "General Motors": a title word and the name in one organisation's entity
        shared = any(ents.label.get(w.start) not in (None, "PERSON")
                     and ents.span[w.start][1] > s for w in lead)
        if (lead and any(self._honorific(w.text) for w in lead)) or (
                before > 0 and self._honorific(toks[before - 1].text)):
            r.hon = True
        elif not shared and any(fold(w.text).rstrip(".") in self.name_titles
                                or fold(w.text).rstrip(".") in _NP_TITLES for w in lead):
            r.hon = True
        r.title = not shared and self._title_before(toks, s, lead, ents)
        after = toks[e] if e < len(toks) else None
        if after is not None and after.lower_ in self.speech_forms and \
                after.pos_ in ("VERB", "AUX"):
            r.speech = True
        start = lead[0].start if lead else s
        if start > 0 and toks[start - 1].lower_ in self.speech_forms and \
                toks[start - 1].pos_ in ("VERB", "AUX"):
            r.speech = True
        if start > 0 and toks[start - 1].lower_ in ("the", "a", "an"):
            r.speech = False  # "the White House said"
        if after is not None and after.text[:1].islower() and after.pos_ == "NOUN" and \
                self.titles.is_head_word(after.text):
            r.scope = True  # "Kelvin Rovers manager Graham McAllister"
        if after is not None and after.text == "," and e + 1 < len(toks):
            nxt = toks[e + 1]
            if nxt.text.isdigit():
                r.age = True  # "Whitcombe, 49, has been"
            elif self._appositive_title(toks, e + 1):
                r.title = True  # "Jakob Lindqvist, the former chief executive, ..."
        return r

    def _appositive_title(self, toks: Sequence[Any], i: int) -> bool:
        if i < len(toks) and toks[i].lower_ in ("the", "a", "an"):
            i += 1
        words: list[str] = []
        while i < len(toks) and len(words) < 6 and (
                toks[i].pos_ in ("NOUN", "ADJ", "PROPN") or toks[i].lower_ in ("of", "'s", "’s")):
            words.append(toks[i].text)
            i += 1
        return bool(words) and any(self.titles.is_head_word(w) for w in words if w.islower()) \
            and self.titles.parse(words) is not None

    def _title_before(self, toks: Sequence[Any], s: int, lead: list[_W], ents: _Ents) -> bool:
        """A title phrase right before the name: "Prime Minister", "Tata Sons chairman"."""
        words = [w.text for w in lead if not self._honorific(w.text)]
        i = (lead[0].start if lead else s) - 1
        while i >= 0 and len(words) < 6:
            t = toks[i]
            if t.pos_ in ("PROPN", "NOUN", "ADJ") and not self._honorific(t.text) or \
                    t.lower_ in ("of", "'s", "’s"):
                words.insert(0, t.text)
                i -= 1
                continue
            break
        if not words:
            return False
        head_i = lead[-1].start if lead and not self._honorific(lead[-1].text) else s - 1
        if head_i < 0 or not self.titles.is_head_word(toks[head_i].text):
            return False
        # "General Motors": the "title" and the name are one organisation
        span = ents.span.get(head_i)
        if span is not None and ents.label.get(head_i) != "PERSON" and span[1] > s:
            return False
        return self.titles.parse(words) is not None

    # -- building ----------------------------------------------------------------------
    def collect(self, docs: Iterable[Any]) -> NameEvidence:
        """The name evidence of parsed paragraphs (spaCy Docs, or anything with the token
        and entity attributes listed above): what :meth:`build_from` reads of a document.
        A pure function of the paragraphs and the rules, so it is computed once per
        document and kept (an incremental index re-reads it, never re-parses)."""
        ev = NameEvidence()
        for doc in docs:
            for tok in doc:
                if tok.text[:1].islower() and tok.text.isalpha():
                    ev.lower.add(tok.text)
                elif tok.text[:1].isupper():
                    ev.caps[tok.text] += 1
                    if tok.i > 0 and doc[tok.i - 1].lower_ in _PLACE_PREPS:
                        ev.place_ctx[tok.text] += 1
            for ent in doc.ents:
                key = ent.text.replace("’s", "").replace("'s", "").strip()
                ev.votes[(key, ent.label_)] += 1
            ents = _Ents(doc)
            headline = _title_case(list(doc))
            for run in self._runs(doc, self._words(doc, ents), ents):
                if headline:
                    # "Zelensky Meets Trump in Alaska" (tagged PERSON) is evidence of nothing
                    run.person_ent = run.hon = run.title = run.speech = run.age = False
                flags = frozenset(k for k, v in (
                    ("ent", run.person_ent), ("hon", run.hon), ("title", run.title),
                    ("speech", run.speech), ("age", run.age), ("scope", run.scope)) if v)
                ev.runs.append((tuple(run.texts), flags, run.labels,
                                tuple(ents.label.get(w.start) == "PERSON" for w in run.words)))
        return ev

    def build(self, docs: Iterable[Any]) -> None:
        """Collect persons from parsed corpus paragraphs (spaCy Docs)."""
        self.build_from([self.collect(docs)])

    def build_from(self, evidence: Iterable[NameEvidence]) -> None:
        """The registry of a corpus from its documents' name evidence, in corpus order (the
        order decides ties, so person ids are canonical when it is)."""
        total = NameEvidence.total(evidence)
        self._lower_seen = total.lower
        for (key, label), n in total.votes.items():
            self.label_votes[key][label] += n
        obs: list[_Obs] = []
        for texts, flags, labels, in_person in total.runs:
            # "(Minister of State for) Health Claire Oyelaran-Dubois": a common word outside
            # the person's entity is no given name
            k = 0
            while len(texts) - k > 2 and texts[k].lower() in self._lower_seen \
                    and not in_person[k]:
                k += 1
            obs.append(_Obs(tuple(texts[k:]), flags, labels))
        seen_words, place_context = total.caps, total.place_ctx
        self.known_words = {norm_word(w) for w in seen_words}
        # a word seen after "in"/"to"/"from" often enough is a place, whatever NER says
        self.place_words = {w for w, n in place_context.items() if n >= max(1, seen_words[w] / 4)}
        self._resolve_corpus(obs, place_context)

    def _worthy(self, o: _Obs) -> bool:
        """Does the corpus name a person here?"""
        if not o.evidence:
            return False
        text = " ".join(o.words)
        votes = self.label_votes.get(text, Counter())
        person = votes.get("PERSON", 0)
        other = max((v for k, v in votes.items() if k != "PERSON"), default=0)
        placed = max((v for k, v in votes.items() if k in _PLACE_LABELS), default=0)
        if o.evidence & {"hon", "title"}:
            # "Minister for Civil Protection Rosaria Benvenuti" (tagged GPE) is a person
            return text not in self.place_words
        if "scope" in o.evidence and not o.evidence & {"speech", "age"}:
            return False  # "Kelvin Rovers manager ..."
        if "ent" in o.evidence:
            return len(o.words) == 1 or person >= other
        # followed by a speech verb only: a full name shaped like one, not an organisation
        if len(o.words) < 2 or placed > person or any(self.is_place_like(w) for w in o.words) \
                or o.words[-1].lower() in self._lower_seen:  # "Tata Sons", "BBC News"
            return False
        shaped = any(w[:1].islower() or initials(w) is not None or "-" in w
                     for w in o.words[:-1])
        return shaped or other <= person

    @staticmethod
    def _split(words: Sequence[str]) -> tuple[list[str], list[str]]:
        """Given names and surname of a full name: the surname is the last word with the
        particles before it ("Marine | Le Pen", "Ursula | von der Leyen")."""
        j = len(words) - 1
        while j > 0 and is_particle(words[j - 1]) and initials(words[j - 1]) is None:
            j -= 1
        return list(words[:j]), list(words[j:])

    def _resolve_corpus(self, obs: list[_Obs], place_context: Counter[str]) -> None:
        worthy = [o for o in obs if self._worthy(o)]
        standalone = Counter(name_key(o.words) for o in obs)
        # compound surnames: a tail of a long name that the corpus also writes on its own
        compound: set[tuple[str, ...]] = set()
        parsed: list[tuple[list[str], list[str], _Obs]] = []
        for o in worthy:
            given, surname = self._split(o.words)
            for t in range(1, len(given)):
                tail = list(o.words[t:])
                if standalone.get(name_key(tail)):
                    given, surname = list(o.words[:t]), tail
                    compound.add(name_key(tail))
                    break
            parsed.append((given, surname, o))
        fulls: list[tuple[list[str], list[str], _Obs]] = []
        bares: list[tuple[list[str], _Obs]] = []
        for given, surname, o in parsed:
            if not given or name_key(o.words) in compound:
                bares.append((list(o.words), o))
                continue
            if self.is_place_like(given[0]) and not self._person_text(o.words):
                if len(given) == 1:
                    bares.append((surname, o))  # "Kyiv Klitschko": a place, then a name
                    continue
                given = given[1:]
            if self.is_place_like(" ".join(surname)) and not (o.evidence & {"hon", "title"}) \
                    and not self._person_text(o.words):
                continue
            fulls.append((given, surname, o))
        persons: list[Person] = []
        index = _Surnames(self.threshold)
        # full given names first, so that "N." joins "Natarajan" whatever the corpus order
        fulls.sort(key=lambda f: all(initials(g) is not None for g in f[0]))
        evidence: dict[int, set[str]] = defaultdict(set)
        for given, surname, o in fulls:
            p = self._add_full(persons, index, given, surname)
            evidence[id(p)] |= o.evidence
        for words, o in bares:
            found = index.find(words)
            if len(found) == 1:
                evidence[id(found[0])] |= o.evidence | {"bare"}
        # "Kelvin Rovers manager": tagged PERSON, but a scope of titles and never speaking nor
        # titled; or with a surname that is a common word of the corpus ("Inverness North")
        scoped = {name_key(o.words) for o in obs if "scope" in o.evidence}
        persons = [p for p in persons if evidence[id(p)] - {"ent", "scope", "bare"} or not (
            any(name_key(f.split()) in scoped for f in p.fulls)
            or any(w.lower() in self._lower_seen for f in p.surnames for w in f.split()[-1:]))]
        # "Europa League", "Wembley Stadium", "Microsoft Friday": tagged PERSON, never a name
        persons = [p for p in persons if not any(self._holds_not_name(f.split())
                                                 for f in p.fulls)]
        persons = _merge_spelled_alike(persons)
        self._reindex(persons)
        self._add_bares(persons, bares)
        self._add_loose(persons, [o for o in obs if not self._worthy(o)])
        self._assign_ids(persons)
        self._placey_surnames(obs, place_context)

    def _holds_not_name(self, words: Sequence[str]) -> bool:
        """Does a written name hold a word no name holds (speech.not_name_words: a body, a
        venue or a day)?"""
        return any(fold(w) in self.not_name_words for w in words)

    def _add_loose(self, persons: list[Person], loose: list[_Obs]) -> None:
        """Full names without evidence of their own ("founded by Ana Sofía Peña", no entity)
        of a person the corpus knows: counted, so the display is the name most written."""
        index = _Surnames(self.threshold)
        for p in persons:
            for f in p.surnames:
                index.add(p, f)
        for o in loose:
            given, surname = self._split(o.words)
            if not given or any(self.is_place_like(w) for w in o.words) \
                    or self._holds_not_name(o.words):
                continue
            gp = given_parts(given)
            found = [p for p in index.find(surname)
                     if all(given_compatible(gp, given_parts(f.split())) for f in p.firsts)]
            if len(found) != 1:
                continue
            p = found[0]
            form, gform = " ".join(surname), " ".join(given)
            p.surnames[form] += 1
            p.firsts[gform] += 1
            p.fulls[f"{gform} {form}"] += 1
            if p.first is None:
                p.first = gform
        self._reindex(persons)

    def _temp_id(self) -> str:
        self._seq += 1
        return f"~{self._seq}"

    def _person_text(self, words: Sequence[str]) -> bool:
        votes = self.label_votes.get(" ".join(words))
        return bool(votes) and votes.get("PERSON", 0) > 0 and \
            votes.get("PERSON", 0) >= max(votes.values())

    def _add_full(self, persons: list[Person], index: _Surnames, given: list[str],
                  surname: list[str]) -> Person:
        gp = given_parts(given)
        form, gform = " ".join(surname), " ".join(given)
        best = None
        for p in index.find(surname):
            if all(given_compatible(gp, given_parts(f.split())) for f in p.firsts):
                if best is None or sum(p.fulls.values()) > sum(best.fulls.values()):
                    best = p
        if best is None:
            best = Person(self._temp_id(), gform)
            persons.append(best)
        index.add(best, form)
        best.surnames[form] += 1
        best.firsts[gform] += 1
        best.fulls[f"{gform} {form}"] += 1
        return best

    def _add_bares(self, persons: list[Person], bares: list[tuple[list[str], _Obs]]) -> None:
        counts: Counter[str] = Counter()
        evidence: dict[str, set[str]] = defaultdict(set)
        for words, o in bares:
            form = " ".join(words)
            counts[form] += 1
            evidence[form] |= o.evidence
        by_id = {p.id: p for p in persons}
        by_given: dict[str, list[Person]] = defaultdict(list)
        for p in persons:
            for f in p.firsts:
                if initials(f) is None:
                    for part in name_key(f.split()):
                        if p not in by_given[part]:
                            by_given[part].append(p)
        for form, n in counts.most_common():
            words = form.split()
            if self._holds_not_name(words):
                continue  # "Friday" of "Microsoft Friday completed": a day, nobody's name
            ids = self._surname_ids(name_key(words), words)
            if len(ids) == 1:
                by_id[ids[0]].surnames[form] += n
                by_id[ids[0]].bare[form] += n
                continue
            if ids:
                for pid in ids:  # shared by several people: known, but no one's in particular
                    by_id[pid].surnames[form] += 0
                continue
            if len(words) == 1 and "-" in form and any(
                    self._surname_ids((part,), [part]) for part in name_key(words)):
                continue  # "a Putin-Zelensky summit": two people
            alias = self._given_alias(by_given, words, evidence[form])
            if alias is not None:
                alias.surnames[form] += n
                alias.bare[form] += n
                self._index_person(alias.id, alias)
                continue
            votes = self.label_votes.get(form, Counter())
            person_votes = votes.get("PERSON", 0)
            other = max((v for k, v in votes.items() if k != "PERSON"), default=0)
            certain = bool(evidence[form] & {"hon", "title"})
            # votes alone ("Legionnaires' disease" tagged PERSON twice) are not enough: the
            # name must also speak or be given a title somewhere
            if (certain and not self.is_place_like(words[-1])) or (
                    person_votes > other and person_votes >= 2 and "speech" in evidence[form]
                    and not any(w in self.place_words for w in words)):
                p = Person(self._temp_id(), None)
                p.surnames[form] += n
                p.bare[form] += n
                persons.append(p)
                by_id[p.id] = p
                self.persons[p.id] = p
                self._index_person(p.id, p)

    def _given_alias(self, by_given: dict[str, list[Person]], words: list[str],
                     evidence: set[str]) -> Person | None:
        """"Xi" of "Xi Jinping", "Lula" of "Luiz Inácio Lula da Silva": a bare word that is
        a given name of exactly one person (and nobody's surname) names that person."""
        if len(words) != 1 or not (evidence & {"ent", "hon", "title"}) or \
                initials(words[0]) is not None or self.is_place_like(words[0]):
            return None
        key = name_key(words)
        found = by_given.get(key[0], []) if len(key) == 1 else []
        return found[0] if len(found) == 1 else None

    def _assign_ids(self, persons: list[Person]) -> None:
        self.persons = {}
        for p in persons:
            pid = p.name
            n = 2
            while pid in self.persons:
                pid = f"{p.name} #{n}"
                n += 1
            p.id = pid
            self.persons[pid] = p
        self._index()

    def _placey_surnames(self, obs: list[_Obs], place_context: Counter[str]) -> None:
        """Surnames that the corpus uses more often as places than as this person's name."""
        person_ev: Counter[str] = Counter()
        for o in obs:
            if len(o.words) == 1 and o.evidence & {"ent", "hon", "title"}:
                person_ev[fold(o.words[0])] += 1
        for p in self.persons.values():
            for form, n in p.surnames.items():
                person_ev[fold(form)] += n
        self.placey = set()
        for p in self.persons.values():
            for form in p.surnames:
                if " " in form:
                    continue
                votes = self.label_votes.get(form, Counter())
                place = max(sum(votes.get(k, 0) for k in _PLACE_LABELS), place_context[form])
                if place > person_ev[fold(form)]:
                    self.placey.add(fold(form))

    # -- index -------------------------------------------------------------------------
    def _reindex(self, persons: list[Person]) -> None:
        self.persons = {p.id: p for p in persons}
        self._index()

    def _index(self) -> None:
        self._display = None
        self._by_surname = defaultdict(list)
        self._by_prefix = defaultdict(list)
        self._given = {}
        self._name_parts = set()
        for pid, p in self.persons.items():
            self._index_person(pid, p)

    def _index_person(self, pid: str, p: Person) -> None:
        keys: list[tuple[str, ...]] = []
        for s in p.surnames:
            words = s.split()
            keys.append(name_key(words))
            # "Kyobe Bosa" is also "Bosa"; but "Le Pen" is not "Pen"
            if len(words) > 1 and not any(is_particle(w) for w in words[:-1]):
                keys.append(name_key(words[-1:]))
        for key in dict.fromkeys(keys):
            if pid not in self._by_surname[key]:
                self._by_surname[key].append(pid)
            if len(key) == 1 and key not in self._by_prefix[key[0][:3]]:
                self._by_prefix[key[0][:3]].append(key)
            self._name_parts.update(key)
        self._given[pid] = [given_parts(f.split()) for f in p.firsts]
        for f in p.firsts:
            self._name_parts.update(name_key(f.split()))
        self._fuzzy_cache = {}

    def _surname_ids(self, key: tuple[str, ...], words: Sequence[str]) -> list[str]:
        ids = self._by_surname.get(key)
        if ids:
            return list(ids)
        if len(key) != 1 or len(key[0]) < 5 or not _is_name_word(words[-1]):
            return []
        word = key[0]
        if word not in self._fuzzy_cache:
            self._fuzzy_cache[word] = self.fuzzy_ids(word)
        return list(self._fuzzy_cache[word])

    def fuzzy_ids(self, word: str) -> list[str]:
        """The persons with a one-word surname spelled like ``word`` (not cached)."""
        found: list[str] = []
        keys = self._by_prefix.get(word[:3], ())
        for i in similar_names(word, [k[0] for k in keys], self.threshold):
            found.extend(p for p in self._by_surname.get(keys[i], ()) if p not in found)
        return found

    # -- lookup ------------------------------------------------------------------------
    def lookup_surname(self, word: str) -> str | None:
        """The person a written surname names (the most mentioned of those sharing it)."""
        words = word.split()
        ids = self._surname_ids(name_key(words), words)
        if not ids:
            return None
        return max(ids, key=lambda pid: sum(self.persons[pid].surnames.values()))

    def candidates(self, surname: str) -> list[str]:
        """Every person a written surname may name ("Parker": Sam Parker and Jo Parker)."""
        words = surname.split()
        return self._surname_ids(name_key(words), words)

    def name(self, pid: str | None) -> str:
        if pid is None:
            return "unknown"
        if pid.startswith("org:"):
            return pid[4:]
        p = self.persons.get(pid)
        return p.name if p else pid

    def surname(self, pid: str) -> str:
        p = self.persons.get(pid)
        if p:
            return p.surname
        return " ".join(self._split(pid.split())[1]) if pid.split() else pid

    def name_as_spoken(self, pid: str, spoken: str) -> str:
        """How to write person ``pid`` in place of ``spoken``: the surname alone where
        ``spoken`` is a bare surname ("Le Pen", "de la Croix", "Kyobe Bosa"), else the full
        name. (A space in ``spoken`` does not make it a full name.)"""
        words = spoken.split()
        if not words:
            return self.name(pid)
        given, _surname = self._split(words)
        bare = not given or bool(self._surname_ids(name_key(words), words)) or \
            name_key(words) == name_key(self.surname(pid).split())
        return self.surname(pid) if bare else self.name(pid)

    def display_names(self) -> Mapping[str, str]:
        """Each person's display name, worked out when first asked for (a registry of
        thousands of people is asked for a few per check)."""
        if self._display is None:
            self._display = DisplayNames(self.persons)
        return self._display

    def is_place_like(self, text: str) -> bool:
        if text in self.place_words:
            return True
        votes = self.label_votes.get(text)
        if not votes:
            return False
        top = votes.most_common(1)[0][0]
        return top in ("GPE", "LOC", "FAC", "NORP")

    # -- mentions ----------------------------------------------------------------------
    def mentions(self, doc: Any, allow_new: bool = False,
                 recent: Sequence[str] = ()) -> list[Mention]:
        """Person mentions in a parsed paragraph, in order, non-overlapping.

        A bare surname that several people share resolves to the one named in full in the
        same paragraph, else to the latest of ``recent`` (the people in focus) that has it,
        else it is no mention. With ``allow_new`` (drafts), a name the corpus lacks is a new
        person when it reads as one (a PERSON entity, an honorific or a title before it)."""
        ents = _Ents(doc)
        words = self._words(doc, ents, self._name_parts)
        toks = doc_tokens(doc)
        found: list[tuple[int, int, list[str], str, _Run]] = []  # start, end, ids, kind, run
        headline = _title_case(toks)
        for run in self._runs(doc, words, ents):
            self._match_run(toks, run, ents, found, allow_new, headline)
        out: list[Mention] = []
        resolved: list[tuple[int, str]] = [(s, ids[0]) for s, _e, ids, kind, _r in found
                                           if kind in ("full", "new") and len(ids) == 1]
        for s, e, ids, kind, run in found:
            pid = ids[0] if len(ids) == 1 else self._focus(ids, s, resolved, recent)
            if pid is None:
                continue
            if kind == "bare" and (fold(self.surname(pid)) in self.placey
                                   or self._placey_form(toks[s:e])):
                # a surname the corpus mostly uses as a place: a person only when said here
                local = ents.label.get(s) == "PERSON" or run.hon or run.title or any(
                    r == pid for _s, r in resolved) or pid in recent
                if not local:
                    continue
            out.append(self._mention(doc, s, e, pid))
        return out

    def _placey_form(self, toks: Sequence[Any]) -> bool:
        return len(toks) == 1 and fold(toks[0].text) in self.placey

    @staticmethod
    def _focus(ids: list[str], start: int, resolved: list[tuple[int, str]],
               recent: Sequence[str]) -> str | None:
        before = [pid for s, pid in resolved if s < start and pid in ids]
        if before:
            return before[-1]
        after = [pid for s, pid in resolved if s > start and pid in ids]
        if after:
            return after[0]
        for pid in reversed(recent):
            if pid in ids:
                return pid
        return None

    def _match_run(self, toks: Sequence[Any], run: _Run, ents: _Ents,
                   found: list[tuple[int, int, list[str], str, _Run]], allow_new: bool,
                   headline: bool = False) -> None:
        words = run.words
        if headline:
            # "Zelensky Meets Trump in Alaska": capitalised words are no given names, and a
            # headline names no one new
            allow_new = False
        matched_any = self._scan(words, toks, run, ents, found, allow_new, headline)
        if matched_any or not allow_new:
            if not matched_any and any("-" in w.text for w in words):
                self._match_parts(toks, run, ents, found)
            return
        if any("-" in w.text for w in words):
            before = len(found)
            self._match_parts(toks, run, ents, found)
            if len(found) > before:
                return
        if (run.person_ent or run.hon or run.title) and not run.scope \
                and not self.is_place_like(words[-1].text) and not self._org_text(run.texts):
            found.append((words[0].start, words[-1].end, [self._new_id(words)], "new", run))

    def _scan(self, words: list[_W], toks: Sequence[Any], run: _Run, ents: _Ents,
              found: list[tuple[int, int, list[str], str, _Run]], allow_new: bool,
              headline: bool) -> bool:
        """Known names in a run of words, left to right, longest first; True if any."""
        matched = False
        s = 0
        while s < len(words):
            hit = None
            e = s
            for e in range(len(words), s, -1):
                hit = self._resolve(words[s:e], toks, ents, headline)
                if hit is not None:
                    break
            if hit is None:
                s += 1
                continue
            kind, ids, off = hit
            if off:
                # the words before the name may name someone else: "Zelensky Meets Trump"
                matched |= self._scan(words[s:s + off], toks, run, ents, found, False, headline)
            span = words[s + off:e]
            s = e
            if kind == "conflict":
                # another person of a known surname ("Sam Parker" when the corpus has Jo)
                if allow_new:
                    found.append((span[0].start, span[-1].end, [self._new_id(span)], "new", run))
                matched = True
                continue
            if kind == "bare" and not self._bare_ok(span, toks, ents):
                continue
            found.append((span[0].start, span[-1].end, ids, kind, run))
            matched = True
        return matched

    def _match_parts(self, toks: Sequence[Any], run: _Run, ents: _Ents,
                     found: list[tuple[int, int, list[str], str, _Run]]) -> None:
        """"the Putin-Trump summit": the parts of a hyphenated word that matched nothing."""
        for w in run.words:
            if "-" not in w.text:
                continue
            for i in range(w.start, w.end):
                t = toks[i]
                if t.text in _JOINERS:
                    continue
                part = _W(i, i + 1, t.text, "cap", True)
                hit = self._resolve([part], toks, ents)
                if hit is not None and hit[0] == "bare" and self._bare_ok([part], toks, ents):
                    found.append((i, i + 1, hit[1], "bare", run))

    def _resolve(self, span: list[_W], toks: Sequence[Any], ents: _Ents,
                 headline: bool = False) -> tuple[str, list[str], int] | None:
        """What a span of a name run names, and from which of its words: ("full", ids, start)
        for given names and surname, ("bare", ids, start) for a surname alone, ("conflict",
        ids, 0) for a known surname after given names that are not this person's."""
        if span[-1].kind != "cap":
            return None
        for j in range(len(span)):
            if span[j].kind == "init":
                continue
            texts = [w.text for w in span[j:]]
            ids = self._surname_ids(name_key(texts), texts)
            if not ids:
                continue
            given = span[:j]
            if not given:
                return "bare", ids, 0
            for g0 in range(j):
                # "Health Claire Oyelaran-Dubois": the given names may start later
                gp = given_parts([w.text for w in given[g0:]])
                compat = [pid for pid in ids if self._given_ok(pid, gp)]
                if compat:
                    return "full", compat, g0
            if headline or all(self._not_given(w, toks, ents) for w in given):
                return "bare", ids, j
            return "conflict", ids, 0
        return None

    def _given_ok(self, pid: str, gp: tuple[GivenPart, ...]) -> bool:
        forms = self._given.get(pid, [])
        return all(given_compatible(gp, f) for f in forms)

    def _not_given(self, w: _W, toks: Sequence[Any], ents: _Ents) -> bool:
        """A capitalised word before a surname that is no given name ("Ukraine", "Monday")."""
        if w.kind == "init":
            return self.is_place_like(w.text)  # "the U.S. Trump" (one entity)
        if self.is_place_like(w.text) or w.text in self.place_words:
            return True
        label = ents.label.get(w.start)
        if label is not None and label not in ("PERSON",) and ents.span[w.start][1] <= w.end:
            return True
        if self._surname_ids(name_key([w.text]), [w.text]):
            return True  # "Putin Zelensky": two surnames
        return toks[w.start].pos_ != "PROPN"

    def _bare_ok(self, span: list[_W], toks: Sequence[Any], ents: _Ents) -> bool:
        s, e = span[0].start, span[-1].end
        text = " ".join(w.text for w in span)
        if len(span) == 1 and text.isupper() and len(text) > 1:
            ids = self._surname_ids(name_key([text]), [text])
            if not any(self.persons[p].surname.isupper() for p in ids):
                return False  # "UN" is not Mr Un
        # inside an organisation's or a place's name: "Tata Sons", "Ford Motor", "May 5",
        # "Bank of Jordan" (but not "Whitcombe told MPs", a mis-tagged WORK_OF_ART)
        label = ents.label.get(s)
        if label is None or label == "PERSON":
            return True
        a, b = ents.span[s]
        # (a place before the name does not make it an organisation's: "the U.S. Trump")
        near = ([toks[e]] if e < b else []) + (
            [toks[s - 1]] if s - 1 >= a and not self.is_place_like(toks[s - 1].text) else [])
        return not any(
            (t.text[:1].isupper() or t.text[:1].isdigit() or t.lower_ == "of")
            and t.lower_ not in _ENT_FILLER and not self._honorific(t.text)
            and not self.titles.is_head_word(t.text) for t in near)

    def _org_text(self, words: list[str]) -> bool:
        votes = self.label_votes.get(" ".join(words))
        if not votes:
            return False
        other = max((v for k, v in votes.items() if k != "PERSON"), default=0)
        return votes.get("PERSON", 0) < other  # "Tata Sons", mostly tagged ORG

    @staticmethod
    def _new_id(words: list[_W]) -> str:
        return " ".join(w.text for w in words)

    @staticmethod
    def _mention(doc: Any, start: int, end: int, pid: str) -> Mention:
        span = doc[start:end]
        return Mention(start, end, span.start_char, span.end_char, pid, span.text)

    # -- persistence -------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"persons": [p.to_json() for p in self.persons.values()],
                "votes": {k: dict(v) for k, v in self.label_votes.items()},
                "place_words": sorted(self.place_words),
                "known_words": sorted(self.known_words),
                "placey": sorted(self.placey)}

    def load_json(self, data: dict[str, Any]) -> None:
        self.persons = {d["id"]: Person.from_json(d) for d in data["persons"]}
        self.label_votes = defaultdict(Counter, {k: Counter(v) for k, v in data["votes"].items()})
        self.place_words = set(data.get("place_words", []))
        self.known_words = set(data.get("known_words", []))
        self.placey = set(data.get("placey", []))
        self._index()


class DisplayNames(Mapping[str, str]):
    def __init__(self, persons: dict[str, Person]) -> None:
        self._persons = persons
        self._memo: dict[str, str] = {}

    def __getitem__(self, pid: str) -> str:
        name = self._memo.get(pid)
        if name is None:
            name = self._memo[pid] = self._persons[pid].name
        return name

    def __iter__(self) -> Iterator[str]:
        return iter(self._persons)

    def __len__(self) -> int:
        return len(self._persons)


def _merge_spelled_alike(persons: list[Person]) -> list[Person]:
    """One person whose names differ only by hyphens, spaces or accents ("Samuel-Roger Kamba",
    "Samuel Roger Kamba"): split differently into given name and surname, they were kept
    apart; their counts are merged into the most written one."""
    def key(p: Person) -> str:
        return "".join(name_key(p.fulls.most_common(1)[0][0].replace("-", " ").split())) \
            if p.fulls else p.id

    groups: dict[str, list[Person]] = defaultdict(list)
    for p in persons:
        groups[key(p)].append(p)
    out: list[Person] = []
    for p in persons:
        group = groups[key(p)]
        if p is not group[0]:
            continue
        best = max(group, key=lambda q: sum(q.fulls.values()))
        for q in group:
            if q is not best:
                best.surnames.update(q.surnames)
                best.firsts.update(q.firsts)
                best.fulls.update(q.fulls)
                best.bare.update(q.bare)
        out.append(best)
    return out
