"""Finding quotations in a paragraph: curly and straight marks, per paragraph.

An unmatched mark only loses its own quotation: the scan continues after it, so the other
quotations of the paragraph (and document) are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_CURLY = "“"
CLOSE_CURLY = "”"
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class QuoteSpan:
    open: int  # offset of the opening mark
    close: int  # offset just after the closing mark
    start: int  # content start
    end: int  # content end
    open_ended: bool = False  # no closing mark: the quotation runs on into the next paragraph

    @property
    def inner(self) -> tuple[int, int]:
        return self.start, self.end


def find_quotes(text: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == OPEN_CURLY:
            j = text.find(CLOSE_CURLY, i + 1)
            nxt_open = text.find(OPEN_CURLY, i + 1)
            if j == -1 and nxt_open == -1:
                # the last opening mark of a paragraph with no closing one: a quotation that
                # goes on in the next paragraph (whose opening mark resumes it)
                end = len(text.rstrip())
                spans.append(QuoteSpan(i, end, i + 1, end, True))
                break
            if j == -1 or (nxt_open != -1 and nxt_open < j):
                i += 1  # unbalanced: skip this mark only
                continue
            spans.append(QuoteSpan(i, j + 1, i + 1, j))
            i = j + 1
        elif ch == '"':
            j = text.find('"', i + 1)
            if j == -1:
                if i + 1 < n and not text[i + 1].isspace() and (
                        i == 0 or text[i - 1] in " \t:(—–-"):
                    end = len(text.rstrip())  # an opening mark left open: see above
                    spans.append(QuoteSpan(i, end, i + 1, end, True))
                    break
                i += 1
                continue
            # a straight quote opens only before a non-space and closes after one
            if i + 1 < n and text[i + 1].isspace():
                i += 1
                continue
            spans.append(QuoteSpan(i, j + 1, i + 1, j))
            i = j + 1
        else:
            i += 1
    return [s for s in spans if s.end > s.start]


def quote_words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD_RE.findall(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
