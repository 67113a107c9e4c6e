"""Finding the sentence or token of a spaCy Doc at a character offset."""

from __future__ import annotations

from typing import Any


def sent_at(doc: Any, char: int) -> Any:
    for s in doc.sents:
        if s.start_char <= char < s.end_char:
            return s
    return None


def token_at(doc: Any, char: int) -> Any:
    for t in doc:
        if t.idx <= char < t.idx + max(1, len(t.text)):
            return t
        if t.idx > char:
            return t
    return None
