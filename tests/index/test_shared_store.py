"""The fact index shared: in a real PostgreSQL server, the same diagnostics as the SQLite index,
updated article by article, read by checks while an indexer writes, and one clear line (exit
2) when the store is unreachable or was written by another version."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from factlint.config import EngineConfig
from factlint.diagnostics import diagnostic_record
from factlint.engine import Engine

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SPORT = REPO / "tests" / "domains" / "sport" / "corpus"


def _drafts() -> list[tuple[str, str]]:
    """Silent articles and drafts that fire, of the project's own, and the dev drafts where
    ``../shared`` is checked out beside the project (CI's layout; a bare clone lacks it)."""
    paths = sorted((REPO / "tests" / "engine" / "articles").glob("*.md"))
    paths += sorted((REPO / "tests" / "index" / "drafts").glob("*.md"))
    paths += sorted((REPO.parent / "shared" / "eval" / "drafts").glob("*.md"))
    paths.append(REPO / "examples" / "draft.md")
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


def _engine(corpus: list[Path], cache: Path, store: str | None, nlp) -> Engine:
    e = Engine(EngineConfig(corpus=corpus, cache_dir=cache, store=store))
    e._nlp = nlp
    return e


def _records(engine: Engine, drafts: list[tuple[str, str]]) -> list:
    return [(name, [diagnostic_record(d) for d in engine.check_text(text, name)])
            for name, text in drafts]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A corpus folder of its own: its own schema in the shared server."""
    d = tmp_path / f"corpus-{uuid.uuid4().hex[:8]}"
    shutil.copytree(SEEDS, d)
    return d


def test_postgres_equals_sqlite_on_the_seeds_and_dev_drafts(corpus: Path, tmp_path: Path,
                                                           pg_url: str, engine) -> None:
    drafts = _drafts()
    assert len(drafts) >= 5
    sqlite = _engine([corpus], tmp_path / "sqlite", None, engine.nlp)
    pg = _engine([corpus], tmp_path / "pg", pg_url, engine.nlp)
    assert [f.to_json() for f in pg.facts()] == [f.to_json() for f in sqlite.facts()]
    expected = _records(sqlite, drafts)
    assert sum(len(r) for _, r in expected) > 5  # the drafts do fire
    assert _records(pg, drafts) == expected
    assert pg.load_corpus().db.where.startswith("postgresql://")
    assert ":***@" in pg.load_corpus().db.where  # no password in messages


def test_postgres_updates_article_by_article(corpus: Path, tmp_path: Path, pg_url: str,
                                             engine) -> None:
    pg = _engine([corpus], tmp_path / "pg", pg_url, engine.nlp)
    pg.load_corpus()
    for src in sorted(SPORT.iterdir())[:2]:
        shutil.copy(src, corpus / src.name)
    again = pg.reload_corpus()
    assert len(again.report.added) == 2 and not again.report.changed
    fresh = _engine([corpus], tmp_path / "sqlite", None, engine.nlp)
    assert [f.to_json() for f in again.facts] == [f.to_json() for f in fresh.facts()]
    # another process (another engine) sees the update without re-indexing
    other = _engine([corpus], tmp_path / "pg2", pg_url, engine.nlp)
    assert other.load_corpus().from_cache and len(other.facts()) == len(again.facts)


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_reader_never_sees_half_an_update(kind: str, corpus: Path, tmp_path: Path,
                                          request: pytest.FixtureRequest, engine) -> None:
    """Checks run over and over while an indexer adds articles to the index they read (one
    PostgreSQL store, or one SQLite file): every check gives the findings of the index
    before or after the update, never a mix, never an error."""
    pg_url = request.getfixturevalue("pg_url") if kind == "postgresql" else None
    shared = tmp_path / "shared-cache"

    def cache(name: str) -> Path:
        return tmp_path / name if pg_url else shared

    draft = (REPO / "examples" / "draft.md").read_text(encoding="utf-8")
    reader = _engine([corpus], cache("r"), pg_url, engine.nlp)
    before = [diagnostic_record(d) for d in reader.check_text(draft, "draft.md",
                                                              use_cache=False)]
    extra = tmp_path / "extra.txt"
    extra.write_text("Russia annexed Crimea in 2015, the ministry said.\n\n"
                     "\"We aim to establish a beginning to the end of the war,\" Lavrov "
                     "said.\n", encoding="utf-8")
    seen: list[list] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.append([diagnostic_record(d) for d in reader.check_text(
                    draft, "draft.md", use_cache=False)])
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)
                return

    thread = threading.Thread(target=read)
    thread.start()
    try:
        writer = _engine([corpus], cache("w"), pg_url, engine.nlp)
        shutil.copy(extra, corpus / "zz-extra.txt")
        writer.reload_corpus()
        committed = len(seen)
        for _ in range(100):  # let the reader check twice after the commit too
            if len(seen) > committed + 1 or errors:
                break
            threading.Event().wait(0.1)
    finally:
        done.set()
        thread.join()
    after = [diagnostic_record(d) for d in _engine(
        [corpus], cache("a"), pg_url, engine.nlp).check_text(draft, "draft.md",
                                                            use_cache=False)]
    assert not errors
    assert after != before  # the update changed what the draft gets
    assert seen and all(s in (before, after) for s in seen)
    assert seen[-1] == after  # the reader picked the update up by itself


def _cli(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FACTLINT_CACHE_DIR": str(cache)}
    env.pop("FACTLINT_STORE", None)
    return subprocess.run([sys.executable, "-m", "factlint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_unreachable_store_is_one_line_and_exit_2(tmp_path: Path) -> None:
    draft = tmp_path / "d.md"
    draft.write_text("Russia annexed Crimea in 2015.\n")
    run = _cli("check", "--no-config", "--store", "postgresql://u:secret@127.0.0.1:1/x",
               str(draft), cwd=tmp_path, cache=tmp_path / "c")
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the index store" in lines[0], run.stderr
    assert "127.0.0.1:1" in lines[0] and "secret" not in lines[0]
    bad = _cli("check", "--no-config", "--store", "mysql://x", str(draft), cwd=tmp_path,
               cache=tmp_path / "c")
    assert bad.returncode == 2 and "postgresql://" in bad.stderr


def test_store_written_by_another_version_is_an_error(corpus: Path, tmp_path: Path,
                                                      pg_url: str) -> None:
    import psycopg

    from factlint.corpus import index_scope
    from factlint.index.pgstore import namespace
    from factlint.rules import load_rules

    built = _cli("index", "--no-config", "--corpus", str(corpus), "--store", pg_url,
                 cwd=tmp_path, cache=tmp_path / "c")
    assert built.returncode == 0, built.stderr
    schema = namespace(index_scope([corpus], load_rules(), None))
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute(f"UPDATE {schema}.meta SET value = 'older' WHERE key = 'key'")
    run = _cli("index", "--no-config", "--corpus", str(corpus), "--store", pg_url,
               cwd=tmp_path, cache=tmp_path / "c")
    assert run.returncode == 2 and "another factlint version" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    fixed = _cli("index", "--no-config", "--corpus", str(corpus), "--store", pg_url,
                 "--rebuild", cwd=tmp_path, cache=tmp_path / "c")
    assert fixed.returncode == 0 and "5 added" in fixed.stdout, fixed.stderr


def _drop_connections(pg_url: str) -> int:
    """What a store restart does to its clients: every factlint connection is cut."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        rows = con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                           "application_name = 'factlint' AND pid <> pg_backend_pid()"
                           ).fetchall()
    return len(rows)


