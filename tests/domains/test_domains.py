"""Multi-domain drafts checked against their own corpora (tests/domains/<domain>/corpus/).

Six invented news stories -- a cup final, an acquisition, an outbreak, an earthquake, a vote in
parliament, a fraud trial -- each with its own small corpus and its own draft sentences in
cases.yml. Consistent paraphrases and sentences the corpus does not cover must stay silent;
contradictions must fire exactly the expected codes on the draft's last line, with evidence.
One engine is built per domain and shared by that domain's cases.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from case_checks import assert_flagged
from factlint.config import EngineConfig
from factlint.engine import Engine

HERE = Path(__file__).parent
CASES: dict[str, dict[str, list[dict]]] = yaml.safe_load(
    (HERE / "cases.yml").read_text(encoding="utf-8"))
# Cases the engine does not get right yet, each with the reason (known_gaps.yml). A gap is an
# expected failure (strict: when it starts passing the test fails until the entry is removed);
# a consistent case in it must still never fire, only its "checked" part is the gap.
GAPS: dict[str, str] = yaml.safe_load(
    (HERE / "known_gaps.yml").read_text(encoding="utf-8")) or {}
CODES = {"quote-speaker", "quote-wording", "date", "number", "role", "place"}
KINDS = {"quote", "role", "date", "count", "place"}


def _flatten(group: str) -> list[tuple[str, dict]]:
    return [(domain, case) for domain, groups in CASES.items() for case in groups.get(group, [])]


CONSISTENT = _flatten("consistent")
CONTRADICTIONS = _flatten("contradictions")


def _ids(items: list[tuple[str, dict]]) -> list[str]:
    return [f"{domain}/{case['id']}" for domain, case in items]


@pytest.fixture(scope="module")
def domain_engine(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Engine]:
    """One engine per domain, built on first use and shared by the module."""
    cache_dir = tmp_path_factory.mktemp("factlint-domains-cache")
    engines: dict[str, Engine] = {}

    def get(domain: str) -> Engine:
        if domain not in engines:
            corpus_dir = HERE / domain / "corpus"
            e = Engine(EngineConfig(corpus=[corpus_dir], cache_dir=cache_dir))
            e.load_corpus()
            engines[domain] = e
        return engines[domain]

    return get


def test_case_counts() -> None:
    assert len(CASES) >= 5
    assert len(CONSISTENT) + len(CONTRADICTIONS) >= 150
    ids = [case["id"] for _, case in CONSISTENT + CONTRADICTIONS]
    assert len(ids) == len(set(ids)), "case ids are unique"
    for domain, groups in CASES.items():
        assert (HERE / domain / "corpus").is_dir(), domain
        assert groups.get("consistent") and groups.get("contradictions"), domain
        codes = {c for case in groups["contradictions"] for c in case["expect"]}
        assert codes == CODES, f"{domain} covers every code"
    for _, case in CONSISTENT:
        assert case.get("checked", "count") in KINDS, case["id"]
    for _, case in CONTRADICTIONS:
        assert case["expect"] and set(case["expect"]) <= CODES, case["id"]


@pytest.mark.parametrize(("domain", "case"), CONSISTENT, ids=_ids(CONSISTENT))
def test_consistent_sentence_is_not_flagged(domain_engine, domain: str, case: dict) -> None:
    engine = domain_engine(domain)
    support: list = []
    diags = engine.check_text(case["text"] + "\n", "case.md", support=support)
    assert [(d.code, d.message) for d in diags] == []
    if "checked" in case:
        # not silent by accident: the claim was extracted, compared, and found consistent
        kinds = {claim.kind for claim, facts in support if facts}
        gap = GAPS.get(case["id"])
        if gap and case["checked"] not in kinds:
            pytest.xfail(f"known gap: {gap}")
        assert case["checked"] in kinds
        assert not gap, "no longer a gap: remove it from known_gaps.yml"


def _gap_marks(items: list[tuple[str, dict]]) -> list:
    return [pytest.param(d, c, marks=pytest.mark.xfail(strict=True, reason=GAPS[c["id"]]))
            if c["id"] in GAPS else pytest.param(d, c) for d, c in items]


def test_gaps_name_real_cases() -> None:
    ids = {case["id"] for _, case in CONSISTENT + CONTRADICTIONS}
    assert set(GAPS) <= ids
    assert all(isinstance(r, str) and r for r in GAPS.values())


@pytest.mark.parametrize(("domain", "case"), _gap_marks(CONTRADICTIONS), ids=_ids(CONTRADICTIONS))
def test_contradiction_is_flagged(domain_engine, domain: str, case: dict) -> None:
    assert_flagged(domain_engine(domain), case)
