"""The entity recogniser resumed from its last parse of a paragraph (factlint.entity_resume):
an edited paragraph gets exactly the entities spaCy's own loop gives it, whatever the edit and
wherever it falls, in a batch or alone, and only the tokens near the edit are decoded."""

from __future__ import annotations

import pickle
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.pipeline import EntityRecognizer

from factlint import entity_resume, tok2vec_cache, transition_resume
from pipeline_texts import corpus_paragraphs, parsed_before

FILLERS = ["Smith", "Geneva", "the", "2019", "said", ",", "not", "$4.5 million", "Mr.",
           "Dr. Ana Ruiz", "the United Nations", ". Then", "Tuesday", "New York"]


def _paragraphs(most: int = 50) -> list[str]:
    out = corpus_paragraphs(min_words=12)
    return random.Random(9).sample(out, min(most, len(out)))


@pytest.fixture(scope="module")
def nlp(engine) -> Any:  # noqa: ANN001
    engine.keep_token_vectors()
    assert isinstance(engine.nlp.get_pipe("ner"), entity_resume.ResumingEntityRecognizer)
    return engine.nlp


def _ner(nlp: Any) -> Any:
    return nlp.get_pipe("ner")


def _upto_ner(nlp: Any, text: str) -> Any:
    return parsed_before(nlp, text, "ner")


def _ents(doc: Any) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in doc.ents] + [
        (t.i, t.ent_iob, t.ent_type_) for t in doc]


def _spacy(nlp: Any, doc: Any) -> Any:
    """spaCy's own decoding loop, on a copy."""
    copy = doc.copy()
    pipe = _ner(nlp)
    EntityRecognizer.set_annotations(pipe, [copy], EntityRecognizer.predict(pipe, [copy]))
    return copy


def _same(nlp: Any, text: str) -> Any:
    doc = _upto_ner(nlp, text)
    reference = _spacy(nlp, doc)
    _ner(nlp)(doc)
    assert _ents(doc) == _ents(reference), text
    return doc


def _edit(text: str, where: float, op: str, filler: str) -> str:
    words = text.split(" ")
    i = min(len(words) - 1, int(where * len(words)))
    if op == "replace":
        words[i] = filler
    elif op == "insert":
        words.insert(i, filler)
    elif op == "delete" and len(words) > 1:
        del words[i]
    else:
        words[i] = words[i][::-1]
    return " ".join(words)


class _Counting:
    """Counts the decoding steps taken (the others replay recorded moves)."""

    def __init__(self, monkeypatch: Any) -> None:
        self.steps = 0
        step = transition_resume.Step.__call__

        def counted(this: Any, state: Any) -> Any:
            self.steps += 1
            return step(this, state)

        monkeypatch.setattr(transition_resume.Step, "__call__", counted)


def test_edited_paragraphs_of_many_domains_get_spacys_entities(nlp) -> None:  # noqa: ANN001
    rng = random.Random(4)
    for text in _paragraphs():
        _same(nlp, text)
        for _ in range(3):
            text = _edit(text, rng.random(), rng.choice(["replace", "insert", "delete",
                                                          "reverse"]), rng.choice(FILLERS))
            _same(nlp, text)


@settings(max_examples=80, deadline=None)
@given(where=st.floats(0, 1), op=st.sampled_from(["replace", "insert", "delete", "reverse"]),
       filler=st.sampled_from(FILLERS), k=st.integers(0, 11))
def test_an_edit_anywhere_gets_spacys_entities(nlp, where, op, filler, k) -> None:  # noqa: ANN001
    text = _paragraphs(12)[k]
    _same(nlp, text)
    _same(nlp, _edit(text, where, op, filler))


def test_edits_inside_and_beside_entities_and_at_both_ends(nlp) -> None:  # noqa: ANN001
    text = ("Former Secretary of State Hillary Clinton met the World Health Organization's "
            "director in Geneva on Tuesday, and the United Nations said 1,200 people had left.")
    _same(nlp, text)
    for edited in (text.replace("Hillary Clinton", "Hillary Rodham Clinton"),
                   text.replace("World Health", "World"), text.replace(" in Geneva", ""),
                   text.replace("Tuesday,", "Tuesday. Then"), f"Yesterday {text}",
                   f"{text} Smith agreed.", text[1:], text[:-1], "Geneva", "Mr. Smith",
                   f"{text} {text}"):
        _same(nlp, edited)
        _same(nlp, text)


