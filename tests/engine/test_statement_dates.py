"""The day of a statement: compared only with the same statement (same speaker, the same
people and a phrase of what was said, or a matching quotation), weekday against weekday or
against a full date. The stories, people and days are invented."""

from __future__ import annotations

import pytest

from corpus_engine import engine_over_files, findings_and_agreed
from factlint.engine import Engine

POLITICS = (
    "Ministry rules out early election\n\n"
    "The Interior Ministry ruled out an early election before the spring budget vote, and "
    "said the coalition of Prime Minister Elena Varga and Deputy Prime Minister Tomas Bruck "
    "would stay in office.\n\n"
    "\"No early vote will be called before the budget passes,\" Interior Ministry spokeswoman "
    "Ilona Kerr said Wednesday.\n")
BUSINESS = (
    "---\ndate: 2025-03-07\n---\n# Halvorsen sets out plant closure\n\n"
    "Halvorsen Motors said on Thursday it would close its Tampere plant, in a letter from "
    "chief executive Marta Lind to works council chair Pekka Aalto.\n\n"
    "\"We will close the plant in an orderly way,\" Lind said.\n")
SPORT = (
    "Rovers to fight ban\n\n"
    "\"We will appeal the ban with everything we have and we will win,\" Rovers chairman Ian "
    "Doyle said on Monday.\n\n"
    "Doyle spoke at the club's ground in Cardiff.\n")
# a statement of another time beside a dated one: not dated by it
HEALTH = (
    "Clinic review\n\n"
    "The Westmoor Trust said that surgeons Anil Rao and Beth Quinn would lead the hip clinic "
    "review, Westmoor Trust spokesman Carl Dunn said Tuesday.\n\n"
    "\"The waiting list for the hip clinic review is too long,\" Westmoor Trust spokesman "
    "Carl Dunn said last week.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over_files(tmp_path_factory.mktemp("statements"), {
        "politics.txt": POLITICS, "business.md": BUSINESS, "sport.txt": SPORT,
        "health.txt": HEALTH})


def _dates(e: Engine, draft: str) -> tuple[list[str], list[str]]:
    return findings_and_agreed(e, draft, "date")


LEAD = ("The Interior Ministry on {day} ruled out an early election before the spring budget "
        "vote, saying the coalition of Prime Minister Elena Varga and Deputy Prime Minister "
        "Tomas Bruck would stay in office.")


def test_a_lead_dated_by_its_quotation_paragraph(engine: Engine) -> None:
    # the corpus's lead has no day; its spokeswoman's quotation the next paragraph has one
    messages, _ = _dates(engine, LEAD.format(day="Tuesday"))
    assert len(messages) == 1
    assert "Tuesday" in messages[0] and "Wednesday" in messages[0]


def test_the_same_day_agrees(engine: Engine) -> None:
    assert _dates(engine, LEAD.format(day="Wednesday")) == ([], ["Wednesday"])


def test_the_same_speaker_on_another_subject_is_another_statement(engine: Engine) -> None:
    draft = ("The Interior Ministry on Tuesday said Prime Minister Elena Varga and Deputy Prime "
             "Minister Tomas Bruck would visit the flooded northern districts.")
    assert _dates(engine, draft) == ([], [])


def test_another_speaker_is_another_statement(engine: Engine) -> None:
    draft = LEAD.format(day="Tuesday").replace("Interior Ministry", "Finance Ministry")
    assert _dates(engine, draft) == ([], [])


def test_a_weekday_against_a_full_date(engine: Engine) -> None:
    # the corpus article is of Friday 7 March 2025: its "on Thursday" is 6 March, a Thursday
    draft = ("On Wednesday, Halvorsen Motors said that it would close its Tampere plant, "
             "according to a letter from Marta Lind to Pekka Aalto.")
    messages, _ = _dates(engine, draft)
    assert len(messages) == 1 and "Wednesday" in messages[0]
    same = draft.replace("On Wednesday", "On Thursday")
    assert _dates(engine, same) == ([], ["Thursday"])
    written = draft.replace("On Wednesday", "On 6 March")
    assert _dates(engine, written) == ([], ["6 March"])


def test_a_coarser_date_says_nothing_against_a_weekday(engine: Engine) -> None:
    draft = LEAD.format(day="Tuesday").replace("on Tuesday ruled", "in March ruled")
    assert _dates(engine, draft) == ([], [])


def test_a_quotation_identifies_the_statement(engine: Engine) -> None:
    draft = ("\"We will appeal the ban with everything we have and we will win,\" Rovers "
             "chairman Ian Doyle said on Sunday.")
    messages, _ = _dates(engine, draft)
    assert len(messages) == 1 and "Monday" in messages[0]
    other = "\"The squad is ready for the new season,\" Rovers chairman Ian Doyle said on Sunday."
    assert _dates(engine, other) == ([], [])


def test_a_fix_offers_the_corpus_day(engine: Engine) -> None:
    diags = engine.check_text(LEAD.format(day="Tuesday") + "\n", "d.md")
    fixes = [d.fix for d in diags if d.code == "date"]
    assert fixes and fixes[0] is not None and fixes[0].new_text == "Wednesday"
    assert fixes[0].old_text == "Tuesday"


def test_a_short_quotation_is_a_stock_line(engine: Engine) -> None:
    # under eight words, a quotation alone does not say which day's statement it is
    draft = "\"We will appeal the ban,\" Rovers chairman Ian Doyle said on Sunday."
    assert _dates(engine, draft) == ([], [])


def test_each_statement_of_a_sentence_keeps_its_own_words(engine: Engine) -> None:
    # the quotation belongs to the second statement (Monday's, which agrees); the first,
    # "on Friday", is about something else and compares with nothing
    draft = ("Ian Doyle said on Friday that the club would sell its ground, and he said on "
             "Monday: \"We will appeal the ban with everything we have and we will win.\"")
    messages, _ = _dates(engine, draft)
    assert messages == []


def test_a_statement_of_its_own_time_is_not_dated_by_its_neighbour(engine: Engine) -> None:
    # "said last week" beside "said Tuesday": last week's quotation stays undated, so a
    # draft putting it on Thursday compares with nothing
    draft = ("\"The waiting list for the hip clinic review is too long,\" Westmoor Trust "
             "spokesman Carl Dunn said on Thursday.")
    assert _dates(engine, draft) == ([], [])


def test_a_speech_verb_that_modifies_a_noun_reports_no_statement(tmp_path) -> None:  # noqa: ANN001
    # "admitted to hospital on Aug. 20" is when she was admitted, not a statement's day
    e = engine_over_files(tmp_path, {"health.txt": (
        "Case confirmed\n\nAccording to a statement by the Health Ministry, the first case was "
        "a nurse admitted to Lakeside General Hospital on Aug. 20 with a fever.\n")})
    facts = [f for f in e.load_corpus().facts
             if f.kind == "date" and f.key.get("event") == "statement"]
    assert facts == []
