"""Fixtures for the LSP end-to-end tests (helpers live in lsp_harness.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lsp_harness import DRAFT, REPO, SEEDS


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("factlint-cache")


@pytest.fixture
def server_env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["FACTLINT_CACHE_DIR"] = str(cache_dir)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "server"), env.get("PYTHONPATH", "")) if p)
    env.pop(("FACTLINT_TEST_FAIL_CODE"), None)
    return env


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    root.mkdir()
    (root / "draft.md").write_text(DRAFT, encoding="utf-8")
    return root


@pytest.fixture
def temp_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus


