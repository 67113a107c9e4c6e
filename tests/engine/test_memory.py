"""Freezing a loaded index out of the cyclic collector: what was alive stays out of its way
until the next freeze, which first collects what of it became garbage (a replaced index)."""

from __future__ import annotations

import gc
import weakref

from factlint.memory import freeze_long_lived


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_a_replaced_index_is_collected_at_the_next_freeze() -> None:
    try:
        old = _Node()
        alive = weakref.ref(old)
        assert freeze_long_lived() >= 1
        del old
        gc.collect()
        assert alive() is not None  # frozen: no collection visits it
        freeze_long_lived()  # the next index loaded: the old one's cycles are collected
        assert alive() is None
        kept = _Node()
        freeze_long_lived(collect=False)
        assert gc.get_freeze_count() > 0 and kept.me is kept
    finally:
        gc.unfreeze()
