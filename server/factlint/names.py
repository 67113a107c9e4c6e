"""Comparing names and name-like words (spelling variants, demonyms, possessives).

Person names are compared on *folded* parts: transliterated to ASCII (``anyascii``: "Núñez"
is "nunez", "François" is "francois"), lower-cased, hyphens and dots splitting a part
("Jean-Paul" is ``("jean", "paul")``, "R.K." is ``("r", "k")``). Given names are compared with
initials in mind ("N." is compatible with "Natarajan", "GS" with "Gurpreet Singh").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from anyascii import anyascii
from nameparser.config import CONSTANTS
from rapidfuzz import fuzz, process

_POSSESSIVE = re.compile(r"['’]s?$")
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]\.?$|^(?:[A-Z]\.\s?){1,3}$")
_CAPS_INITIALS = re.compile(r"^[A-Z]{2,3}$")

# Surname particles ("de", "von der", "Le" in "Le Pen", "bin", "al-"): nameparser's list,
# less those that are also common English words or begin place names.
# The Arabic article assimilated ("as-Sadr", "ash-Sharaa") is only a particle with its hyphen.
_NOT_PARTICLES = {"do", "te", "op", "het", "heer", "bar", "bat", "bon", "san", "santa", "st",
                  "ste", "mac", "mc", "ua", "vel", "dem", "tho", "thoe", "aen", "aan", "af",
                  "av", "vd", "auf", "zu", "las", "los", "freiherr", "freiherrin", "abu", "d",
                  "l", "an", "as", "at", "ed", "en", "er", "es", "et", "ad", "ar", "ash", "ath",
                  "az", "eth", "edh", "ez", "esh", "ul", "adh"}
_PREFIXES = [str(x) for x in CONSTANTS.prefixes]
PARTICLES = frozenset(
    p for p in (x.rstrip("-'’") for x in _PREFIXES)
    if p.isascii() and p.isalpha() and p not in _NOT_PARTICLES)
# particles written joined to the surname by a hyphen ("al-Assad", "as-Sadr", "el-Sisi")
HYPHEN_PARTICLES = frozenset(x.rstrip("-") for x in _PREFIXES
                             if x.endswith("-") and x.isascii()) | {"al", "el", "bin", "ibn"}
# Name suffixes that are not part of the surname ("Martin Luther King Jr.", "John Smith III").
SUFFIXES = frozenset({"jr", "sr", "jnr", "snr", "ii", "iii", "iv", "esq"})


def norm_word(word: str) -> str:
    """Lower-case, straight apostrophes, no possessive, no trailing dot."""
    w = word.replace("’", "'").strip().lower()
    w = _POSSESSIVE.sub("", w)
    return w.strip(".")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """ASCII, lower case, straight apostrophes: the form names are matched on."""
    return anyascii(text.replace("’", "'")).lower()


@lru_cache(maxsize=65536)
def name_parts(word: str) -> tuple[str, ...]:
    """The folded parts of one written name word: "Jean-Paul" -> ("jean", "paul"),
    "O'Brien" -> ("o'brien",), "R.K." -> ("r", "k"), "Núñez's" -> ("nunez",)."""
    w = _POSSESSIVE.sub("", word.replace("’", "'")) if word.endswith(("'s", "’s")) else word
    return tuple(p for p in re.split(r"[-‐.\s]+", fold(w)) if p)


def name_key(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The folded parts of a written name (several words): ``["Le", "Pen"]`` -> ("le", "pen")."""
    out: list[str] = []
    for w in words:
        out.extend(name_parts(w))
    return tuple(out)


@lru_cache(maxsize=65536)
def initials(word: str) -> tuple[str, ...] | None:
    """The letters of a word that is only initials ("N.", "R.K.", "GS"), else None."""
    w = word.strip()
    if _INITIALS.match(w) or _CAPS_INITIALS.match(w):
        return tuple(c.lower() for c in w if c.isalpha())
    return None


@lru_cache(maxsize=65536)
def is_particle(word: str) -> bool:
    """A surname particle: "de", "von", "der", "Le", "bin", "al"."""
    return fold(word).rstrip("-'") in PARTICLES


def is_suffix(word: str) -> bool:
    return fold(word).rstrip(".") in SUFFIXES


GivenPart = tuple[str, bool]  # (folded part, is an initial)


