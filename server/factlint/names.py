"""Comparing names and name-like words (spelling variants, demonyms, possessives)."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

_POSSESSIVE = re.compile(r"['’]s?$")


def norm_word(word: str) -> str:
    """Lower-case, straight apostrophes, no possessive, no trailing dot."""
    w = word.replace("’", "'").strip().lower()
    w = _POSSESSIVE.sub("", w)
    return w.strip(".")


@lru_cache(maxsize=65536)
def stem_match(a: str, b: str) -> bool:
    """'Ukraine' ~ 'Ukrainian', 'Crimea' ~ 'Crimean', 'Russia' ~ 'Russian', 'U.S.' ~ 'US'."""
    a, b = norm_word(a).replace(".", ""), norm_word(b).replace(".", "")
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    common = 0
    for x, y in zip(short, long_, strict=False):
        if x != y:
            break
        common += 1
    return common >= len(short) - 1 and common >= 4 and len(long_) - common <= 4


@lru_cache(maxsize=65536)
def similar_name(a: str, b: str, threshold: float = 88.0) -> bool:
    """Spelling variants of one surname: Zelensky / Zelenskyy."""
    if a == b:
        return True
    if len(a) < 5 or len(b) < 5 or a[:3].lower() != b[:3].lower():
        return False
    return fuzz.ratio(a.lower(), b.lower()) >= threshold


def any_overlap(xs: list[str] | set[str] | tuple[str, ...],
                ys: list[str] | set[str] | tuple[str, ...]) -> int:
    """How many of xs match some y (stem match)."""
    return sum(1 for x in xs if any(stem_match(x, y) for y in ys))
