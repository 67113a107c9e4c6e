"""An index brought up to date article by article equals one built from scratch.

A property test over random sequences of adding, changing and removing articles (from the
domain corpora and the seeds, and articles written to depend on each other: a surname that
only another article names in full, a title only another article gives), comparing after
every step everything a check reads: the facts in order, the people registry, the known
titles, the articles, the anchor statistics.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from factlint.corpus import build_index
from factlint.rules import load_rules

REPO = Path(__file__).resolve().parents[2]
POOL = sorted((REPO / "tests" / "domains").glob("*/corpus/*")) + sorted(
    (REPO / "seeds").glob("*.txt"))[:2]

# articles that change what other articles mean
LINKED = {
    "parker-bare.txt": "Parker said the bridge would reopen in May.\n\n"
                       "The mayor said the repairs had cost 4 million pounds.\n",
    "parker-full.txt": "Mayor Jo Parker visited the bridge on Tuesday.\n\n"
                       "\"We will not cut corners,\" Jo Parker said.\n",
    "parker-other.txt": "Sam Parker, a local engineer, said the bridge was safe.\n",
}


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _state(index) -> dict:
    db = index.db
    return {
        "facts": [f.to_json() for f in index.facts],
        "people": index.people.to_json(),
        "roles": {p: [t.to_json() for t in ts] for p, ts in index.roles.titles.items()},
        "files": index.files,
        "df": sorted(db._query("SELECT word, pfx, n FROM df")),
        "terms": sorted(db._query("SELECT term, n FROM term_counts")),
        "bucket_terms": sorted(db._query("SELECT term, kb, n FROM bucket_term_counts")),
        "postings": sorted(db._query("SELECT t.term, t.kb, f.doc, f.ord, f.seq FROM terms t "
                                     "JOIN facts f ON f.id = t.id")),
        "sentences": db.n_sentences,
        "count": len(index.facts),
    }


def _write(path: Path, text: str, tick: list[int]) -> None:
    path.write_text(text, encoding="utf-8")
    tick[0] += 1_000_000_000  # a new mtime even when the size is the same
    os.utime(path, ns=(tick[0], tick[0]))


def _texts() -> dict[str, str]:
    out = {f"{p.parent.parent.name}-{p.name}": p.read_text(encoding="utf-8") for p in POOL}
    out.update(LINKED)
    return out


def _step(rng: random.Random, corpus: Path, texts: dict[str, str], tick: list[int]) -> str:
    present = sorted(p.name for p in corpus.iterdir())
    absent = sorted(set(texts) - set(present))
    moves = ["add"] * bool(absent) + ["remove", "change", "edit"] * (len(present) > 1)
    move = rng.choice(moves)
    if move == "add":
        name = rng.choice(absent)
        _write(corpus / name, texts[name], tick)
    elif move == "remove":
        name = rng.choice(present)
        (corpus / name).unlink()
    elif move == "change":  # another article's text under this name
        name = rng.choice(present)
        _write(corpus / name, texts[rng.choice(sorted(texts))], tick)
    else:  # a paragraph of another article appended
        name = rng.choice(present)
        para = rng.choice(texts[rng.choice(sorted(texts))].split("\n\n"))
        _write(corpus / name, (corpus / name).read_text() + "\n\n" + para.strip() + "\n", tick)
    return f"{move} {name}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_updates_equal_a_full_rebuild(seed: int, tmp_path: Path, engine,
                                             rules) -> None:
    rng = random.Random(seed)
    texts = _texts()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tick = [1_700_000_000_000_000_000]
    for name in rng.sample(sorted(texts), 5):
        _write(corpus / name, texts[name], tick)
    nlp = lambda: engine.nlp  # noqa: E731
    build_index([corpus], rules, tmp_path / "inc", nlp)
    history = []
    for n in range(6):
        history.append(_step(rng, corpus, texts, tick))
        incremental = build_index([corpus], rules, tmp_path / "inc", nlp)
        full = build_index([corpus], rules, tmp_path / f"full-{n}", nlp)
        assert incremental.report.generation > 1 and full.report.generation == 1
        assert _state(incremental) == _state(full), history


def test_an_article_that_names_someone_in_full_updates_the_others(tmp_path: Path, engine,
                                                                 rules) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tick = [1_700_000_000_000_000_000]
    _write(corpus / "a.txt", LINKED["parker-bare.txt"], tick)
    nlp = lambda: engine.nlp  # noqa: E731
    before = build_index([corpus], rules, tmp_path / "inc", nlp)
    assert not [f for f in before.facts if f.kind == "role"]
    _write(corpus / "b.txt", LINKED["parker-full.txt"], tick)
    after = build_index([corpus], rules, tmp_path / "inc", nlp)
    # only b.txt is parsed; a.txt is re-extracted because "Parker" now names someone
    assert after.report.added == [after.files[1]] and after.report.reextracted == 1
    assert _state(after) == _state(build_index([corpus], rules, tmp_path / "full", nlp))
    # an unrelated article re-extracts nothing
    _write(corpus / "c.txt", texts_of("business")[0], tick)
    third = build_index([corpus], rules, tmp_path / "inc", nlp)
    assert third.report.reextracted == 0 and len(third.report.added) == 1


def texts_of(domain: str) -> list[str]:
    return [p.read_text(encoding="utf-8")
            for p in sorted((REPO / "tests" / "domains" / domain / "corpus").glob("*"))]


def test_nothing_changed_reads_no_article(tmp_path: Path, engine, rules,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "tests" / "domains" / "sport" / "corpus", corpus)
    build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    reads: list[str] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        reads.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    again = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    assert again.from_cache and reads == []
    (corpus / sorted(p.name for p in corpus.iterdir())[0]).touch()  # new mtime, same text
    touched = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    assert touched.from_cache and len(reads) == 1


def test_a_writer_that_commits_while_another_plans_is_not_mixed_in(
        tmp_path: Path, engine, rules, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writer B commits while writer A is reading what the index holds: A's update is
    refused and planned again, so the index still equals a build from scratch."""
    from factlint.corpus import _dated
    from factlint.index import runners
    from factlint.index.dialect import SQLITE
    from factlint.index.scan import scan_corpus
    from factlint.index.tables import Conflict, Tables
    from factlint.index.update import update
    from factlint.store import _connect
    from factlint.values import ValueReader

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tick = [1_700_000_000_000_000_000]
    _write(corpus / "a.txt", LINKED["parker-bare.txt"], tick)
    _write(corpus / "c.txt", texts_of("sport")[0], tick)
    first = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    path = first.db.path
    reader = ValueReader(rules)
    run = lambda n: runners.SerialRunner(rules, lambda: engine.nlp)  # noqa: E731
    dated = lambda d: _dated(d, reader)  # noqa: E731
    _write(corpus / "c.txt", texts_of("sport")[1], tick)
    seen_by_a = scan_corpus([corpus])
    _write(corpus / "b.txt", LINKED["parker-full.txt"], tick)
    a, b = Tables(_connect(path), SQLITE), Tables(_connect(path), SQLITE)
    real = Tables.skipped

    def b_commits_meanwhile(self: Tables):  # noqa: ANN202
        out = real(self)
        if self is a:
            update(b, scan_corpus([corpus]), rules, run, dated)
        return out

    monkeypatch.setattr(Tables, "skipped", b_commits_meanwhile)
    with pytest.raises(Conflict):
        update(a, seen_by_a, rules, run, dated)
    monkeypatch.setattr(Tables, "skipped", real)
    after = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    full = build_index([corpus], rules, tmp_path / "full", lambda: engine.nlp)
    assert _state(after) == _state(full)


