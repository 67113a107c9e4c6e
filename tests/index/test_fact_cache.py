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


def test_kept_word_postings_follow_an_update(tmp_path: Path, engine) -> None:
    """Posting lists kept for the quotation filter are those of the reader's index state:
    a quotation another process adds is found at the next check, one it removes is not."""
    from factlint.factdb import QUOTE_WORD

    corpus = tmp_path / "corpus"
    shutil.copytree(SPORT, corpus)
    cache = tmp_path / "cache"
    reader = _engine(corpus, cache, engine.nlp).load_corpus()
    db = reader.db
    quote = next(f for f in db.scan("quote") if len(f.value["words"]) >= 6)
    words = quote.value["words"]

    def found() -> list[str]:
        with reader.snapshot():
            return [" ".join(f.value["words"]) for f in db.get(
                db.word_ids("quote", None, QUOTE_WORD, words, len(words)))]

    assert " ".join(words) in found()  # every word's list now kept
    source = Path(quote.prov.path)
    kept_text = source.read_text(encoding="utf-8")
    source.unlink()
    _engine(corpus, cache, engine.nlp).reload_corpus()
    assert " ".join(words) not in found()
    (corpus / "again.txt").write_text(kept_text, encoding="utf-8")
    _engine(corpus, cache, engine.nlp).reload_corpus()
    assert " ".join(words) in found()


def test_an_sqlite_index_is_read_through_a_memory_map(tmp_path: Path, engine) -> None:
    """The reader maps the index file (``FactDB.MMAP_BYTES``); an update another engine
    writes meanwhile is read through the map like any other."""
    from factlint.factdb import FactDB

    corpus = tmp_path / "corpus"
    shutil.copytree(SPORT, corpus)
    cache = tmp_path / "cache"
    reader = _engine(corpus, cache, engine.nlp).load_corpus()
    mapped = reader.db.con.execute("PRAGMA mmap_size").fetchone()[0]
    assert mapped == FactDB.MMAP_BYTES
    before = len(reader.db.all_ids())
    (corpus / "more.txt").write_text(
        "Coach Dana Whitfield said on Sunday that the club would appeal the ban.\n",
        encoding="utf-8")
    _engine(corpus, cache, engine.nlp).reload_corpus()
    with reader.snapshot():
        assert len(reader.db.all_ids()) > before
