"""The draft sentences of cases.yml: consistent paraphrases stay silent, contradictions fire."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from case_checks import assert_flagged

CASES = yaml.safe_load((Path(__file__).parent / "cases.yml").read_text(encoding="utf-8"))
CONSISTENT = CASES["consistent"]
CONTRADICTIONS = CASES["contradictions"]


def test_case_counts() -> None:
    assert len(CONSISTENT) >= 30
    assert len(CONSISTENT) + len(CONTRADICTIONS) >= 60
    codes = {c for case in CONTRADICTIONS for c in case["expect"]}
    assert codes == {"quote-speaker", "quote-wording", "date", "number", "role", "place"}


@pytest.mark.parametrize("case", CONSISTENT, ids=[c["id"] for c in CONSISTENT])
def test_consistent_sentence_is_not_flagged(engine, case) -> None:
    support: list = []
    diags = engine.check_text(case["text"] + "\n", "case.md", support=support)
    assert [(d.code, d.message) for d in diags] == []
    if "checked" in case:
        # not silent by accident: the claim was extracted, compared, and found consistent
        kinds = {claim.kind for claim, facts in support if facts}
        assert case["checked"] in kinds


@pytest.mark.parametrize("case", CONTRADICTIONS, ids=[c["id"] for c in CONTRADICTIONS])
def test_contradiction_is_flagged(engine, case) -> None:
    assert_flagged(engine, case)
