"""Small comparisons shared by the claim kinds: the same time, agreeing counts, the
candidates' ranking and their majority."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from factlint.facts import Fact
from factlint.values import dates_agree, intervals_overlap


def same_quotation(words: list[str], other: str, ratio: float) -> bool:
    """Is a quotation (its words) part of ``other`` (a corpus quotation's words, joined),
    or that close to it, as the quote check matches them?"""
    return f" {' '.join(words)} " in f" {other} " or difflib.SequenceMatcher(
        None, words, other.split(), autojunk=False).ratio() >= ratio


def same_time(claim: Fact, fact: Fact) -> bool:
    """A draft sentence dated "in May 2023" is about another occurrence than an undated or
    differently dated corpus sentence."""
    mine = claim.key.get("when") or []
    if not mine:
        return True
    theirs = fact.key.get("when") or []
    return any(dates_agree(a, b) and _pins_year(a, b) for a in mine for b in theirs)


def _pins_year(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """A year alone ("between 2018 and 2020") is matched only by a date that gives one:
    "on September 4" of an unknown year does not place a sentence in 2018."""
    only_year = a.get("year") is not None and a.get("m_lo") is None and a.get("day") is None
    return not only_year or b.get("year") is not None


def counts_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return intervals_overlap((a["lo"], a["hi"]), (b["lo"], b["hi"]))


def head_first(key: dict[str, Any], cands: list[tuple[int, Fact]]) -> list[tuple[int, Fact]]:
    """Rank the candidates whose frame has the claim's own predicate above those that only
    share a word of its context ("the outbreaks" around "was first identified")."""
    return [(n + (1000 if f.key.get("event") == key.get("event") else 0), f) for n, f in cands]


def majority_of(facts: list[Fact], agree: Callable[[dict[str, Any], dict[str, Any]], bool],
                share: float = 2 / 3) -> list[Fact]:
    """The facts of the largest group of agreeing values, if it holds ``share`` of them."""
    groups: list[list[Fact]] = []
    need = share * len(facts)
    largest = 0
    for n, f in enumerate(facts):
        if largest + len(facts) - n < need:
            return []  # no group can reach the share any more (each fact joins one group)
        for g in groups:
            if agree(g[0].value, f.value):
                g.append(f)
                largest = max(largest, len(g))
                break
        else:
            groups.append([f])
            largest = max(largest, 1)
    if not groups:
        return []
    best = max(groups, key=len)
    return best if len(best) >= need else []
