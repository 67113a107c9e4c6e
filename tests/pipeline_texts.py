"""Texts and partly parsed Docs for the tests of factlint's pipeline changes (the attribute
table, the token-vector cache, the resumed recogniser, the lemma memo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from factlint.resources import bundled_seeds

DOMAINS = Path(__file__).resolve().parent / "domains"


def corpus_paragraphs(min_words: int = 1, strip: bool = True) -> list[str]:
    """Every paragraph of the bundled seeds and of each test domain's corpus with at least
    ``min_words`` words, in file order (stripped unless ``strip`` is false)."""
    files = sorted(bundled_seeds().glob("*.txt")) + sorted(DOMAINS.glob("*/corpus/*"))
    out: list[str] = []
    for path in files:
        out += [p.strip() if strip else p for p in path.read_text(encoding="utf-8").split("\n\n")
                if len(p.split()) >= min_words]
    return out


def parsed_before(nlp: Any, text: str, component: str) -> Any:
    """``text`` run through ``nlp``'s components up to ``component``, not including it."""
    doc = nlp.make_doc(text)
    for name, pipe in nlp.pipeline:
        if name == component:
            return doc
        doc = pipe(doc)
    raise AssertionError(f"no {component}")
