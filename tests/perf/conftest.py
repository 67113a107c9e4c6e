from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def rules():
    from factlint.rules import load_rules

    return load_rules([])


@pytest.fixture(scope="session")
def nlp():
    from factlint.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from make_corpus import make_corpus

    out = tmp_path_factory.mktemp("synthetic")
    make_corpus(12, out, seed=3)
    return out


@pytest.fixture(scope="session")
def seeds() -> Path:
    from factlint.resources import bundled_seeds

    return bundled_seeds()
