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


@pytest.fixture(autouse=True)
def _stores_closed(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    """Every fact index a test opened is closed when it ends: an engine the test drops
    keeps its PostgreSQL connection until a garbage collection in some later test, where
    psycopg's ResourceWarning fails that test instead."""
    from factlint.factdb import FactDB

    opened: list[FactDB] = []
    init = FactDB.__init__

    def recording(self: FactDB, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)  # type: ignore[arg-type]
        opened.append(self)

    monkeypatch.setattr(FactDB, "__init__", recording)
    yield
    for db in opened:
        db.close()
