"""Fixtures for the robustness tests: one Engine for the session (own temp cache), the CLI as
a subprocess with its peak memory, and the LSP harness of tests/lsp (reused, not copied)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from robust_helpers import LSP_TESTS, Run, clean_env, run_cli

from factlint.config import EngineConfig
from factlint.engine import Engine

if str(LSP_TESTS) not in sys.path:
    sys.path.insert(0, str(LSP_TESTS))  # lsp_harness: the session helpers of tests/lsp


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("robust-cache")


@pytest.fixture(scope="session")
def engine(cache_dir: Path) -> Engine:
    e = Engine(EngineConfig(cache_dir=cache_dir))
    e.load_corpus()
    return e


@pytest.fixture
def server_env(cache_dir: Path) -> dict[str, str]:
    """As tests/lsp's fixture, on this session's cache (the seeds are indexed once)."""
    return clean_env(cache_dir)


@pytest.fixture
def cli(cache_dir: Path):
    def run(args: list[str], cwd: Path, **kw) -> Run:
        env = clean_env(cache_dir, **kw.pop("env", {}))
        return run_cli(args, cwd, env, **kw)
    return run
