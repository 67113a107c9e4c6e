"""Finding the sentence or token of a spaCy Doc at a character offset."""

from __future__ import annotations

import bisect
from typing import Any

_SENTS = "factlint-sents"
_ENTS = "factlint-ents"
_TOKENS = "factlint-tokens"
_OFFSETS = "factlint-token-offsets"


def sentences(doc: Any) -> tuple[Any, ...]:
    """The sentences of a Doc, made once (``doc.sents`` makes new Span objects each time it
    is read, several times a paragraph)."""
    found = doc.user_data.get(_SENTS)
    if found is None or (found and found[0].doc is not doc):
        found = doc.user_data[_SENTS] = tuple(doc.sents)
    return found


def doc_tokens(doc: Any) -> tuple[Any, ...]:
    """The tokens of a Doc, made once (iterating a Doc or Span makes a new Token object for
    every token, each time; the claim kinds walk each sentence several times)."""
    found = doc.user_data.get(_TOKENS)
    if found is None:
        found = doc.user_data[_TOKENS] = tuple(doc)
    return found


def span_tokens(span: Any) -> tuple[Any, ...]:
    """The tokens of a span (a sentence), from :func:`doc_tokens`."""
    return doc_tokens(span.doc)[span.start:span.end]


def doc_ents(doc: Any) -> tuple[Any, ...]:
    """``doc.ents``, made once per Doc (spaCy builds the entity spans from every token's
    tags each time it is read; a sentence's ``.ents`` reads all of them too)."""
    found = doc.user_data.get(_ENTS)
    if found is None:
        found = doc.user_data[_ENTS] = tuple(doc.ents)
    return found


def span_ents(span: Any) -> list[Any]:
    """``span.ents``: the entities that lie wholly inside ``span``, from :func:`doc_ents`."""
    out = []
    start, end = span.start, span.end
    for ent in doc_ents(span.doc):
        if ent.start >= start:
            if ent.end <= end:
                out.append(ent)
            else:
                break
    return out


def sent_at(doc: Any, char: int) -> Any:
    for s in sentences(doc):
        if s.start_char <= char < s.end_char:
            return s
    return None


def token_at(doc: Any, char: int) -> Any:
    """The token holding ``char``, else the first one after it (None past the end): a
    binary search over the tokens' offsets, kept per Doc."""
    toks = doc_tokens(doc)
    if not toks:
        return None
    offsets = doc.user_data.get(_OFFSETS)
    if offsets is None:
        offsets = doc.user_data[_OFFSETS] = [t.idx for t in toks]
    i = bisect.bisect_right(offsets, char) - 1
    if i >= 0:
        t = toks[i]
        if char < t.idx + max(1, len(t.text)):
            return t
    return toks[i + 1] if i + 1 < len(toks) else None
