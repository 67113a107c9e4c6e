"""The cheap tests in front of the value patterns: never False where a pattern matches.

``may_hold_date`` / ``may_hold_relative`` skip the full patterns for most sentences; the
property: the dates found with the test in front equal the dates the full pattern finds,
on text built from date-like pieces in any case, Unicode digits and case-fold lookalikes
("ſ" for "s", dotless "ı" for "i", which the patterns' IGNORECASE accepts). Quantities,
ordinals and vague amounts likewise, against the patterns run with no test in front."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from factlint.rules import load_rules
from factlint.values import ValueReader, may_hold_date, may_hold_relative

READER = ValueReader(load_rules())
PIECES = ["January", "JAN.", "feb", "March", "mar", "Apr", "May", "may", "June", "Jul.",
          "August", "Auguſt", "Sept.", "ſeptember", "Oct", "November", "Dec.", "2023",
          "1999", "٢٠٢٣", "1887", "2023-05", "12/03/2021", "3/2019", "4th", "21", "early",
          "mid", "late", "of", "in", "Monday", "SUNDAY", "yesterday", "today", "tonight",
          "tonıght", "last", "this", "month", "year", "week", "the", "said", ",", "-", " ",
          "$", "€", "4.2", "1,200", "billion", "million", "percent", "%", "dollars", "36th",
          "minute", "MINUTE", "mınute", "lap", "first", "eighty-seventh", "dozens",
          "hundreds", "Hundreds", "hundreds", "votes", "to", "–", "٣"]

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=12).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_absolute_dates_equal_the_full_pattern(text: str) -> None:
    assert READER._absolute_dates(text) == READER._scan_dates(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_relative_dates_equal_the_full_pattern(text: str) -> None:
    for ref in (date(2025, 3, 14), date(2024, 1, 1)):
        assert READER._relative_dates(text, ref) == READER._scan_relative(text, ref)
    weekdays = READER.weekdays(text)
    assert not weekdays or may_hold_relative(text)


def test_the_tests_do_skip_sentences_without_dates() -> None:
    assert not may_hold_date("The ministry said the talks would continue.")
    assert not may_hold_relative("The ministry said the talks would go on.")
    assert may_hold_date("It happened in March.") and may_hold_relative("He said Monday.")


def unfiltered(fn, *args):
    """``fn`` with every cheap test answering "maybe" (the full patterns alone)."""
    import re

    from factlint import values

    saved = values.surely_none_of, values._DIGIT
    values.surely_none_of, values._DIGIT = (lambda text, words: False), re.compile("")
    try:
        return fn(*args)
    finally:
        values.surely_none_of, values._DIGIT = saved


@settings(max_examples=400, deadline=None)
@given(texts)
@example("a goal in the 36th mınute")  # IGNORECASE: "ı" is "i"
@example("dozenſ of people")
def test_quantities_and_vague_amounts_equal_the_full_patterns(text: str) -> None:
    assert READER.quantities(text) == unfiltered(READER.quantities, text)
    assert READER.ordinals(text) == unfiltered(READER.ordinals, text)
    assert READER.vague_spans(text) == unfiltered(READER.vague_spans, text)
