"""Finding the sentence or token of a spaCy Doc at a character offset."""

from __future__ import annotations

from typing import Any

_SENTS = "factlint-sents"


def sentences(doc: Any) -> tuple[Any, ...]:
    """The sentences of a Doc, made once (``doc.sents`` makes new Span objects each time it
    is read, several times a paragraph)."""
    found = doc.user_data.get(_SENTS)
    if found is None or (found and found[0].doc is not doc):
        found = doc.user_data[_SENTS] = tuple(doc.sents)
    return found


def sent_at(doc: Any, char: int) -> Any:
    for s in sentences(doc):
        if s.start_char <= char < s.end_char:
            return s
    return None


def token_at(doc: Any, char: int) -> Any:
    """The token holding ``char``, else the first one after it (None past the end): a
    binary search over the tokens' offsets, which spaCy hands over as one array."""
    import numpy

    if len(doc) == 0:
        return None
    offsets = doc.to_array("IDX")
    i = int(numpy.searchsorted(offsets, char, side="right")) - 1
    if i >= 0:
        t = doc[i]
        if char < t.idx + max(1, len(t.text)):
            return t
    return doc[i + 1] if i + 1 < len(doc) else None
