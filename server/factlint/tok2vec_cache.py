"""Token vectors kept across parses, so an edited paragraph re-embeds only the tokens near its
edit (the language server's keystrokes).

``en_core_web_sm`` embeds tokens twice per parse (the shared ``tok2vec`` and the entity
recogniser's own), each a hash embedding of a few token attributes followed by a CNN of
``depth`` layers over windows of ``window_size`` tokens either side: a token's vector depends
only on the attributes of the tokens within ``depth * window_size`` of it, and on where the
document ends. Kept by that key (the window's attributes and its padding), a vector is
reused when the same window comes again; the tokens whose windows are new are embedded as a
stretch of the document cut with that many tokens of context either side, and only its
middle is kept. The rows are the model's own to the bit (each row of the CNN's matrix
products and layer norms is computed apart from the others; tests compare them), so the
parse is the same as without the cache. A pipeline of another architecture is left alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

MOST_ROWS = 25_000  # kept per embedding model (~20 MB; a 10,000-word draft has ~12,000)
WHOLE = 0.7  # pieces this share of a text's length or more: the text is embedded whole
_ARCHITECTURES = ("spacy.Tok2Vec.v1", "spacy.Tok2Vec.v2")
_ENCODERS = ("spacy.MaxoutWindowEncoder.v1", "spacy.MaxoutWindowEncoder.v2")
_EMBEDS = ("spacy.MultiHashEmbed.v1", "spacy.MultiHashEmbed.v2")


def install(nlp: Any) -> int:
    """Keep the token vectors of every embedding model in ``nlp`` whose architecture is
    understood here; the number of models now cached (again: the same, nothing redone)."""
    config = nlp.config  # (not interpolated: ~7 ms; a "${...}" depth is not understood)
    done = 0
    for name in nlp.pipe_names:
        node = config["components"][name].get("model", {})
        found = _embedding(nlp.get_pipe(name), node)
        if found is not None:
            model, spec = found
            if not isinstance(getattr(model, "_func", None), WindowCache):
                cache = WindowCache(model._func, *spec)
                if not cache.exact_on(model, nlp.make_doc(_PROBE)):
                    continue  # this machine's matrix products: a row depends on the others
                model._func = cache
            done += 1
    return done


# a text to check, at install, that rows embedded in pieces are the rows embedded whole
_PROBE = ("On Tuesday, the committee's chair said 1,250 residents of the valley had been "
          "moved to shelters in three towns, and that more would follow before May.")


@contextmanager
def bypassed() -> Iterator[None]:
    """Embed without the cache in this thread (indexing a corpus: its texts are parsed once,
    in batches, and would only push a draft's rows out)."""
    before = getattr(_LOCAL, "bypass", False)
    _LOCAL.bypass = True
    try:
        yield
    finally:
        _LOCAL.bypass = before


_LOCAL = threading.local()


def is_bypassed() -> bool:
    """Is this thread inside :func:`bypassed` (other caches of parses follow it too)?"""
    return bool(getattr(_LOCAL, "bypass", False))


def _embedding(pipe: Any, node: dict[str, Any]) -> tuple[Any, tuple[list[str], int]] | None:
    """A component's own embedding model and (attributes, radius), if it has one this module
    understands: the component's model itself (``tok2vec``) or its ``tok2vec`` layer."""
    model = getattr(pipe, "model", None)
    if model is None:
        return None
    if node.get("@architectures") in _ARCHITECTURES:
        candidates = [model]
    else:
        node = node.get("tok2vec", {})
        if node.get("@architectures") not in _ARCHITECTURES or not model.has_ref("tok2vec"):
            return None
        ref = model.get_ref("tok2vec")  # in a parser: chain(Tok2Vec, list2array, Linear)
        candidates = [ref, *ref.layers[:1]]
    model = next((m for m in candidates if _is_tok2vec(m)), None)
    spec = _spec(node)
    if model is None or spec is None:
        return None
    return model, spec


def _is_tok2vec(model: Any) -> bool:
    """chain(embed, encode) as ``spacy.Tok2Vec`` builds it: features, hash embeddings, then
    the window encoder (its output: one array per doc)."""
    layers = model.layers
    return (len(layers) == 2 and layers[0].name.startswith("extract_features")
            and layers[1].name.startswith("with_array(residual(expand_window"))


def _spec(node: dict[str, Any]) -> tuple[list[str], int] | None:
    embed, encode = node.get("embed", {}), node.get("encode", {})
    if (embed.get("@architectures") not in _EMBEDS or embed.get("include_static_vectors")
            or encode.get("@architectures") not in _ENCODERS):
        return None
    from spacy.attrs import IDS

    attrs, depth, window = embed.get("attrs"), encode.get("depth"), encode.get("window_size")
    if (not isinstance(attrs, list) or not attrs  # (a "${...}" variable: not resolved here)
            or not all(isinstance(a, str) and a.upper() in IDS for a in attrs)
            or not isinstance(depth, int) or not isinstance(window, int)
            or depth < 0 or window < 0):
        return None
    return [a.upper() for a in attrs], depth * window


Forward = Callable[[Any, Any, bool], tuple[Any, Callable[..., Any]]]


class WindowCache:
    """A thinc forward function for an embedding model (docs -> one array per doc) that keeps
    each row by its window (see the module's docstring). Training passes straight through
    (and forgets the rows: the weights may change)."""

    def __init__(self, forward: Forward, attrs: list[str], radius: int) -> None:
        from spacy.attrs import IDS

        self.forward = forward
        self.attrs = [IDS[a] for a in attrs]
        self.radius = radius
        self.rows: dict[tuple[Any, ...], Any] = {}
        self.enabled = True  # (tests compare the model with and without it)

    def __call__(self, model: Any, docs: Any, is_train: bool) -> tuple[Any, Callable[..., Any]]:
        if is_train:
            self.rows = {}
        if is_train or not self.enabled or is_bypassed():
            return self.forward(model, docs, is_train)
        return self._embed(model, list(docs)), _no_backprop

    def _keys(self, doc: Any) -> list[tuple[Any, ...]]:
        return _windows(doc, self.attrs, self.radius)[0]

    def _embed(self, model: Any, docs: list[Any]) -> list[Any]:
        """Every doc's rows: the kept ones, and the others embedded in one batch of the docs
        (or stretches of them) they are missing from."""
        r, kept = self.radius, self.rows
        windows = [_windows(doc, self.attrs, r) if len(doc) else ([], None) for doc in docs]
        keys = [k for k, _ in windows]
        found = [[kept.get(k) for k in ks] for ks in keys]
        todo: list[tuple[int, int, int, int]] = []  # (doc, lo, hi, start of the piece)
        pieces = []
        for d, (doc, rows) in enumerate(zip(docs, found, strict=True)):
            missing = [i for i, row in enumerate(rows) if row is None]
            cuts = [(lo, hi, max(0, lo - r), min(len(doc), hi + r))
                    for lo, hi in _stretches(missing, 2 * r)]
            if len(missing) == len(rows) or sum(e - s for _, _, s, e in cuts) >= WHOLE * len(
                    rows):  # (an empty doc too; or pieces nearly as long as the text)
                todo.append((d, 0, len(rows), 0))
                pieces.append(doc)
                continue
            for lo, hi, start, end in cuts:
                todo.append((d, lo, hi, start))
                pieces.append(_piece(doc, start, end, self.attrs, windows[d][1]))
        out: list[Any] = [None] * len(docs)
        embedded = self.forward(model, pieces, False)[0] if pieces else []
        for (d, lo, hi, start), piece, rows in zip(todo, pieces, embedded, strict=True):
            if piece is docs[d]:
                out[d] = rows  # embedded whole: the model's own array
            else:
                rows = rows[lo - start:hi - start]
                for i in range(lo, hi):
                    found[d][i] = rows[i - lo]
            self._keep(keys[d][lo:hi], rows)
        return [o if o is not None else model.ops.xp.stack(rows)
                for o, rows in zip(out, found, strict=True)]

    def _keep(self, keys: list[tuple[Any, ...]], rows: Any) -> None:
        if len(keys) > MOST_ROWS:
            return  # one text longer than the whole cache
        if len(self.rows) + len(keys) > MOST_ROWS:
            self.rows = {}  # (a dict another thread reads stays whole)
        kept = self.rows
        for k, row in zip(keys, rows, strict=True):
            kept[k] = row.copy()

    def exact_on(self, model: Any, doc: Any) -> bool:
        """Are the rows of ``doc`` embedded in stretches (as the cache does) the rows of
        ``doc`` embedded whole, to the bit, on this machine?"""
        import numpy

        r, n = self.radius, len(doc)
        cuts = [(lo, min(n, lo + 3)) for lo in (0, n // 2)]  # cut by the start; on both sides
        spans = [(max(0, lo - r), min(n, hi + r)) for lo, hi in cuts]
        # (apart: the question is whether a row depends on what else is in its batch)
        whole = self.forward(model, [doc], False)[0][0]
        parts = self.forward(model, [doc[a:b].as_doc() for a, b in spans], False)[0]
        return all(numpy.array_equal(part[lo - a:hi - a], whole[lo:hi])
                   for (lo, hi), (a, _), part in zip(cuts, spans, parts, strict=True))


def _windows(doc: Any, attrs: list[int], radius: int) -> tuple[list[tuple[Any, ...]], Any]:
    """Each token's window key (the padding either side, and the bytes of the attribute
    rows of the tokens within ``radius``), and the attribute rows."""
    n, r = len(doc), radius
    array = doc.to_array(attrs).reshape(n, -1)
    rows, width = array.tobytes(), array.shape[1] * array.itemsize
    return [(max(0, r - i), max(0, i + r + 1 - n), rows[max(0, i - r) * width:(i + r + 1) * width])
            for i in range(n)], array


def _piece(doc: Any, start: int, end: int, attrs: list[int], array: Any) -> Any:
    """``doc[start:end]`` as a Doc: the one cut for the other embedding model when it still
    has the attributes ``attrs`` this model reads as the text has them now (``array``; both
    models of a pipeline cut the same stretches, a component between them may change an
    attribute)."""
    import numpy

    made = _LOCAL.__dict__.setdefault("pieces", {})
    key = (id(doc), start, end)
    found = made.get(key)
    if found is not None and found[0] is doc and numpy.array_equal(
            found[1].to_array(attrs).reshape(end - start, -1), array[start:end]):
        return found[1]
    if len(made) >= 64:  # (a batch's worth: the other model comes right after)
        made.clear()
    piece = doc[start:end].as_doc()
    made[key] = (doc, piece)
    return piece


def _stretches(indices: list[int], gap: int) -> list[tuple[int, int]]:
    """Sorted indices as [lo, hi) stretches, two joined when fewer than ``gap`` indices lie
    between them (one embedding of both costs less than two)."""
    out: list[tuple[int, int]] = []
    for i in indices:
        if out and i - out[-1][1] < gap:
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def _no_backprop(*_: Any) -> Any:
    raise RuntimeError("the token-vector cache is for prediction only")
