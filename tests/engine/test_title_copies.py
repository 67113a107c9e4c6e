"""A person's title given in many sentences is one title fact: lookups return the first, the
later copies are evidence only, and removing the first article brings the next one up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factlint.check import check_draft
from factlint.corpus import build_index
from factlint.factdb import terms_of
from factlint.rules import load_rules

ARTICLES = {
    "a.txt": "Harbour Commissioner Ines Varga opened the new ferry terminal on Monday.\n",
    "b.txt": "Harbour Commissioner Ines Varga said the ferries would run every hour.\n",
    "c.txt": "Fares will rise in April, Harbour Commissioner Ines Varga said on Friday.\n",
}


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def _titles(index) -> list:
    return [f for f in index.facts if f.kind == "role"]


def test_one_title_fact_with_its_copies_as_evidence(tmp_path: Path, engine, rules) -> None:
    index = build_index([_corpus(tmp_path)], rules, tmp_path / "cache", lambda: engine.nlp)
    titles = _titles(index)
    assert len(titles) == 1  # three sentences, one title of one person
    pid = titles[0].key["person"]
    assert index.lookup("role", pid) == titles
    copies = index.copies(titles[0])
    assert [Path(f.prov.path).name for f in copies] == ["a.txt", "b.txt", "c.txt"]
    # the draft's agreeing title is confirmed by every sentence that gives it
    supported: list = []
    check_draft("Harbour Commissioner Ines Varga cut the ribbon.\n", index, rules, engine.nlp,
                markdown=False, supported=supported)
    roles = [s for s in supported if s.kind == "role"]
    assert [Path(e.path).name for s in roles for e in s.evidence] == ["a.txt", "b.txt", "c.txt"]
    # a contradicting title is still reported, from the first sentence, with a copy beside it
    found = check_draft("Mayor Ines Varga cut the ribbon.\n", index, rules, engine.nlp,
                        markdown=False)
    role = [d for d in found if d.code == "role"]
    assert len(role) == 1 and role[0].fix is not None
    assert role[0].fix.new_text == "Harbour Commissioner"
    assert [Path(e.path).name for e in role[0].evidence] == ["a.txt", "b.txt"]


def test_removing_the_first_copy_brings_the_next_up(tmp_path: Path, engine, rules) -> None:
    corpus = _corpus(tmp_path)
    nlp = lambda: engine.nlp  # noqa: E731
    build_index([corpus], rules, tmp_path / "inc", nlp)
    (corpus / "a.txt").unlink()
    os.utime(corpus, None)
    after = build_index([corpus], rules, tmp_path / "inc", nlp)
    titles = _titles(after)
    assert [Path(f.prov.path).name for f in titles] == ["b.txt"]
    assert [Path(f.prov.path).name for f in after.copies(titles[0])] == ["b.txt", "c.txt"]
    full = build_index([corpus], rules, tmp_path / "full", nlp)
    assert [f.to_json() for f in after.facts] == [f.to_json() for f in full.facts]
    # the copy brought up is found by its keys, as the other holders' lookup finds titles
    office = sorted(t for t in terms_of(titles[0]) if t.startswith(("o:", "os:")))
    assert office and after.lookup("role", None, office) == titles
    postings = "SELECT term, kb, COUNT(*) FROM terms GROUP BY term, kb ORDER BY term, kb"
    assert after.db._query(postings) == full.db._query(postings)
