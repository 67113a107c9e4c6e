"""The entity recogniser's decoding resumed from its last parse of the same paragraph, so an
edited paragraph decodes only the tokens near its edit (the language server's keystrokes).

spaCy's entity recogniser (a greedy ``BiluoPushDown`` parser) takes one move per token, left
to right. At token ``t`` it scores the state from the precomputed rows of the feature tokens
(``t``; while an entity is open, also its first token and ``t - 1``) and takes the best move
that is valid for the state and tokens ``t`` and ``t + 1`` (entity presets, a sentence start,
whitespace, the end of the text). So where a new document and the last parse of the same
paragraph agree, token for token, on those rows and attributes from the start, the moves are
the old ones up to the first token they disagree on; and after the edit, from a token where
neither has an entity open and from which they agree to the end, the moves are the old ones
again. Only the tokens between are decoded: step by step, with the arithmetic of spaCy's C
loop (float32 sums in its order, the same BLIS product for the scores, the same choice by
``transition_states``); the others take their recorded moves. Install checks on probe texts
that the entities are spaCy's own, to the token, else leaves the recogniser alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from spacy.pipeline import EntityRecognizer
from spacy.pipeline._parser_internals.ner import BiluoPushDown

MOST_TOKENS = 25_000  # recorded parses, in tokens (a 10,000-word draft has ~12,000)

# (label or 0 when the move opens no entity, whether it closes one): one move per token
Move = tuple[int, bool]


def install(nlp: Any) -> int:
    """Put a resuming recogniser in place of each greedy entity recogniser of ``nlp`` that
    decodes exactly as spaCy's on the probe texts; the number now resuming."""
    done = 0
    for i, (name, pipe) in enumerate(list(nlp._components)):
        if isinstance(pipe, ResumingEntityRecognizer):
            done += 1
            continue
        if not _fits(pipe):
            continue
        resuming = ResumingEntityRecognizer.replacing(pipe)
        if resuming.resume.exact_on([nlp.make_doc(t) for t in _PROBES], nlp, name):
            nlp._components[i] = (name, resuming)
            done += 1
    return done


# texts to check at install that resumed decoding gives the entities of spaCy's own loop
_PROBES = (
    "On Tuesday, the committee's chair Maria Lopez said 1,250 residents of the Rio Grande "
    "valley had been moved to shelters in three towns, and that more would follow by May.",
    "The European Central Bank raised rates in Frankfurt on Thursday, its president said.",
)


def _fits(pipe: Any) -> bool:
    model = getattr(pipe, "model", None)
    return (type(pipe) is EntityRecognizer and isinstance(pipe.moves, BiluoPushDown)
            and pipe.cfg.get("beam_width", 1) == 1 and not pipe.cfg.get("multitasks")
            and model is not None
            and model.name == "parser_model" and model.attrs.get("has_upper") is True
            and len(model.layers) == 3)


class ResumingEntityRecognizer(EntityRecognizer):  # type: ignore[misc]
    """spaCy's entity recogniser, resuming each document from its last parse of the same
    paragraph where it has one."""

    @classmethod
    def replacing(cls, pipe: Any) -> ResumingEntityRecognizer:
        cfg = pipe.cfg
        new = cls(pipe.vocab, pipe.model, pipe.name, moves=pipe.moves,
                  update_with_oracle_cut_size=cfg["update_with_oracle_cut_size"],
                  beam_width=1, beam_density=cfg["beam_density"],
                  beam_update_prob=cfg["beam_update_prob"],
                  incorrect_spans_key=cfg.get("incorrect_spans_key"), scorer=pipe.scorer)
        new.cfg = dict(cfg)
        new.resume = Resumer(new)
        return new

    def predict(self, docs: Any) -> Any:
        docs = [docs] if hasattr(docs, "vocab") else list(docs)  # (one Doc, or several)
        done = self.resume.predict(docs)
        return done if done is not None else super().predict(docs)

    def set_annotations(self, docs: Any, states_or_beams: Any) -> None:
        super().set_annotations(docs, states_or_beams)
        self.resume.record(docs)


