"""Corpus changes the client reports, and the ``factlint.reindex`` command."""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path

from factlint.lsp.constants import REINDEX_COMMAND
from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


def did_change_watched_files(ls: FactlintLanguageServer,
                             params: types.DidChangeWatchedFilesParams) -> None:
    ls.files_changed([path for c in params.changes if (path := to_fs_path(c.uri))])


async def reindex_command(ls: FactlintLanguageServer, *args: Any) -> dict[str, Any]:
    if ls.engine is None:
        await ls.engine_ready.wait()
    await ls.request_reindex()
    return {"facts": ls.fact_count}


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(did_change_watched_files)
    server.command(REINDEX_COMMAND)(reindex_command)
