"""Titles and offices: parsing a title phrase and deciding whether two titles can agree."""

from __future__ import annotations

from dataclasses import dataclass

from factlint.names import norm_word, stem_match
from factlint.rules import RuleSet


@dataclass(frozen=True)
class Title:
    office: str  # office group id from the rules
    scope: tuple[str, ...]  # country / organisation words
    rank: tuple[str, ...]
    surface: str  # the text as written
    generic: bool

    def to_json(self) -> dict[str, object]:
        return {"office": self.office, "scope": list(self.scope), "rank": list(self.rank),
                "surface": self.surface, "generic": self.generic}

    @staticmethod
    def from_json(d: dict[str, object]) -> Title:
        return Title(str(d["office"]), tuple(d["scope"]), tuple(d["rank"]),  # type: ignore[arg-type]
                     str(d["surface"]), bool(d["generic"]))


class TitleLexicon:
    def __init__(self, rules: RuleSet) -> None:
        sec = rules.section("titles")
        self.phrases: dict[tuple[str, ...], str] = {}
        for office, heads in (sec.get("offices") or {}).items():
            for head in heads or []:
                self.phrases[tuple(str(head).lower().split())] = str(office)
        self.generic_words = {str(w).lower() for w in sec.get("generic") or []}
        self.generic_offices: set[str] = set()
        for word in self.generic_words:
            office = self.phrases.get((word,))
            if office is None:
                self.phrases[(word,)] = f"generic:{word}"
        self.compatible_pairs = {frozenset(map(str, pair)) for pair in sec.get("compatible") or []}
        self.ranks = {str(w).lower() for w in sec.get("ranks") or []}
        # ranks that name a different post (not a moment in time like "former" or "acting")
        self.firm_ranks = {str(w).lower() for w in sec.get("firm_ranks") or []}
        self.ignore = {str(w).lower() for w in sec.get("ignore") or []}
        self.leader_words = {str(w).lower() for w in sec.get("leader_words") or []}
        self.max_len = max((len(p) for p in self.phrases), default=1)
        self.head_words = {p[-1] for p in self.phrases} | {p[0] for p in self.phrases}

    def is_head_word(self, word: str) -> bool:
        w = norm_word(word)
        return w in self.head_words or w.rstrip("s") in self.head_words

    def parse(self, words: list[str]) -> Title | None:
        """Parse a title phrase ("Russia's Deputy Foreign Minister") into a Title."""
        low = [norm_word(w) for w in words]
        best: tuple[int, int, str] | None = None
        for i in range(len(low)):
            for n in range(min(self.max_len, len(low) - i), 0, -1):
                cand = tuple(low[i:i + n])
                office = self.phrases.get(cand)
                if office is None and cand[-1].endswith("s"):
                    office = self.phrases.get(cand[:-1] + (cand[-1][:-1],))
                if office is not None:
                    # prefer the head that ends rightmost, then the longest one
                    if best is None or i + n > best[1] or (i + n == best[1] and i < best[0]):
                        best = (i, i + n, office)
                    break
        if best is None:
            return None
        i, j, office = best
        rank = tuple(w for w in low[:i] if w in self.ranks)
        scope = tuple(
            w for w, orig in zip(low[:i], words[:i], strict=False)
            if w and w not in self.ranks and w not in self.ignore and w not in ("of", "'s")
            and (orig[:1].isupper() or w in ("president", "kremlin"))
            and not self.is_head_word(w)
        )
        # "minister of foreign affairs of Ukraine": words after the head scope it too
        scope += tuple(w for w, orig in zip(low[j:], words[j:], strict=False)
                       if orig[:1].isupper() and w not in ("of", "the"))
        generic = office.startswith("generic:")
        return Title(office, scope, rank, " ".join(words).strip(), generic)

    def offices_compatible(self, a: Title, b: Title) -> bool:
        if a.generic or b.generic or a.office == b.office:
            return True
        return frozenset((a.office, b.office)) in self.compatible_pairs

    @staticmethod
    def scopes_compatible(a: Title, b: Title) -> bool:
        if not a.scope or not b.scope:
            return True
        return any(stem_match(x, y) for x in a.scope for y in b.scope)

    def compatible(self, a: Title, b: Title) -> bool:
        return (self.offices_compatible(a, b) and set(a.rank) == set(b.rank)
                and self.scopes_compatible(a, b))

    def same_office(self, a: Title, b: Title) -> bool:
        """Strictly the same post: same office group, same rank, overlapping scope."""
        return (not a.generic and a.office == b.office and set(a.rank) == set(b.rank)
                and bool(a.scope) and bool(b.scope) and self.scopes_compatible(a, b))

    def names_leader(self, t: Title) -> bool:
        """A title like 'the Ukrainian leader' that can name a head of state/government."""
        words = t.surface.lower().split()
        return bool(t.scope) and any(norm_word(w) in self.leader_words for w in words)
