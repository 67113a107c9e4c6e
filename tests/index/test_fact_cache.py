"""Decoded facts kept in memory (``FactDB.get`` answers a kept id without reading the
table) never outlive the index state they were read from."""

from __future__ import annotations

import shutil
from pathlib import Path

from factlint.config import EngineConfig
from factlint.engine import Engine

REPO = Path(__file__).resolve().parents[2]
SPORT = REPO / "tests" / "domains" / "sport" / "corpus"


def _engine(corpus: Path, cache: Path, nlp) -> Engine:
    e = Engine(EngineConfig(corpus=[corpus], cache_dir=cache))
    e._nlp = nlp
    return e


def test_kept_facts_of_a_removed_article_are_not_returned(tmp_path: Path, engine) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SPORT, corpus)
    cache = tmp_path / "cache"  # one SQLite index, read by one engine, updated by another
    reader = _engine(corpus, cache, engine.nlp).load_corpus()
    db = reader.db
    ids = db.all_ids()
    before = db.get(ids)  # every fact decoded and kept
    removed = sorted(corpus.iterdir())[0]
    removed.unlink()
    _engine(corpus, cache, engine.nlp).reload_corpus()  # the writer drops its facts
    with reader.snapshot():  # (reads the other process's update first, as a check does)
        after = db.get(ids)
        still = set(db.all_ids()) & set(ids)  # (articles that named the same people may
        # have been read again, under new ids)
        current = db.get(sorted(still))
    assert any(Path(f.prov.path).name == removed.name for f in before)
    assert not any(Path(f.prov.path).name == removed.name for f in after)
    assert [f.to_json() for f in after] == [f.to_json() for f in current]
