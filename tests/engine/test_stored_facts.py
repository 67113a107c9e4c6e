"""A fact as the index stores it: its provenance in a text of its own, read when first used."""

from __future__ import annotations

import pickle

import pytest

from factlint.facts import Fact, Provenance


def _fact(prov: Provenance | None, value_span: tuple[int, int] | None = (5, 7)) -> Fact:
    return Fact(kind="count", key={"event": "storm", "anchors": ["valdoria"], "when": []},
                value={"lo": 12.0, "hi": 12.0, "text": "12"}, prov=prov, span=(0, 40),
                value_span=value_span, extra={"n": 1})


PROV = Provenance("a.txt", "/corpus/a.txt", 3, 120, 181,
                  'The storm killed 12 people, "officials" said — 1234567890123456789.',
                  (2, 0, 2, 61))


@pytest.mark.parametrize("prov", [PROV, None])
@pytest.mark.parametrize("value_span", [(5, 7), None])
def test_a_stored_fact_reads_back_equal(prov, value_span) -> None:
    fact = _fact(prov, value_span)
    data, raw = fact.to_stored()
    assert "officials" not in data  # the sentence is not in the fact's own text
    back = Fact.from_stored(data, raw)
    assert back == fact and back.to_json() == fact.to_json()
    if prov is None:
        assert raw is None and back.prov is None


def test_stored_provenance_is_decoded_on_first_use_and_equals_the_eager_one() -> None:
    _, raw = _fact(PROV).to_stored()
    assert raw is not None
    lazy = Provenance.stored(raw)
    assert lazy._fields is None  # nothing decoded yet
    assert lazy.lsp == (2, 0, 2, 61) and isinstance(lazy.lsp, tuple)
    assert lazy._raw is None  # decoded once, the text let go
    for name in ("source", "path", "line", "start", "end", "text"):
        assert getattr(lazy, name) == getattr(PROV, name)
    other = Provenance.stored(raw)
    assert other == PROV and PROV == other and hash(other) == hash(PROV)
    assert {PROV: 1}[other] == 1
    assert repr(other) == repr(PROV) and "line=3" in repr(PROV)
    assert Provenance("a.txt", "/corpus/a.txt", 4, 120, 181, PROV.text) != PROV


def test_provenance_is_immutable_and_pickles() -> None:
    lazy = Provenance.stored(_fact(PROV).to_stored()[1] or "")
    with pytest.raises(AttributeError):
        lazy.line = 9  # type: ignore[misc]
    with pytest.raises(AttributeError):
        PROV.text = "changed"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(lazy)) == PROV
    assert pickle.loads(pickle.dumps(_fact(lazy))) == _fact(PROV)
