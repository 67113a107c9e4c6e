"""A ranged didChange spliced by offset (factlint.lsp.text_sync) gives pygls's text, to the
character, in every position encoding, for documents and positions of every kind."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument, Workspace

from factlint.lsp.text_sync import LineStarts, apply_change

URI = "file:///tmp/draft.md"
ENCODINGS = [types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8,
             types.PositionEncodingKind.Utf32]
# prose, curly quotes, an accent, an astral emoji, a lone surrogate (JSON can carry one);
# line breaks of every kind splitlines knows
PIECES = ["a", "word ", "é", "“", "😀", "\ud83d", "\n", "\n", "\n", "\r\n", "\r", "\u2028",
          "\x0c"]
PLAIN = ["a", "word ", "é", "“", "😀", "\ud83d", "\n", "\n"]


def text_of(pieces: list[str]) -> str:
    return "".join(pieces)


docs = st.lists(st.sampled_from(PIECES), max_size=30).map(text_of)
plain_docs = st.lists(st.sampled_from(PLAIN), min_size=1, max_size=30).map(text_of)
inserted = st.lists(st.sampled_from(PIECES), max_size=6).map(text_of)
positions = st.builds(lambda line, ch: types.Position(line=line, character=ch),
                      st.integers(0, 8), st.integers(0, 14))
changes = st.builds(
    lambda a, b, text: types.TextDocumentContentChangePartial(
        range=types.Range(start=a, end=b), text=text),
    positions, positions, inserted)


def workspace_with(text: str, encoding: Any) -> Workspace:
    ws = Workspace(None, sync_kind=types.TextDocumentSyncKind.Incremental,
                   position_encoding=encoding)
    ws.put_text_document(types.TextDocumentItem(uri=URI, language_id="markdown", version=1,
                                                text=text))
    return ws


def pygls_doc(text: str, encoding: Any) -> TextDocument:
    return TextDocument(URI, text, version=1, sync_kind=types.TextDocumentSyncKind.Incremental,
                        position_codec=PositionCodec(encoding))


def copy(change: types.TextDocumentContentChangePartial
         ) -> types.TextDocumentContentChangePartial:
    """(pygls's clamp writes into the position it was given)"""
    r = change.range
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=r.start.line, character=r.start.character),
                          end=types.Position(line=r.end.line, character=r.end.character)),
        text=change.text)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("texts", [docs, plain_docs], ids=["any-breaks", "newlines-only"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_splice_equals_pygls(encoding: Any, texts: st.SearchStrategy[str],
                             data: st.DataObject) -> None:
    """Whatever the text, positions (past a line's end or the last line, reversed, inside
    a surrogate pair or a UTF-8 sequence) and inserted breaks, over several changes."""
    text = data.draw(texts)
    edits = data.draw(st.lists(changes, min_size=1, max_size=5))
    ws = workspace_with(text, encoding)
    starts = LineStarts()
    reference = pygls_doc(text, encoding)
    for version, change in enumerate(edits, start=2):
        reference.apply_change(copy(change))
        apply_change(ws, starts, types.VersionedTextDocumentIdentifier(uri=URI, version=version),
                     copy(change))
        doc = ws.get_text_document(URI)
        assert doc.source == reference.source
        assert doc.version == version


@settings(max_examples=200, deadline=None)
@given(text=plain_docs, data=st.data())
def test_plain_documents_are_spliced_not_rewritten(text: str, data: st.DataObject) -> None:
    """A position inside a line of a document with only "\\n" breaks never reaches pygls."""
    lines = text.splitlines(True)
    line = data.draw(st.integers(0, len(lines) - 1))
    at = types.Position(line=line, character=data.draw(st.integers(0, len(lines[line]))))
    change = types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at),
                                                    text=data.draw(inserted))
    encoding = types.PositionEncodingKind.Utf32  # (code points: no unit to round)
    ws = workspace_with(text, encoding)
    reference = pygls_doc(text, encoding)
    reference.apply_change(copy(change))
    calls: list[Any] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(TextDocument, "apply_change", lambda *a: calls.append(a))
        apply_change(ws, LineStarts(), types.VersionedTextDocumentIdentifier(uri=URI, version=2),
                     change)
    assert calls == []
    assert ws.get_text_document(URI).source == reference.source


@pytest.mark.parametrize(("encoding", "text", "units", "expected"), [
    (types.PositionEncodingKind.Utf16, "😀a\nb\n", 2, "😀Xa\nb\n"),  # after the pair
    (types.PositionEncodingKind.Utf16, "😀a\nb\n", 1, "😀Xa\nb\n"),  # inside it: after
    (types.PositionEncodingKind.Utf8, "éa\nb\n", 1, "éXa\nb\n"),  # inside é's two bytes
    (types.PositionEncodingKind.Utf8, "“a”\n", 3, "“Xa”\n"),
    (types.PositionEncodingKind.Utf16, "“a”\n", 1, "“Xa”\n"),  # BMP: one unit each
    (types.PositionEncodingKind.Utf16, "ab\n", 9, "abX\n"),  # past the end: pygls clamps
])
def test_columns_as_pygls_reads_them(encoding: Any, text: str, units: int,
                                     expected: str) -> None:
    at = types.Position(line=0, character=units)
    change = types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at),
                                                    text="X")
    ws = workspace_with(text, encoding)
    apply_change(ws, LineStarts(), types.VersionedTextDocumentIdentifier(uri=URI, version=2),
                 copy(change))
    reference = pygls_doc(text, encoding)
    reference.apply_change(copy(change))
    assert reference.source == expected
    assert ws.get_text_document(URI).source == expected


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(("start", "end"), [
    ((1, 0), (0, 3)),  # reversed across a line break: both ends are one offset
    ((1, 2), (0, 1)),
    ((0, 2), (0, 1)),  # reversed on one line
])
def test_reversed_ranges_as_pygls_applies_them(encoding: Any, start: tuple[int, int],
                                               end: tuple[int, int]) -> None:
    change = types.TextDocumentContentChangePartial(range=types.Range(
        start=types.Position(line=start[0], character=start[1]),
        end=types.Position(line=end[0], character=end[1])), text="X")
    ws = workspace_with("ab\ncd\n", encoding)
    apply_change(ws, LineStarts(), types.VersionedTextDocumentIdentifier(uri=URI, version=2),
                 copy(change))
    reference = pygls_doc("ab\ncd\n", encoding)
    reference.apply_change(copy(change))
    assert ws.get_text_document(URI).source == reference.source


def test_line_starts_follow_the_document() -> None:
    starts = LineStarts()
    text = "one\ntwo “quoted”\n\nfour"
    assert starts.of(URI, text) == [0, 4, 17, 18]
    assert starts.of(URI, text + "\n") == [0, 4, 17, 18]  # a last break opens no line
    assert starts.of(URI, "a\u2028b") is None  # pygls splits there too: its own path
    assert starts.of(URI, "") == []
    assert len(starts) == 1
    starts.forget(URI)
    assert len(starts) == 0