def _deny_reading(monkeypatch: pytest.MonkeyPatch, name: str):  # noqa: ANN202
    """Reading the file ``name`` fails as it would without permission; the real reader."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return real


def test_re_extraction_reads_the_article_as_indexed_not_the_disk(
        tmp_path: Path, engine, rules, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tick = [1_700_000_000_000_000_000]
    _write(corpus / "a.txt", LINKED["parker-bare.txt"], tick)
    build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    _write(corpus / "b.txt", LINKED["parker-full.txt"], tick)
    full = build_index([corpus], rules, tmp_path / "full", lambda: engine.nlp)
    _deny_reading(monkeypatch, "a.txt")
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: pytest.fail("read"))
    after = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    assert after.report.reextracted == 1  # a.txt, from its stored text and parse
    assert _state(after) == _state(full)


def test_a_file_skipped_as_unreadable_is_tried_again(tmp_path: Path, engine, rules,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tick = [1_700_000_000_000_000_000]
    _write(corpus / "a.txt", texts_of("sport")[0], tick)
    _write(corpus / "b.txt", texts_of("sport")[1], tick)
    real = _deny_reading(monkeypatch, "b.txt")
    first = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    assert [s.reason for s in first.report.skipped] == ["unreadable (Permission denied)"]
    # ... and an unchanged draft's cached result is not trusted while it may change that
    from factlint.index.freshness import fresh_content

    assert fresh_content([corpus], rules, tmp_path / "inc", None) is None
    monkeypatch.setattr(Path, "read_bytes", real)  # permissions fixed, same stat
    again = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    assert len(again.files) == 2 and len(again.report.added) == 1


def test_a_busy_index_is_not_deleted(tmp_path: Path, engine, rules,
                                     monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import sqlite3

    import factlint.store

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "tests" / "domains" / "sport" / "corpus", corpus)
    first = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    path = first.db.path
    inode = path.stat().st_ino
    first.db.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    monkeypatch.setattr(factlint.store, "LOCK_TIMEOUT_S", 0.2)
    try:
        busy = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "busy" in capsys.readouterr().err and len(busy.facts) == len(first.facts)
    assert path.exists() and path.stat().st_ino == inode
    assert build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp).from_cache
