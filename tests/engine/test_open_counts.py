"""Counts of the open frames: what a number is about, and when two numbers are one occurrence.

Each test writes a small invented corpus and checks draft sentences against it: the wrong
value fires with the right corpus value, the same value is compared and found consistent
(support), and a sentence about another occurrence of the same kind stays silent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_engine import engine_over, findings_and_agreed
from factlint.engine import Engine

_engine = engine_over


def _numbers(engine: Engine, draft: str) -> tuple[list[str], list[str]]:
    """(the number findings' messages, the draft count values found consistent)."""
    return findings_and_agreed(engine, draft, "count")


CUP = ("Kelso win Border Cup\n"
       "Kelso Rangers 2 Jedburgh Athletic 1. Border Cup final. Netherdale. "
       "Attendance: 3,412.\n\n"
       "Kelso Rangers won the Border Cup on Saturday after a late goal from Rory Tait.\n\n"
       "Jedburgh Athletic had beaten Hawick Harlequins in the semi-final at Riverside Park, "
       "where 1,150 spectators saw them win on penalties.\n")


@pytest.fixture
def cup(tmp_path: Path) -> Engine:
    return _engine(tmp_path, CUP)


def test_statistics_line_gives_the_figure(cup: Engine) -> None:
    messages, _ = _numbers(cup, "A crowd of 4,312 watched Kelso Rangers beat Jedburgh Athletic.")
    assert len(messages) == 1 and "4,312" in messages[0] and "3,412" in messages[0]
    assert _numbers(cup, "A crowd of 3,412 watched Kelso Rangers beat Jedburgh Athletic.") == (
        [], ["3,412"])


def test_semi_final_is_another_occurrence(cup: Engine) -> None:
    # the round is named: compared with the semi-final's crowd, never the final's
    messages, _ = _numbers(cup, "The Border Cup semi-final drew 1,900 spectators.")
    assert len(messages) == 1 and "1,150" in messages[0] and "3,412" not in messages[0]
    assert _numbers(cup, "The Border Cup semi-final at Riverside Park drew 1,150 spectators.") \
        == ([], ["1,150"])


def test_crowd_of_another_match_is_silent(cup: Engine) -> None:
    assert _numbers(cup, "Only 800 spectators watched Jedburgh Athletic lose to Selkirk in "
                         "the league.") == ([], [])


MATCH = ("Tait strikes late for Kelso\n"
         "Kelso Rangers beat Jedburgh Athletic 2-1 in the Border Cup final on Saturday.\n\n"
         "Rory Tait scored the winner in the 88th minute after Jedburgh's Callum Reid had "
         "missed a 61st-minute penalty.\n\n"
         "In the semi-final against Hawick Harlequins, Tait had scored in the 12th minute.\n")


@pytest.fixture
def match(tmp_path: Path) -> Engine:
    return _engine(tmp_path, MATCH)


@pytest.mark.parametrize(("draft", "wrong", "right"), [
    ("Rory Tait scored the winner in the 83rd minute.", "83rd", "88th"),
    ("Callum Reid missed a 67th-minute penalty.", "67th", "61st"),
    ("Rory Tait scored the winner in the eighty-third minute.", "eighty-third", "88th"),
])
def test_minute_of_a_match_is_a_value(match: Engine, draft: str, wrong: str,
                                      right: str) -> None:
    messages, _ = _numbers(match, draft)
    assert len(messages) == 1 and wrong in messages[0] and right in messages[0]


@pytest.mark.parametrize(("draft", "value"), [
    ("Tait's winner came in the eighty-eighth minute.", "eighty-eighth"),
    ("Callum Reid missed a 61st-minute penalty.", "61st"),
])
def test_same_minute_in_other_words(match: Engine, draft: str, value: str) -> None:
    assert _numbers(match, draft) == ([], [value])


def test_minute_of_another_match_is_silent(match: Engine) -> None:
    messages, _ = _numbers(match, "Against Selkirk in the league, Tait scored in the 70th "
                                  "minute.")
    assert messages == []


def test_counted_noun_with_of_complement(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "Vaccines arrive in Mweka\n"
                               "The ministry holds 2,000 doses of vaccine that will be moved "
                               "to Mweka from Kananga.\n")
    messages, _ = _numbers(engine, "The ministry has 20,000 vaccine doses, which will be moved "
                                   "to Mweka from Kananga.")
    assert len(messages) == 1 and "2,000" in messages[0]
    # doses of another medicine are another count
    assert _numbers(engine, "The ministry has 20,000 antibiotic doses, which will be moved "
                            "to Mweka from Kananga.")[0] == []


def test_a_year_alone_needs_a_dated_corpus_sentence(tmp_path: Path) -> None:
    engine = _engine(tmp_path,
                     "Fever kills 15 in Bulape\n"
                     "The fever has killed 15 people since September 4, officials said.\n\n"
                     "By Sunday the fever had killed 16 people in Bulape.\n\n"
                     "The country's deadliest epidemic killed nearly 2,300 people between "
                     "2018 and 2020.\n")
    messages, _ = _numbers(engine, "Between 2018 and 2020 the epidemic killed 3,300 people.")
    assert len(messages) == 1 and "2,300" in messages[0]
    assert _numbers(engine, "Between 2018 and 2020 the epidemic killed about 2,300 "
                            "people.") == ([], ["about 2,300"])


def test_nationality_adjective_stands_for_its_country(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "Rights sold\n"
                               "Calloway Games sold its streaming rights to France's Lumen "
                               "Studio for 15 years.\n")
    messages, _ = _numbers(engine, "Calloway Games sold its streaming rights to French "
                                   "publisher Lumen Studio for 12 years.")
    assert len(messages) == 1 and "15" in messages[0]


def test_predicate_of_a_duration_decides(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "Ferry deal\n"
                               "The Calloway Ferry Company will run the island crossing for "
                               "20 years, and the harbour will keep its pier open for another "
                               "decade.\n")
    messages, _ = _numbers(engine, "The harbour will keep its pier open for five years.")
    assert len(messages) == 1 and "another decade" in messages[0]
    # a year count of another predicate is not compared with either
    assert _numbers(engine, "The Calloway Ferry Company has sailed to the island for "
                            "30 years.") == ([], [])


def test_a_percentage_is_a_share_of_what_follows_it(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "Kelso dominate but lose\n"
                               "Kelso Rangers enjoyed 71 percent of possession but lost to "
                               "Jedburgh Athletic.\n\n"
                               "Turnout at the club's vote was 64 percent.\n")
    messages, _ = _numbers(engine, "Kelso Rangers had 52% possession against Jedburgh "
                                   "Athletic.")
    assert len(messages) == 1 and "71 percent" in messages[0] and "possession" in messages[0]
    messages, _ = _numbers(engine, "Kelso Rangers had 52 per cent of the ball against "
                                   "Jedburgh Athletic.")
    assert len(messages) == 1 and "71 percent" in messages[0]
    assert _numbers(engine, "Kelso Rangers had 70% of the possession against Jedburgh "
                            "Athletic.") == ([], ["70%"])
    # a share of something else is not compared with it
    assert _numbers(engine, "Kelso Rangers won 52% of their tackles against Jedburgh "
                            "Athletic.")[0] == []
