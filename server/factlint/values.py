"""Reading dates and numbers from text, as intervals that can be compared.

Candidate date expressions are found with patterns (absolute dates only: a relative "on
Tuesday" or "last year" cannot be compared without a reference date); numeric formats
(2019-12-09, 12/9/2019) are normalised with dateparser, which also reports their granularity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from factlint.rules import RuleSet

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|"
          r"Dec\.?)")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"


# every match of the date pattern holds a year or a month word, each of which begins with
# one of these (a test holds the pattern to it): a cheap test before the full pattern
_YEARISH = re.compile(r"1[89]\d\d|20\d\d")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec")
# ... and every match of the relative one a word holding one of these
_RELATIVE_STEMS = ("day", "ght", "month", "year")  # ("ght": "tonıght" matches too)


_DIGIT = re.compile(r"\d")


def ascii_words(words: Iterable[str]) -> tuple[str, ...] | None:
    """These (lower-case) words for :func:`surely_none_of`, if all are ASCII; else None."""
    out = tuple(words)
    return out if all(w.isascii() for w in out) else None


def surely_none_of(text: str, words: tuple[str, ...] | None) -> bool:
    """True only where a case-insensitive pattern of these words (:func:`ascii_words`)
    cannot match: an ASCII text none of them is in (elsewhere IGNORECASE also takes
    lookalikes such as "ſ" for "s", so nothing is ruled out; as it is for words None)."""
    if words is None or not text.isascii():
        return False
    low = text.lower()
    return not any(w in low for w in words)


def may_hold_date(text: str) -> bool:
    """False only where the absolute date pattern cannot match: no year, no month word."""
    if _YEARISH.search(text) is not None:
        return True
    low = text.lower()
    return any(stem in low for stem in _MONTH_STEMS)


def may_hold_relative(text: str) -> bool:
    """False only where no weekday, "yesterday", "today", "tonight", month or year is."""
    low = text.lower()
    return any(stem in low for stem in _RELATIVE_STEMS)


_RATE_RE = re.compile(r"\s+(?:a|an|per|each)\s+(\w+)", re.I)
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_RELATIVE_RE = re.compile(
    r"\b(?:(?P<last>last|past|previous)\s+|(?P<this>this)\s+)?"
    r"(?P<word>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"tonight|month|year)\b(?!\s*\d)", re.I)


@dataclass(frozen=True)
class DateValue:
    start: int
    end: int
    year: int | None
    m_lo: int | None
    m_hi: int | None
    day: int | None
    text: str
    weekday: int | None = None  # a bare weekday ("on Monday" with no article date): 0-6

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"year": self.year, "m_lo": self.m_lo, "m_hi": self.m_hi,
                               "day": self.day, "text": self.text}
        if self.weekday is not None:
            out["weekday"] = self.weekday
        return out


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _written(year: int, month: int, day: int | None) -> str:
    """A resolved relative date as a writer would put it: "22 October 2025"."""
    return f"{day} {_MONTH_NAMES[month - 1]} {year}" if day else \
        f"{_MONTH_NAMES[month - 1]} {year}"


def _with_year(d: DateValue, ref: date) -> DateValue:
    """"Sept. 4" in an article of 5 September 2025 is in 2025; "December 20" in one of
    January 2026 is in 2025 (news reports the past, a few weeks ahead at most)."""
    if d.year is not None or d.m_lo is None or d.m_lo != d.m_hi:
        return d
    year = ref.year if (d.m_lo, d.day or 1) <= (ref.month + 1, ref.day) else ref.year - 1
    return DateValue(d.start, d.end, year, d.m_lo, d.m_hi, d.day, d.text)


def dates_comparable(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Do two dates give a common part to compare: both a year, or both a month ("Sept. 11"
    and "1976" say nothing about each other)?"""
    return (a.get("year") is not None and b.get("year") is not None) or (
        a.get("m_lo") is not None and b.get("m_lo") is not None)


def date_precision(d: dict[str, Any]) -> int:
    """How finely a date is given: 3 a day, 2 a month (or a span of months), 1 a year."""
    if d.get("m_lo") is None:
        return 1
    return 3 if d.get("day") is not None and d["m_lo"] == d.get("m_hi") else 2


