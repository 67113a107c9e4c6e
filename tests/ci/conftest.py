"""Fixtures for the CI-facing command line tests (formats, config, baseline, audit, ...).

The CLI is called in-process (``factlint.cli.main``) wherever possible. One cache folder is
shared by the whole session, so the bundled corpus is indexed once, and the spaCy pipeline
is loaded once per process instead of once per ``main()`` call.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from ci_helpers import Run


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("factlint-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FACTLINT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def _one_pipeline() -> Iterator[None]:
    """Every Engine built in this process shares one spaCy pipeline."""
    import factlint.nlp

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(factlint.nlp, "load_pipeline", functools.cache(factlint.nlp.load_pipeline))
        yield


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
