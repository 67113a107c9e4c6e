"""Whole-draft result cache: unchanged drafts re-check without spaCy; changes invalidate."""

from __future__ import annotations

from pathlib import Path

from factlint.config import EngineConfig
from factlint.engine import Engine

DRAFT = '"We aim to establish a beginning to the end of the war," Kallas said.\n'


def _engine(cache: Path, corpus: Path | None = None) -> Engine:
    e = Engine(EngineConfig(cache_dir=cache, corpus=[corpus] if corpus else []))
    e.enable_result_cache()
    return e


def test_second_process_needs_no_model(cache_dir: Path) -> None:
    first = _engine(cache_dir).check_text(DRAFT, "d.md")
    fresh = _engine(cache_dir)  # as a new CLI process would
    again = fresh.check_text(DRAFT, "d.md")
    assert fresh._nlp is None and fresh._index is None  # neither spaCy nor the index loaded
    assert again == first and again[0].code == "quote-speaker"
    assert again[0].evidence == first[0].evidence and again[0].fix == first[0].fix


def test_overrides_apply_to_cached_results(cache_dir: Path) -> None:
    _engine(cache_dir).check_text(DRAFT, "d.md")
    e = _engine(cache_dir)
    e.configure(severity={"quote-speaker": "warning"})
    assert [d.severity for d in e.check_text(DRAFT, "d.md")] == ["warning"]
    e.configure(disable=["quote-speaker"])
    assert e.check_text(DRAFT, "d.md") == []


def test_corpus_change_invalidates(tmp_path: Path, engine) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Russia annexed Crimea in 2014.\n")
    cache = tmp_path / "cache"
    draft = "Russia annexed Crimea in 2016.\n"
    e = _engine(cache, corpus)
    e._nlp = engine.nlp  # share the loaded model to keep the test fast
    assert [d.code for d in e.check_text(draft, "d.md")] == ["date"]
    (corpus / "a.txt").write_text("Russia annexed Crimea in 2016.\n")
    e2 = _engine(cache, corpus)
    e2._nlp = engine.nlp
    assert e2.check_text(draft, "d.md") == []
