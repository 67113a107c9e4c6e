"""Fixtures for the CI-facing command line tests (formats, config, baseline, audit, ...).

The CLI is called in-process (``factlint.cli.main``) wherever possible. One cache folder is
shared by the whole session, so the bundled corpus is indexed once, and the spaCy pipeline
is loaded once per process instead of once per ``main()`` call. Both are patched per test, so
nothing leaks into the other test folders of the same pytest run.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from ci_helpers import Run

import factlint.nlp

_shared_pipeline = functools.cache(factlint.nlp.load_pipeline)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("factlint-cache")


@pytest.fixture(autouse=True)
def _shared_cache_and_pipeline(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTLINT_CACHE_DIR", str(cache_dir))
    monkeypatch.setattr(factlint.nlp, "load_pipeline", _shared_pipeline)


@pytest.fixture(autouse=True)
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs in an empty folder, so no project config of the checkout is found."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(capsys)
