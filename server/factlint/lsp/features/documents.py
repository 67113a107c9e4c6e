"""Text synchronisation: a check is scheduled on open, change (after the debounce, when
``checkFrequency`` is ``change``) and save."""

from __future__ import annotations

from lsprotocol import types

from factlint.lsp import config as sc
from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


def did_open(ls: FactlintLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.open_document(params.text_document.uri, params.text_document.version)
    if not ls.engine_ready.is_set() and not ls.caps.pull_diagnostics:
        ls.spawn(ls.publish_cached(params.text_document.uri))  # while spaCy loads
    ls.schedule_check(params.text_document.uri, 0)


def did_change(ls: FactlintLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.open_document(uri, params.text_document.version)
    if ls.settings.check_frequency is sc.CheckFrequency.CHANGE:
        ls.schedule_check(uri, ls.settings.debounce_ms)


def did_save(ls: FactlintLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.docs:
        ls.docs[uri].remember = True  # the saved text is what the next start may reopen
    if ls.caps.pull_diagnostics:
        if ls.settings.check_frequency is sc.CheckFrequency.SAVE:
            ls.spawn(_check_then_refresh(ls, uri))
        return
    ls.schedule_check(uri, 0)


async def _check_then_refresh(ls: FactlintLanguageServer, uri: str) -> None:
    if await ls.run_check(uri) is not None:
        await ls._refresh_pull()


def did_close(ls: FactlintLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.close_document(params.text_document.uri)


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))(did_save)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
