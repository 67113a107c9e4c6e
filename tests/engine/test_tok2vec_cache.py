"""Token vectors kept across parses (factlint.tok2vec_cache): an edited paragraph parses to
exactly what a fresh parse gives (token vectors to the bit, tags, parse, entities, lemmas),
whatever the edit and wherever it falls, and only the tokens near the edit are embedded."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factlint import tok2vec_cache
from pipeline_texts import corpus_paragraphs

FILLERS = ["reportedly", "the", "2019", "Smith", "said", ",", "not", "Geneva", "$4.5 million"]


def _paragraphs(most: int = 60) -> list[str]:
    out = corpus_paragraphs(min_words=12)
    return random.Random(5).sample(out, min(most, len(out)))


@pytest.fixture(scope="module")
def nlp(engine) -> Any:  # noqa: ANN001
    assert engine.keep_token_vectors() == 3  # the shared tok2vec, the recogniser's own, its moves
    return engine.nlp


def _caches(nlp: Any) -> list[tok2vec_cache.WindowCache]:
    models = [nlp.get_pipe("tok2vec").model, nlp.get_pipe("ner").model.get_ref("tok2vec")]
    funcs = [m._func for m in models] + [m._func for m in models[1].layers]
    return [f for f in funcs if isinstance(f, tok2vec_cache.WindowCache)]


@contextmanager
def _fresh(nlp: Any) -> Iterator[None]:
    caches = _caches(nlp)
    for c in caches:
        c.enabled = False
    try:
        yield
    finally:
        for c in caches:
            c.enabled = True


def _parse(doc: Any) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_,
             t.ent_type_, t.is_sent_start) for t in doc]


def _same(nlp: Any, text: str) -> None:
    cached = nlp(text)
    with _fresh(nlp):
        fresh = nlp(text)
    assert np.array_equal(cached.tensor, fresh.tensor), text
    assert _parse(cached) == _parse(fresh), text


def _edit(text: str, where: float, op: str, filler: str) -> str:
    words = text.split(" ")
    i = min(len(words) - 1, int(where * len(words)))
    if op == "replace":
        words[i] = filler
    elif op == "insert":
        words.insert(i, filler)
    elif op == "delete" and len(words) > 1:
        del words[i]
    else:  # a word's letters reversed
        words[i] = words[i][::-1]
    return " ".join(words)


def test_both_embedding_models_are_cached_once(nlp) -> None:  # noqa: ANN001
    assert len(_caches(nlp)) == 2
    assert tok2vec_cache.install(nlp) == 2
    assert len(_caches(nlp)) == 2  # not wrapped twice
    assert all(not isinstance(c.forward, tok2vec_cache.WindowCache) for c in _caches(nlp))


def test_edited_paragraphs_of_many_domains_parse_as_fresh(nlp) -> None:  # noqa: ANN001
    rng = random.Random(11)
    for text in _paragraphs():
        nlp(text)
        for _ in range(2):
            text = _edit(text, rng.random(), rng.choice(["replace", "insert", "delete",
                                                          "reverse"]), rng.choice(FILLERS))
            _same(nlp, text)


@settings(max_examples=60, deadline=None)
@given(where=st.floats(0, 1), op=st.sampled_from(["replace", "insert", "delete", "reverse"]),
       filler=st.sampled_from(FILLERS), k=st.integers(0, 9))
def test_an_edit_anywhere_parses_as_fresh(nlp, where, op, filler, k) -> None:  # noqa: ANN001
    text = _paragraphs(10)[k]
    nlp(text)
    _same(nlp, _edit(text, where, op, filler))


def test_edits_at_both_ends_and_a_one_word_text_parse_as_fresh(nlp) -> None:  # noqa: ANN001
    text = _paragraphs(1)[0]
    nlp(text)
    for edited in (f"Yesterday {text}", f"{text} Indeed.", text[1:], text[:-1], "Geneva",
                   "", "  ", f"{text}\n\n{text}"):
        _same(nlp, edited)


def test_a_window_cut_by_the_start_is_not_one_cut_by_the_end(nlp) -> None:  # noqa: ANN001
    # the same six tokens open one text and close the other: at the second token of the
    # first and the second last of the other, the window holds those six tokens alike,
    # padded on the left in one and on the right in the other
    six = "the cat sat on the mat"
    first, last = f"{six} and then it ran off to the barn with a dog.", f"on a day when {six} "
    cache = _caches(nlp)[0]
    a, b = cache._keys(nlp.make_doc(first))[1], cache._keys(nlp.make_doc(last))[-2]
    assert a[2:] == b[2:] and a != b  # the same tokens, told apart by where the text ends
    nlp(first)
    _same(nlp, last)


def test_an_edit_embeds_only_the_tokens_near_it(nlp) -> None:  # noqa: ANN001
    text = max(_paragraphs(), key=len)
    nlp(text)
    cache = _caches(nlp)[0]
    seen: list[Any] = []
    forward = _counting(cache, seen)
    try:
        words = text.split(" ")
        words[len(words) // 2] = "purportedly"  # (no other test makes this edit: its rows are new)
        doc = nlp(" ".join(words))
    finally:
        cache.forward = forward
    # one stretch: the changed token, its window either side, and that much context again
    assert len(seen) == 1 and len(seen[0]) <= 1 + 4 * cache.radius < len(doc)


def test_the_kept_rows_stay_bounded_and_exact(nlp, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(tok2vec_cache, "MOST_ROWS", 150)
    for text in _paragraphs(8):
        _same(nlp, text)
        _same(nlp, _edit(text, 0.5, "insert", "not"))
        assert all(len(c.rows) <= 150 for c in _caches(nlp))


def test_training_passes_straight_through(nlp) -> None:  # noqa: ANN001
    cache = _caches(nlp)[0]
    model = nlp.get_pipe("tok2vec").model
    doc = nlp.make_doc("A short text to embed.")
    out, backprop = cache(model, [doc], True)
    assert backprop is not tok2vec_cache._no_backprop
    assert out[0].shape == (len(doc), model.get_dim("nO"))


def _blank_tok2vec(encode: dict[str, Any], static: bool = False,
                   attrs: tuple[str, ...] = ("NORM", "SHAPE")) -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 32,
                  "attrs": list(attrs), "rows": [500] * len(attrs),
                  "include_static_vectors": static},
        "encode": encode}})
    return nlp


MAXOUT = {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 32, "depth": 2,
          "window_size": 2, "maxout_pieces": 3}


def test_a_maxout_window_encoder_of_any_size_is_understood() -> None:
    nlp = _blank_tok2vec(MAXOUT)
    nlp.initialize()
    assert tok2vec_cache.install(nlp) == 1
    cache = nlp.get_pipe("tok2vec").model._func
    assert cache.radius == 4  # depth 2 x window 2
    text = "The committee met in Geneva on Tuesday and said nothing at all about it."
    nlp(text)
    edited = text.replace("Tuesday", "Friday")
    kept = nlp(edited).tensor
    cache.enabled = False
    assert np.array_equal(kept, nlp(edited).tensor)


@pytest.mark.parametrize("encode, static", [
    ({"@architectures": "spacy.MishWindowEncoder.v2", "width": 32, "depth": 2,
      "window_size": 1}, False),
    (MAXOUT, True),
])
def test_other_architectures_are_left_alone(encode, static) -> None:  # noqa: ANN001
    nlp = _blank_tok2vec(encode, static)
    assert tok2vec_cache.install(nlp) == 0
    assert not isinstance(nlp.get_pipe("tok2vec").model._func, tok2vec_cache.WindowCache)


def test_an_embedding_of_one_attribute_is_cached_too() -> None:
    nlp = _blank_tok2vec(MAXOUT, attrs=("NORM",))
    nlp.initialize()
    assert tok2vec_cache.install(nlp) == 1
    text = "The committee met in Geneva on Tuesday and said nothing at all about it."
    nlp(text)
    kept = nlp(text.replace("Geneva", "Bern")).tensor
    nlp.get_pipe("tok2vec").model._func.enabled = False
    assert np.array_equal(kept, nlp(text.replace("Geneva", "Bern")).tensor)


VARIABLE_ATTRS = """
[vars]
attrs = ["NORM", "SHAPE"]
[nlp]
lang = "en"
pipeline = ["tok2vec"]
[components]
[components.tok2vec]
factory = "tok2vec"
[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"
[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 32
attrs = ${vars.attrs}
rows = [500, 100]
include_static_vectors = false
[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 32
depth = 2
window_size = 1
maxout_pieces = 3
"""


def test_a_config_it_cannot_read_is_left_alone() -> None:
    import spacy
    from thinc.api import Config

    # the loaded pipeline's config keeps the variable: install reads it uninterpolated
    nlp = spacy.util.load_model_from_config(
        Config().from_str(VARIABLE_ATTRS, interpolate=False), auto_fill=True)
    assert tok2vec_cache.install(nlp) == 0


def test_a_batch_of_paragraphs_parses_as_fresh_and_indexing_keeps_nothing(nlp) -> None:  # noqa: ANN001
    texts = _paragraphs(12)
    rng = random.Random(3)
    edited = [_edit(t, rng.random(), "replace", "Geneva") for t in texts]
    caches = _caches(nlp)
    with tok2vec_cache.bypassed():
        before = [len(c.rows) for c in caches]
        list(nlp.pipe([f"{t} Again." for t in texts], batch_size=4))
        assert [len(c.rows) for c in caches] == before  # (a corpus being indexed)
    list(nlp.pipe(texts, batch_size=4))
    cached = list(nlp.pipe(edited + texts[:2], batch_size=5))
    with _fresh(nlp):
        fresh = list(nlp.pipe(edited + texts[:2], batch_size=5))
    for a, b in zip(cached, fresh, strict=True):
        assert np.array_equal(a.tensor, b.tensor) and _parse(a) == _parse(b)


def test_the_cached_model_copies_and_pickles_and_training_forgets_its_rows(nlp) -> None:  # noqa: ANN001
    import copy
    import pickle

    model = nlp.get_pipe("tok2vec").model
    nlp("Rows to keep, for a moment.")
    cache = model._func
    assert cache.rows
    again = pickle.loads(pickle.dumps(cache))
    assert again.radius == cache.radius and copy.deepcopy(cache).attrs == cache.attrs
    cache(model, [nlp.make_doc("Training sees this.")], True)
    assert not cache.rows


def test_a_machine_whose_rows_depend_on_the_batch_gets_no_cache(monkeypatch) -> None:
    nlp = _blank_tok2vec(MAXOUT)
    nlp.initialize()
    monkeypatch.setattr(tok2vec_cache.WindowCache, "exact_on", lambda *a: False)
    assert tok2vec_cache.install(nlp) == 0


def _counting(cache: tok2vec_cache.WindowCache, seen: list[Any]) -> Any:
    forward = cache.forward

    def counting(model: Any, docs: Any, is_train: bool) -> Any:
        seen.extend(docs)
        return forward(model, docs, is_train)

    cache.forward = counting
    return forward


def test_a_short_text_whose_stretch_is_most_of_it_is_embedded_whole(nlp) -> None:  # noqa: ANN001
    text = "The council met in Geneva on Tuesday and voted to close the old bridge."
    nlp(text)
    cache = _caches(nlp)[0]
    seen: list[Any] = []
    forward = _counting(cache, seen)
    try:
        edited = text.replace("Tuesday", "Friday")
        doc = nlp(edited)
    finally:
        cache.forward = forward
    assert len(seen) == 1 and seen[0] is doc  # the text itself, not a piece of it
    _same(nlp, edited)


def test_the_second_embedding_model_cuts_no_stretch_again(nlp) -> None:  # noqa: ANN001
    text = max(_paragraphs(), key=len)
    nlp(text)
    first, second = _caches(nlp)
    pieces: list[Any] = []
    forwards = [_counting(first, pieces), _counting(second, pieces)]
    try:
        words = text.split(" ")
        words[len(words) // 2] = "allegedly"  # (an edit of its own, as above)
        _same(nlp, " ".join(words))
    finally:
        first.forward, second.forward = forwards
    # both models embedded one stretch, the same Doc: cut once (the check's fresh parse
    # embeds the whole text twice more)
    stretches = [p for p in pieces if len(p) < len(words)]
    assert len(stretches) == 2 and stretches[0] is stretches[1]


def test_a_piece_whose_attributes_changed_since_it_was_cut_is_cut_again(nlp) -> None:  # noqa: ANN001
    doc = nlp.make_doc("The envoy said the talks in Oslo would resume after the holiday.")
    attrs = _caches(nlp)[0].attrs
    piece = tok2vec_cache._piece(doc, 1, 9, attrs, tok2vec_cache._windows(doc, attrs, 4)[1])
    again = tok2vec_cache._piece(doc, 1, 9, attrs, tok2vec_cache._windows(doc, attrs, 4)[1])
    assert again is piece  # the same text, attributes unchanged: found again
    doc[2].norm_ = "stated"  # (what a component between the two models could do)
    keys, array = tok2vec_cache._windows(doc, attrs, 4)
    fresh = tok2vec_cache._piece(doc, 1, 9, attrs, array)
    assert fresh is not piece and fresh[1].norm_ == "stated"
    other = nlp.make_doc(doc.text)  # another Doc of the same text: cut from it, not found
    assert tok2vec_cache._piece(other, 1, 9, attrs, tok2vec_cache._windows(
        other, attrs, 4)[1]) is not fresh