def test_an_edit_decodes_only_near_it(nlp, monkeypatch) -> None:  # noqa: ANN001
    text = max(_paragraphs(), key=len)
    _same(nlp, text)
    counting = _Counting(monkeypatch)
    words = text.split(" ")
    words[len(words) // 2] = "reportedly"
    doc = _same(nlp, " ".join(words))
    # the tokens whose rows changed (the recogniser's window, 4 either side) and a few more
    assert 0 < counting.steps <= 20 < len(doc)
    counting.steps = 0
    _same(nlp, " ".join(words))  # the same text again: one step, at the last shared token
    assert counting.steps <= 1


def test_a_new_text_and_a_batch_decode_whole_and_exactly(nlp, monkeypatch) -> None:  # noqa: ANN001
    texts = _paragraphs(14)
    rng = random.Random(2)
    pipe = _ner(nlp)
    docs = [_upto_ner(nlp, f"Item {i}: {t} And again {i}.") for i, t in enumerate(texts)]
    counting = _Counting(monkeypatch)
    reference = [_spacy(nlp, d) for d in docs]
    list(pipe.pipe(docs, batch_size=5))  # nothing recorded for these: decoded whole
    assert counting.steps >= sum(len(d) for d in docs)
    assert [_ents(d) for d in docs] == [_ents(r) for r in reference]
    edited = [_upto_ner(nlp, _edit(f"Item {i}: {t} And again {i}.", rng.random(), "replace",
                                   "Paris"))
              for i, t in enumerate(texts)]
    reference = [_spacy(nlp, d) for d in edited]
    batched = [d.copy() for d in edited]  # spaCy's loop over the same batches
    for i in range(0, len(batched), 4):
        part = batched[i:i + 4]
        EntityRecognizer.set_annotations(pipe, part, EntityRecognizer.predict(pipe, part))
    list(pipe.pipe(edited, batch_size=4))  # each resumed from its own text's parse
    assert [_ents(d) for d in edited] == [_ents(r) for r in reference] == [
        _ents(b) for b in batched]


def test_an_empty_text_in_a_batch_keeps_the_others_resuming(nlp) -> None:  # noqa: ANN001
    pipe = _ner(nlp)
    texts = ["Talks resumed in Vienna on Monday.", "", "The envoy flew to Ankara at noon."]
    docs = [_upto_ner(nlp, t) for t in texts]
    reference = [_spacy(nlp, d) for d in docs]
    before = len(pipe.resume.memory.parses)
    pipe.set_annotations(docs, pipe.predict(docs))
    assert [_ents(d) for d in docs] == [_ents(r) for r in reference]
    assert len(pipe.resume.memory.parses) == before + 2  # both texts recorded


def test_paragraphs_sharing_a_sentence_resume_from_their_own_parse(nlp) -> None:  # noqa: ANN001
    shared = "The minister said 40 people were evacuated from Lyon on Sunday."
    first = f"Rain fell across the Rhone valley. {shared}"
    second = f"Officials in Paris gave no figure. Police said more would follow. {shared}"
    for text in (first, second):
        _same(nlp, text)
    memory = _ner(nlp).resume.memory
    doc = _upto_ner(nlp, second.replace("no figure", "a figure"))
    keys = transition_resume.Step(_ner(nlp), [doc]).keys(doc, 0)
    prior = memory.find(keys)
    assert prior is not None and len(prior.keys) == len(keys)  # the second, not the first
    _same(nlp, doc.text)


def test_preset_entities_and_indexing_go_spacys_own_way(nlp) -> None:  # noqa: ANN001
    from spacy.tokens import Span

    pipe = _ner(nlp)
    doc = _upto_ner(nlp, "The board of Acme Widgets met in Oslo on Monday.")
    doc.ents = [Span(doc, 3, 5, label="ORG")]
    assert pipe.resume.predict([doc]) is None
    reference = _spacy(nlp, doc)
    pipe(doc)
    assert _ents(doc) == _ents(reference)
    text = "Indexing a corpus: the recogniser in Berlin keeps nothing of this."
    with tok2vec_cache.bypassed():
        assert pipe.resume.predict([_upto_ner(nlp, text)]) is None


def test_the_records_stay_bounded_and_changed_weights_forget_them(nlp, monkeypatch) -> None:  # noqa: ANN001
    pipe = _ner(nlp)
    memory = pipe.resume.memory
    monkeypatch.setattr(transition_resume, "MOST_TOKENS", 200)
    for text in _paragraphs(10):
        _same(nlp, text)
        assert memory.tokens == sum(len(p.keys) for p in memory.parses.values()) <= 200
    assert memory.parses
    for layer, name in ((-1, "W"), (1, "b"), (1, "pad")):  # upper weights, lower bias, pad
        _same(nlp, "Recorded before the change: a meeting in Lisbon on Friday.")
        weights = pipe.model.layers[layer].get_param(name)
        weights.ravel()[0] += 1.0
        try:
            _same(nlp, "A new weight: nothing recorded before it is replayed in Madrid.")
            assert len(memory.parses) == 1, name
        finally:
            weights.ravel()[0] -= 1.0


def test_install_is_idempotent_and_the_component_pickles(nlp) -> None:  # noqa: ANN001
    names = list(nlp.pipe_names)
    assert entity_resume.install(nlp) == 1
    assert nlp.pipe_names == names and isinstance(_ner(nlp), EntityRecognizer)
    again = pickle.loads(pickle.dumps(_ner(nlp)))
    assert isinstance(again, entity_resume.ResumingEntityRecognizer)
    assert again.resume.pipe is again and not again.resume.memory.parses


def test_the_install_check_fails_where_step_by_step_would_not_run(nlp) -> None:  # noqa: ANN001
    probes = [nlp.make_doc(t) for t in entity_resume._PROBES]
    assert _ner(nlp).resume.exact_on(probes, nlp, "ner")
    with tok2vec_cache.bypassed():  # (indexing: spaCy's own loop would be compared with itself)
        assert not _ner(nlp).resume.exact_on(
            [nlp.make_doc(t) for t in entity_resume._PROBES], nlp, "ner")


def test_a_machine_where_it_differs_keeps_spacys_recogniser(monkeypatch) -> None:
    from factlint.nlp import DEFAULT_MODELS, _load_package, installed_models

    nlp = _load_package(next(m for m in DEFAULT_MODELS if m in installed_models()))
    monkeypatch.setattr(entity_resume.Resumer, "exact_on", lambda *a: False)
    assert entity_resume.install(nlp) == 0
    assert type(nlp.get_pipe("ner")) is EntityRecognizer


LONG = ("Officials of the United Nations High Commissioner for Refugees office in Geneva said "
        "on Monday that more aid would arrive by the end of the month, and the others agreed.")


@pytest.mark.parametrize("plain", ["small local", "regional", "new", "former state"])
def test_a_long_entity_edited_in_and_out(nlp, plain) -> None:  # noqa: ANN001
    # an entity opened inside the edit that stays open past the tokens whose rows changed
    # (or one that was open there before the edit): the old moves resume only once neither
    # parse has an entity open
    without = LONG.replace("United Nations High", plain)
    for text in (LONG, without, LONG, without.replace("Officials", "Some officials"), LONG):
        _same(nlp, text)


def test_a_sentence_start_moved_inside_an_entity(nlp) -> None:  # noqa: ANN001
    # no parser: the sentence starts are preset, and only they differ between the texts (a
    # move at a token reads whether the next token starts a sentence)
    text = "Yesterday the delegates of New York City Council met Maria Lopez in Los Angeles."
    pipe = _ner(nlp)
    tok2vec = nlp.get_pipe("tok2vec")
    first = tok2vec(nlp.make_doc(text))
    reference = _spacy(nlp, first)
    pipe(first)
    assert _ents(first) == _ents(reference)
    inside = [e.start + 1 for e in first.ents if len(e) > 1]
    assert inside
    for k in inside:
        doc = tok2vec(nlp.make_doc(text))
        doc[k].is_sent_start = True
        reference = _spacy(nlp, doc)
        pipe(doc)
        assert _ents(doc) == _ents(reference)
        assert all(not (e.start < k < e.end) for e in doc.ents)


class _State:
    """The parts of spaCy's StateClass that resuming uses, for scripted decodes."""

    def __init__(self, n: int) -> None:
        self.n, self.b, self.stack, self.ents = n, 0, [], []

    def B(self, i: int) -> int:  # noqa: N802
        return self.b + i if self.b + i < self.n else -1

    def push(self) -> None:
        self.stack.append(self.b)
        self.b += 1

    def pop(self) -> None:
        self.stack.pop()

    def open_ent(self, label: int) -> None:
        self.ents.append([self.b, -1, label])

    def close_ent(self) -> None:
        self.ents[-1][1] = self.b + 1

    def entity_is_open(self) -> bool:
        return bool(self.ents) and self.ents[-1][1] == -1

    def is_final(self) -> bool:
        return self.b >= self.n and not self.stack


MOVES = {"O": (0, False), "B": (7, False), "I": (0, False), "L": (0, True), "U": (7, True)}


@pytest.mark.parametrize("old, new", [
    ("OOOOOOOOOO", "OOBIIIIILO"),  # the edit (token 2) opens an entity open past token 6
    ("OOBIIIIILO", "OOOOOOOOOO"),  # the entity open there before the edit is gone
    ("UOOOBLOBILOU", "UOOBIIIIILOU"),  # entities either side, one reaching the shared end
])
def test_resuming_waits_until_neither_parse_has_an_entity_open(old, new) -> None:  # noqa: ANN001
    # keys 2-6 differ (an edit and the tokens whose rows it changed); BILUO moves by letter
    old, new = [MOVES[m] for m in old], [MOVES[m] for m in new]
    n = len(new)
    keys_old = list(range(len(old)))
    keys_new = keys_old[:2] + [100 + i for i in range(2, 7)] + keys_old[7:]  # 2-6 changed

    def truth(state: _State) -> None:  # spaCy's choice, as scripted
        entity_resume._apply(state, new[state.B(0)])

    state = _State(n)
    entity_resume._resume(truth, state, keys_new, transition_resume.Parse(keys_old, old))
    expected = _State(n)
    for move in new:
        entity_resume._apply(expected, move)
    assert state.ents == expected.ents and state.is_final()
