"""A dated claim's candidates may be narrowed to facts carrying one of ``when_terms``: every
fact that ``same_time`` lets through carries one of them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factlint.comparisons import same_time
from factlint.factdb import terms_of, when_terms
from factlint.facts import Fact

_dates = st.fixed_dictionaries({}, optional={
    "year": st.integers(2018, 2021),
    "m_lo": st.integers(1, 12), "m_hi": st.integers(1, 12), "day": st.integers(1, 28)})


def _fact(when: list[dict]) -> Fact:
    return Fact(kind="count", key={"anchors": ["x"], "when": when}, value={"lo": 1, "hi": 1})


def _fix(d: dict) -> dict:
    if "m_lo" in d and "m_hi" not in d:
        d = {**d, "m_hi": d["m_lo"]}
    if "m_hi" in d and "m_lo" not in d:
        d = {**d, "m_lo": d["m_hi"]}
    return d


@settings(max_examples=600, deadline=None)
@given(st.lists(_dates, min_size=1, max_size=3), st.lists(_dates, max_size=3))
def test_every_fact_of_the_same_time_carries_a_when_term(mine: list, theirs: list) -> None:
    claim, fact = _fact([_fix(d) for d in mine]), _fact([_fix(d) for d in theirs])
    terms = when_terms(claim.key["when"])
    assert terms is not None
    if same_time(claim, fact):
        assert set(terms) & terms_of(fact)


def test_an_undated_claim_is_not_narrowed() -> None:
    assert when_terms([]) is None
    assert not {"t:when", "t:y?"} & terms_of(_fact([]))