def test_a_store_that_goes_away_abandons_the_check_then_comes_back(
        corpus: Path, tmp_path: Path, pg_url: str, engine) -> None:
    from factlint.errors import StoreUnavailable

    draft = (REPO / "examples" / "draft.md").read_text(encoding="utf-8")
    pg = _engine([corpus], tmp_path / "pg", pg_url, engine.nlp)
    expected = [diagnostic_record(d) for d in pg.check_text(draft, "d.md", use_cache=False)]
    assert expected
    assert _drop_connections(pg_url) >= 1
    with pytest.raises(StoreUnavailable) as failed:  # never an answer without the facts
        pg.check_text(draft.replace("45", "46"), "d.md", use_cache=False)
    assert "index store failed" in str(failed.value) and "***" in str(failed.value)
    again = [diagnostic_record(d) for d in pg.check_text(draft, "d.md", use_cache=False)]
    assert again == expected  # connected again for the next check


def test_a_reader_sees_the_store_rebuilt_under_it(corpus: Path, tmp_path: Path, pg_url: str,
                                                  engine) -> None:
    """``factlint index --rebuild`` by another process starts the store's generations and
    fact ids again: a live reader must read the new index, not its memory of the old."""
    from factlint.corpus import build_index

    draft = (REPO / "examples" / "draft.md").read_text(encoding="utf-8")
    reader = _engine([corpus], tmp_path / "r", pg_url, engine.nlp)
    before = [d.code for d in reader.check_text(draft, "d.md", use_cache=False)]
    assert "date" in before
    for p in corpus.iterdir():
        if "annex" in p.read_text(encoding="utf-8").lower():
            p.unlink()  # the source of the date finding leaves the corpus
    build_index([corpus], reader.rules, tmp_path / "w", lambda: engine.nlp, store=pg_url,
                rebuild=True)
    fresh = _engine([corpus], tmp_path / "f", None, engine.nlp)
    expected = [d.code for d in fresh.check_text(draft, "d.md", use_cache=False)]
    assert expected != before
    assert [d.code for d in reader.check_text(draft, "d.md", use_cache=False)] == expected
