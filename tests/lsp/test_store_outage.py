"""The language server on a shared PostgreSQL store that goes away: the check is not
answered (no diagnostics computed without the facts), the last diagnostics stay up, a
warning is logged, and once the store answers again the server checks as before."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path

from lsp_harness import REPO, lsp_session
from lsprotocol import types

SEEDS = REPO / "seeds"


def _drop_connections(pg_url: str) -> int:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        return len(con.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
            "application_name = 'factlint' AND pid <> pg_backend_pid()").fetchall())


async def test_store_outage_keeps_the_last_diagnostics(server_env: dict[str, str],
                                                       workspace: Path, tmp_path: Path,
                                                       pg_url: str) -> None:
    corpus = tmp_path / f"corpus-{uuid.uuid4().hex[:8]}"
    shutil.copytree(SEEDS, corpus)
    env = {**server_env, "FACTLINT_STORE": pg_url}
    async with lsp_session(env, workspace, initialization_options={
            "corpus": [str(corpus)], "debounceMs": 0}) as s:
        uri = s.open("draft.md")
        await s.ready(uri)  # the engine's own check, over the store
        first = await s.diagnostics(uri, version=1)
        assert {d.code for d in first} >= {"quote-speaker", "date"}
        count = len(s.publications(uri))
        assert _drop_connections(pg_url) >= 1
        text = s.texts[uri]
        s.change(uri, text + "\n")  # an edit the server cannot check now
        await s.wait_for(lambda: any("keeping the last diagnostics" in m.message
                                     for m in s.client.log_messages), what="warning")
        warning = [m for m in s.client.log_messages if "keeping the last" in m.message][-1]
        assert warning.type == types.MessageType.Warning and "***" in warning.message
        await asyncio.sleep(0.5)
        assert len(s.publications(uri)) == count  # nothing published over the last ones
        version = s.change(uri, text + "\n\n")  # the store answers again: checked as before
        again = await s.diagnostics(uri, version=version)
        assert {d.code for d in again} == {d.code for d in first}
