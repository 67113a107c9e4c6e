"""Draft documents: what is checkable, where paragraphs are, and inline suppressions.

Markdown is parsed with markdown-it-py. Everything that must never be checked (front matter,
code blocks, inline code, HTML, URLs, link destinations, markup characters) is blanked out
with spaces in a copy of the text of the same length, so every offset maps back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from factlint.positions import trim_span

SUPPRESS_RE = re.compile(
    r"<!--\s*factlint-(disable-next-line|disable|enable)((?:\s+[A-Za-z][\w-]*)*)\s*-->")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+|<[a-z]+://[^>\s]*>")
FRONT_MATTER_RE = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*$",
                             re.S | re.M)
INLINE_CODE_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


class _Span:
    __slots__ = ("_start", "_end")

    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


class _Comments:
    """``<!-- ... -->`` spans, as ``re.compile(r"<!--.*?-->", re.S).finditer`` finds them but
    in linear time: that regex rescans to the end of the text from every unclosed ``<!--``
    (100,000 of them took minutes)."""

    @staticmethod
    def finditer(text: str) -> Iterator[_Span]:
        i = 0
        while True:
            start = text.find("<!--", i)
            if start < 0:
                return
            end = text.find("-->", start + 4)
            if end < 0:
                return
            yield _Span(start, end + 3)
            i = end + 3

    @classmethod
    def sub(cls, _repl: object, text: str) -> str:
        """Blank every comment (line breaks kept), like ``regex.sub(_spaces, text)``."""
        out: list[str] = []
        last = 0
        for m in cls.finditer(text):
            out.append(text[last:m.start()])
            out.append(re.sub(r"[^\r\n]", " ", text[m.start():m.end()]))
            last = m.end()
        out.append(text[last:])
        return "".join(out)


HTML_COMMENT_RE = _Comments()
HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
LINK_DEST_RE = re.compile(r"\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]")
REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S.*$", re.M)
MARKUP_RE = re.compile(r"(?m)^[ \t]*(?:#{1,6}(?=\s)|>+|[-*+](?=\s)|\d+[.)](?=\s))|[*_~]{1,3}"
                       r"(?=\S)|(?<=\S)[*_~]{1,3}|!?\[|\]|^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$")


@dataclass
class Block:
    """A paragraph-like unit of checkable text: [start, end) offsets into the draft."""

    start: int
    end: int


@dataclass
class Suppressions:
    # line (0-based) -> codes suppressed on that line (empty set = all codes)
    lines: dict[int, set[str]] = field(default_factory=dict)
    # (start_line, end_line_exclusive, codes) regions
    regions: list[tuple[int, int, set[str]]] = field(default_factory=list)

    def suppressed(self, line: int, code: str) -> bool:
        codes = self.lines.get(line)
        if codes is not None and (not codes or code in codes):
            return True
        for start, end, rcodes in self.regions:
            if start <= line < end and (not rcodes or code in rcodes):
                return True
        return False


@dataclass
class Draft:
    text: str  # the original text
    masked: str  # same length; unchecked parts blanked
    blocks: list[Block]
    suppressions: Suppressions


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, min(end, len(chars))):
        if chars[i] not in "\r\n":
            chars[i] = " "


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    return starts


def _suppressions(text: str, masked_code: list[tuple[int, int]], starts: list[int]) -> Suppressions:
    import bisect

    sup = Suppressions()
    open_regions: list[tuple[int, set[str]]] = []
    lines = re.split(r"\r\n|\r|\n", text)
    for m in SUPPRESS_RE.finditer(text):
        if any(s <= m.start() < e for s, e in masked_code):
            continue
        kind, codes_text = m.group(1), m.group(2)
        codes = set(codes_text.split())
        line = bisect.bisect_right(starts, m.start()) - 1
        if kind == "disable-next-line":
            target = line + 1
            while target < len(lines) and not lines[target].strip():
                target += 1
            existing = sup.lines.get(target)
            if not codes:
                sup.lines[target] = set()
            elif existing is None:
                sup.lines[target] = set(codes)
            elif existing:
                existing |= codes
        elif kind == "disable":
            open_regions.append((line, codes))
        else:  # enable
            remaining = []
            for start, rcodes in open_regions:
                if not codes or (rcodes and rcodes <= codes):
                    sup.regions.append((start, line + 1, rcodes))
                elif rcodes and codes:
                    sup.regions.append((start, line + 1, rcodes & codes))
                    if rcodes - codes:
                        remaining.append((line, rcodes - codes))
                else:
                    # disable-all region, enable of some codes: keep it for the others
                    sup.regions.append((start, line + 1, set()))
            open_regions = remaining
    for start, rcodes in open_regions:
        sup.regions.append((start, len(lines) + 1, rcodes))
    return sup


def parse_text(text: str) -> Draft:
    """A plain-text draft: blocks are runs of non-blank lines."""
    blocks = [Block(m.start(), m.end()) for m in re.finditer(r"(?:[^\r\n]+(?:\r\n|\r|\n)?)+",
                                                              text)]
    blocks = [_trim(text, b) for b in blocks]
    masked = list(text)
    comment_spans = []
    for m in HTML_COMMENT_RE.finditer(text):
        _blank(masked, m.start(), m.end())
        comment_spans.append((m.start(), m.end()))
    for m in URL_RE.finditer(text):
        _blank(masked, m.start(), m.end())
    sup = _suppressions(text, [], _line_starts(text))
    return Draft(text, "".join(masked), [b for b in blocks if b.end > b.start], sup)


def _trim(text: str, block: Block) -> Block:
    return Block(*trim_span(text, block.start, block.end))


_MD = MarkdownIt("commonmark").enable("table").disable("inline")  # block structure is enough


def _spaces(m: re.Match[str]) -> str:
    s = m.group(0)
    if "\n" not in s and "\r" not in s:
        return " " * len(s)
    return re.sub(r"[^\r\n]", " ", s)


def parse_markdown(text: str) -> Draft:
    starts = _line_starts(text)
    masked = list(text)
    code_spans: list[tuple[int, int]] = []

    def line_span(first: int, last: int) -> tuple[int, int]:
        s = starts[first] if first < len(starts) else len(text)
        e = starts[last] if last < len(starts) else len(text)
        return s, e

    fm = FRONT_MATTER_RE.match(text)
    if fm:
        _blank(masked, 0, fm.end())
        code_spans.append((0, fm.end()))
    # markdown-it works on lines; front matter is blank so it parses as nothing.
    tokens = _MD.parse("".join(masked))
    blocks: list[Block] = []
    for tok in tokens:
        if tok.map is None:
            continue
        first, last = tok.map
        if tok.type in ("fence", "code_block", "html_block"):
            s, e = line_span(first, last)
            _blank(masked, s, e)
            if tok.type != "html_block":  # suppression comments are HTML blocks themselves
                code_spans.append((s, e))
        elif tok.type == "inline":
            s, e = line_span(first, last)
            block = _trim(text, Block(s, e))
            if not blocks or blocks[-1] != block:  # the cells of a table row share its line
                blocks.append(block)
    # each pass blanks its matches in one C-level substitution (the front matter is blank
    # already, so nothing matches inside it)
    # (a pass is skipped when the text holds none of the characters it needs: prose
    # drafts have no code, HTML or links, and every pass scans the whole draft)
    current = "".join(masked)
    if "`" in current:
        code_spans.extend((m.start(), m.end()) for m in INLINE_CODE_RE.finditer(current))
        current = INLINE_CODE_RE.sub(_spaces, current)
    if "<" in current:
        for regex in (HTML_COMMENT_RE, HTML_TAG_RE):
            current = regex.sub(_spaces, current)
    if "](" in current or "][" in current:
        # a link destination keeps its ']' for MARKUP_RE
        current = LINK_DEST_RE.sub(lambda m: m.group(0)[0] + _spaces(m)[1:], current)
    if "www." in current or "://" in current:
        current = URL_RE.sub(_spaces, current)
    if "]:" in current:
        current = REF_DEF_RE.sub(_spaces, current)
    current = MARKUP_RE.sub(_spaces, current)
    final = re.sub(r"\\(?=[!-/:-@\[-`{-~])", " ", current) if "\\" in current else current
    sup = _suppressions(text, code_spans, starts)
    blocks = [b for b in blocks if final[b.start:b.end].strip()]
    return Draft(text, final, blocks, sup)


def parse_draft(text: str, markdown: bool) -> Draft:
    """The checkable parts of a draft. Runs of punctuation (:data:`factlint.limits.NOISE_RE`)
    are blanked too. markdown-it caps nesting (``maxNesting``) and skips whatever lies beyond
    it, so a document nested that deep (:func:`factlint.limits.too_deep`) is read as plain
    text, as is one whose parse exhausts the recursion limit, instead of failing."""
    from factlint.limits import too_deep

    if not markdown:
        return _without_noise(parse_text(text))
    if not too_deep(text):
        try:
            return _without_noise(parse_markdown(text))
        except RecursionError:
            pass
    return _without_noise(_markdown_as_text(text))


def _markdown_as_text(text: str) -> Draft:
    """A Markdown draft read as plain text, its block-quote and list markers blanked."""
    from factlint.limits import blank_containers

    draft = parse_text(text)
    chars = list(draft.masked)
    blank_containers(chars, draft.masked)
    return Draft(draft.text, "".join(chars), draft.blocks, draft.suppressions)


def _without_noise(draft: Draft) -> Draft:
    from factlint.limits import NOISE_RE, mask_noise

    if NOISE_RE.search(draft.masked) is None:
        return draft
    chars = list(draft.masked)
    mask_noise(chars, draft.masked)
    masked = "".join(chars)
    blocks = [b for b in draft.blocks if masked[b.start:b.end].strip()]
    return Draft(draft.text, masked, blocks, draft.suppressions)
