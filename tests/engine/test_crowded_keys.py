"""Crowded keys: however large the corpus, a name in more sentences than ``crowded_key`` is a
recurring subject that picks out no single occurrence alone; the claim's names together still
do, while their facts are few.

The corpora are small, so the tests lower ``compare.crowded_key`` (100 by default) to 3 in a
rules folder of their own; filler articles about other towns keep every name below the share
bound (``common_anchor_share``), so that only the absolute bound is at work.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_engine import findings_and_agreed
from factlint.config import EngineConfig
from factlint.engine import Engine

TOWNS = ["Ashby", "Brora", "Cleve", "Dunmore", "Eskdale", "Fenwick", "Garve", "Hexham",
         "Inverurie", "Jedmoor", "Kirkton", "Lairg", "Methven", "Nairn", "Oban", "Peebles",
         "Quarff", "Rhynie", "Scalby", "Tain", "Ullapool", "Voe", "Wick", "Yell"]
STREETS = ["Mill Lane", "Dock Road", "Kiln Row", "Tanner Street", "Brewery Wynd"]


def _filler() -> dict[str, str]:
    """Two dozen articles, each on a fire in another town: sentences enough (over 50)
    that no name reaches the share bound."""
    return {f"town{i}.txt": (f"Fire in {town}\nA fire at a warehouse in {town} killed "
                             f"{i + 2} people on Monday.\n\nFirefighters from {town} said "
                             f"{i + 11} homes were evacuated.\n")
            for i, town in enumerate(TOWNS)}


def _engine(tmp: Path, files: dict[str, str], crowded: int | None) -> Engine:
    corpus = tmp / "corpus"
    corpus.mkdir()
    for name, text in {**_filler(), **files}.items():
        (corpus / name).write_text(text, encoding="utf-8")
    rules: list[Path] = []
    if crowded is not None:
        folder = tmp / "rules"
        folder.mkdir()
        (folder / "values.yml").write_text(f"compare:\n  crowded_key: {crowded}\n",
                                           encoding="utf-8")
        rules.append(folder)
    engine = Engine(EngineConfig(corpus=[corpus], cache_dir=tmp / "cache", rules=rules))
    engine.load_corpus()
    return engine


SOURCES = ["officials", "the council", "police", "the fire service", "neighbours"]


def _reports(n: int) -> dict[str, str]:
    """``n`` reports of one fire, each in its own words: the same toll each time."""
    return {f"harwick{i}.txt": (f"Harwick mourns\nThe fire at the Mill Lane mill in Harwick "
                                f"killed 7 people, {SOURCES[i]} said.\n") for i in range(n)}


def _numbers(engine: Engine, draft: str) -> tuple[list[str], list[str]]:
    return findings_and_agreed(engine, draft, "count")


DRAFT = "The fire at the Mill Lane mill in Harwick killed 9 people."


def test_few_reports_of_one_fire_identify_it(tmp_path: Path) -> None:
    engine = _engine(tmp_path, _reports(3), crowded=3)
    messages, _ = _numbers(engine, DRAFT)
    assert len(messages) == 1 and "9" in messages[0] and "7" in messages[0]
    assert _numbers(engine, DRAFT.replace("9", "seven")) == ([], ["seven"])


def test_crowded_names_alone_say_nothing(tmp_path: Path) -> None:
    # five reports: every name of the claim is in more than three sentences, and the facts
    # naming all of them are more than three too: a recurring subject, not one occurrence
    engine = _engine(tmp_path, _reports(5), crowded=3)
    assert _numbers(engine, DRAFT) == ([], [])


@pytest.mark.parametrize("crowded", [None, 0])
def test_without_the_bound_the_same_reports_identify_it(tmp_path: Path,
                                                        crowded: int | None) -> None:
    # the default bound (100) is far above five reports, and 0 is none: compared as before
    engine = _engine(tmp_path, _reports(5), crowded=crowded)
    messages, _ = _numbers(engine, DRAFT)
    assert len(messages) == 1 and "7" in messages[0]


def test_a_rare_name_still_identifies_among_crowded_ones(tmp_path: Path) -> None:
    # Harwick is crowded by five reports of other fires there; the street is named once
    files = {f"other{i}.txt": (f"Harwick again\nA fire at a shop on {street} in Harwick "
                               f"killed {i + 1} people.\n")
             for i, street in enumerate(STREETS[1:] + ["Quay Street"])}
    files["mill.txt"] = "Mill fire\nThe fire at the Mill Lane mill in Harwick killed 7 people.\n"
    engine = _engine(tmp_path, files, crowded=3)
    messages, _ = _numbers(engine, DRAFT)
    assert len(messages) == 1 and "7" in messages[0]
    # the crowded town alone names five fires with five tolls: silent
    assert _numbers(engine, "A fire in Harwick killed 9 people.") == ([], [])
