"""A person's age is a count of its own (kinds/age.py): "X, 27,", "X (27)", "the 24-year-old"
(the one person the text was just about); nobody the corpus cannot name."""

from __future__ import annotations

import pytest

from corpus_engine import engine_over
from factlint.engine import Engine

CORPUS = ("Palace lift the cup\n"
          "Palace captain Marc Guehi was substituted after a blow to the eye.\n\n"
          "The 24-year-old still lifted the trophy at Wembley.\n\n"
          "Manager Oliver Glasner, 50, praised his players.\n\n"
          "Doctors said the first patient was a 34-year-old pregnant woman from Bulape.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over(tmp_path_factory.mktemp("ages"), CORPUS)


def _ages(e: Engine, draft: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    support: list = []
    diags = e.check_text(draft + "\n", "d.md", support=support)
    return ([(d.message, d.fix.new_text if d.fix else None) for d in diags
             if d.code == "number"],
            [c.value["text"] for c, facts in support
             if c.kind == "count" and c.key.get("thing") == "age" and facts])


@pytest.mark.parametrize(("draft", "fix"), [
    ("Marc Guehi, 27, was substituted in the second half.", "24"),
    ("Glasner (52) praised the players after the final.", "50"),
])
def test_wrong_age_fires_with_the_corpus_age(engine: Engine, draft: str, fix: str) -> None:
    [(message, new_text)] = _ages(engine, draft)[0]
    assert "age" in message and new_text == fix


@pytest.mark.parametrize(("draft", "value"), [
    ("Guehi, 24, lifted the trophy.", "24"),
    ("Oliver Glasner, 50, praised his players.", "50"),
])
def test_same_age_is_compared_and_silent(engine: Engine, draft: str, value: str) -> None:
    assert _ages(engine, draft) == ([], [value])


@pytest.mark.parametrize("draft", [
    "A 61-year-old man was also admitted.",  # another person
    "Joel Ward, 35, came on late.",  # a person whose age the corpus does not give
    "Dean Henderson saved a penalty.\n\nThe 28-year-old was named man of the match.",
    "Guehi was substituted after 27 minutes.",  # minutes, not an age
    # someone described, not named: another pregnant woman is as likely as the same one
    "The first patient was a 43-year-old pregnant woman from Bulape.",
    "A 29-year-old pregnant woman gave birth on a flight last year.",
    # two people in the sentence before: "the 19-year-old" may be either
    "Marc Guehi thanked Oliver Glasner after the match.\n\nThe 19-year-old said it was a dream.",
    "Guehi met Glasner at Wembley. The 61-year-old said he was proud.",
])
def test_other_ages_are_silent(engine: Engine, draft: str) -> None:
    assert _ages(engine, draft)[0] == []
