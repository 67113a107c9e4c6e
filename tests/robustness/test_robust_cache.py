"""The on-disk caches under abuse: a truncated or corrupt index, a corrupt result cache, a
read-only cache folder, two ``factlint check`` processes indexing the same corpus at once.
Every run gives the right findings and leaves nothing half-written (no temporary files)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from robust_helpers import DATE, QUOTE, REPO, clean_env, finish_cli, run_cli, start_cli

SEEDS = REPO / "seeds"
# the two articles the firing sentences contradict: a small corpus that indexes quickly
ARTICLES = ("000_10bec7b2545cf40c.txt", "002_25c4805a9411152e.txt")
DRAFT = f"{QUOTE}\n\n{DATE}\n"


@pytest.fixture
def project() -> Iterator[Path]:
    """A folder with a small corpus and a draft."""
    root = Path(tempfile.mkdtemp(prefix="factlint-robust-"))
    try:
        (root / "corpus").mkdir()
        for name in ARTICLES:
            shutil.copy(SEEDS / name, root / "corpus" / name)
        (root / "draft.md").write_text(DRAFT, encoding="utf-8")
        yield root
    finally:
        for path in [root, *root.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)


ARGS = ["check", "--no-config", "--corpus", "corpus", "draft.md"]


def check(project: Path, cache: Path, **popen: object):
    return run_cli(ARGS, project, clean_env(cache), **popen)


def leftovers(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()
                  if p.name.endswith((".tmp", "-journal", "-wal", "-shm")))


def assert_findings(run) -> None:
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert [ln.split(": ")[1].split()[-1] for ln in lines] == ["quote-speaker", "date"], lines
    assert "Traceback" not in run.stderr


def test_two_processes_index_the_same_corpus_at_once(project: Path) -> None:
    cache = project / "cache"
    env = clean_env(cache)
    started = time.monotonic()
    procs = [start_cli(ARGS, project, env) for _ in range(2)]
    first, second = (finish_cli(p, ARGS, started) for p in procs)
    assert_findings(first)
    assert first.stdout == second.stdout
    assert "warning" not in first.stderr + second.stderr
    assert len(list(cache.glob("index-*.sqlite"))) == 1 and leftovers(cache) == []
    third = check(project, cache)  # from the cache both wrote: the same findings
    assert third.stdout == first.stdout and third.stderr == ""


def test_truncated_and_corrupt_index_is_rebuilt(project: Path) -> None:
    cache = project / "cache"
    expected = check(project, cache)
    assert_findings(expected)
    (index,) = cache.glob("index-*.sqlite")
    for damage in ("truncate", "garbage"):
        (cache / "results.sqlite").unlink(missing_ok=True)  # else the result cache answers
        data = index.read_bytes()
        index.write_bytes(data[:len(data) // 2] if damage == "truncate"
                          else os.urandom(len(data)))
        run = check(project, cache)
        assert run.stdout == expected.stdout, damage
        assert "rebuilding" in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert leftovers(cache) == []
        assert check(project, cache).stderr == ""  # rebuilt and whole again


def test_corrupt_result_cache_is_ignored(project: Path) -> None:
    cache = project / "cache"
    expected = check(project, cache)
    results = cache / "results.sqlite"
    assert results.exists()
    results.write_bytes(b"SQLite format 3\0" + os.urandom(4096))
    run = check(project, cache)
    assert run.stdout == expected.stdout and run.returncode == 1
    assert "Traceback" not in run.stderr


def test_orphaned_temporary_files_are_removed(project: Path) -> None:
    cache = project / "cache"
    cache.mkdir()
    orphan = cache / ".index-killed.tmp"  # what a writer killed mid-write leaves
    orphan.write_bytes(b"half an index")
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    fresh = cache / ".index-writing.tmp"  # another process is writing this one right now
    fresh.write_bytes(b"")
    assert_findings(check(project, cache))
    assert not orphan.exists() and fresh.exists()


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``folder`` read-only; as root (whom permissions do not stop) also make every
    attempt to create or remove a file in it fail as the kernel would for anyone else."""
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return
    denied = PermissionError(13, "Permission denied")
    real_mkstemp, real_unlink = tempfile.mkstemp, Path.unlink

    def mkstemp(*args, **kw):
        if Path(kw.get("dir") or args[2]).resolve() == folder.resolve():
            raise denied
        return real_mkstemp(*args, **kw)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.resolve().parent == folder.resolve():
            raise denied
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(Path, "unlink", unlink)


def test_read_only_cache_folder(project: Path, engine, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    from factlint.config import EngineConfig
    from factlint.engine import Engine

    def codes(cache: Path) -> list[str]:
        e = Engine(EngineConfig(corpus=[project / "corpus"], cache_dir=cache))
        e._nlp = engine.nlp  # the session's spaCy pipeline: no second model load
        return [d.code for d in e.check_text(DRAFT, "draft.md")]

    cache, empty = project / "cache", project / "empty-cache"
    assert codes(cache) == ["quote-speaker", "date"]  # writes the index
    empty.mkdir()
    before = sorted(p.name for p in cache.iterdir())
    capsys.readouterr()
    _read_only(cache, monkeypatch)
    _read_only(empty, monkeypatch)
    # a read-only folder holding a current index: it is read
    assert codes(cache) == ["quote-speaker", "date"]
    assert capsys.readouterr().err == ""
    # ... and one without: the corpus is indexed in memory, with a warning
    assert codes(empty) == ["quote-speaker", "date"]
    assert "cannot write fact index" in capsys.readouterr().err
    assert list(empty.iterdir()) == [] and sorted(p.name for p in cache.iterdir()) == before


def test_cache_folder_that_is_a_file(project: Path) -> None:
    blocker = project / "not-a-folder"
    blocker.write_text("x")
    run = check(project, blocker / "cache")
    assert_findings(run)
    assert "indexing without cache" in run.stderr and "Traceback" not in run.stderr
