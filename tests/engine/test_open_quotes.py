"""Quotations as wire copy writes them: attributions by a statement or a news agency,
quotations over several paragraphs, an unclosed mark, a bare quotation paragraph."""

from __future__ import annotations

import pytest

from corpus_engine import engine_over_files
from factlint.engine import Engine

CORPUS = {
    "a.txt": (
        "Harbour authority closes the old quay\n"
        '"The quay has served this town for a century and a half," said a statement on '
        "Monday from Lorna Vance, the harbour master.\n"
        'Reuters quoted Tom Ashby as saying: "Nobody will lose a job because of the closure."\n'
        '"We will rebuild the sea wall before the winter storms," the engineer Priya Nair told '
        "reporters.\n"
        '"Every stone will be numbered and put back where it was."\n'
    ),
    "b.md": (
        "---\ndate: 2025-04-02\n---\n"
        'Mayor Colm Brennan said: "The town voted for this plan twice. It will not be '
        "reversed by a petition\n\n"
        '"We owe the fishermen a harbour that works in every tide."\n'
    ),
    "c.md": (
        "## What the divers said\n\n"
        "Marta Quiroga, the head of the dive team:\n\n"
        '"The wreck lies on its side in eleven metres of cold water."\n'
    ),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over_files(tmp_path_factory.mktemp("quotes"), CORPUS)


def codes(engine: Engine, text: str) -> list[str]:
    return sorted(d.code for d in engine.check_text(text + "\n", "d.md"))


@pytest.mark.parametrize(("draft", "expected"), [
    # "said a statement from X": X said it
    ('"The quay has served this town for a century and a half," Vance said.', []),
    ('"The quay has served this town for a century and a half," Ashby said.',
     ["quote-speaker"]),
    # "X quoted Y as saying": Y said it
    ('"Nobody will lose a job because of the closure," Tom Ashby said.', []),
    ('"Nobody will lose a job because of the closure," Priya Nair said.', ["quote-speaker"]),
    # a bare quotation paragraph after an attributed one is the same speaker's
    ('"Every stone will be numbered and put back where it was," Nair said.', []),
    ('"Every stone will be numbered and put back where it was," Lorna Vance said.',
     ["quote-speaker"]),
    # a quotation left open at the end of its paragraph, resumed in the next one
    ('"It will not be reversed by a petition," Brennan said.', []),
    ('"It will not be reversed by a petition," Ashby said.', ["quote-speaker"]),
    ('"We owe the fishermen a harbour that works in every tide," Brennan said.', []),
    ('"We owe the fishermen a harbour that works in every tide," Priya Nair said.',
     ["quote-speaker"]),
    # a header line names the speaker of the quotation below it
    ('"The wreck lies on its side in eleven metres of cold water," Quiroga said.', []),
    ('"The wreck lies on its side in eleven metres of cold water," Colm Brennan said.',
     ["quote-speaker"]),
    # wording compared on the shorter of the two quotations
    ('"We will rebuild the sea wall before the autumn storms," Nair said.', ["quote-wording"]),
])
def test_attribution(engine: Engine, draft: str, expected: list[str]) -> None:
    assert codes(engine, draft) == expected


WORDING = {
    "d.txt": (
        "Glenmore wins the shinty cup\n"
        'Manager Ewan Ross said: "Tomorrow\'s training is already cancelled. The players want '
        'to cancel Monday too. Special credit to the players, they never gave up."\n'
        '"The ball carried into my penalty box and I knew it was fine," goalkeeper Iain '
        "Munro said.\n"
        '"We will rest for a week and then start again," Ross added.\n'
    ),
}


@pytest.fixture(scope="module")
def wording(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over_files(tmp_path_factory.mktemp("wording"), WORDING)


@pytest.mark.parametrize("draft", [
    # the ending changed after a long run of the same words
    '"Tomorrow\'s training is already cancelled. The players want to cancel the whole week,"'
    " Ross said.",
    # a quarter of the words changed, in the same order otherwise
    '"The ball was outside my box but I knew it was fine," Munro said.',
])
def test_a_misquotation_is_a_wording_finding(wording: Engine, draft: str) -> None:
    assert codes(wording, draft) == ["quote-wording"]


@pytest.mark.parametrize("draft", [
    '"Tomorrow\'s training is already cancelled," Ross said.',  # a part, word for word
    '"We will rest for a week and then start again," Ross said.',
    '"We will start again next month with a new squad," Ross said.',  # another quotation
    '"The players never gave up on the title," Ross said.',  # shares a few words only
])
def test_other_quotations_of_the_speaker_are_not_misquotations(wording: Engine,
                                                               draft: str) -> None:
    assert codes(wording, draft) == []
