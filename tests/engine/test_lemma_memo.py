"""The rule lemmatizer's answers kept by text, part of speech and morphology
(factlint.lemma_memo): every token's lemma is spaCy's, in the texts of every domain, for the
same word in other parts of speech and forms, and after the tables change."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from spacy.pipeline import Lemmatizer

from factlint import lemma_memo
from pipeline_texts import corpus_paragraphs, parsed_before


@pytest.fixture(scope="module")
def nlp(engine) -> Any:  # noqa: ANN001
    return engine.nlp


def _before_lemmas(nlp: Any, text: str) -> Any:
    return parsed_before(nlp, text, "lemmatizer")


def _spacys(pipe: Any, doc: Any) -> list[str]:
    copy = doc.copy()
    kept, pipe.lemmatize = pipe.lemmatize, pipe.rule_lemmatize
    try:
        pipe(copy)
    finally:
        pipe.lemmatize = kept
    return [t.lemma_ for t in copy]


def test_the_loaded_pipeline_keeps_its_lemmatizers_answers(nlp) -> None:  # noqa: ANN001
    pipe = nlp.get_pipe("lemmatizer")
    kept = pipe.lemmatize
    assert isinstance(kept, lemma_memo.KeptLemmas) and kept.pipe is pipe
    assert lemma_memo.install(nlp) == 1 and pipe.lemmatize is kept  # not wrapped twice


def test_every_domains_lemmas_are_spacys_cold_and_kept(nlp) -> None:  # noqa: ANN001
    pipe = nlp.get_pipe("lemmatizer")
    pipe.lemmatize.answers.clear()
    for _ in range(2):  # first asked, then answered from what was kept
        for text in corpus_paragraphs():
            doc = _before_lemmas(nlp, text)
            expected = _spacys(pipe, doc)
            pipe(doc)
            assert [t.lemma_ for t in doc] == expected, text


@pytest.mark.parametrize("text", [
    "She left the left bank and then left again.",  # one word, three readings
    "He was leading; the leading edge leads us. They lead.",
    "The saw saw the saws. Saws were sawn.",
    "I can't say it isn't so, and we'd've gone.",  # lemmas the attribute ruler presets
    "  Spaces\n\nand   tabs\tstay spaces.",
])
def test_the_same_word_in_other_forms_gets_spacys_lemmas(nlp, text) -> None:  # noqa: ANN001
    pipe = nlp.get_pipe("lemmatizer")
    for _ in range(2):
        doc = _before_lemmas(nlp, text)
        expected = _spacys(pipe, doc)
        pipe(doc)
        assert [t.lemma_ for t in doc] == expected


def test_new_tables_start_anew(nlp) -> None:  # noqa: ANN001
    from spacy.lookups import Lookups

    pipe = nlp.get_pipe("lemmatizer")
    text = "The ministers were meeting in Geneva."
    pipe(_before_lemmas(nlp, text))
    kept = pipe.lemmatize
    assert kept.answers
    tables = pipe.lookups
    empty = Lookups()
    for name in ("lemma_rules", "lemma_exc", "lemma_index"):
        empty.add_table(name, {})
    pipe.lookups, cache = empty, pipe.cache
    pipe.cache = {}  # (spaCy's own, which a new lemmatizer would start without)
    try:
        doc = _before_lemmas(nlp, text)
        pipe(doc)
        assert [t.lemma_ for t in doc] == _spacys(pipe, _before_lemmas(nlp, text))
        assert "minister" not in [t.lemma_ for t in doc]  # no rules: the words as they are
    finally:
        pipe.lookups, pipe.cache = tables, cache
    doc = _before_lemmas(nlp, text)
    pipe(doc)
    assert "minister" in [t.lemma_ for t in doc]


def test_a_lemmatizer_that_reads_more_of_the_token_is_left_alone() -> None:
    import spacy

    class Mine(Lemmatizer):
        def is_base_form(self, token: Any) -> bool:
            return token.is_title  # (reads what the key does not hold)

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    assert lemma_memo.install(nlp) == 1
    pipe = nlp.get_pipe("lemmatizer")
    pipe.__class__ = Mine
    pipe.lemmatize = pipe.rule_lemmatize
    assert lemma_memo.install(nlp) == 0


def test_the_kept_answers_pickle(nlp) -> None:  # noqa: ANN001
    kept = nlp.get_pipe("lemmatizer").lemmatize
    again = pickle.loads(pickle.dumps(kept))
    assert again.answers == kept.answers and isinstance(again.pipe, Lemmatizer)
