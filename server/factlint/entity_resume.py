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
from collections.abc import Sequence
from typing import Any

from spacy.pipeline import EntityRecognizer
from spacy.pipeline._parser_internals.ner import BiluoPushDown

from factlint.transition_resume import Memory, Parse, Step, common, usable

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


# a text to check at install that decoding step by step gives the entities of spaCy's loop
_PROBES = (
    "On Tuesday, the committee's chair Maria Lopez said 1,250 residents of the Rio Grande "
    "valley had been moved to shelters in three towns, and that more would follow by May.",
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
    """What a resuming recogniser keeps: its parses, by their tokens' keys, and the move it
    took at each token."""

    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe
        self.enabled = True  # (tests compare the recogniser with and without it)
        self.memory = Memory()
        self._local = threading.local()  # predicted, not recorded: {id(doc): (doc, keys, prior)}

    def __getstate__(self) -> dict[str, Any]:  # (a copy or pickle starts with no parses)
        return {"pipe": self.pipe, "enabled": self.enabled}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["pipe"])  # type: ignore[misc]
        self.enabled = state["enabled"]

    def predict(self, docs: list[Any]) -> list[Any] | None:
        """The final states for ``docs``, or None for spaCy's own loop (see
        :func:`factlint.transition_resume.usable`; a text with entities preset)."""
        pending = self._local.pending = {}
        if not usable(self.pipe, docs, self.enabled) or any(
                len(d) and d.has_annotation("ENT_IOB") for d in docs):
            return None  # (an empty Doc "has" every annotation)
        self.memory.check_weights(self.pipe)
        step = Step(self.pipe, docs)
        states = self.pipe.moves.init_batch(docs)
        offset = 0
        for doc, state in zip(docs, states, strict=True):
            if len(doc):
                keys = step.keys(doc, offset)
                prior = self.memory.find(keys)
                pending[id(doc)] = (doc, keys, prior)
                _resume(step, state, keys, prior)
            offset += len(doc)
        return states

    def record(self, docs: Sequence[Any]) -> None:
        """After spaCy set the entities: remember each predicted doc's keys and moves."""
        pending = getattr(self._local, "pending", {})
        for doc in docs:
            found = pending.pop(id(doc), None)
            if found is not None and found[0] is doc:
                _, keys, prior = found
                self.memory.keep(Parse(keys, _moves(doc)), prior)

    # -- install check ------------------------------------------------------------------

    def exact_on(self, docs: list[Any], nlp: Any, name: str) -> bool:
        """Does decoding the probes step by step give spaCy's own entities on this machine?
        (What could differ by machine is the arithmetic of a step against the C loop's: the
        sums and maxout in numpy. Resuming, and batches, are the same everywhere: tested.)
        Leaves nothing recorded."""
        for before in nlp.pipe_names[:nlp.pipe_names.index(name)]:
            docs = [nlp.get_pipe(before)(d) for d in docs]
        spacy = [d.copy() for d in docs]
        self.memory.forget()
        states = self.predict(docs)
        if states is None:
            return False  # (step by step is not what would run: nothing to check it by)
        self.pipe.set_annotations(docs, states)
        self.memory.forget()
        for d in spacy:
            EntityRecognizer.set_annotations(self.pipe, [d], EntityRecognizer.predict(
                self.pipe, [d]))
        return all(_ents(a) == _ents(b) for a, b in zip(docs, spacy, strict=True))


def _resume(step: Step, state: Any, keys: list[int], prior: Parse | None) -> None:
    """Take ``state`` to the end: the prior parse's moves where they hold, decoded between."""
    n = len(keys)
    if prior is None:
        while not state.is_final():
            step(state)
        return
    p, q = common(prior.keys, keys)
    start = max(0, p - 1)  # a move at t reads tokens up to t + 1: the same up to p - 2
    for t in range(start):
        _apply(state, prior.moves[t])
    shift = len(prior.keys) - n
    tail = n - q  # tokens from here on have the old ones' keys (tail >= p > start)
    while not state.is_final():
        t = state.B(0)
        if t >= tail and not state.entity_is_open() and _closed(prior, t + shift):
            for move in prior.moves[t + shift:]:
                _apply(state, move)
            return
        step(state)


def _closed(prior: Parse, t: int) -> bool:
    """Had the prior parse no entity open when its move at ``t`` was chosen? (The last move
    before ``t`` that opened or closed one says.)"""
    for label, closes in reversed(prior.moves[:t]):
        if closes:
            return True
        if label:
            return False  # opened, not closed
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
