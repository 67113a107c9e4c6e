"""Splitting text into paragraphs, the unit that is parsed (and cached) on its own."""

from __future__ import annotations

import re

from factlint.positions import trim_span

_TERMINAL = tuple('.!?”"’:;)')
_FIRST_CHAR = re.compile(r"\s*(\S)")
_WORD = re.compile(r"[^\W_]")


def paragraphs(masked: str, start: int, end: int,
               markdown: bool = False) -> list[tuple[int, int]]:
    """Paragraph spans within [start, end) of ``masked`` (see :func:`_paragraphs`); one
    longer than ``limits.MAX_PARAGRAPH_CHARS`` is cut at sentence ends."""
    from factlint.limits import MAX_PARAGRAPH_CHARS, split_long

    # a paragraph without a letter or digit (a line of quote marks, a rule) has no claim
    spans = [(s, e) for s, e in _paragraphs(masked, start, end, markdown)
             if _WORD.search(masked, s, e)]
    if all(e - s <= MAX_PARAGRAPH_CHARS for s, e in spans):
        return spans
    return [piece for s, e in spans for piece in split_long(masked, s, e)]


def _paragraphs(masked: str, start: int, end: int,
                markdown: bool = False) -> list[tuple[int, int]]:
    """Paragraph spans within [start, end) of ``masked``.

    In Markdown a block is one paragraph (its line breaks are soft). In plain text a block of
    lines is one wrapped paragraph, unless its lines each read as a paragraph of their own
    (they end a sentence, or are short headings) as in one-paragraph-per-line files.
    """
    out: list[tuple[int, int]] = []
    if markdown:
        s, e = trim_span(masked, start, end)
        return [(s, e)] if e > s else []
    block = masked[start:end]
    lines = [(m.start() + start, m.end() + start)
             for m in re.finditer(r"[^\r\n]+", block) if m.group(0).strip()]
    if not lines:
        return out
    if len(lines) == 1:
        return [trim_span(masked, *lines[0])]
    # a wrapped line is long, does not end a sentence, and the next line continues it
    wrapped = 0
    for (s, e), (ns, _ne) in zip(lines, lines[1:], strict=False):
        line = masked[s:e].rstrip()
        first = _FIRST_CHAR.match(masked, ns)  # not masked[ns:]: quadratic on many lines
        nxt = first.group(1) if first else ""
        if len(line) >= 40 and not line.endswith(_TERMINAL) and (nxt.islower() or nxt.isdigit()):
            wrapped += 1
    if wrapped < (len(lines) - 1) / 2:
        return [trim_span(masked, s, e) for s, e in lines if masked[s:e].strip()]
    return [trim_span(masked, lines[0][0], lines[-1][1])]



def flatten(text: str) -> str:
    """Newlines inside a paragraph become spaces (same length, so offsets still hold)."""
    return text.replace("\r", " ").replace("\n", " ")
