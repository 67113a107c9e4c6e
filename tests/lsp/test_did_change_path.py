"""didChange, the message of every keystroke, takes a short path past pygls's general
dispatch (``HardenedProtocol._did_change``): the same steps, in the same order."""

from __future__ import annotations

import json
from typing import Any

import pytest
from lsprotocol import types
from pygls.workspace import Workspace

from factlint.lsp.serve import build_server

URI = "file:///tmp/draft.md"


def _server() -> Any:
    server = build_server()
    server.protocol._workspace = Workspace(None)
    server.workspace.put_text_document(types.TextDocumentItem(
        uri=URI, language_id="markdown", version=1, text="One line.\nTwo lines.\n"))
    return server


def _change(server: Any, version: int, line: int, start: int, end: int, text: str) -> Any:
    raw = {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": version},
        "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                      "end": {"line": line, "character": end}},
                            "text": text}]}}
    return json.loads(json.dumps(raw), object_hook=server.protocol.structure_message)


def test_changes_applied_then_the_handler_called(monkeypatch: pytest.MonkeyPatch) -> None:
    server = _server()
    seen: list[tuple[int, str]] = []
    features = server.protocol.fm._features
    monkeypatch.setitem(features, types.TEXT_DOCUMENT_DID_CHANGE, lambda params: seen.append(
        (params.text_document.version, server.workspace.get_text_document(URI).source)))
    message = _change(server, 2, 1, 0, 3, "Three")
    assert type(message) is types.DidChangeTextDocumentNotification  # the short path's
    server.protocol.handle_message(message)
    assert seen == [(2, "One line.\nThree lines.\n")]


def test_a_failing_handler_is_reported_and_the_change_kept(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    server = _server()
    reported: list[tuple[BaseException, Any]] = []

    def fail(params: Any) -> None:
        raise RuntimeError("handler failed")

    monkeypatch.setitem(server.protocol.fm._features, types.TEXT_DOCUMENT_DID_CHANGE, fail)
    monkeypatch.setattr(server, "_report_server_error", lambda e, kind: reported.append((e, kind)))
    server.protocol.handle_message(_change(server, 2, 0, 0, 3, "Just one"))
    assert server.workspace.get_text_document(URI).source == "Just one line.\nTwo lines.\n"
    # as pygls reports a failing notification: the error type and message, for the client
    assert [e.message for e, _kind in reported] == ["RuntimeError: handler failed"]


def test_after_shutdown_pygls_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    server = _server()
    called: list[Any] = []
    monkeypatch.setitem(server.protocol.fm._features, types.TEXT_DOCUMENT_DID_CHANGE,
                        called.append)
    server.protocol._shutdown = True
    server.protocol.handle_message(_change(server, 2, 0, 0, 3, "Zero"))
    assert called == []  # "Server shutting down": nothing applied, nothing called
    assert server.workspace.get_text_document(URI).source == "One line.\nTwo lines.\n"


def test_a_generator_handler_goes_pygls_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """pygls runs a generator handler through its yield-a-handler protocol: the short path
    leaves it to pygls."""
    server = _server()
    seen: list[int] = []

    def handler(params: Any) -> Any:
        seen.append(params.text_document.version)
        return
        yield

    monkeypatch.setitem(server.protocol.fm._features, types.TEXT_DOCUMENT_DID_CHANGE, handler)
    server.protocol.handle_message(_change(server, 5, 0, 0, 3, "Won"))
    assert seen == [5]
    assert server.workspace.get_text_document(URI).source.startswith("Won line.")


def test_a_replaced_builtin_goes_pygls_way(monkeypatch: pytest.MonkeyPatch) -> None:
    server = _server()
    seen: list[int] = []
    monkeypatch.setitem(server.protocol.fm._builtin_features, types.TEXT_DOCUMENT_DID_CHANGE,
                        lambda params: seen.append(params.text_document.version))
    server.protocol.handle_message(_change(server, 6, 0, 0, 3, "Won"))
    assert seen == [6]  # the replacement ran, and it applied nothing
    assert server.workspace.get_text_document(URI).source == "One line.\nTwo lines.\n"


def test_the_servers_own_handler_takes_the_short_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from pygls.protocol import JsonRPCProtocol

    server = _server()

    def general(self: Any, message: Any) -> None:
        raise AssertionError("pygls's general dispatch")

    from dataclasses import replace

    from factlint.lsp import config as sc

    monkeypatch.setattr(JsonRPCProtocol, "handle_message", general)
    # (checked on save: no event loop here to schedule a check on)
    server.settings = replace(server.settings, check_frequency=sc.CheckFrequency.SAVE)
    reported: list[Any] = []
    monkeypatch.setattr(server, "_report_server_error", lambda e, kind: reported.append(e))
    server.protocol.handle_message(_change(server, 7, 1, 0, 3, "Six"))
    assert server.workspace.get_text_document(URI).source == "One line.\nSix lines.\n"
    assert reported == [] and server.docs[URI].version == 7  # the server's handler ran
