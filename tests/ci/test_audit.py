"""factlint audit: the corpus checked against itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_helpers import write

QUOTE = "We will not give up a single metre of our land to the invaders"


@pytest.fixture
def corpus(work: Path) -> Path:
    folder = work / "corpus"
    write(folder / "a.txt",
          "Russia annexed Crimea in 2014.\n\n"
          f'"{QUOTE}," Volodymyr Zelensky said on Monday.\n\n'
          "Dmitry Peskov, the Kremlin spokesman, said talks would continue.\n")
    write(folder / "b.txt",
          "Russia annexed Crimea in 2015.\n\n"
          f'"{QUOTE}," Dmitry Peskov said on Tuesday.\n\n'
          "Kremlin spokesman Dmitry Peskov declined to comment.\n")
    return folder


def test_two_disagreeing_sources(run, corpus: Path) -> None:
    code, out, err = run("audit", "--corpus", corpus, "--format", "json")
    assert code == 1, err
    conflicts = json.loads(out)["conflicts"]
    assert [c["code"] for c in conflicts] == ["date", "quote-speaker"]
    date, speaker = conflicts
    assert [(s["source"], s["line"], s["value"]) for s in date["sources"]] == [
        ("corpus/a.txt", 1, "2014"), ("corpus/b.txt", 1, "2015")]
    assert date["sources"][0]["text"] == "Russia annexed Crimea in 2014."
    assert date["subject"] == "The annexation"
    assert [(s["source"], s["line"], s["value"]) for s in speaker["sources"]] == [
        ("corpus/a.txt", 3, "Volodymyr Zelensky"), ("corpus/b.txt", 3, "Dmitry Peskov")]
    assert QUOTE in speaker["sources"][1]["text"]
    assert all(c["severity"] == "error" for c in conflicts)


def test_text_output_names_both_sources(run, corpus: Path) -> None:
    code, out, _ = run("audit", "--corpus", corpus)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("corpus/a.txt:1:1: error date: The annexation: corpus/a.txt:1 says "
                        "2014, corpus/b.txt:1 says 2015")
    assert lines[1] == "    corpus/a.txt:1: Russia annexed Crimea in 2014."
    assert lines[2] == "    corpus/b.txt:1: Russia annexed Crimea in 2015."
    assert lines[3].startswith("corpus/a.txt:3:1: error quote-speaker: Speaker of")
    assert len(lines) == 6


def test_agreeing_sources_are_not_conflicts(run, corpus: Path) -> None:
    b = corpus / "b.txt"
    b.write_text(b.read_text().replace("2015", "2014").replace(
        "Dmitry Peskov said on Tuesday", "Volodymyr Zelensky said on Tuesday"))
    code, out, err = run("audit", "--corpus", corpus)
    assert (code, out) == (0, ""), err


def test_a_source_that_also_agrees_is_not_in_conflict(run, corpus: Path) -> None:
    b = corpus / "b.txt"
    b.write_text(b.read_text() + "\nThe annexation of Crimea by Russia in 2014 was condemned.\n")
    code, data = run.json("audit", "--corpus", corpus)
    assert [c["code"] for c in data["conflicts"]] == ["quote-speaker"]


def test_config_severity_and_disable_apply(run, corpus: Path, work: Path) -> None:
    write(work / "factlint.toml", 'corpus = ["corpus"]\ndisable = ["date"]\n'
                                  '[severity]\nquote-speaker = "warning"\n')
    code, data = run.json("audit")
    assert code == 1
    assert [(c["code"], c["severity"]) for c in data["conflicts"]] == [
        ("quote-speaker", "warning")]
    code, data = run.json("audit", "--disable", "quote-speaker")
    assert (code, data["conflicts"]) == (0, [])


def test_bundled_seeds_agree_with_each_other(run) -> None:
    code, out, _ = run("audit")
    assert (code, out) == (0, "")


def test_audit_input_errors(run, work: Path) -> None:
    code, _, err = run("audit", "--corpus", work / "missing")
    assert code == 2 and "corpus path does not exist" in err


def test_planted_conflicts_in_a_copy_of_a_seed(run, work: Path) -> None:
    """A seed article copied with three facts changed: exactly those are reported."""
    import shutil

    from ci_helpers import REPO

    corpus = work / "seeds"
    shutil.copytree(REPO / "seeds", corpus)
    original = (corpus / "002_25c4805a9411152e.txt").read_text(encoding="utf-8")
    changed = (original.replace("since December 2019", "since December 2018")
               .replace("attend,” Mr. Zelensky shared", "attend,” Mr. Peskov shared")
               .replace("30-day", "45-day"))
    assert changed.count("45-day") >= 2 and changed != original
    write(corpus / "005_copy.txt", changed)
    code, data = run.json("audit", "--corpus", corpus)
    assert code == 1
    conflicts = data["conflicts"]
    assert {c["code"] for c in conflicts} == {"date", "quote-speaker", "number"}
    for c in conflicts:
        a, b = c["sources"]
        assert a["source"].endswith("002_25c4805a9411152e.txt")
        assert b["source"].endswith("005_copy.txt") and a["line"] == b["line"]
    values = {(c["code"], c["sources"][0]["value"], c["sources"][1]["value"]) for c in conflicts}
    assert ("date", "December 2019", "December 2018") in values
    assert ("quote-speaker", "Volodymyr Zelensky", "Dmitry Peskov") in values
    assert ("number", "30", "45") in values


def _titles_corpus(folder: Path, texts: dict[str, str]) -> Path:
    for name, text in texts.items():
        write(folder / name, text)
    return folder


def test_a_title_repeated_in_later_sources_still_counts_for_each(run, work: Path) -> None:
    """The index keeps one fact per person and title; the audit reads every source's own
    titles: b.txt also gives the title a.txt gives, so its other title is no conflict."""
    folder = _titles_corpus(work / "titles", {
        "a.txt": "Harbour Commissioner Ines Varga opened the new ferry terminal on Monday.\n",
        "b.txt": "Harbour Commissioner Ines Varga said the ferries would run every hour.\n\n"
                 "Mayor Ines Varga later thanked the crews.\n",
        "c.txt": "Harbour Commissioner Ines Varga spoke again on Friday.\n",
    })
    code, out, err = run("audit", "--corpus", folder)
    assert (code, out) == (0, ""), err


def test_a_source_whose_title_is_a_copy_is_still_audited(run, work: Path) -> None:
    folder = _titles_corpus(work / "titles2", {
        "a.txt": "Harbour Commissioner Ines Varga opened the new ferry terminal on Monday.\n",
        "b.txt": "Mayor Ines Varga thanked the crews.\n",
        "c.txt": "Harbour Commissioner Ines Varga spoke again on Friday.\n",
    })
    code, data = run.json("audit", "--corpus", folder)
    pairs = [tuple(s["source"] for s in c["sources"]) for c in data["conflicts"]]
    assert pairs == [("titles2/a.txt", "titles2/b.txt"), ("titles2/b.txt", "titles2/c.txt")]