def given_parts(words: list[str] | tuple[str, ...]) -> tuple[GivenPart, ...]:
    """Given names as comparable parts: "R. K." -> (("r", True), ("k", True)),
    "Jean-Paul" -> (("jean", False), ("paul", False))."""
    out: list[GivenPart] = []
    for w in words:
        letters = initials(w)
        if letters is not None:
            out.extend((c, True) for c in letters)
        else:
            out.extend((p, len(p) == 1) for p in name_parts(w))
    return tuple(out)


def _part_match(a: GivenPart, b: GivenPart) -> bool:
    (x, xi), (y, yi) = a, b
    if xi or yi:
        return x[:1] == y[:1]
    return x == y or similar_name(x, y, 88.0)


def given_compatible(a: tuple[GivenPart, ...], b: tuple[GivenPart, ...]) -> bool:
    """Can these given names be one person's? The first names must agree (an initial agrees
    with a name of that letter); further names agree where both have them: "Jean" / "Jean
    Paul", "N." / "Natarajan", "R. K." / "Ravi Kumar", but not "Sam" / "Jo"."""
    if not a or not b:
        return True
    if not _part_match(a[0], b[0]):
        return False
    return all(_part_match(x, y) for x, y in zip(a[1:], b[1:], strict=False))


@lru_cache(maxsize=65536)
def _stem_form(word: str) -> str:
    """The form :func:`stem_match` compares (kept: the same anchors meet again and again)."""
    return norm_word(word).replace(".", "")


@lru_cache(maxsize=65536)
def stem_match(a: str, b: str) -> bool:
    """'Ukraine' ~ 'Ukrainian', 'Crimea' ~ 'Crimean', 'Russia' ~ 'Russian', 'U.S.' ~ 'US'."""
    a, b = _stem_form(a), _stem_form(b)
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
    """Spelling variants of one surname: Zelensky / Zelenskyy, Núñez / Nunez."""
    if a == b:
        return True
    a, b = fold(a), fold(b)
    if a == b:
        return True
    if len(a) < 5 or len(b) < 5 or a[:3] != b[:3]:
        return False
    return fuzz.ratio(a, b) >= threshold


def similar_names(word: str, others: Sequence[str], threshold: float = 88.0) -> list[int]:
    """The indices ``i`` (ascending) for which ``similar_name(word, others[i], threshold)``:
    one call into rapidfuzz for all of them, which also skips lengths that cannot reach
    the threshold (a surname not in the registry meets every registered one of its first
    three letters, hundreds in a large corpus)."""
    a = fold(word)
    out: list[int] = []
    rest: list[int] = []
    for i, other in enumerate(others):
        if other == word:
            out.append(i)
            continue
        b = fold(other)
        if a == b:
            out.append(i)
        elif len(a) >= 5 and len(b) >= 5 and a[:3] == b[:3]:
            rest.append(i)
    if rest:
        folded = [fold(others[i]) for i in rest]
        out.extend(rest[j] for _b, _score, j in process.extract(
            a, folded, scorer=fuzz.ratio, processor=None, score_cutoff=threshold,
            limit=None))
    return sorted(out)


def any_overlap(xs: list[str] | set[str] | tuple[str, ...],
                ys: list[str] | set[str] | tuple[str, ...]) -> int:
    """How many of xs match some y (stem match); a name one side gives by its initials and
    the other in full ("ftc" / "federal trade commission", in the order the words came)
    counts once."""
    matched = [x for x in xs if any(stem_match(x, y) for y in ys)]
    found = len(matched)
    if isinstance(xs, set) or isinstance(ys, set):
        return found  # no word order to read initials from
    rest_x = [x for x in xs if x not in matched]
    if rest_x and ys:
        found += _acronym_matches(rest_x, list(ys))
    return found


def initialisms(words: list[str] | tuple[str, ...]) -> set[str]:
    """The initials of every run of 3 to 5 consecutive name words ("federal trade
    commission" -> "ftc"), for matching a name against its acronym."""
    plain = [w for w in words if w.isalpha() and w.islower()]
    return {"".join(w[0] for w in plain[i:j]) for i in range(len(plain))
            for j in range(i + 3, min(len(plain), i + 5) + 1)}


def _acronym_matches(xs: list[str], ys: list[str]) -> int:
    """Acronyms among xs spelled out by consecutive ys, plus acronyms among ys spelled out by
    consecutive xs."""
    def short(w: str) -> bool:
        return 3 <= len(w) <= 6 and w.isalpha() and w.islower()

    n = 0
    if any(short(x) for x in xs):
        spelled = initialisms(ys)
        n += sum(1 for x in xs if short(x) and x in spelled)
    if any(short(y) for y in ys):
        spelled = initialisms(xs)
        n += sum(1 for y in ys if short(y) and y in spelled)
    return n
