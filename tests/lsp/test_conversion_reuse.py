"""The server converts only the findings an edit changed, and what it reuses is right."""

from __future__ import annotations

import pytest
from lsprotocol import types

from factlint.diagnostics import Diagnostic, Evidence, Fix, Position, Range
from factlint.lsp.positions import Positions
from factlint.lsp.serve import build_server

TEXT = "# Draft\n\nThe vote was held on 4 March, the clerk said.\n\nCafé 😀 opened in May.\n"


def _diag(line: int, start: int, end: int, old: str | None, new: str) -> Diagnostic:
    rng = Range(Position(line, start), Position(line, end))
    ev = Evidence("a.md", "/corpus/a.md", 3, "The vote was held on 5 March.",
                  Range(Position(2, 0), Position(2, 29)), "date of the vote")
    return Diagnostic("date", "warning", "claimed x", rng, (ev,), Fix(rng, new, old),
                      claim="the claim")


@pytest.fixture
def server():  # noqa: ANN201
    return build_server()


def test_the_same_finding_object_is_not_converted_again(server) -> None:  # noqa: ANN001
    first = _diag(2, 21, 28, "4 March", "5 March")
    other = _diag(2, 0, 3, "The", "A")
    done = server.convert([first, other], TEXT, "file:///d.md")
    again = server.convert([first, _diag(2, 0, 3, "The", "A")], TEXT, "file:///d.md")
    assert again[0] is done[0]  # reused
    assert again[1] is not done[1]  # an equal but new finding is converted anew
    assert again[1].lsp == done[1].lsp
    assert done[0].lsp.data["fix"]["oldText"] == "4 March"


def test_a_fix_without_its_old_text_is_read_from_the_draft(server) -> None:  # noqa: ANN001
    found = server.convert([_diag(2, 21, 28, None, "5 March")], TEXT, "file:///d.md")
    assert found[0].fix_old_text == "4 March"


def test_other_position_encodings_convert_from_the_text(server) -> None:  # noqa: ANN001
    server._positions = Positions(types.PositionEncodingKind.Utf8)
    # "Café 😀 opened": "opened" is at UTF-16 column 8, at UTF-8 byte 11
    diag = _diag(4, 8, 14, "opened", "closed")
    found = server.convert([diag], TEXT, "file:///d.md")
    assert found[0].lsp.range.start == types.Position(line=4, character=11)
    assert found[0].fix_old_text == "opened"
    # the same finding after an edit before it on its line ("Café" -> "Cafe"): the UTF-16
    # column did not move, the UTF-8 one did, so nothing is reused
    edited = TEXT.replace("Café", "Cafe")
    again = server.convert([diag], edited, "file:///d.md")
    assert again[0] is not found[0]
    assert again[0].lsp.range.start == types.Position(line=4, character=10)


def test_closing_a_document_drops_what_was_converted(server) -> None:  # noqa: ANN001
    server.convert([_diag(2, 21, 28, "4 March", "5 March")], TEXT, "file:///d.md")
    assert "file:///d.md" in server._converted
    server.close_document("file:///d.md")
    assert "file:///d.md" not in server._converted


def test_a_reused_finding_keeps_its_json_data(server) -> None:  # noqa: ANN001
    converter = server.protocol._converter
    diag = _diag(2, 21, 28, "4 March", "5 March")
    finding = server.convert([diag], TEXT, "file:///d.md")[0]
    params = types.PublishDiagnosticsParams(uri="file:///d.md", diagnostics=[finding.lsp])
    first = converter.unstructure(params)["diagnostics"][0]
    again = converter.unstructure(params)["diagnostics"][0]
    assert again is first
    assert first["range"] == {"start": {"line": 2, "character": 21},
                              "end": {"line": 2, "character": 28}}
    assert first["data"]["fix"]["oldText"] == "4 March"
    # a finding no document shows any more is not kept
    server.convert([], TEXT, "file:///d.md")
    assert converter.unstructure(params)["diagnostics"][0] is not first


class _Writer:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)


def _as_pygls_writes(protocol, message) -> bytes:  # noqa: ANN001
    """What pygls itself writes for a message (the protocol's own path, not the splice)."""
    from pygls.protocol import JsonRPCProtocol

    writer, protocol.writer = protocol.writer, _Writer()
    try:
        JsonRPCProtocol._send_data(protocol, message)
        return protocol.writer.sent[-1]
    finally:
        protocol.writer = writer


def _body(data: bytes) -> object:
    import json

    header, body = data.split(b"\r\n\r\n", 1)
    assert header.startswith(f"Content-Length: {len(body)}\r\n".encode())
    return json.loads(body)


@pytest.mark.parametrize("version", [7, None])
def test_a_publication_is_spliced_from_kept_json_and_equals_pygls_own(
        server, version) -> None:  # noqa: ANN001
    protocol = server.protocol
    protocol.writer = _Writer()
    protocol._include_headers = True  # as over stdio
    diags = [_diag(2, 21, 28, "4 March", "5 March"), _diag(4, 0, 4, "Café", "Caf\u00e9s 😀")]
    found = server.convert(diags, TEXT, "file:///d.md")
    message = types.PublishDiagnosticsNotification(params=types.PublishDiagnosticsParams(
        uri="file:///d%20\"x\".md", version=version, diagnostics=[f.lsp for f in found]))
    server.text_document_publish_diagnostics(message.params)
    spliced = protocol.writer.sent[-1]
    assert spliced.isascii()
    assert spliced.endswith(protocol._publication(message).encode())  # the spliced path
    assert _body(spliced) == _body(_as_pygls_writes(protocol, message))
    # the second publication takes the kept text of both (no serialising again)
    kept = dict(server._json)
    server.text_document_publish_diagnostics(message.params)
    assert protocol.writer.sent[-1] == spliced
    assert {k: v[2] for k, v in server._json.items()} == {k: v[2] for k, v in kept.items()}
    # an empty publication (a closed document) is pygls's own form too
    empty = types.PublishDiagnosticsNotification(params=types.PublishDiagnosticsParams(
        uri="file:///d.md", diagnostics=[]))
    server.text_document_publish_diagnostics(empty.params)
    assert _body(protocol.writer.sent[-1]) == _body(_as_pygls_writes(protocol, empty))
