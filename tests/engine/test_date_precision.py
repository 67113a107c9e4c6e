"""A coarser corpus date only fails to contradict: where another source gives the same
occurrence's date as finely as the draft does, that source decides."""

from __future__ import annotations

import pytest

from corpus_engine import engine_over, findings_and_agreed
from factlint.engine import Engine

# two reports of each event: one with the year alone (or the month), one more precise
COARSE = ("Harlow Foods completed its purchase of Brightwell Dairies in 2023, the company "
          "said.\n\n"
          "The Tavera probe was launched in 2031 and reached orbit around Ceres two years "
          "later.\n\n"
          "Kestrel Park stadium opened in August 2019 after three years of building work.\n")
FINE = ("Harlow Foods completed its purchase of Brightwell Dairies in March 2023.\n\n"
        "The Tavera probe was launched on 14 June 2031 from the Kourou spaceport.\n\n"
        "Kestrel Park stadium opened on 17 August 2019 with a friendly against Dunmore.\n")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return engine_over(tmp_path_factory.mktemp("precision"), COARSE, FINE)


@pytest.mark.parametrize(("draft", "corpus_says"), [
    ("Harlow Foods completed its purchase of Brightwell Dairies in May 2023.", "March 2023"),
    ("The Tavera probe was launched on 21 June 2031.", "14 June 2031"),
    ("The Tavera probe was launched in July 2031.", "14 June 2031"),
    ("Kestrel Park stadium opened on 3 August 2019.", "17 August 2019"),
])
def test_the_finer_source_contradicts(engine: Engine, draft: str, corpus_says: str) -> None:
    messages, agreed = findings_and_agreed(engine, draft, "date")
    assert len(messages) == 1 and corpus_says in messages[0], messages
    assert agreed == []


@pytest.mark.parametrize(("draft", "value"), [
    # as coarse as the coarser source, or coarser still: every source agrees
    ("Harlow Foods completed its purchase of Brightwell Dairies in 2023.", "2023"),
    ("The Tavera probe was launched in 2031.", "2031"),
    ("The Tavera probe was launched in June 2031.", "June 2031"),
    ("Kestrel Park stadium opened in August 2019.", "August 2019"),
    # as fine as the finer source, and the same
    ("Harlow Foods completed its purchase of Brightwell Dairies in March 2023.", "March 2023"),
    ("The Tavera probe was launched on June 14, 2031.", "June 14, 2031"),
])
def test_agreeing_at_either_precision_is_silent(engine: Engine, draft: str, value: str) -> None:
    assert findings_and_agreed(engine, draft, "date") == ([], [value])


def test_finer_sources_that_disagree_say_nothing(tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    engine = engine_over(
        tmp_path_factory.mktemp("disagree"),
        "Orla Ferries opened its Larne terminal in 2024.\n",
        "Orla Ferries opened its Larne terminal in April 2024.\n",
        "Orla Ferries opened its Larne terminal in June 2024.\n")
    messages, agreed = findings_and_agreed(
        engine, "Orla Ferries opened its Larne terminal in September 2024.", "date")
    assert messages == [] and agreed == []


def test_a_coarser_source_still_supports_what_the_finer_one_confirms(engine: Engine) -> None:
    support: list = []
    engine.check_text("Harlow Foods completed its purchase of Brightwell Dairies in March "
                      "2023.\n", "d.md", support=support)
    [(claim, facts)] = [(c, fs) for c, fs in support if c.kind == "date"]
    assert sorted(f.value["text"] for f in facts) == ["2023", "March 2023"]
