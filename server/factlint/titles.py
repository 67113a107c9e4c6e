"""Titles and offices: parsing a title phrase and deciding whether two titles can agree.

A title phrase is an open grammar (the words are data, in ``rules/titles.yml``)::

    [scope] [rank] [modifiers] HEAD [post-head rank] [complements]
    "Uganda's"  "deputy" "health"  minister
    "WHO"              "regional" director                          "for Africa"
    "Boeing"                     CEO
                                 chief executive                     "of Air India"
                                 head                                "of the Mweka health zone"

* the **head** is an office phrase (``offices``: synonym groups such as CEO = chief executive
  = chief executive officer) or a role noun (``heads``: analyst, midfielder, referee...),
  with plurals, "-woman"/"-person" forms and hyphen/space variants read alike;
* **modifiers** (``modifiers``) change the office and are part of it: "health minister",
  "regional director", "head coach" (``specs``). Unknown lower-case words are ignored;
* **ranks** (``ranks``; ``firm_ranks`` make a different post: deputy, vice, assistant...);
* **scope**: capitalised words (organisation, country, place) before the head or in an
  "of/at/with/to/for" complement ("chief executive of Air India" is scoped "air india");
* **area**: the place a post is for, from "for X" or "of the X <unit>" ("regional director
  for Africa", "head of the Mweka health zone"): with the same unit noun on both sides, two
  different areas are two different posts.

Comparison (:meth:`TitleLexicon.relation`) says whether two titles of one person *agree*
(can describe the same post: one is a less specific form of the other), *contradict* (the
offices differ in a way that matters), are *unknown* (e.g. different scopes, or a moment in
time like "former"), or are *other* (different sides of a person: a captain is also a
defender, a founder also a chief executive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from factlint.names import norm_word, stem_match
from factlint.rules import RuleSet

AGREE, CONTRADICT, UNKNOWN, OTHER = "agree", "contradict", "unknown", "other"

_PREPS = frozenset({"of", "for", "at", "to", "with"})
_AREA_PREPS = frozenset({"for"})
_SPEC_PREPS = frozenset({"of", "for"})
_ARTICLES = frozenset({"the", "a", "an"})
_AND = frozenset({"and", "&"})
_POSS = "'s"
_HYPHENS = re.compile(r"[-–‐]")


@dataclass(frozen=True)
class Title:
    office: str  # office group id from the rules, or the role noun
    scope: tuple[str, ...]  # country / organisation words
    rank: tuple[str, ...]
    surface: str  # the text as written
    generic: bool
    specs: tuple[str, ...] = ()  # office-changing modifiers ("health", "regional", "head")
    area: tuple[str, ...] = ()  # the place the post is for ("for Africa", "of the X zone")
    unit: str = ""  # the unit noun of an "of the X <unit>" area ("zone")

    def to_json(self) -> dict[str, object]:
        return {"office": self.office, "scope": list(self.scope), "rank": list(self.rank),
                "surface": self.surface, "generic": self.generic, "specs": list(self.specs),
                "area": list(self.area), "unit": self.unit}

    @staticmethod
    def from_json(d: dict[str, object]) -> Title:
        return Title(str(d["office"]), tuple(d["scope"]), tuple(d["rank"]),  # type: ignore[arg-type]
                     str(d["surface"]), bool(d["generic"]),
                     tuple(d.get("specs") or ()), tuple(d.get("area") or ()),  # type: ignore[arg-type]
                     str(d.get("unit") or ""))


@dataclass(frozen=True)
class _Tok:
    norm: str  # lower-cased, no possessive, no trailing dot; "'s" for a possessive mark
    word: int  # index of the word it comes from
    cap: bool  # written with a capital


def _key(phrase: object) -> tuple[str, ...]:
    """Rule phrase -> matching key: lower-cased words, hyphens as spaces."""
    text = str(phrase).replace("’", "'").lower()
    return tuple(w for w in (norm_word(p) for p in re.split(r"[\s\-–‐]+", text)) if w)


def _variants(word: str) -> list[str]:
    """Other forms of a head word to look up: plurals, -woman / -person forms of -man."""
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and len(word) > 2:
        out.append(word[:-1])
    for suffix in ("woman", "women", "person", "persons", "people", "men"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[:-len(suffix)] + "man")
    return out


def join_words(words: list[str]) -> str:
    """Words back into text: no space before a possessive or around a hyphen."""
    out = ""
    for w in words:
        if not out:
            out = w
        elif w in ("'s", "’s", "'", "’") or _HYPHENS.fullmatch(w) or _HYPHENS.fullmatch(out[-1]):
            out += w
        else:
            out += " " + w
    return out.strip()


class TitleLexicon:
    def __init__(self, rules: RuleSet) -> None:
        sec = rules.section("titles")
        self.phrases: dict[tuple[str, ...], str] = {}
        for office, heads in (sec.get("offices") or {}).items():
            for head in heads or []:
                if _key(head):
                    self.phrases[_key(head)] = str(office)
        # role nouns: each its own office, many holders at once
        self.roles: set[str] = set()
        for head in sec.get("heads") or []:
            key = _key(head)
            if key and key not in self.phrases:
                office = "-".join(key)
                self.phrases[key] = office
                self.roles.add(office)
        self.generic_words = {norm_word(str(w)) for w in sec.get("generic") or []}
        self.generic_offices: set[str] = set()
        for word in sec.get("generic") or []:
            key = _key(word)
            if not key:
                continue
            office = self.phrases.get(key)
            if office is None:
                self.phrases[key] = f"generic:{'-'.join(key)}"
            else:
                self.generic_offices.add(office)
        self.vague: set[str] = set()
        for word in sec.get("vague") or []:
            key = _key(word)
            if key and key not in self.phrases:
                self.phrases[key] = "-".join(key)
                self.roles.add("-".join(key))
            if key:
                self.vague.add(self.phrases[key])
        self.modifiers = {_key(w) for w in sec.get("modifiers") or [] if _key(w)}
        self.implies = {str(office): {" ".join(_key(w)) for w in words or [] if _key(w)}
                        for office, words in (sec.get("implies") or {}).items()}
        self.compatible_pairs: set[frozenset[str]] = set()
        for group in sec.get("compatible") or []:
            for a, b in combinations([str(g) for g in group or []], 2):
                self.compatible_pairs.add(frozenset((a, b)))
        self.facet: dict[str, str] = {}
        for facet, offices in (sec.get("facets") or {}).items():
            for office in offices or []:
                self.facet[str(office)] = str(facet)
        self.professions = {str(w) for w in sec.get("professions") or []}
        self.shared = {str(w) for w in sec.get("shared") or []}
        self.area_units = {norm_word(str(w)) for w in sec.get("area_units") or []}
        self.rank_keys = {_key(w) for w in sec.get("ranks") or [] if _key(w)}
        self.ranks = {" ".join(k) for k in self.rank_keys}
        # ranks that name a different post (not a moment in time like "former" or "acting")
        self.firm_ranks = {" ".join(_key(w)) for w in sec.get("firm_ranks") or [] if _key(w)}
        self.ignore = {norm_word(str(w)) for w in sec.get("ignore") or []}
        self.leader_words = {str(w).lower() for w in sec.get("leader_words") or []}
        self.max_len = max((len(p) for p in self.phrases), default=1)
        self.max_mod = max((len(p) for p in self.modifiers | self.rank_keys), default=1)
        self.head_words = {p[-1] for p in self.phrases} | {p[0] for p in self.phrases}
        self._known = (self.head_words | {w for k in self.modifiers | self.rank_keys for w in k}
                       | self.ignore)

    # ------------------------------------------------------------------ words
    def is_head_word(self, word: str) -> bool:
        w = norm_word(word)
        if w in self.head_words or w.rstrip("s") in self.head_words:
            return True
        parts = _key(w) if _HYPHENS.search(w) else ()
        # "Director-General", "Vice-President", "centre-back"
        return len(parts) > 1 and (self._lookup(parts) is not None
                                   or self._lookup(parts[-1:]) is not None)

    def knows(self, word: str) -> bool:
        """A word the title grammar reads (head, modifier, rank or ignorable word)."""
        w = norm_word(word)
        return bool(w) and (w in self._known or any(
            v in self.head_words for v in _variants(w)))

    def _lookup(self, cand: tuple[str, ...]) -> str | None:
        office = self.phrases.get(cand)
        if office is not None:
            return office
        for alt in _variants(cand[-1]):
            office = self.phrases.get(cand[:-1] + (alt,))
            if office is not None:
                return office
        return None

    @staticmethod
    def _tokens(words: list[str]) -> list[_Tok]:
        out: list[_Tok] = []
        for idx, word in enumerate(words):
            raw = word.replace("’", "'").strip()
            if not raw or _HYPHENS.fullmatch(raw) or raw == "—":
                continue
            if raw.lower() in ("'s", "'"):
                out.append(_Tok(_POSS, idx, False))
                continue
            poss = False
            if raw.lower().endswith("'s") and len(raw) > 2:
                raw, poss = raw[:-2], True
            for part in _HYPHENS.split(raw):
                n = norm_word(part)
                if n == "&":
                    n = "and"
                if n:
                    out.append(_Tok(n, idx, part[:1].isupper()))
            if poss:
                out.append(_Tok(_POSS, idx, False))
        return out

    def _longest(self, norms: list[str], k: int, end: int, table: set[tuple[str, ...]]) -> int:
        for n in range(min(self.max_mod, end - k), 0, -1):
            if tuple(norms[k:k + n]) in table:
                return n
        return 0

    # ------------------------------------------------------------------ parsing
    def parse(self, words: list[str]) -> Title | None:
        """Parse a title phrase ("Russia's Deputy Foreign Minister") into a Title."""
        found = self.read(words, "any")
        return found[0][0] if found else None

    def parse_all(self, words: list[str], mode: str = "any") -> list[Title]:
        """Every title of a phrase: "president and chief executive of Boeing" is two."""
        return [t for t, _, _ in self.read(words, mode)]

    def read(self, words: list[str], mode: str = "any") -> list[tuple[Title, int, int]]:
        """The titles of a phrase, each with the span of words it was read from.

        ``mode`` says where the phrase stands: ``"before"`` a name ("the government of
        [Prime Minister] Keir Starmer": the title is the part that ends at the name),
        ``"after"`` it (an appositive: the phrase starts with the title, "the son of
        President X" has none), or ``"any"``."""
        toks = self._tokens(words)
        norms = [t.norm for t in toks]
        n = len(norms)
        matches: list[tuple[int, int, str]] = []
        for i in range(n):
            for m in range(min(self.max_len, n - i), 0, -1):
                office = self._lookup(tuple(norms[i:i + m]))
                if office is not None:
                    matches.append((i, i + m, office))
                    break
        if not matches:
            return []
        inside = {p for i, j, _ in matches for p in range(i + 1, j)}
        free = [p for p in range(n) if norms[p] in _PREPS and p not in inside]
        segs: list[tuple[str | None, int, int]] = []
        start, prep = 0, None
        for p in free:
            segs.append((prep, start, p))
            start, prep = p + 1, norms[p]
        segs.append((prep, start, n))

        def in_seg(s: int, e: int) -> list[tuple[int, int, str]]:
            return [x for x in matches if x[0] >= s and x[1] <= e]

        head_seg: int | None = None
        if mode == "before" and len(segs) > 1 and any(
                j == n for _, j, _ in in_seg(*segs[-1][1:])):
            head_seg = len(segs) - 1  # "government of [Prime Minister]", "adviser to [President]"
        elif mode == "before" and free and free[-1] == n - 1:
            return []  # "head of [Zelensky]'s office": the name is the complement
        elif in_seg(*segs[0][1:]):
            head_seg = 0
        elif mode != "after":
            head_seg = next((k for k, seg in enumerate(segs) if in_seg(*seg[1:])), None)
        if head_seg is None:
            return []
        _, s, e = segs[head_seg]
        comps = segs[head_seg + 1:]
        c_specs, c_scope, c_area, c_unit = self._complements(toks, comps)
        # "president and chief executive": one title per head, sharing the complements
        ands = [p for p in range(s, e) if norms[p] in _AND and p not in inside]
        parts = []
        bounds = [s - 1] + ands + [e]
        for a, b in zip(bounds, bounds[1:], strict=False):
            parts.append((a + 1, b))
        if len(parts) > 1 and not all(in_seg(a, b) for a, b in parts):
            # "Health and Social Care Secretary", "Greater Manchester's police and crime
            # commissioner" are one title; in "Tuesday and Prime Minister" it starts later
            keep = max(k for k, (a, b) in enumerate(parts) if in_seg(a, b))
            while keep > 0 and self._modifies(toks, *parts[keep - 1]):
                keep -= 1
            s = parts[keep][0]
            parts = [(s, e)]
        # the span of words: the head segment and its complements, trimmed
        first = s
        while first < n and (norms[first] in _ARTICLES or norms[first] in _PREPS
                             or norms[first] == _POSS or norms[first] in _AND):
            first += 1
        last = n - 1
        while last > first and (norms[last] in _ARTICLES or norms[last] in _PREPS
                                or norms[last] in _AND):
            last -= 1
        if first > last:
            return []
        wi, wj = toks[first].word, toks[last].word + 1
        surface = join_words(words[wi:wj])
        out: list[tuple[Title, int, int]] = []
        shared_scope: tuple[str, ...] = ()
        for a, b in parts:
            i, j, office = max(in_seg(a, b), key=lambda x: (x[1], -x[0]))
            office, i = self._office_of_generic(in_seg(a, b), office, i)
            rank, specs, scope = self._before_head(toks, a, i)
            for k in range(j, b):
                if norms[k] in self.ranks:
                    rank.append(norms[k])  # "president-elect"
            # "head football coach" is the "head coach" group
            for sp in list(specs):
                alt = self.phrases.get(tuple(sp.split()) + tuple(norms[i:j]))
                if alt is not None:
                    office = alt
                    specs.remove(sp)
            specs += [x for x in c_specs if x not in specs]
            specs += [x for x in sorted(self.implies.get(office, ())) if x not in specs]
            scope += [x for x in c_scope if x not in scope]
            if not scope and shared_scope:
                scope = list(shared_scope)
            shared_scope = shared_scope or tuple(scope)
            generic = (office.startswith("generic:") or office in self.generic_offices
                       or (office in self.vague and not specs))
            title = Title(office, tuple(scope), tuple(rank), surface, generic,
                          tuple(sorted(set(specs))), tuple(c_area), c_unit if c_area else "")
            out.append((title, wi, wj))
        return out

    def _office_of_generic(self, found: list[tuple[int, int, str]], office: str,
                           i: int) -> tuple[str, int]:
        """A generic head right after an office names that office: "VAR officials" are
        video assistant referees, "Referee official" is a referee."""
        if not (office.startswith("generic:") or office in self.generic_offices):
            return office, i
        for pi, pj, prev in found:
            if pj == i and not (prev.startswith("generic:") or prev in self.generic_offices
                                or prev in self.vague):
                return prev, pi
        return office, i

    def _modifies(self, toks: list[_Tok], a: int, b: int) -> bool:
        """Words before an "and" that belong to the title after it: modifiers, lower-case
        words, or a possessive scope."""
        norms = [t.norm for t in toks[a:b]]
        if _POSS in norms:
            return True
        k = a
        while k < b:
            m = self._longest([t.norm for t in toks], k, b, self.modifiers | self.rank_keys)
            if m:
                k += m
                continue
            if toks[k].cap and toks[k].norm not in self.ignore:
                return False
            k += 1
        return True

    def _before_head(self, toks: list[_Tok], a: int, i: int) -> tuple[
            list[str], list[str], list[str]]:
        norms = [t.norm for t in toks]
        rank: list[str] = []
        specs: list[str] = []
        scope: list[str] = []
        k = a
        while k < i:
            w = norms[k]
            if w in _ARTICLES or w == _POSS or w in _AND or w in _PREPS:
                k += 1
                continue
            m = self._longest(norms, k, i, self.rank_keys)
            if m:
                rank.append(" ".join(norms[k:k + m]))
                k += m
                continue
            m = self._longest(norms, k, i, self.modifiers)
            if m:
                specs.append(" ".join(norms[k:k + m]))
                k += m
                continue
            if w not in self.ignore and toks[k].cap and not self.is_head_word(w):
                scope.append(w)
            k += 1
        return rank, specs, scope

    def _complements(self, toks: list[_Tok], comps: list[tuple[str | None, int, int]]
                     ) -> tuple[list[str], list[str], list[str], str]:
        norms = [t.norm for t in toks]
        specs: list[str] = []
        scope: list[str] = []
        area: list[str] = []
        unit = ""
        for prep, s, e in comps:
            proper: list[str] = []
            k = s
            last = ""
            while k < e:
                w = norms[k]
                if w in _ARTICLES or w in _AND or w == _POSS:
                    k += 1
                    continue
                m = self._longest(norms, k, e, self.modifiers)
                if m:
                    if prep in _SPEC_PREPS:
                        specs.append(" ".join(norms[k:k + m]))
                    last = norms[k + m - 1]
                    k += m
                    continue
                if toks[k].cap and w not in self.ignore and not self.is_head_word(w):
                    proper.append(w)
                last = w
                k += 1
            seg_unit = next((u for u in [last, *_variants(last)] if u in self.area_units), "")
            if seg_unit and proper and proper[-1] == last:
                proper.pop()  # "of the Mweka Health Zone"
            if proper and prep == "of" and seg_unit:
                area += proper
                unit = unit or seg_unit
            elif proper and prep in _AREA_PREPS:
                area += proper
            else:
                scope += proper
        return specs, scope, area, unit

    # ------------------------------------------------------------------ comparison
    def _facet(self, office: str) -> str:
        if office in self.professions:
            return "profession:" + office
        return self.facet.get(office, "post")

    @staticmethod
    def _spec_words(t: Title) -> set[str]:
        """The words of a title's modifiers: "public health" holds "health"."""
        return {w for sp in t.specs for w in sp.split()}

    @classmethod
    def _nested(cls, a: Title, b: Title) -> bool:
        sa, sb = cls._spec_words(a), cls._spec_words(b)
        return sa <= sb or sb <= sa

    @classmethod
    def _specs_conflict(cls, a: Title, b: Title) -> bool:
        sa, sb = cls._spec_words(a), cls._spec_words(b)
        return bool(sa) and bool(sb) and not (sa <= sb or sb <= sa)

    @staticmethod
    def _overlap(xs: tuple[str, ...], ys: tuple[str, ...]) -> bool:
        return not xs or not ys or any(stem_match(x, y) for x in xs for y in ys)

    def _scopes_ok(self, a: Title, b: Title) -> bool:
        return self._overlap(a.scope, b.scope) and self._overlap(a.area, b.area)

    def _area_conflict(self, a: Title, b: Title) -> bool:
        """"head of the Mweka health zone" / "head of the Boulapé health zone"."""
        return bool(a.unit) and a.unit == b.unit and not self._overlap(a.area, b.area)

    def _firm(self, t: Title) -> set[str]:
        return {r for r in t.rank if r in self.firm_ranks}

    def relation(self, a: Title, b: Title) -> str:
        """How two titles of one person compare: AGREE, CONTRADICT, UNKNOWN or OTHER."""
        same = a.office == b.office
        if not same and (a.generic or b.generic):
            return AGREE if self._scopes_ok(a, b) else UNKNOWN
        if not same and self._facet(a.office) != self._facet(b.office):
            return OTHER  # a captain and a defender, a founder and a chief executive
        if set(a.rank) - self.firm_ranks != set(b.rank) - self.firm_ranks:
            return UNKNOWN  # "former president" says nothing about the post now
        if same and a.generic:
            if self._area_conflict(a, b):
                return CONTRADICT
            if self._specs_conflict(a, b) or self._firm(a) != self._firm(b) or \
                    not self._scopes_ok(a, b):
                return UNKNOWN
            return AGREE
        if same:
            if self._specs_conflict(a, b):
                return CONTRADICT  # "health minister" / "justice minister"
        elif frozenset((a.office, b.office)) not in self.compatible_pairs or \
                not self._nested(a, b):
            return CONTRADICT
        if self._firm(a) != self._firm(b):
            return CONTRADICT  # "deputy foreign minister" / "foreign minister"
        if self._area_conflict(a, b):
            return CONTRADICT
        if not self._scopes_ok(a, b):
            return UNKNOWN
        return AGREE

    def offices_compatible(self, a: Title, b: Title) -> bool:
        """The offices (ignoring ranks and scopes) can be one post, or are different sides of
        a person."""
        if a.generic or b.generic:
            return True
        if a.office == b.office:
            return not self._specs_conflict(a, b)
        if self._facet(a.office) != self._facet(b.office):
            return True
        return frozenset((a.office, b.office)) in self.compatible_pairs and self._nested(a, b)

    @staticmethod
    def scopes_compatible(a: Title, b: Title) -> bool:
        xs, ys = a.scope + a.area, b.scope + b.area
        if not xs or not ys:
            return True
        return any(stem_match(x, y) for x in xs for y in ys)

    def compatible(self, a: Title, b: Title) -> bool:
        """The two titles can describe the same post."""
        return self.relation(a, b) == AGREE

    def is_post(self, t: Title) -> bool:
        """One holder at a time in a scope: "Boeing CEO", "Uganda's health minister", not "a
        Palace midfielder", "a Ugandan minister" or a deputy."""
        if t.generic or t.office in self.roles or t.office in self.professions:
            return False
        if self._firm(t):
            return False
        return t.office not in self.shared or bool(t.specs)

    def same_office(self, a: Title, b: Title, unscoped: bool = False) -> bool:
        """Strictly the same post: same office, modifiers and rank, overlapping scope. With
        ``unscoped``, a post named by its modifiers ("Minister of State for Health") is the
        same post without a scope on either side."""
        if not (a.office == b.office and self.is_post(a) and set(a.rank) == set(b.rank)
                and set(a.specs) == set(b.specs) and self._scopes_ok(a, b)
                and not self._area_conflict(a, b)):
            return False
        if unscoped:
            return bool(a.specs or a.area) and not (a.scope and b.scope)
        return (bool(a.scope or a.area) and bool(b.scope or b.area)
                and self.scopes_compatible(a, b))

    def names_leader(self, t: Title) -> bool:
        """A title like 'the Ukrainian leader' that can name a head of state/government."""
        words = t.surface.lower().split()
        return bool(t.scope) and any(norm_word(w) in self.leader_words for w in words)