def dates_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Compare at the coarser granularity of the two."""
    if a.get("year") is not None and b.get("year") is not None and a["year"] != b["year"]:
        return False
    if a.get("year") is None and b.get("year") is None and (a.get("m_lo") is None
                                                            or b.get("m_lo") is None):
        return True
    if a.get("m_lo") is None or b.get("m_lo") is None:
        return True

    def months(d: dict[str, Any]) -> set[int]:
        lo, hi = d["m_lo"], d["m_hi"]
        return set(range(lo, hi + 1)) if lo <= hi else set(range(lo, 13)) | set(range(1, hi + 1))

    if not months(a) & months(b):
        return False
    if (a.get("day") is not None and b.get("day") is not None and a["m_lo"] == a["m_hi"]
            and b["m_lo"] == b["m_hi"] and a["day"] != b["day"]):
        return False
    return True


@dataclass(frozen=True)
class Quantity:
    """A measured amount found by pattern: money or a percentage (counts of things are read
    from tokens). ``lo``/``hi`` carry the precision the writer gave: "$69 billion" is
    68.5-69.5 billion, "53.6%" is 53.55-53.65."""

    start: int
    end: int
    lo: float
    hi: float
    unit: str  # "percent" or a currency code
    text: str


def _precision_interval(number: str, scale: float) -> tuple[float, float]:
    value = float(number.replace(",", ""))
    decimals = len(number.split(".")[1]) if "." in number else 0
    half = 0.5 * 10 ** -decimals
    if decimals == 0 and "," not in number and value >= 10:
        half = 0.5  # a whole number as written: 69 is 68.5-69.5
    return (value - half) * scale, (value + half) * scale


class ValueReader:
    def __init__(self, rules: RuleSet) -> None:
        nums = rules.section("numbers")
        self.currencies = {str(k).lower(): str(v) for k, v in
                           (nums.get("currencies") or {}).items()}
        self.scales = {str(k).lower(): float(v) for k, v in (nums.get("scales") or {}).items()}
        self.percent_words = [str(w).lower() for w in nums.get("percent") or []]
        self._quantity_re = self._compile_quantities()
        self.ordinal_units = {str(k).lower(): str(v)
                              for k, v in (nums.get("ordinal_units") or {}).items()}
        self.ordinal_words = {str(k).lower(): float(v)
                              for k, v in (nums.get("ordinals") or {}).items()}
        self.duration_words = {str(k).lower(): (str(v[0]), float(v[1]))
                               for k, v in (nums.get("durations") or {}).items()}
        self.words: dict[str, float] = {str(k).lower(): float(v)
                                        for k, v in (nums.get("words") or {}).items()}
        self.multipliers = {str(k).lower(): float(v)
                            for k, v in (nums.get("multipliers") or {}).items()}
        self.vague = {str(k).lower(): (float(v[0]), float(v[1]))
                      for k, v in (nums.get("vague") or {}).items()}
        self.qualifiers = {str(k).lower(): v for k, v in (nums.get("qualifiers") or {}).items()}
        self.units = {str(k).lower(): str(v) for k, v in (nums.get("units") or {}).items()}
        self._ordinal_re = self._compile_ordinals()
        self.things = {str(k).lower(): str(v) for k, v in (nums.get("things") or {}).items()}
        parts = rules.section("dates").get("parts") or {}
        self.parts = {str(k).lower(): (int(v[0]), int(v[1])) for k, v in parts.items()}
        part_re = "|".join(sorted((re.escape(p) for p in self.parts), key=len, reverse=True))
        self._date_re = re.compile(
            rf"(?:\b(?P<part>{part_re})[\s-]+(?:of\s+)?)?"
            rf"(?:(?P<d1>{_DAY})\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?"
            rf"|(?P<m2>{_MONTH})(?:\s+(?P<d2>{_DAY})(?!\d))?(?:,?\s+(?P<y2>{_YEAR}))?"
            rf"|(?P<iso>{_YEAR}-[01]\d(?:-[0-3]\d)?)"
            rf"|(?P<slash>(?<![\d/])(?:[0-3]?\d/[0-3]?\d/{_YEAR}|[01]?\d/{_YEAR}))"
            rf"|(?P<y3>{_YEAR}))\b",
            re.I)
        self._recent_dates: dict[tuple[str, date | None], tuple[DateValue, ...]] = {}
        vague_re = "|".join(sorted((re.escape(v) for v in self.vague), key=len, reverse=True))
        self._vague_re = re.compile(rf"\b(?:{vague_re})\b", re.I)
        # what the cheap tests in front of the ordinal and vague patterns look for
        self._unit_words, self._vague_words = (ascii_words(self.ordinal_units),
                                               ascii_words(self.vague))

    # -- dates ---------------------------------------------------------------------------
    def find_dates(self, text: str, ref: date | None = None) -> list[DateValue]:
        """Absolute dates; with ``ref`` (the article's own date) also relative ones ("on
        Friday", "yesterday", "last month"), resolved against it. (Several claim kinds ask
        for the same sentence: the last answers are kept.)"""
        key = (text, ref)
        known = self._recent_dates.get(key)
        if known is None:
            known = self._recent_dates[key] = tuple(self._find_dates(text, ref))
            if len(self._recent_dates) > 64:
                self._recent_dates.pop(next(iter(self._recent_dates)), None)
        return list(known)

    def _find_dates(self, text: str, ref: date | None) -> list[DateValue]:
        out = self._absolute_dates(text)
        if ref is not None:
            out = [_with_year(d, ref) for d in out]
            taken = [(d.start, d.end) for d in out]
            for d in self._relative_dates(text, ref):
                if not any(a - 3 <= d.start < b + 3 or a - 3 <= d.end <= b + 3 for a, b in taken):
                    out.append(d)  # "Thursday, Sept. 4" is the absolute date alone
            out.sort(key=lambda d: d.start)
        return out

    def weekdays(self, text: str) -> list[DateValue]:
        """Bare weekdays ("on Monday", "said Tuesday"), when no article date resolves them:
        values only the day of a statement uses (:mod:`factlint.kinds.statement_date`)."""
        out: list[DateValue] = []
        if not may_hold_relative(text):
            return out
        for m in _RELATIVE_RE.finditer(text):
            word = m.group("word").lower()
            if word in WEEKDAYS and not m.group("last") and not m.group("this"):
                out.append(DateValue(m.start("word"), m.end("word"), None, None, None, None,
                                     m.group("word"), WEEKDAYS[word]))
        return out

    def _relative_dates(self, text: str, ref: date) -> list[DateValue]:
        return self._scan_relative(text, ref) if may_hold_relative(text) else []

    def _scan_relative(self, text: str, ref: date) -> list[DateValue]:
        out: list[DateValue] = []
        for m in _RELATIVE_RE.finditer(text):
            word = m.group("word").lower()
            if word in WEEKDAYS:
                back = (ref.weekday() - WEEKDAYS[word]) % 7
                if m.group("last") and back == 0:
                    back = 7
                d = ref - timedelta(days=back)
                out.append(DateValue(m.start("word"), m.end("word"), d.year, d.month, d.month,
                                     d.day, _written(d.year, d.month, d.day)))
            elif word in ("yesterday", "today", "tonight"):
                d = ref - timedelta(days=1 if word == "yesterday" else 0)
                out.append(DateValue(m.start(), m.end(), d.year, d.month, d.month, d.day,
                                     _written(d.year, d.month, d.day)))
            elif word in ("month", "year") and m.group("last") or m.group("this"):
                year, month = ref.year, ref.month
                if m.group("last"):
                    if word == "year":
                        year -= 1
                    else:
                        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
                if word == "year":
                    out.append(DateValue(m.start(), m.end(), year, None, None, None, str(year)))
                elif word == "month":
                    out.append(DateValue(m.start(), m.end(), year, month, month, None,
                                         _written(year, month, None)))
        return out

    def _absolute_dates(self, text: str) -> list[DateValue]:
        if not may_hold_date(text):
            return []  # (most sentences: ~3 us instead of the full pattern's ~50)
        return self._scan_dates(text)

    def _scan_dates(self, text: str) -> list[DateValue]:
        out = []
        for m in self._date_re.finditer(text):
            g = m.groupdict()
            month_word = g.get("m1") or g.get("m2")
            if month_word and not month_word[0].isupper():
                continue  # "may" the verb
            if month_word and month_word.lower().rstrip(".") == "may" and not (
                    g.get("y1") or g.get("y2") or g.get("d1") or g.get("d2") or g.get("part")
                    or re.search(r"\b(?:in|since|until|by|from|of|early|late|mid)\s*$",
                                 text[:m.start()], re.I)):
                continue  # bare "May" is too often the modal verb
            year_s = g.get("y1") or g.get("y2") or g.get("y3")
            year = int(year_s) if year_s else None
            day_s = g.get("d1") or g.get("d2")
            day = int(re.sub(r"\D", "", day_s)) if day_s else None
            month = MONTHS.get(month_word.lower().rstrip(".")) if month_word else None
            if g.get("iso") or g.get("slash"):
                parsed = _dateparser_parse(g.get("iso") or g.get("slash") or "")
                if parsed is None:
                    continue
                year, month, day = parsed
            if day is not None and not 1 <= day <= 31:
                continue
            if g.get("y3") and not self._year_is_date(text, m.start("y3"), m.end("y3")):
                continue
            m_lo = m_hi = month
            part = (g.get("part") or "").lower()
            if part and month is None:
                m_lo, m_hi = self.parts.get(part, (None, None))
            if month is None and year is None:
                continue
            out.append(DateValue(m.start(), m.end(), year, m_lo, m_hi, day,
                                 m.group(0).strip()))
        return out

    @staticmethod
    def _year_is_date(text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 2):start]
        after = text[end:end + 12]
        if "$" in before or re.match(r"\s*(%|percent|per cent)", after):
            return False
        if re.match(r"\s+(people|soldiers|troops|prisoners|civilians|km|kilomet|miles|"
                     r"tons|tonnes|dollars|euros)\b", after, re.I):
            return False
        return not re.match(r"\d|[.,]\d", after)

    # -- money and percentages -------------------------------------------------------------
    def _compile_quantities(self) -> re.Pattern[str]:
        def alt(words: list[str]) -> str:
            return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

        signs = [c for c in self.currencies if not c[:1].isalpha()]
        words = [c for c in self.currencies if c[:1].isalpha()]
        num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        scale = alt(list(self.scales))
        pct = alt(self.percent_words)
        return re.compile(
            rf"(?P<sign>{alt(signs)})\s?(?P<n1>{num})(?:\s?(?P<s1>{scale})\b)?"
            rf"|\b(?P<n2>{num})(?:\s?(?P<s2>{scale}))?\s+(?P<word>{alt(words)})\b"
            rf"|\b(?P<n3>{num})\s?(?P<pct>{pct})(?!\w)"
            rf"|\b(?P<t1>{num})\s+(?:votes?\s+)?(?:to|-|–)\s+(?P<t2>{num})\b(?!\s*(?:%|per))",
            re.I)

    def _compile_ordinals(self) -> re.Pattern[str] | None:
        if not self.ordinal_units:
            return None
        units = "|".join(re.escape(u) for u in sorted(self.ordinal_units, key=len, reverse=True))
        words = "|".join(re.escape(w) for w in sorted(self.ordinal_words, key=len, reverse=True))
        tens = "|".join(re.escape(w) for w, v in self.words.items()
                        if v >= 20 and v < 100 and v % 10 == 0)
        nth = r"\d+(?:st|nd|rd|th)"
        if words:
            nth += rf"|(?:(?:{tens})-)?(?:{words})" if tens else f"|{words}"
        # not the end of a longer ordinal ("hundred-and-first")
        return re.compile(rf"(?<![\w-])(?P<nth>{nth})[\s-]+(?P<unit>{units})\b", re.I)

    def ordinals(self, text: str) -> list[Quantity]:
        """Points on a scale the event runs along: "the 36th minute", "a 41st-minute
        penalty", "on lap 12" is not one (unit ``"nth minute"``)."""
        out: list[Quantity] = []
        if self._ordinal_re is None or surely_none_of(text, self._unit_words):
            return out
        for m in self._ordinal_re.finditer(text):
            value = self._ordinal_value(m.group("nth").lower())
            unit = self.ordinal_units.get(m.group("unit").lower())
            if value is None or unit is None:
                continue  # IGNORECASE took a lookalike ("mınute"): not a word of the rules
            out.append(Quantity(m.start(), m.end("nth"), value, value, "nth " + unit,
                                m.group("nth")))
        return out

    def _ordinal_value(self, word: str) -> float | None:
        """36 of "36th", 87 of "eighty-seventh"; None for what the rules do not spell."""
        if word[:1].isdigit():
            return float(word[:-2])
        if word in self.ordinal_words:
            return self.ordinal_words[word]
        *tens, last = word.split("-")
        if last not in self.ordinal_words or any(t not in self.words for t in tens):
            return None
        return self.ordinal_words[last] + sum(self.words[t] for t in tens)

    def quantities(self, text: str) -> list[Quantity]:
        out = self.ordinals(text)
        if _DIGIT.search(text) is None:
            return out  # every alternative of the pattern holds a number in digits
        for m in self._quantity_re.finditer(text):
            g = m.groupdict()
            if g["t1"]:
                before = text[max(0, m.start() - 40):m.start()]
                if not re.search(r"\b(?:by|vote[sd]?|majority)\s*$|\bvote\w*\s+(?:was|were)\s*$",
                                 before, re.I) and "vote" not in m.group(0).lower():
                    continue  # "from 10 to 12", "were 10 to 12 people": a range, not a tally
                a, b = float(g["t1"].replace(",", "")), float(g["t2"].replace(",", ""))
                out.append(Quantity(m.start(), m.end(), a * 1e7 + b, a * 1e7 + b, "tally",
                                    m.group(0)))
                continue
            if g["n3"]:
                lo, hi = _precision_interval(g["n3"], 1.0)
                out.append(Quantity(m.start(), m.end(), lo, hi, "percent", m.group(0)))
                continue
            number = g["n1"] or g["n2"]
            scale_word = (g["s1"] or g["s2"] or "").lower()
            cur = self.currencies.get((g["sign"] or g["word"] or "").lower())
            if cur is None:
                continue
            lo, hi = _precision_interval(number, self.scales.get(scale_word, 1.0))
            rate = _RATE_RE.match(text, m.end())
            unit = f"{cur}/{rate.group(1).lower()}" if rate else cur  # "$38 a share"
            out.append(Quantity(m.start(), m.end(), lo, hi, unit, m.group(0)))
        return out

    # -- numbers -------------------------------------------------------------------------
    def number_value(self, words: list[str]) -> float | None:
        """'1,000' / 'seven' / 'two hundred' / 'twenty-five' -> value."""
        total = 0.0
        current = 0.0
        seen = False
        for raw in words:
            w = raw.lower().replace(",", "")
            if not w or w in ("and", "-"):
                continue
            if re.fullmatch(r"\d+(?:\.\d+)?", w):
                current += float(w)
                seen = True
            elif "-" in w and all(p in self.words for p in w.split("-")):
                current += sum(self.words[p] for p in w.split("-"))
                seen = True
            elif w in self.words:
                current += self.words[w]
                seen = True
            elif w in self.multipliers and seen:
                current = (current or 1) * self.multipliers[w]
                if self.multipliers[w] >= 1000:
                    total += current
                    current = 0
            elif w in self.multipliers:
                current = self.multipliers[w]
                seen = True
            else:
                return None
        return total + current if seen else None

    def interval(self, value: float, qualifier: str | None) -> tuple[float, float | None]:
        if not qualifier:
            return value, value
        lo_f, hi_f = self.qualifiers.get(qualifier.lower(), (1.0, 1.0))
        lo = value * float(lo_f) if lo_f is not None else 0.0
        hi = value * float(hi_f) if hi_f is not None else None
        return lo, hi

    def vague_spans(self, text: str) -> list[tuple[int, int, tuple[float, float]]]:
        if surely_none_of(text, self._vague_words):
            return []
        # (a match IGNORECASE took for a lookalike, "dozenſ", is no word of the rules)
        return [(m.start(), m.end(), self.vague[m.group(0).lower()])
                for m in self._vague_re.finditer(text) if m.group(0).lower() in self.vague]


def intervals_overlap(a: tuple[float, float | None], b: tuple[float, float | None]) -> bool:
    a_hi = a[1] if a[1] is not None else float("inf")
    b_hi = b[1] if b[1] is not None else float("inf")
    return a[0] <= b_hi and b[0] <= a_hi


@lru_cache(maxsize=1024)
def _dateparser_parse(text: str) -> tuple[int, int | None, int | None] | None:
    data = _parser().get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj
    period = data.period or "day"
    return d.year, d.month, (d.day if period == "day" else None)


@lru_cache(maxsize=1)
def _parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
