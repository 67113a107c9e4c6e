"""The pipeline factlint loads behaves like the stock model, plus the glued-name split."""

from __future__ import annotations

import importlib

from factlint.nlp import DEFAULT_MODELS, is_glued
from factlint.resources import bundled_seeds


def test_deferred_tokenizer_tokenises_like_the_stock_model(engine) -> None:
    name = next(n for n in DEFAULT_MODELS if importlib.util.find_spec(n))
    stock = importlib.import_module(name).load()
    ours = engine.nlp
    for path in sorted(bundled_seeds().glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or is_glued(line):
                continue  # glued words are split on purpose (next test)
            assert [t.text for t in ours.tokenizer(line)] == [t.text for t in stock.tokenizer(line)]


def test_glued_words_are_split(engine) -> None:
    words = [t.text for t in engine.nlp.tokenizer("Moscow's stanceTrump stated")]
    assert words[-3:] == ["stance", "Trump", "stated"]
    assert [t.text for t in engine.nlp.tokenizer("McDonald and iPhone")] == ["McDonald", "and",
                                                                          "iPhone"]