class Resumer:
    """What a resuming recogniser keeps: its parses, by their tokens' keys (each token's
    feature rows and the attributes the moves' validity reads), and the moves they took."""

    def __init__(self, pipe: Any) -> None:
        from spacy.ml.parser_model import ParserStepModel

        self.pipe = pipe
        self.enabled = True  # (tests compare the recogniser with and without it)
        self._token_ids = ParserStepModel.get_token_ids  # (reads only .state2vec.nF)
        self._parses: OrderedDict[int, _Parse] = OrderedDict()
        self._by_first: dict[int, list[_Parse]] = {}  # by the first token's key
        self._by_last: dict[int, list[_Parse]] = {}
        self._tokens = 0
        self._local = threading.local()  # predicted, not recorded: {id(doc): (doc, keys, prior)}
        self._lock = threading.Lock()
        self._weights: bytes | None = None

    def __getstate__(self) -> dict[str, Any]:  # (a copy or pickle starts with no parses)
        return {"pipe": self.pipe, "enabled": self.enabled}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["pipe"])  # type: ignore[misc]
        self.enabled = state["enabled"]

    # -- predicting ---------------------------------------------------------------------

    def predict(self, docs: list[Any]) -> list[Any] | None:
        """The final states for ``docs``, or None for spaCy's own loop (training, a text with
        preset entities, indexing a corpus, an unsupported model)."""
        from factlint.tok2vec_cache import is_bypassed

        if not self.enabled or is_bypassed() or not any(len(d) for d in docs):
            return None
        if self.pipe.model.attrs["unseen_classes"] or any(
                d.has_annotation("ENT_IOB") for d in docs):
            return None  # (spaCy's masking of unseen classes spans the whole batch)
        self._check_weights()
        step = _Step(self.pipe, docs, self._token_ids)
        states = self.pipe.moves.init_batch(docs)
        pending = self._local.pending = {}
        offset = 0
        for doc, state in zip(docs, states, strict=True):
            if len(doc):
                keys = step.keys(doc, offset)
                prior = self._find(keys)
                pending[id(doc)] = (doc, keys, prior)
                _resume(step, state, keys, prior)
            offset += len(doc)
        return states

    def _check_weights(self) -> None:
        """Forget every parse when the scoring weights changed (training): the rows in the
        keys follow the lower layers, the moves also depend on the upper one."""
        upper = self.pipe.model.layers[-1]
        stamp = upper.get_param("W").tobytes() + upper.get_param("b").tobytes()
        if stamp != self._weights:
            with self._lock:
                self._weights = stamp
                self._forget()

    def _find(self, keys: list[int]) -> _Parse | None:
        """The recorded parse sharing the longest start plus end with ``keys`` (of those
        that start or end as it does)."""
        best, score = None, 0
        with self._lock:
            found = [*self._by_first.get(keys[0], ()), *self._by_last.get(keys[-1], ())]
        for prior in found:
            p, q = _common(prior.keys, keys)
            if p + q > score:
                best, score = prior, p + q
        return best

    # -- recording ----------------------------------------------------------------------

    def record(self, docs: Sequence[Any]) -> None:
        """After spaCy set the entities: remember each predicted doc's keys and moves, in
        place of the parse it resumed from when that was an earlier text of it (most of its
        tokens shared)."""
        pending = getattr(self._local, "pending", {})
        for doc in docs:
            found = pending.pop(id(doc), None)
            if found is not None and found[0] is doc:
                _, keys, prior = found
                parse = _Parse(keys, _moves(doc))
                with self._lock:
                    if prior is not None and 2 * sum(_common(prior.keys, keys)) > len(
                            prior.keys):
                        self._drop(prior)
                    self._keep(parse)

    def _keep(self, parse: _Parse) -> None:
        n = len(parse.keys)
        if n > MOST_TOKENS:
            return
        while self._parses and self._tokens + n > MOST_TOKENS:
            self._drop(next(iter(self._parses.values())))
        self._parses[id(parse)] = parse
        self._tokens += n
        for index, key in ((self._by_first, parse.keys[0]), (self._by_last, parse.keys[-1])):
            index.setdefault(key, []).insert(0, parse)  # (paragraphs may share a sentence)

    def _drop(self, parse: _Parse) -> None:
        if self._parses.pop(id(parse), None) is None:
            return
        self._tokens -= len(parse.keys)
        for index, key in ((self._by_first, parse.keys[0]), (self._by_last, parse.keys[-1])):
            same = index[key]
            same.remove(parse)
            if not same:
                del index[key]

    def _forget(self) -> None:
        self._parses.clear()
        self._by_first.clear()
        self._by_last.clear()
        self._tokens = 0

    # -- install check ------------------------------------------------------------------

    def exact_on(self, docs: list[Any], nlp: Any, name: str) -> bool:
        """Do fresh decodes of the probes and of edited copies (one batch), and the copies
        resumed from the probes, give spaCy's own entities on this machine? Leaves nothing
        recorded."""
        edited = [nlp.make_doc(d.text.replace(" said ", " told reporters ")) for d in docs]
        texts = [*docs, *edited]
        for before in nlp.pipe_names[:nlp.pipe_names.index(name)]:
            texts = [nlp.get_pipe(before)(d) for d in texts]
        runs = [[d.copy() for d in texts] for _ in range(3)]
        batch, resumed, spacy = runs
        self._forget()
        self.pipe.set_annotations(batch, self.pipe.predict(batch))
        self._forget()
        for d in resumed:  # the probes fresh, then each copy resumed from its probe
            self.pipe.set_annotations([d], self.pipe.predict([d]))
        self._forget()
        for d in spacy:
            EntityRecognizer.set_annotations(self.pipe, [d], EntityRecognizer.predict(
                self.pipe, [d]))
        return all(_ents(a) == _ents(b) == _ents(c)
                   for a, b, c in zip(batch, resumed, spacy, strict=True))


class _Parse:
    """One recorded parse: its tokens' keys and the move taken at each token."""

    __slots__ = ("keys", "moves")

    def __init__(self, keys: list[int], moves: list[Move]) -> None:
        self.keys = keys
        self.moves = moves


