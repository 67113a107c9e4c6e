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


def test_settled_objects_leave_the_young_generations_and_cycles_are_collected_later(
        monkeypatch) -> None:
    """``settle`` (after facts were decoded into the cache) freezes what is alive, so the
    young collections stop walking it; a cycle that became garbage meanwhile is collected
    when settlings reach ``SETTLE_COLLECT``."""
    import factlint.memory as memory

    monkeypatch.setattr(memory, "SETTLE_COLLECT", 3)
    monkeypatch.setattr(memory, "_settled", 0)
    try:
        gc.collect()
        cached = [{"anchors": [str(i)]} for i in range(50)]  # what a decode keeps
        garbage = _Node()
        gone = weakref.ref(garbage)
        memory.settle()
        assert gc.get_count()[0] == 0  # nothing young left to walk
        assert gc.is_tracked(cached[0]) and gc.get_freeze_count() >= len(cached)
        del garbage
        gc.collect()
        assert gone() is not None  # frozen with the rest
        memory.settle()
        assert gone() is not None
        memory.settle()  # the third: what was frozen is collected, then frozen again
        assert gone() is None
        assert cached[49]["anchors"] == ["49"]
    finally:
        gc.unfreeze()


def test_settle_does_not_freeze_while_a_collection_is_under_way(monkeypatch) -> None:
    """A thread's settle between another's unfreeze and its collection would hide what that
    collection is for (a replaced index): it waits its turn, skipping that freeze."""
    import factlint.memory as memory

    monkeypatch.setattr(memory, "_settled", 0)
    try:
        gc.unfreeze()
        with memory._LOCK:  # (what freeze_long_lived holds from unfreeze to freeze)
            memory.settle()
            assert gc.get_freeze_count() == 0
        memory.settle()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
