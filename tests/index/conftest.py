from __future__ import annotations

import pytest

from factlint.config import EngineConfig
from factlint.engine import Engine


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """An engine over the seeds; tests borrow its loaded spaCy pipeline."""
    e = Engine(EngineConfig(cache_dir=tmp_path_factory.mktemp("index-cache")))
    e.load_corpus()
    return e
