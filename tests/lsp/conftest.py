"""Fixtures for the LSP end-to-end tests (helpers live in lsp_harness.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsp_harness import DRAFT, SEEDS, make_env


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # one corpus index per test session, shared with tests/neovim
    path = tmp_path_factory.getbasetemp() / "factlint-cache"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def server_env(cache_dir: Path) -> dict[str, str]:
    return make_env(cache_dir)


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


