"""Event frames: the predicate a value (a date, a count, a place) is about.

Any verb or event noun can head a frame; the frame of a value is found through the dependency
parse (the value's governing predicate), not through a closed list of events. The events
vocabulary (``rules/events.yml``) is optional data: it groups synonyms ("swap" = "exchange")
under one name and tunes what a group is checked for. A predicate outside every group is its
own frame, identified by its lemma; derivations of one lemma ("declare", "declaration") are
the same frame (``frames.derivation_suffixes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factlint.rules import EventRule, RuleSet

OPEN = "~"  # prefix of a frame named by its lemma rather than by a vocabulary group
_CONTEXT_PREPS = {"in", "at", "of", "during"}  # "his display in the final", not "as a minister"


@dataclass(frozen=True)
class FrameHead:
    tok: Any  # the predicate token
    lemma: str
    group: str  # a vocabulary event name, or OPEN + lemma stem
    rule: EventRule | None


class FrameLexicon:
    """Compiled once per rule set: lemma -> synonym group, and the words that never head a
    frame of their own."""

    def __init__(self, rules: RuleSet) -> None:
        sec = rules.section("frames")
        self.light = {str(w).lower() for w in sec.get("light_verbs") or []}
        self.not_heads = {str(w).lower() for w in sec.get("not_heads") or []}
        self.suffixes = sorted((str(s) for s in sec.get("derivation_suffixes") or []),
                               key=len, reverse=True)
        self.occurrence_words = {str(w).lower() for w in sec.get("occurrence_words") or []}
        self.events = rules.events
        self.by_lemma: dict[str, str] = {}  # any part of speech (synonym groups)
        # lemma -> the vocabulary events it triggers, in the vocabulary's order
        self.verb_events: dict[str, list[str]] = {}
        self.noun_events: dict[str, list[str]] = {}
        for name, ev in rules.events.items():
            for w in ev.verbs:
                self.verb_events.setdefault(w, []).append(name)
            for w in ev.nouns:
                self.noun_events.setdefault(w, []).append(name)
        for name, words in (sec.get("synonyms") or {}).items():
            for w in words or []:
                self.by_lemma.setdefault(str(w).lower(), OPEN + str(name))

    def base(self, lemma: str) -> str:
        """The lemma without a derivational suffix: 'declaration' -> 'declar'."""
        low = lemma.lower()
        for s in self.suffixes:
            if low.endswith(s) and len(low) - len(s) >= 4:
                low = low[: -len(s)]  # "agreement" -> "agree", then as "agree" is
                break
        return low[:-1] if low.endswith("e") and len(low) > 4 else low

    def group(self, lemma: str, pos: str = "") -> str:
        low = lemma.lower()
        events = (self.verb_events if pos == "VERB" else
                  self.noun_events if pos == "NOUN" else {}).get(low)
        if events:
            return events[0]
        if low in self.by_lemma:
            return self.by_lemma[low]
        return OPEN + self.base(low)

    def open_group(self, lemma: str) -> str:
        """The group of a lemma as an open frame, ignoring the events vocabulary (for a
        vocabulary event that is not tuned for the kind of value at hand)."""
        low = lemma.lower()
        return self.by_lemma.get(low) or OPEN + self.base(low)

    def rule(self, group: str) -> EventRule | None:
        return self.events.get(group)

    @staticmethod
    def lemma(tok: Any) -> str:
        """The lemma with its particle: "took over" is "take over", not "take"."""
        prt = [c.lower_ for c in tok.children if c.dep_ == "prt"] if tok.pos_ == "VERB" else []
        return tok.lemma_.lower() + (" " + prt[0] if prt else "")

    def head(self, tok: Any) -> FrameHead:
        lemma = self.lemma(tok)
        group = self.group(lemma, "VERB" if tok.pos_ in ("VERB", "AUX") else "NOUN")
        return FrameHead(tok, lemma, group, self.rule(group))

    def can_head(self, tok: Any) -> bool:
        if tok.pos_ not in ("VERB", "NOUN"):
            return False
        low = self.lemma(tok)
        if tok.text[:1].isupper() and tok.pos_ == "NOUN":
            return False  # a name the tagger took for a noun ("Trump assumed office")
        return low not in self.not_heads and low not in self.light and tok.is_alpha

    def governor(self, tok: Any, span: tuple[int, int], blocked: Any = None,
                 stops: set[int] | frozenset[int] = frozenset()) -> Any | None:
        """The predicate that governs the value whose tokens are ``span`` (token indices):
        climb the heads from the value until a verb or an event noun. A light verb ("was",
        "had", "brought") hands over to its subject or object when that is an event noun."""
        t = tok
        for _ in range(8):
            h = t.head
            if h.i == t.i:
                return None
            if span[0] <= h.i < span[1] or (blocked is not None and blocked(h)):
                t = h
                continue
            if self.can_head(h) or h.i in stops:
                return h
            if h.pos_ in ("VERB", "AUX") and self.lemma(h) in self.light:
                if h.dep_ in ("acl", "relcl") and self.can_head(h.head):
                    return h.head  # "an exchange involving 500 people"
                for c in h.children:
                    if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and self.can_head(c) \
                            and c.pos_ == "NOUN":
                        return c
            t = h
        return None

    def context(self, head: Any) -> list[str]:
        """The groups of a frame and of the event words around it: "his display in the final"
        is about the display and the final, "the FA Cup final clash" about the clash and the
        final. Two open frames are about the same happening when the predicate of one is among
        the other's words."""
        toks = [head]
        toks += [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "compound", "amod")
                 and c.pos_ in ("NOUN", "ADJ")]
        toks += [g for c in head.children if c.dep_ == "prep" and c.lower_ in _CONTEXT_PREPS
                 for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "ADJ")]
        if head.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass") and head.head.pos_ == "NOUN":
            toks.append(head.head)
        if head.pos_ == "NOUN" and head.dep_ in ("dobj", "nsubjpass") and \
                self.can_head(head.head):
            toks.append(head.head)  # "declared the outbreak on Thursday"
        out = set()
        for t in toks:
            low = t.lemma_.lower()
            if t.is_alpha and low not in self.not_heads and low not in self.light:
                out.add(self.group(low, "VERB" if t.pos_ == "VERB" else "NOUN"))
        return sorted(out)

    def compatible(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        """Two frames are the same predicate: the same group, and for open frames the same
        lemma up to derivation."""
        ca, cb = a.get("frames") or [], b.get("frames") or []
        if a.get("event") in cb or b.get("event") in ca:
            return True  # "completed the purchase" / "announced the completion"
        if a.get("event") != b.get("event"):
            return False
        la, lb = a.get("lemma"), b.get("lemma")
        if not str(a.get("event", "")).startswith(OPEN) or not la or not lb:
            return True
        if la in self.by_lemma or lb in self.by_lemma:
            return True  # one synonym group
        return la == lb or self.base(la) == self.base(lb)


_LEXICONS: dict[str, FrameLexicon] = {}


def frame_lexicon(rules: RuleSet) -> FrameLexicon:
    """The lexicon of a rule set, compiled once per rule set (by its digest)."""
    lex = _LEXICONS.get(rules.digest)
    if lex is None:
        lex = _LEXICONS[rules.digest] = FrameLexicon(rules)
    return lex
