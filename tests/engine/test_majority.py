"""``majority_of`` stops once no group can reach the share: the same answer as grouping
every fact, with fewer comparisons for a pool of many different values."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factlint.comparisons import majority_of
from factlint.facts import Fact


def _fact(n: int) -> Fact:
    return Fact(kind="count", key={}, value={"lo": n, "hi": n})


def _close(a: dict[str, Any], b: dict[str, Any]) -> bool:
    # not transitive, like interval overlap: the first group a value agrees with takes it
    return abs(a["lo"] - b["lo"]) <= 1


def _grouped(facts: list[Fact], share: float) -> list[Fact]:
    """Every fact grouped, then the largest group if it holds the share (the reference)."""
    groups: list[list[Fact]] = []
    for f in facts:
        for g in groups:
            if _close(g[0].value, f.value):
                g.append(f)
                break
        else:
            groups.append([f])
    best = max(groups, key=len, default=[])
    return best if best and len(best) >= share * len(facts) else []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=40),
       st.sampled_from([2 / 3, 0.5, 0.75, 1.0]))
def test_same_answer_as_grouping_every_fact(values: list[int], share: float) -> None:
    facts = [_fact(v) for v in values]
    assert majority_of(facts, _close, share) == _grouped(facts, share)


def test_a_pool_of_different_values_stops_early() -> None:
    calls = 0

    def counted(a: dict[str, Any], b: dict[str, Any]) -> bool:
        nonlocal calls
        calls += 1
        return a["lo"] == b["lo"]

    facts = [_fact(10 * i) for i in range(60)]
    assert majority_of(facts, counted) == []
    # every fact compared with every group before it would be 60 * 59 / 2 = 1,770
    assert calls < 300


def test_a_majority_is_found_however_late_it_forms() -> None:
    facts = [_fact(1), _fact(50)] + [_fact(7) for _ in range(6)]
    found = majority_of(facts, lambda a, b: a["lo"] == b["lo"])
    assert [f.value["lo"] for f in found] == [7] * 6
