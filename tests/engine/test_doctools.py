"""What doctools keeps per Doc answers as spaCy itself does: the token at an offset, a
sentence's tokens and entities; and a sentence's text is its slice of the Doc's."""

from __future__ import annotations

import pytest

from factlint.doctools import doc_ents, sentences, span_ents, span_tokens, token_at
from factlint.nlp import load_pipeline

TEXTS = [
    "The council approved the £4.2m budget on 4 March, a spokesman for Mara Okafor said.",
    "  Leading spaces,\ttabs\nand a line break.   Then a second sentence!  ",
    "“We will not sell,” said Jean-Paul Dubois of Vénissieux. Shares fell 3% in Paris.",
    "x",
]


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201 - spaCy Language
    return load_pipeline(None)


def _token_at_by_walk(doc, char):  # noqa: ANN001, ANN202 - the definition, token by token
    for t in doc:
        if t.idx <= char < t.idx + max(1, len(t.text)):
            return t
        if t.idx > char:
            return t
    return None


@pytest.mark.parametrize("text", TEXTS)
def test_token_at_every_offset(nlp, text: str) -> None:
    doc = nlp(text)
    for char in range(-1, len(text) + 2):
        got, want = token_at(doc, char), _token_at_by_walk(doc, char)
        assert (got.i if got is not None else None) == (want.i if want is not None else None)


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_parts_as_spacy_gives_them(nlp, text: str) -> None:
    doc = nlp(text)
    assert [e.text for e in doc_ents(doc)] == [e.text for e in doc.ents]
    for sent in sentences(doc):
        assert [t.i for t in span_tokens(sent)] == [t.i for t in sent]
        assert [(e.start, e.end, e.label_) for e in span_ents(sent)] == \
            [(e.start, e.end, e.label_) for e in sent.ents]
        # (what _Ctx.sentence_text slices)
        assert doc.text[sent.start_char:sent.end_char] == sent.text
