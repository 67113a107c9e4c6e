"""The JSON-RPC side of the language server, hardened against malformed requests.

pygls turns a request whose params do not fit the method's type (missing, wrong type) into
an exception while decoding the message, before it knows the request's id: the client got
no response at all and waited forever. Here such a request gets the JSON-RPC error it is
owed (``-32602 Invalid params``, with the method and the reason), as does a document request
whose ``textDocument.uri`` is not a URI. Notifications cannot be answered; a malformed one
is logged and dropped, as before.

A ``publishDiagnostics`` notification is written from the JSON text the server keeps for each
diagnostic (``diagnostics_json``): after an edit only the findings it changed are serialised.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import json
import logging
import re
import sys
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.exceptions import (
    FeatureNotificationError,
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
)
from pygls.feature_manager import is_thread_function
from pygls.protocol import LanguageServerProtocol

from factlint.lsp.text_sync import apply_change

_PYGLS_DID_CHANGE = LanguageServerProtocol.lsp_text_document__did_change

log = logging.getLogger("factlint.server")

_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class MalformedRequest:
    """A request that could not be decoded, kept only to answer it with an error."""

    id: int | str
    method: str
    error: JsonRpcException
    jsonrpc: str = "2.0"


def _document_uri(data: dict[str, Any]) -> Any:
    params = data.get("params")
    if isinstance(params, dict) and isinstance(params.get("textDocument"), dict):
        return params["textDocument"].get("uri")
    return None


class HardenedProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        is_request = ("jsonrpc" in data and "method" in data and "id" in data
                      and isinstance(data["id"], int | str) and not isinstance(data["id"], bool))
        try:
            message = super().structure_message(data)
        except JsonRpcException as exc:
            if not is_request:
                raise
            reason = exc.__cause__ or exc
            first = str(reason).splitlines()[0] if str(reason) else type(reason).__name__
            return MalformedRequest(data["id"], str(data["method"]),
                                    JsonRpcInvalidParams(f"Invalid params for "
                                                         f"{data['method']}: {first}"))
        if is_request and str(data["method"]).startswith("textDocument/"):
            uri = _document_uri(data)
            if uri is not None and (not isinstance(uri, str) or not _URI_SCHEME.match(uri)):
                return MalformedRequest(data["id"], str(data["method"]), JsonRpcInvalidParams(
                    f"Invalid params for {data['method']}: {uri!r} is not a document URI"))
        return message

    def handle_message(self, message: Any) -> None:
        if isinstance(message, MalformedRequest):
            log.warning("malformed %s request %r: %s", message.method, message.id,
                        message.error.message)
            self._send_response(message.id, None, message.error.to_response_error())
            return
        if type(message) is types.DidChangeTextDocumentNotification and \
                self._did_change(message):
            return
        super().handle_message(message)

    def _did_change(self, message: types.DidChangeTextDocumentNotification) -> bool:
        """didChange, the message of every keystroke, without pygls's general dispatch (two
        typing-Protocol isinstance checks, a uuid, a generator and a Future for a
        notification: ~0.2 ms). The same steps as pygls's, in a context of its own: its
        version check and shutdown gate, each change applied to the document, then the
        server's handler, a failure reported as pygls reports a failing notification. False
        (pygls's own path) where pygls would do more: a builtin replaced, or a handler it
        runs elsewhere (a coroutine, a thread, a generator)."""
        builtin = self.fm.builtin_features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if message.jsonrpc != self.VERSION or self._shutdown \
                or getattr(builtin, "__func__", None) is not _PYGLS_DID_CHANGE \
                or (handler is not None and (
                    asyncio.iscoroutinefunction(handler) or is_thread_function(handler)
                    or inspect.isgeneratorfunction(handler))):
            return False
        contextvars.copy_context().run(self._apply_did_change, message.params, handler)
        return True

    def _apply_did_change(self, params: types.DidChangeTextDocumentParams,
                          handler: Any) -> None:
        try:
            starts = getattr(self._server, "line_starts", None)
            for change in params.content_changes:
                if starts is None:
                    self.workspace.update_text_document(params.text_document, change)
                else:  # a ranged change spliced by offset (text_sync: pygls's result)
                    apply_change(self.workspace, starts, params.text_document, change)
            if handler is not None:
                handler(params)
        except Exception:  # as pygls's _check_handler_result reports it
            error = JsonRpcInternalError.of(sys.exc_info())
            self._server._report_server_error(error, FeatureNotificationError)

    def _send_data(self, data: Any) -> None:
        try:
            body = self._publication(data)
        except Exception:  # a diagnostic the splice cannot write: pygls's own path
            log.exception("splicing a publication failed")
            body = None
        if body is None:
            super()._send_data(data)
            return
        if self.writer is None:
            log.error("unable to send data, no available transport")
            return
        try:
            if self._include_headers:
                body = (f"Content-Length: {len(body)}\r\n"
                        f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
                        + body)
            res = self.writer.write(body.encode(self.CHARSET))
            if inspect.isawaitable(res):
                asyncio.ensure_future(res)
        except BrokenPipeError:
            log.exception("error sending data: broken pipe")
            raise
        except Exception as error:  # as pygls reports its own failures to send
            log.exception("error sending data")
            self._server._report_server_error(error, JsonRpcInternalError)

    def _publication(self, data: Any) -> str | None:
        """The JSON text of a publishDiagnostics notification, spliced from each
        diagnostic's kept JSON text (ASCII, as ``json.dumps`` writes it, so the header's
        length in characters is its length in bytes)."""
        params = getattr(data, "params", None)
        to_json = getattr(self._server, "diagnostics_json", None)
        if getattr(data, "method", None) != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS or \
                not isinstance(params, types.PublishDiagnosticsParams) or to_json is None:
            return None
        head: dict[str, Any] = {"uri": params.uri, "diagnostics": []}
        if params.version is not None:
            head["version"] = params.version
        text = json.dumps({"params": head, "method": data.method, "jsonrpc": data.jsonrpc})
        cut = text.index('"diagnostics": []') + len('"diagnostics": [')
        return text[:cut] + ", ".join(to_json(params.diagnostics)) + text[cut:]
