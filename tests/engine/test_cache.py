"""The SQLite fact cache: reused when current, rebuilt when stale or corrupt."""

from __future__ import annotations

from pathlib import Path

import pytest

from factlint.corpus import build_index
from factlint.rules import load_rules


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.txt").write_text("Russia annexed Crimea in 2014.\n")
    return d


def _build(corpus: Path, cache: Path, engine, calls: list[int]):
    def factory():
        calls.append(1)
        return engine.nlp
    return build_index([corpus], load_rules(), cache, nlp_factory=factory)


def test_second_run_does_not_parse(tmp_path: Path, corpus: Path, engine) -> None:
    cache, calls = tmp_path / "cache", []
    first = _build(corpus, cache, engine, calls)
    second = _build(corpus, cache, engine, calls)
    assert calls == [1]  # the model was needed once
    assert not first.from_cache and second.from_cache
    assert [f.to_json() for f in first.facts] == [f.to_json() for f in second.facts]


def test_stale_key_rebuilds(tmp_path: Path, corpus: Path, engine) -> None:
    cache, calls = tmp_path / "cache", []
    _build(corpus, cache, engine, calls)
    (corpus / "a.txt").write_text("Russia annexed Crimea in 2015.\n")
    index = _build(corpus, cache, engine, calls)
    assert calls == [1, 1] and not index.from_cache
    assert index.of_kind("date")[0].value["year"] == 2015


def test_corrupt_file_rebuilds_with_warning(tmp_path: Path, corpus: Path, engine,
                                            capsys) -> None:
    cache, calls = tmp_path / "cache", []
    _build(corpus, cache, engine, calls)
    (db,) = cache.glob("index-*.sqlite")
    db.write_bytes(b"this is not a database" * 10)
    index = _build(corpus, cache, engine, calls)
    assert not index.from_cache and len(calls) == 2
    assert "rebuilding" in capsys.readouterr().err
    assert _build(corpus, cache, engine, calls).from_cache
