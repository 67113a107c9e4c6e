"""Positions between the engine (UTF-16 columns, the engine's line splitting) and the client
(whatever position encoding it negotiated), and small range helpers."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlparse

from lsprotocol import types
from pygls.workspace import PositionCodec, ServerTextPosition

from factlint.diagnostics import Position as EnginePosition
from factlint.diagnostics import Range as EngineRange

_LINE_SPLIT = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")  # after \n, \r\n or a lone \r (as the engine)
_UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split exactly where the engine splits them."""
    lines = _LINE_SPLIT.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines or [""]



class TextLines:
    """A text snapshot split into lines, mapping the engine's UTF-16 columns to str indices.

    Lines without astral characters (almost all prose) map 1:1; the others go through
    pygls' position codec.
    """

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)
        self.starts = list(itertools.accumulate((len(line) for line in self.lines), initial=0))

    def column(self, pos: EnginePosition) -> int | None:
        """The str index of ``pos`` within its line (None past the last line)."""
        if pos.line >= len(self.lines):
            return None
        line = self.lines[pos.line]
        if ASTRAL.search(line) is None:
            return min(pos.character, len(line))
        return _UTF16.position_from_client_units(
            self.lines, types.Position(line=pos.line, character=pos.character)).character

    def offset(self, pos: EnginePosition) -> int:
        col = self.column(pos)
        if col is None:
            return self.starts[-1]
        return self.starts[pos.line] + col


class Positions:
    """Engine positions are UTF-16; clients may have negotiated UTF-8 or UTF-32."""

    def __init__(self, encoding: types.PositionEncodingKind | str | None) -> None:
        self.identity = encoding in (None, types.PositionEncodingKind.Utf16, "utf-16")
        self.codec = PositionCodec(encoding)

    def position(self, pos: EnginePosition, text: TextLines | None) -> types.Position:
        if self.identity or text is None:
            return types.Position(line=pos.line, character=pos.character)
        col = text.column(pos)
        if col is None:
            return types.Position(line=pos.line, character=0)
        if text.lines[pos.line][:col].isascii():
            return types.Position(line=pos.line, character=col)
        return self.codec.position_to_client_units(
            text.lines, ServerTextPosition(line=pos.line, character=col))

    def range(self, rng: EngineRange, text: TextLines | None) -> types.Range:
        return types.Range(start=self.position(rng.start, text),
                           end=self.position(rng.end, text))


def valid_link(link: str | None) -> str | None:
    """The link if it is an absolute URI a client can open, else None."""
    if not link:
        return None
    parsed = urlparse(link)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return link
    if parsed.scheme == "file" and parsed.path:
        return link
    return None


def range_contains(rng: types.Range, pos: types.Position) -> bool:
    start = (rng.start.line, rng.start.character)
    end = (rng.end.line, rng.end.character)
    return start <= (pos.line, pos.character) <= end


def ranges_overlap(a: types.Range, b: types.Range) -> bool:
    return ((a.start.line, a.start.character) <= (b.end.line, b.end.character)
            and (b.start.line, b.start.character) <= (a.end.line, a.end.character))


def same_range(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character, a.end.line, a.end.character) == (
        b.start.line, b.start.character, b.end.line, b.end.character)
