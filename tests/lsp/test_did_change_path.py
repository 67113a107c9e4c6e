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
    assert [str(e) for e, _kind in reported] == ["handler failed"]


def test_after_shutdown_pygls_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    server = _server()
    called: list[Any] = []
    monkeypatch.setitem(server.protocol.fm._features, types.TEXT_DOCUMENT_DID_CHANGE,
                        called.append)
    server.protocol._shutdown = True
    server.protocol.handle_message(_change(server, 2, 0, 0, 3, "Zero"))
    assert called == []  # "Server shutting down": nothing applied, nothing called
    assert server.workspace.get_text_document(URI).source == "One line.\nTwo lines.\n"
