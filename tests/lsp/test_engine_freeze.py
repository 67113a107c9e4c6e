"""The first engine's index is frozen out of the garbage collector without a full collection
(nothing to free: no engine was replaced); a rebuilt engine collects the one it replaced."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import factlint.lsp.indexing as indexing
from factlint.lsp.serve import build_server


class _Engine:
    corpus_paths: list[Any] = []


def test_only_a_replacing_build_collects(monkeypatch: pytest.MonkeyPatch) -> None:
    server = build_server()
    calls: list[bool] = []
    monkeypatch.setattr(indexing, "freeze_long_lived",
                        lambda collect=True: calls.append(collect) or 0)
    monkeypatch.setattr(type(server), "_build_engine",
                        lambda self, wanted, progress: (_Engine(), wanted, 7, []))
    # (what the build reports goes to a client this test has not got)
    for name in ("status", "log", "warn_user", "recheck_all", "window_show_message"):
        monkeypatch.setattr(server, name, lambda *a, **k: None)

    async def update_watchers() -> None:
        return None

    monkeypatch.setattr(server, "update_watchers", update_watchers)

    async def builds() -> None:
        server._loop = asyncio.get_running_loop()
        wanted = server.merged_settings()
        await server.rebuild_engine(wanted, force=True)
        first = server.engine
        await server.rebuild_engine(wanted, force=True)
        assert server.engine is not first and server.fact_count == 7

    asyncio.run(builds())
    assert calls == [False, True]
