"""Where a draft can be cut into chunks that parse on their own.

A chunk ends at a blank line followed by a line that starts in the first column: there no
Markdown block goes on (a paragraph, list item, block quote, table or HTML block of the usual
kinds ends at a blank line, and an unindented line cannot continue a list item). Three
constructs do run over blank lines, so no cut falls inside them: front matter, fenced code
(up to its closing fence, or the end of the draft), and HTML comments; the rare raw-HTML
blocks (``<pre>``, ``<script>``, ``<?``, ``<!X``...) end the cutting altogether.

Parsing chunk by chunk is what lets an edit re-parse only the chunk it touched
(:func:`factlint.drafts.parse_draft`).
"""

from __future__ import annotations

import re

# lines end at \n, \r\n or a lone \r (which re's multi-line ^ and $ do not know)
LINE_BREAK = r"(?:\r\n|\r(?!\n)|\n)"
BLANK_LINE = LINE_BREAK + r"[ \t]*(?:\r\n|\r|\n)"  # a line break, then an empty line's
_BOL, _EOL = r"(?:(?<=\n)|(?<=\r)|\A)", r"(?=\r|\n|\Z)"
FRONT_MATTER_RE = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*$",
                             re.S | re.M)

_BOUNDARY_RE = re.compile(BLANK_LINE + r"(?=[^ \t\r\n])")
# the same for text without \r (the common case, five times faster to scan)
_LF_BOUNDARY_RE = re.compile(r"\n[ \t]*\n(?=[^ \t\r\n])")
_LF_TEXT_BOUNDARY_RE = re.compile(r"\n\n(?=[^\r\n])")
# in plain text a block is a run of lines with any character, white space too
_TEXT_BOUNDARY_RE = re.compile(LINE_BREAK + r"(?:\r\n|\r|\n)(?=[^\r\n])")
_BLANK_BEFORE_RE = re.compile(r"(?s:.*)" + BLANK_LINE)
_TAG_LINE_RE = re.compile(_BOL + r" {0,3}<")
# an opening fence: backticks (their info string holds no backtick) or tildes
_FENCE_OPEN_RE = re.compile(_BOL + r" {0,3}(?:(`{3,})[^`\r\n]*|(~{3,})[^\r\n]*)" + _EOL)
_RAW_HTML_RE = re.compile(_BOL + r" {0,3}<(?:(?:script|pre|style|textarea)(?:[\s>]|\Z)|\?|!"
                          r"[A-Za-z]|!\[CDATA\[)", re.I)


def chunks(text: str, markdown: bool) -> list[tuple[int, int]]:
    """[start, end) spans that cover ``text`` end to end, each one or more blocks long."""
    closed = sorted(_closed_spans(text, markdown))
    out: list[tuple[int, int]] = []
    start = 0
    reach = 0  # the end of the closed spans that begin before the cut
    k = 0
    if markdown:
        boundaries = _BOUNDARY_RE if "\r" in text else _LF_BOUNDARY_RE
    else:
        boundaries = _TEXT_BOUNDARY_RE if "\r" in text else _LF_TEXT_BOUNDARY_RE
    for m in boundaries.finditer(text):
        cut = m.end()
        while k < len(closed) and closed[k][0] < cut:
            reach = max(reach, closed[k][1])
            k += 1
        if cut < reach:
            continue
        out.append((start, cut))
        start = cut
    if start < len(text) or not out:
        out.append((start, len(text)))
    return out


def _closed_spans(text: str, markdown: bool) -> list[tuple[int, int]]:
    """Spans no cut may fall inside."""
    # (a one-character test first: it is a memchr, ~30x faster than a search for "```"
    # in a long draft, and most drafts have no backtick, tilde or "<" at all)
    spans: list[tuple[int, int]] = []
    angle = "<" in text
    comments = _comments(text) if angle and "<!--" in text else []
    spans.extend(comments)
    if markdown:
        fm = FRONT_MATTER_RE.match(text)
        if fm:
            spans.append((0, fm.end()))
        if ("`" in text and "```" in text) or ("~" in text and "~~~" in text):
            spans.extend(_fences(text, comments, fm.end() if fm else 0))
        raw = _RAW_HTML_RE.search(text) if angle else None
        if raw:
            spans.append((raw.start(), len(text) + 1))
    return spans


def _fences(text: str, comments: list[tuple[int, int]], start: int) -> list[tuple[int, int]]:
    """Fenced code blocks, each to its closing fence (or the end).

    A fence that opens in the first column, in a block of its own, runs to the first line
    that can close it. Where the Markdown around a fence line decides what it is (indented,
    so maybe inside a list item; in a run of lines that may be an HTML block or a table; in
    an HTML comment), the cutting stops there: a chunk too long is only slower, a cut inside
    a fence would check code as prose."""
    spans: list[tuple[int, int]] = []
    pos = start  # (a fence line inside front matter is the front matter's)
    while True:
        m = _FENCE_OPEN_RE.search(text, pos)
        if m is None:
            return spans
        if text[m.start()] == " " or _unclear(text, m.start(), comments):
            spans.append((m.start(), len(text) + 1))
            return spans
        run = m.group(1) or m.group(2)
        closer = re.compile(_BOL + rf" {{0,3}}{re.escape(run[0])}{{{len(run)},}}[ \t]*" + _EOL)
        c = closer.search(text, m.end())
        if c is None:
            spans.append((m.start(), len(text) + 1))
            return spans
        spans.append((m.start(), c.end()))
        pos = c.end()


def _unclear(text: str, at: int, comments: list[tuple[int, int]]) -> bool:
    """Is a fence line at ``at`` maybe part of something else: an HTML comment, or a block
    whose lines before it may be an HTML block or a table?"""
    if any(s <= at < e for s, e in comments):
        return True
    blank = _BLANK_BEFORE_RE.search(text, 0, at)
    block = text[blank.end() if blank else 0:at]
    return "|" in block or _TAG_LINE_RE.search(block) is not None


def comment_spans(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """The ``<!-- ... -->`` spans, in linear time (a regex rescans to the end of the text
    from every unclosed ``<!--``), and where an unclosed one opens (None: none does)."""
    spans: list[tuple[int, int]] = []
    i = 0
    while True:
        start = text.find("<!--", i)
        if start < 0:
            return spans, None
        end = text.find("-->", start + 4)
        if end < 0:
            return spans, start
        spans.append((start, end + 3))
        i = end + 3


def _comments(text: str) -> list[tuple[int, int]]:
    """Comment spans no cut may fall inside; an unclosed one runs to the end."""
    spans, unclosed = comment_spans(text)
    return spans + [(unclosed, len(text) + 1)] if unclosed is not None else spans
