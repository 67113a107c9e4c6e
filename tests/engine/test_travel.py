"""A vehicle's destination and origin are place claims of their own (kinds/travel.py)."""

from __future__ import annotations

import pytest

from corpus_engine import engine_over, findings_and_agreed
from factlint.engine import Engine

CORPUS = ("Bridge collapse derails train\n"
          "A bridge in the Pskov region collapsed onto a passenger train en route to Tver "
          "late on Saturday, killing four people.\n\n"
          "Hours later a freight train heading to Novgorod derailed near Luga.\n\n"
          "Separately, flight SU1402, bound for Kazan, returned to the airport after a "
          "warning light came on.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over(tmp_path_factory.mktemp("travel"), CORPUS)


def _places(e: Engine, draft: str) -> tuple[list[str], list[str]]:
    return findings_and_agreed(e, draft, "place")


@pytest.mark.parametrize(("draft", "wrong", "right"), [
    ("The passenger train was travelling from Tver to Pskov when the bridge fell.",
     "Pskov", "Tver"),
    ("The passenger train, en route to Moscow, was crushed by the bridge.", "Moscow", "Tver"),
    ("Flight SU1402, bound for Samara, turned back.", "Samara", "Kazan"),
])
def test_wrong_destination_fires(engine: Engine, draft: str, wrong: str, right: str) -> None:
    messages, _ = _places(engine, draft)
    assert len(messages) == 1 and "destination" in messages[0]
    assert wrong in messages[0] and right in messages[0]


@pytest.mark.parametrize(("draft", "value"), [
    ("The passenger train was heading to Tver when the bridge came down.", "Tver"),
    ("The freight train was travelling to Novgorod.", "Novgorod"),
])
def test_same_destination_is_compared(engine: Engine, draft: str, value: str) -> None:
    assert _places(engine, draft) == ([], [value])


@pytest.mark.parametrize("draft", [
    "The route from Pskov to Tver was closed for repairs.",  # no vehicle travels it
    "A bus bound for Moscow was stopped at the border.",  # another vehicle
    "The passenger train left from Pskov.",  # an origin the corpus never gives
    "The delegation travelled to Moscow for talks.",  # people, not a vehicle
    "Another passenger train, en route to Kazan, was halted.",  # another one
    "A second passenger train was heading to Kazan.",
    "A passenger train en route to Kazan was stopped after the crash.",  # a train: which?
])
def test_other_journeys_are_silent(engine: Engine, draft: str) -> None:
    assert _places(engine, draft)[0] == []
