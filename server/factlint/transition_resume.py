"""What spaCy's greedy transition-based components (the dependency parser, the entity
recogniser) need to resume a document from their last parse of the same paragraph: each
token's key, one decoding step computed as spaCy's C loop computes it, and a bounded memory
of recorded parses (see :mod:`factlint.entity_resume`; the parser was tried the same way
and not kept: docs/performance.md, twelfth round).

A decision of such a component at a state depends only on the precomputed rows of the state's
feature tokens (the lower layer applied to their token vectors), on the weights of the upper
layer, and on token attributes the moves' validity reads. A token's key hashes its rows and
those attributes, so two texts whose keys agree over a stretch decide alike there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any

MOST_TOKENS = 25_000  # recorded parses per component, in tokens (a 10,000-word draft: ~12,000)


class Parse:
    """One recorded parse: its tokens' keys, its moves, and what its component adds."""

    __slots__ = ("keys", "moves", "extra")

    def __init__(self, keys: list[int], moves: list[Any], extra: Any = None) -> None:
        self.keys = keys
        self.moves = moves
        self.extra = extra


class Memory:
    """Recorded parses, found by the key of their first or last token (an edit keeps one of
    them), at most :data:`MOST_TOKENS` tokens of them (the oldest go first). Thread-safe."""

    def __init__(self) -> None:
        self.parses: OrderedDict[int, Parse] = OrderedDict()
        self.tokens = 0
        self._by_first: dict[int, list[Parse]] = {}
        self._by_last: dict[int, list[Parse]] = {}
        self._lock = threading.Lock()
        self._weights: bytes | None = None

    def check_weights(self, pipe: Any) -> None:
        """Forget every parse when the weights changed (training): the rows in the keys
        follow the lower layer's weights, the moves also read its bias and padding row and
        the upper layer."""
        lower, upper = pipe.model.layers[1:]
        stamp = b"".join(layer.get_param(name).tobytes() for layer, name in (
            (upper, "W"), (upper, "b"), (lower, "b"), (lower, "pad")))
        if stamp != self._weights:
            with self._lock:
                self._weights = stamp
                self._forget()

    def find(self, keys: list[int]) -> Parse | None:
        """The recorded parse sharing the longest start plus end with ``keys`` (of those
        that start or end as it does)."""
        best, score = None, 0
        with self._lock:
            found = [*self._by_first.get(keys[0], ()), *self._by_last.get(keys[-1], ())]
        for prior in found:
            p, q = common(prior.keys, keys)
            if p + q > score:
                best, score = prior, p + q
        return best

    def keep(self, parse: Parse, prior: Parse | None) -> None:
        """Record ``parse``, in place of the parse it resumed from when that was an earlier
        text of it (most of its tokens shared)."""
        n = len(parse.keys)
        with self._lock:
            if prior is not None and 2 * sum(common(prior.keys, parse.keys)) > len(prior.keys):
                self._drop(prior)
            if n > MOST_TOKENS:
                return
            while self.parses and self.tokens + n > MOST_TOKENS:
                self._drop(next(iter(self.parses.values())))
            self.parses[id(parse)] = parse
            self.tokens += n
            for index, key in ((self._by_first, parse.keys[0]),
                               (self._by_last, parse.keys[-1])):
                index.setdefault(key, []).insert(0, parse)  # (paragraphs may share a sentence)

    def forget(self) -> None:
        with self._lock:
            self._forget()

    def _drop(self, parse: Parse) -> None:
        if self.parses.pop(id(parse), None) is None:
            return
        self.tokens -= len(parse.keys)
        for index, key in ((self._by_first, parse.keys[0]), (self._by_last, parse.keys[-1])):
            same = index[key]
            same.remove(parse)
            if not same:
                del index[key]

    def _forget(self) -> None:
        self.parses.clear()
        self._by_first.clear()
        self._by_last.clear()
        self.tokens = 0


def usable(pipe: Any, docs: list[Any], enabled: bool) -> bool:
    """May ``docs`` be decoded step by step (else spaCy's own loop: disabled, indexing a
    corpus, nothing to parse, or unseen classes, whose masking spans spaCy's whole batch)?"""
    from factlint.tok2vec_cache import is_bypassed

    return (enabled and not is_bypassed() and any(len(d) for d in docs)
            and not pipe.model.attrs["unseen_classes"])


class Step:
    """The model's precomputed rows for a batch, and one decoding step as spaCy's C loop
    computes it (``predict_states`` in spacy/ml/parser_model.pyx) for a single state: the
    feature rows summed in float32 in its order, its bias, maxout, and the same BLIS product
    for the scores."""

    def __init__(self, pipe: Any, docs: list[Any]) -> None:
        import numpy
        from spacy.ml.parser_model import ParserStepModel

        tok2vec, lower, upper = pipe.model.layers
        rows = lower.predict(tok2vec.predict(docs))  # (tokens + 1, nF, nO, nP): padding first
        n, self.nF, self.nO, self.nP = rows.shape
        self.rows = rows.reshape(n, self.nF, self.nO * self.nP)
        self.flat = self.rows.reshape(n * self.nF, self.nO * self.nP)
        self.bias = lower.get_param("b").reshape(self.nO * self.nP)
        self.W, self.b, self.ops = upper.get_param("W"), upper.get_param("b"), upper.ops
        self.features = numpy.arange(self.nF)
        self.pipe, self.numpy = pipe, numpy
        self.token_ids = ParserStepModel.get_token_ids  # (reads only .state2vec.nF)
        self.holder = SimpleNamespace(state2vec=SimpleNamespace(nF=self.nF))

    def keys(self, doc: Any, offset: int) -> list[int]:
        """Per token: a hash of its feature rows and of the attributes moves may read."""
        from spacy.attrs import ENT_IOB, ENT_TYPE, IS_SPACE, SENT_START

        numpy, n = self.numpy, len(doc)
        rows = self.rows[offset + 1:offset + 1 + n].reshape(n, -1).view(numpy.uint8)
        attrs = doc.to_array([ENT_IOB, ENT_TYPE, SENT_START, IS_SPACE]).reshape(n, -1)
        both = numpy.ascontiguousarray(numpy.concatenate(
            [rows, attrs.astype(numpy.int64).view(numpy.uint8)], axis=1))
        return [hash(b) for b in both.view(f"V{both.shape[1]}").ravel().tolist()]

    def scores(self, state: Any) -> Any:
        """The scores of every move at ``state``, to the bit as the C loop has them."""
        ids = self.token_ids(self.holder, [state])[0]
        unmaxed = self.numpy.add.reduce(self.flat[(ids + 1) * self.nF + self.features], axis=0)
        unmaxed += self.bias
        if self.nP == 2:
            hidden = self.numpy.maximum(unmaxed[0::2], unmaxed[1::2])
        else:
            hidden = unmaxed.reshape(self.nO, self.nP).max(axis=1)
        scores = self.ops.gemm(hidden[None], self.W, trans2=True)
        scores += self.b
        return scores

    def __call__(self, state: Any) -> Any:
        """Score ``state`` and take spaCy's choice of move; the scores."""
        scores = self.scores(state)
        self.pipe.transition_states([state], scores)
        return scores


def common(old: list[int], new: list[int]) -> tuple[int, int]:
    """Lengths of the shared start and of the shared end (not overlapping the start)."""
    most = min(len(old), len(new))
    p = 0
    while p < most and old[p] == new[p]:
        p += 1
    q = 0
    while q < most - p and old[-1 - q] == new[-1 - q]:
        q += 1
    return p, q
