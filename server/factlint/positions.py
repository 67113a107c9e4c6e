"""Character offsets (Python str indices) to LSP positions (0-based line, UTF-16 column)."""

from __future__ import annotations

import bisect
import re

from factlint.diagnostics import Position, Range

_BREAK = re.compile(r"\r\n|\r|\n")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class LineIndex:
    """Maps offsets in one text to positions. Lines end at \\n, \\r\\n or a lone \\r."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        segment = self.text[self.starts[line]:offset]
        col = len(segment.encode("utf-16-le")) // 2
        return Position(line, col)

    def range(self, start: int, end: int) -> Range:
        return Range(self.position(start), self.position(end))

    def offset(self, position: Position) -> int:
        """Inverse of :meth:`position` (clamped to the line)."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.starts[position.line + 1] if position.line + 1 < len(self.starts) else len(
            self.text)
        units = 0
        for i in range(start, end):
            if units >= position.character:
                return i
            units += 2 if ord(self.text[i]) > 0xFFFF else 1
        return end
