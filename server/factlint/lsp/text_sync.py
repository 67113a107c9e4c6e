"""An incremental ``didChange`` applied by offset.

pygls applies a ranged change by splitting the whole document into lines and writing every
line again (~0.2 ms for a 10,000-word draft, on every keystroke). Here the change's two
positions become offsets through the document's line starts, and the text is spliced:
``source[:start] + new + source[end:]`` (~0.06 ms). The result is pygls's, to the
character: where pygls would do something else (a line break other than ``\\n`` anywhere
in the document, which ``str.splitlines`` also splits at; a position past a line's end or
past the last line, which pygls clamps its own way; a reversed range, which pygls applies
in a way of its own; a document not read from the client), the change goes to pygls's own
``apply_change``.
"""

from __future__ import annotations

import itertools
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import PositionCodec, Workspace

from factlint.lsp.positions import ASTRAL

# where str.splitlines (pygls's lines) breaks besides "\n" ("\r" too: pygls folds "\r\n")
_OTHER_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _plain(text: str) -> bool:
    return not any(c in text for c in _OTHER_BREAKS)


class LineStarts:
    """The offsets where each of a document's lines begins, for the source they were made
    for (kept per document; a source set some other way, by pygls or a full change, is
    noticed by identity and read again)."""

    def __init__(self) -> None:
        # uri -> (the source, its line starts; None where it has other line breaks)
        self._known: dict[str, tuple[str, list[int] | None]] = {}

    def of(self, uri: str, source: str) -> list[int] | None:
        """Line starts of ``source`` (one per line as ``splitlines`` counts them), or None
        where the document has line breaks other than ``\\n``."""
        known = self._known.get(uri)
        if known is not None and known[0] is source:
            return known[1]
        starts = _starts(source) if _plain(source) else None
        self._known[uri] = (source, starts)
        return starts

    def spliced(self, uri: str, source: str, inserted: str) -> None:
        """``source`` is the plain document's text after a splice of ``inserted``: it is
        plain too unless that text is not (no need to scan the whole document again)."""
        self._known[uri] = (source, _starts(source) if _plain(inserted) else None)

    def forget(self, uri: str) -> None:
        self._known.pop(uri, None)

    def __len__(self) -> int:
        return len(self._known)


def _starts(source: str) -> list[int]:
    if not source:
        return []  # no line at all to splitlines
    starts = list(itertools.accumulate((len(p) + 1 for p in source.split("\n")), initial=0))
    starts.pop()  # (past the end)
    if source.endswith("\n"):
        starts.pop()  # the empty "line" after the last break is none to splitlines
    return starts


def _column(codec: PositionCodec, line: str, units: int) -> int | None:
    """The str index of ``units`` client code units into ``line`` (its "\\n" included), as
    pygls reads it (a position inside a character's units is after it). Past the line's
    end, where pygls clamps: None on the cheap paths, pygls's clamped column on its own."""
    encoding = codec.encoding
    if line.isascii() or encoding in (types.PositionEncodingKind.Utf32, "utf-32") or (
            encoding in (types.PositionEncodingKind.Utf16, "utf-16")
            and ASTRAL.search(line) is None):
        return units if units <= len(line) else None
    if encoding in (types.PositionEncodingKind.Utf8, "utf-8"):
        try:
            raw = line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: pygls's reading, below
            raw = None
        if raw is not None:
            if units > len(raw):
                return None
            col = len(raw[:units].decode("utf-8", "ignore"))  # the characters wholly before
            return col + 1 if len(line[:col].encode("utf-8")) < units else col
    return codec.position_from_client_units(  # (astral characters in UTF-16, and the rest)
        (line,), types.Position(line=0, character=units)).character


def _offset(codec: PositionCodec, source: str, starts: list[int],
            pos: types.Position) -> int | None:
    if pos.line >= len(starts):
        return None
    begin = starts[pos.line]
    end = starts[pos.line + 1] if pos.line + 1 < len(starts) else len(source)
    col = _column(codec, source[begin:end], pos.character)
    return None if col is None else begin + col


def spliced(source: str, codec: PositionCodec,
            change: types.TextDocumentContentChangePartial, starts: list[int]) -> str | None:
    """``source`` after ``change``, or None where pygls must apply it."""
    rng = change.range
    if rng.start.line > rng.end.line:
        return None  # reversed across lines: pygls writes nothing of the new text
    a = _offset(codec, source, starts, rng.start)
    b = _offset(codec, source, starts, rng.end)
    if a is None or b is None or b < a:
        return None
    return source[:a] + change.text + source[b:]


def apply_change(workspace: Workspace, starts: LineStarts,
                 text_doc: types.VersionedTextDocumentIdentifier,
                 change: types.TextDocumentContentChangeEvent) -> None:
    """``workspace.update_text_document(text_doc, change)``, a ranged change spliced."""
    doc = workspace.text_documents.get(unquote(text_doc.uri))
    source = doc._source if doc is not None else None  # (None: a file pygls reads itself)
    if source and isinstance(source, str) and doc._is_sync_kind_incremental \
            and isinstance(change, types.TextDocumentContentChangePartial):
        lines = starts.of(text_doc.uri, source)
        new = spliced(source, doc.position_codec, change, lines) if lines is not None else None
        if new is not None:
            doc._source = new
            doc.version = text_doc.version
            starts.spliced(text_doc.uri, new, change.text)
            return
    workspace.update_text_document(text_doc, change)
