"""``factlint index --dask``: the stages on a real dask.distributed cluster (a LocalCluster of
two worker processes) give exactly the facts of a serial build, into SQLite or PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from factlint.corpus import build_index
from factlint.rules import load_rules

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds and domain articles: people and titles that resolve across articles."""
    d = tmp_path_factory.mktemp("dask-corpus")
    for src in sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy(src, d / src.name)
    for src in sorted((REPO / "tests" / "domains").glob("*/corpus/*")):
        shutil.copy(src, d / f"{src.parent.parent.name}-{src.name}")
    return d


def _state(index) -> tuple:
    return ([f.to_json() for f in index.facts], index.people.to_json(),
            {p: [t.to_json() for t in ts] for p, ts in index.roles.titles.items()})


def test_dask_build_equals_serial(cluster: str, corpus: Path, tmp_path: Path, engine) -> None:
    rules = load_rules()
    serial = build_index([corpus], rules, tmp_path / "serial", lambda: engine.nlp)
    on_dask = build_index([corpus], rules, tmp_path / "dask", lambda: pytest.fail(
        "the parent parsed: the cluster should have"), dask=cluster)
    assert len(on_dask.report.added) == len(list(corpus.iterdir())) > 20
    assert _state(on_dask) == _state(serial)
    # an update on the cluster: one article added, the same as a serial update
    shutil.copy(REPO / "examples" / "draft.md", corpus / "zz-draft.md")
    try:
        updated = build_index([corpus], rules, tmp_path / "dask", None, dask=cluster)
        assert updated.report.added == [updated.files[-1]]
        again = build_index([corpus], rules, tmp_path / "serial", lambda: engine.nlp)
        assert _state(updated) == _state(again)
    finally:
        (corpus / "zz-draft.md").unlink()


def test_index_command_on_dask_into_postgres(cluster: str, corpus: Path, tmp_path: Path,
                                            pg_url: str) -> None:
    env = {**os.environ, "FACTLINT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "factlint", "index", "--no-config",
                          "--corpus", str(corpus), "--store", pg_url, "--rebuild",
                          "--dask", cluster], env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    assert f"on Dask at {cluster}" in run.stdout and "postgresql://" in run.stdout
    serial = subprocess.run([sys.executable, "-m", "factlint", "facts", "--no-config",
                             "--corpus", str(corpus), "--format", "json"], env=env,
                            capture_output=True, text=True, timeout=600)
    shared = subprocess.run([sys.executable, "-m", "factlint", "facts", "--no-config",
                             "--corpus", str(corpus), "--store", pg_url, "--format", "json"],
                            env=env, capture_output=True, text=True, timeout=600)
    assert serial.returncode == shared.returncode == 0, serial.stderr + shared.stderr
    assert shared.stdout == serial.stdout and len(shared.stdout) > 1000


def test_unreachable_scheduler_is_one_line(tmp_path: Path, corpus: Path) -> None:
    pytest.importorskip("distributed")
    env = {**os.environ, "FACTLINT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "factlint", "index", "--no-config",
                          "--corpus", str(corpus), "--dask", "tcp://127.0.0.1:1"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "Dask scheduler" in run.stderr, run.stderr
