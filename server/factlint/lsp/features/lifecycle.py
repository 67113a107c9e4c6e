"""initialize, initialized, shutdown: capabilities, the root, the settings layers."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from factlint.lsp import config as sc
from factlint.lsp.constants import SOURCE
from factlint.lsp.features.diagnostics import pull_diagnostics
from factlint.lsp.model import Capabilities
from factlint.lsp.positions import Positions
from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


def initialize(ls: FactlintLanguageServer, params: types.InitializeParams) -> None:
    ls.caps = Capabilities.from_client(params.capabilities)
    ls._positions = Positions(ls.workspace.position_encoding)
    root = ls.workspace.root_path
    if params.workspace_folders:
        root = to_fs_path(params.workspace_folders[0].uri) or root
    ls.root = Path(root) if root else Path.cwd()
    ls.layers["init"], ls._init_warnings = ls.parse_layer(
        params.initialization_options, "initializationOptions")

    features = ls.protocol.fm.features
    if ls.caps.pull_diagnostics:
        if types.TEXT_DOCUMENT_DIAGNOSTIC not in features:
            ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
                identifier=SOURCE, inter_file_dependencies=False,
                workspace_diagnostics=False))(pull_diagnostics)
    else:
        features.pop(types.TEXT_DOCUMENT_DIAGNOSTIC, None)
        ls.protocol.fm.feature_options.pop(types.TEXT_DOCUMENT_DIAGNOSTIC, None)


async def initialized(ls: FactlintLanguageServer, params: types.InitializedParams) -> None:
    ls._loop = asyncio.get_running_loop()
    warnings = list(ls._init_warnings)
    if ls.caps.did_change_configuration_dynamic:
        ls.spawn(ls.client_register_capability_async(types.RegistrationParams(
            registrations=[types.Registration(
                id=f"factlint-config-{uuid.uuid4().hex}",
                method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                register_options=types.DidChangeConfigurationRegistrationOptions(
                    section=sc.SECTION))])))
    warnings += await ls.fetch_client_layer()
    warnings += ls.load_project_layer()
    await ls.apply_settings(warnings)


def shutdown(ls: FactlintLanguageServer, params: None) -> None:
    ls.stop_background()


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.SHUTDOWN)(shutdown)
