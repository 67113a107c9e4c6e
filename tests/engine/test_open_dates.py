"""Dates of open frames: the end of an event is another occurrence than the event."""

from __future__ import annotations

import pytest

from corpus_engine import engine_over, findings_and_agreed
from factlint.engine import Engine

CORPUS = ("Fever outbreak declared in Mweka\n"
          "The health ministry declared the outbreak on 4 September 2025 after tests in "
          "Kinshasa confirmed the virus.\n\n"
          "The ministry declared the end of the last outbreak in December 2022.\n\n"
          "The regulator approved the takeover of Orbit Bank by Helix on 4 June 2024.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over(tmp_path_factory.mktemp("dates"), CORPUS)


def _dates(e: Engine, draft: str) -> tuple[list[str], list[str]]:
    return findings_and_agreed(e, draft, "date")


def test_the_declaration_is_not_the_declared_end(engine: Engine) -> None:
    # "September 11" of no year would agree with the end's "December 2022" as little as
    # with anything: it is compared with the declaration only
    messages, _ = _dates(engine, "The health ministry declared the outbreak on September 11.")
    assert len(messages) == 1 and "4 September 2025" in messages[0]
    assert "2022" not in messages[0]


def test_the_end_is_compared_with_the_end(engine: Engine) -> None:
    assert _dates(engine, "The ministry declared the end of the last outbreak in "
                          "December 2022.") == ([], ["December 2022"])
    messages, _ = _dates(engine, "The ministry declared the end of the last outbreak in "
                                 "March 2023.")
    assert len(messages) == 1 and "December 2022" in messages[0]


@pytest.mark.parametrize("draft", [
    "The ministry declared the outbreak over in June 2026.",  # its end, not its start
    "The outbreak was declared over on 12 June 2026.",
    "The regulator approved a separate takeover by Helix in 2021.",  # another deal
])
def test_other_occurrences_are_silent(engine: Engine, draft: str) -> None:
    assert _dates(engine, draft)[0] == []


def test_the_takeover_date_is_compared(engine: Engine) -> None:
    messages, _ = _dates(engine, "The regulator approved the takeover of Orbit Bank by Helix "
                                 "in May 2024.")
    assert len(messages) == 1 and "4 June 2024" in messages[0]
