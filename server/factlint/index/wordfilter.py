"""The count filter of quotation and statement lookups: which facts hold enough of a draft
quotation's word tokens, over posting lists kept in memory.

A draft quotation of n words matches only corpus quotations holding ``min_matched`` of its
tokens. The prefix filter (``factdb.quote_prefix_terms``) names the rarest words of which a
match must hold one; only their postings are read for candidates. Every other word of the
draft, the rarer first, then adds its tokens to the candidates that carry it, and a
candidate is dropped as soon as the words left cannot bring it to ``min_matched``.

What grows with the corpus is the posting lists of the draft's common words ("the",
"border", a much-quoted region's name): thousands of ids, the same words on every page. A
list is read once per index state and kept (sorted ids, 8 bytes each, within a budget), so a
check tests its few candidates against it by binary search instead of reading it or probing
the index for every candidate. A list too long for what is asked (many postings, few
candidates), and not asked for before, is probed for the candidates instead.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Protocol

import numpy as np

IdArray = np.ndarray  # sorted, unique int64 fact ids


class Lists(Protocol):
    """What the count filter asks of posting lists, by term."""

    def get(self, term: str) -> IdArray: ...
    def kept(self, term: Hashable) -> IdArray | None: ...
    def asked_before(self, term: Hashable) -> bool: ...


class PostingLists:
    """Posting lists (sorted fact ids) of keys (a term, or a term and a bucket key: see
    :meth:`within`) read through ``read``, kept for one index state up to ``budget`` ids in
    all, the least recently used dropped first."""

    def __init__(self, read: Callable[[Any], Iterable[int] | np.ndarray],
                 budget: int = 2_000_000) -> None:
        self._read = read
        self.budget = budget
        self._lists: OrderedDict[Hashable, IdArray] = OrderedDict()
        self._asked: dict[Hashable, int] = {}
        self._size = 0

    def within(self, kb: int) -> Lists:
        """These lists by term, of one bucket's postings (keys ``(term, kb)``)."""
        return _InBucket(self, kb)

    def clear(self) -> None:
        self._lists.clear()
        self._asked.clear()
        self._size = 0

    def kept(self, term: Hashable) -> IdArray | None:
        found = self._lists.get(term)
        if found is not None:
            self._lists.move_to_end(term)
        return found

    def get(self, term: Hashable) -> IdArray:
        """The term's posting list, read and kept if it is not kept already."""
        found = self.kept(term)
        if found is not None:
            return found
        ids = np.unique(np.asarray(self._read(term), dtype=np.int64))
        if len(ids) * 4 <= self.budget:
            self._lists[term] = ids
            self._size += len(ids)
            while self._size > self.budget:
                _t, dropped = self._lists.popitem(last=False)
                self._size -= len(dropped)
        return ids

    def asked_before(self, term: Hashable) -> bool:
        """Whether ``term`` was asked for before (and count this time): a long list is read
        the second time it is needed."""
        n = self._asked.get(term, 0)
        if len(self._asked) > 200_000:
            self._asked.clear()
        self._asked[term] = n + 1
        return n > 0


class _InBucket:
    def __init__(self, lists: PostingLists, kb: int) -> None:
        self._of, self._kb = lists, kb

    def get(self, term: str) -> IdArray:
        return self._of.get((term, self._kb))

    def kept(self, term: str) -> IdArray | None:
        return self._of.kept((term, self._kb))

    def asked_before(self, term: str) -> bool:
        return self._of.asked_before((term, self._kb))


def holding(weights: dict[str, int], rare: list[str], min_matched: int,
            postings: Lists, count: Callable[[str], int],
            probe: Callable[[str, list[int]], Iterable[int]]) -> list[int]:
    """The ids (ascending) whose terms hold at least ``min_matched`` of the draft's tokens:
    ``weights`` maps each of its word terms to how many tokens it is, ``rare`` is the prefix
    filter's terms (a fact holding none of them cannot reach ``min_matched``). ``count``
    gives a term's posting count; ``probe`` which of some ids carry a term."""
    lists = [postings.get(t) for t in rare]
    if not any(len(a) for a in lists):
        return []
    cands, inverse = np.unique(np.concatenate(lists), return_inverse=True)
    held = np.bincount(inverse, weights=np.concatenate(
        [np.full(len(a), weights[t], dtype=np.int64) for t, a in zip(rare, lists, strict=True)]
    )).astype(np.int64)
    chosen = set(rare)
    rest = sorted((t for t in weights if t not in chosen), key=lambda t: (count(t), t))
    left = sum(weights[t] for t in rest)
    for term in rest:
        keep = held + left >= min_matched
        cands, held = cands[keep], held[keep]
        if not len(cands):
            return []
        held = held + weights[term] * _carry(term, cands, postings, count, probe)
        left -= weights[term]
    return [int(i) for i in cands[held >= min_matched]]


def _carry(term: str, cands: IdArray, postings: Lists, count: Callable[[str], int],
           probe: Callable[[str, list[int]], Iterable[int]]) -> np.ndarray:
    """Which of ``cands`` carry ``term`` (0/1 each)."""
    ids = postings.kept(term)
    if ids is None and (count(term) <= 8 * len(cands) + 64 or postings.asked_before(term)):
        ids = postings.get(term)
    if ids is None:
        found = np.asarray(sorted(set(probe(term, [int(i) for i in cands]))), dtype=np.int64)
        return _member(found, cands)
    return _member(ids, cands)


def surely_holding(weights: dict[str, int], min_matched: int, limit: int,
                   postings: Lists, count: Callable[[str], int]) -> list[int] | None:
    """Ids that surely hold ``min_matched`` of the draft's tokens, when there may be
    ``limit`` of them: those carrying every one of the commonest terms that together hold
    ``min_matched`` tokens (a much-quoted speaker's stock words, on a thousand statements:
    that more than ``limit`` hold them is learnt from a few lists, not from all). None when
    these lists cannot give ``limit`` ids."""
    chosen: list[str] = []
    held = 0
    for term in sorted(weights, key=lambda t: (-count(t), t)):
        if held >= min_matched:
            break
        chosen.append(term)
        held += weights[term]
    if held < min_matched or min(count(t) for t in chosen) < limit:
        return None
    ids = postings.get(chosen[0])
    for term in chosen[1:]:
        if len(ids) < limit:
            return None
        ids = ids[_member(postings.get(term), ids).astype(bool)]
    return [int(i) for i in ids] if len(ids) >= limit else None


def _member(ids: IdArray, cands: IdArray) -> np.ndarray:
    """1 where a candidate is in the sorted ``ids``, else 0."""
    if not len(ids):
        return np.zeros(len(cands), dtype=np.int64)
    at = np.searchsorted(ids, cands)
    at[at == len(ids)] = 0
    return (ids[at] == cands).astype(np.int64)