class _Step:
    """The model's precomputed rows for a batch, and one decoding step as spaCy's C loop
    computes it (``predict_states`` in spacy/ml/parser_model.pyx) for a single state."""

    def __init__(self, pipe: Any, docs: list[Any], token_ids: Any) -> None:
        import numpy

        tok2vec, lower, upper = pipe.model.layers
        rows = lower.predict(tok2vec.predict(docs))  # (tokens + 1, nF, nO, nP): padding first
        n, self.nF, self.nO, self.nP = rows.shape
        self.rows = rows.reshape(n, self.nF, self.nO * self.nP)
        self.flat = self.rows.reshape(n * self.nF, self.nO * self.nP)
        self.bias = lower.get_param("b").reshape(self.nO * self.nP)
        self.W, self.b, self.ops = upper.get_param("W"), upper.get_param("b"), upper.ops
        self.features = numpy.arange(self.nF)
        self.pipe, self.token_ids = pipe, token_ids
        self.holder = SimpleNamespace(state2vec=SimpleNamespace(nF=self.nF))
        self.numpy = numpy

    def keys(self, doc: Any, offset: int) -> list[int]:
        """Per token: a hash of its feature rows and of the attributes the moves read."""
        from spacy.attrs import ENT_IOB, ENT_TYPE, IS_SPACE, SENT_START

        numpy, n = self.numpy, len(doc)
        rows = self.rows[offset + 1:offset + 1 + n].reshape(n, -1).view(numpy.uint8)
        attrs = doc.to_array([ENT_IOB, ENT_TYPE, SENT_START, IS_SPACE]).reshape(n, -1)
        both = numpy.ascontiguousarray(numpy.concatenate(
            [rows, attrs.astype(numpy.int64).view(numpy.uint8)], axis=1))
        return [hash(b) for b in both.view(f"V{both.shape[1]}").ravel().tolist()]

    def __call__(self, state: Any) -> None:
        """Score ``state`` and take spaCy's choice of move."""
        ids = self.token_ids(self.holder, [state])[0]
        unmaxed = self.numpy.add.reduce(self.flat[(ids + 1) * self.nF + self.features], axis=0)
        unmaxed += self.bias
        if self.nP == 2:
            hidden = self.numpy.maximum(unmaxed[0::2], unmaxed[1::2])
        else:
            hidden = unmaxed.reshape(self.nO, self.nP).max(axis=1)
        scores = self.ops.gemm(hidden[None], self.W, trans2=True)
        scores += self.b
        self.pipe.transition_states([state], scores)


def _resume(step: _Step, state: Any, keys: list[int], prior: _Parse | None) -> None:
    """Take ``state`` to the end: the prior parse's moves where they hold, decoded between."""
    n = len(keys)
    if prior is None:
        while not state.is_final():
            step(state)
        return
    p, q = _common(prior.keys, keys)
    start = max(0, p - 1)  # a move at t reads tokens up to t + 1: the same up to p - 2
    for t in range(start):
        _apply(state, prior.moves[t])
    shift = len(prior.keys) - n
    tail = n - q  # tokens from here on have the old ones' keys
    while not state.is_final():
        t = state.B(0)
        if t >= tail and t > start and not state.entity_is_open() and _closed(prior, t + shift):
            for move in prior.moves[t + shift:]:
                _apply(state, move)
            return
        step(state)


def _closed(prior: _Parse, t: int) -> bool:
    """Had the prior parse no entity open when its move at ``t`` was chosen?"""
    if t == 0:
        return True
    label, closes = prior.moves[t - 1]
    if closes:
        return True
    if label:
        return False  # opened at t - 1, not closed
    for back in range(t - 1, -1, -1):  # an I or O: find what opened last
        label, closes = prior.moves[back]
        if closes:
            return True
        if label:
            return False
    return True


def _apply(state: Any, move: Move) -> None:
    """One recorded move, as spaCy's BILUO transitions make it (spacy/pipeline/
    _parser_internals/ner.pyx): open and/or close an entity at B(0), then advance."""
    label, closes = move
    if label:
        state.open_ent(label)
    if closes:
        state.close_ent()
    state.push()
    state.pop()


def _common(old: list[int], new: list[int]) -> tuple[int, int]:
    """Lengths of the shared start and of the shared end (not overlapping the start)."""
    most = min(len(old), len(new))
    p = 0
    while p < most and old[p] == new[p]:
        p += 1
    q = 0
    while q < most - p and old[-1 - q] == new[-1 - q]:
        q += 1
    return p, q


def _moves(doc: Any) -> list[Move]:
    """The move taken at each token, read back from the entities just set."""
    moves: list[Move] = [(0, False)] * len(doc)
    for ent in doc.ents:
        moves[ent.start] = (ent.label, ent.end - ent.start == 1)
        if ent.end - ent.start > 1:
            moves[ent.end - 1] = (0, True)
    return moves


def _ents(doc: Any) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in doc.ents]
