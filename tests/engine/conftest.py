from __future__ import annotations

from pathlib import Path

import pytest

from factlint.config import EngineConfig
from factlint.engine import Engine


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("factlint-cache")


@pytest.fixture(scope="session")
def engine(cache_dir: Path) -> Engine:
    e = Engine(EngineConfig(cache_dir=cache_dir))
    e.load_corpus()
    return e
