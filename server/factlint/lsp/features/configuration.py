"""workspace/didChangeConfiguration: re-read the client's layer and the project file."""

from __future__ import annotations

from lsprotocol import types

from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


async def did_change_configuration(ls: FactlintLanguageServer,
                                   params: types.DidChangeConfigurationParams) -> None:
    await ls.reload_configuration(params.settings)


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
