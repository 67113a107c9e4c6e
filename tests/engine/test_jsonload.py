"""What ``jsonload.dumps`` writes, ``jsonload.loads`` reads back exactly as ``json.loads``
reads what ``json.dumps`` wrote, including what orjson refuses or reads otherwise."""

from __future__ import annotations

import json
import math
import random

from factlint.jsonload import dumps, loads


def _value(rng: random.Random, depth: int = 0) -> object:
    pick = rng.randrange(9 if depth < 3 else 6)
    if pick == 0:
        return rng.randrange(-10**6, 10**6)
    if pick == 1:
        return rng.choice([0.1, -2.5e-8, 1e300, 3.0, 12345.678, 2**63 - 1])
    if pick == 2:
        return "".join(rng.choice("aé\"\\\n€😀 x\u2028~1") for _ in range(rng.randrange(12)))
    if pick == 3:
        return rng.choice([True, False, None])
    if pick == 4:
        return rng.choice([2**70, -(2**65), 10**30, 2**64])  # beyond 64 bits
    if pick == 5:
        return rng.choice([1.5, 2**53 + 1, "~not a mark"])
    if pick == 6:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {f"k{i}": _value(rng, depth + 1) for i in range(rng.randrange(4))}


def test_loads_of_dumps_equals_the_standard_library_on_random_values() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        value = _value(rng)
        got = loads(dumps(value))
        assert got == json.loads(json.dumps(value))
        assert json.dumps(got) == json.dumps(value)  # (an int stays an int)


def test_nan_infinity_and_long_integers_come_back() -> None:
    got = loads(dumps({"lo": float("nan"), "hi": float("inf"), "n": 2**64, "m": -(10**30)}))
    assert math.isnan(got["lo"]) and got["hi"] == math.inf
    assert got["n"] == 2**64 and isinstance(got["n"], int) and got["m"] == -(10**30)
