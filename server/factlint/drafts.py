"""Draft documents: what is checkable, where paragraphs are, and inline suppressions.

Markdown is parsed with markdown-it-py. Everything that must never be checked (front matter,
code blocks, inline code, HTML, URLs, link destinations, markup characters) is blanked out
with spaces in a copy of the text of the same length, so every offset maps back exactly.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from markdown_it import MarkdownIt

from factlint.draft_chunks import BLANK_LINE, FRONT_MATTER_RE, chunks, comment_spans
from factlint.positions import LineIndex, trim_span
from factlint.textblocks import flatten, paragraphs

SUPPRESS_MARK = "factlint-"  # in every suppression comment
SUPPRESS_RE = re.compile(
    r"<!--\s*factlint-(disable-next-line|disable|enable)((?:\s+[A-Za-z][\w-]*)*)\s*-->")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+|<[a-z]+://[^>\s]*>")
# a code span stays within its paragraph: it holds no blank line
INLINE_CODE_RE = re.compile(r"(`+)(?!`)(?:(?!" + BLANK_LINE + r").)*?(?<!`)\1(?!`)", re.S)


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
        for start, end in comment_spans(text)[0]:
            yield _Span(start, end)

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


class Block(NamedTuple):
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


class Para(NamedTuple):
    """A paragraph to check: [start, end), the position (line, UTF-16 column) of its first
    character, its text and its masked text with line breaks as spaces (made once per
    chunk, so an unchanged paragraph hands the caches the same, already hashed, strings)."""

    start: int
    end: int
    line: int
    col: int
    text: str = ""
    flat: str = ""


class Placed(NamedTuple):
    """A chunk's parts where it lies in one draft (:meth:`Piece.placed`)."""

    start: int
    line: int
    blocks: tuple[Block, ...]
    code_spans: tuple[tuple[int, int], ...]
    paragraphs: tuple[Para, ...]


@dataclass(frozen=True)
class Piece:
    """A chunk's parse, in offsets of the chunk: its masked text, blocks, and the code spans
    (where a suppression comment is only text); its paragraphs and line breaks once asked
    for (:meth:`with_paragraphs`)."""

    masked: str
    blocks: list[Block]
    code_spans: list[tuple[int, int]]
    paragraphs: tuple[Para, ...] | None = None
    breaks: int = 0
    # where the chunk was last placed in a draft, and its parts there: a chunk an edit did
    # not move hands the next parse the same objects (set by :meth:`placed`)
    _at: list[Placed] = field(default_factory=list, init=False, compare=False, repr=False)

    def placed(self, start: int, line: int) -> Placed:
        """The chunk's blocks, code spans and paragraphs in draft offsets, for a chunk that
        starts at offset ``start`` on line ``line``."""
        at = self._at
        if at and at[0].start == start and at[0].line == line:
            return at[0]
        assert self.paragraphs is not None
        done = Placed(start, line,
                      tuple(Block(b.start + start, b.end + start) for b in self.blocks),
                      tuple((s + start, e + start) for s, e in self.code_spans),
                      # a chunk begins a line, so only the line of its paragraphs moves
                      tuple(Para(p.start + start, p.end + start, p.line + line, p.col, p.text,
                                 p.flat) for p in self.paragraphs))
        at[:] = [done]
        return done

    def with_paragraphs(self, text: str, markdown: bool) -> Piece:
        lines = LineIndex(text)
        paras = []
        for b in self.blocks:
            for s, e in paragraphs(self.masked, b.start, b.end, markdown):
                pos = lines.position(s)
                paras.append(Para(s, e, pos.line, pos.character, text[s:e],
                                  flatten(self.masked[s:e])))
        return replace(self, paragraphs=tuple(paras), breaks=len(lines.starts) - 1)


@dataclass
class Draft:
    text: str  # the original text
    masked: str  # same length; unchecked parts blanked
    blocks: list[Block]
    suppressions: Suppressions
    paragraphs: list[Para] = field(default_factory=list)  # what is checked, in order


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
    piece = _text_piece(text)
    return Draft(text, piece.masked, piece.blocks, _suppressions(text, [], _line_starts(text)))


def _text_piece(text: str) -> Piece:
    blocks = [Block(m.start(), m.end()) for m in re.finditer(r"(?:[^\r\n]+(?:\r\n|\r|\n)?)+",
                                                              text)]
    blocks = [_trim(text, b) for b in blocks]
    masked = list(text)
    for m in HTML_COMMENT_RE.finditer(text):
        _blank(masked, m.start(), m.end())
    for m in URL_RE.finditer(text):
        _blank(masked, m.start(), m.end())
    final = "".join(masked)
    return Piece(final, [b for b in blocks if final[b.start:b.end].strip()], [])


def _trim(text: str, block: Block) -> Block:
    return Block(*trim_span(text, block.start, block.end))


_MD = MarkdownIt("commonmark").enable("table").disable("inline")  # block structure is enough


def _spaces(m: re.Match[str]) -> str:
    s = m.group(0)
    if "\n" not in s and "\r" not in s:
        return " " * len(s)
    return re.sub(r"[^\r\n]", " ", s)


def parse_markdown(text: str) -> Draft:
    """A whole Markdown text parsed as one piece (see :func:`parse_draft` for drafts)."""
    piece = _markdown_piece(text, first=True)
    return Draft(text, piece.masked, piece.blocks,
                 _suppressions(text, piece.code_spans, _line_starts(text)))


def _markdown_piece(text: str, first: bool) -> Piece:
    """One chunk of a Markdown draft: front matter only where the draft begins."""
    starts = _line_starts(text)
    masked = list(text)
    code_spans: list[tuple[int, int]] = []

    def line_span(first: int, last: int) -> tuple[int, int]:
        s = starts[first] if first < len(starts) else len(text)
        e = starts[last] if last < len(starts) else len(text)
        return s, e

    fm = FRONT_MATTER_RE.match(text) if first else None
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
    blocks = [b for b in blocks if final[b.start:b.end].strip()]
    return Piece(final, blocks, code_spans)


def parse_draft(text: str, markdown: bool) -> Draft:
    """The checkable parts of a draft, parsed chunk by chunk (:mod:`factlint.draft_chunks`:
    runs of blocks that no Markdown construct joins), each chunk's result kept by its text,
    so an edit re-parses only the chunk it touched.

    Runs of punctuation (:data:`factlint.limits.NOISE_RE`) are blanked too. markdown-it caps
    nesting (``maxNesting``) and skips whatever lies beyond it, so a chunk nested that deep
    (:func:`factlint.limits.too_deep`) is read as plain text, as is one whose parse exhausts
    the recursion limit, instead of failing."""
    masked: list[str] = []
    blocks: list[Block] = []
    code_spans: list[tuple[int, int]] = []
    paras: list[Para] = []
    line = 0
    for start, end in chunks(text, markdown):
        piece = PIECES.get(text[start:end], markdown, start == 0)
        masked.append(piece.masked)
        placed = piece.placed(start, line)
        blocks += placed.blocks
        code_spans += placed.code_spans
        paras += placed.paragraphs
        line += piece.breaks
    if SUPPRESS_MARK in text:
        sup = _suppressions(text, code_spans, _line_starts(text))
    else:
        sup = Suppressions()
    return Draft(text, "".join(masked), blocks, sup, paras)


def parse_piece(text: str, markdown: bool, first: bool) -> Piece:
    """One chunk, parsed on its own (``first``: it begins the draft)."""
    from factlint.limits import too_deep

    if not markdown:
        return _without_noise(_text_piece(text))
    if not too_deep(text):
        try:
            return _without_noise(_markdown_piece(text, first))
        except RecursionError:
            pass
    return _without_noise(_markdown_as_text(text))


class PieceCache:
    """Parsed chunks by text: an LRU shared by every draft, bounded by the characters it
    holds (a draft whose cutting stopped early is one long chunk, a new one every edit)."""

    def __init__(self, size: int = 8192, chars: int = 8_000_000,
                 largest: int = 200_000) -> None:
        self.size, self.chars, self.largest = size, chars, largest
        self._pieces: OrderedDict[tuple[str, bool, bool], Piece] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, text: str, markdown: bool, first: bool) -> Piece:
        key = (text, markdown, first)
        with self._lock:
            piece = self._pieces.get(key)
            if piece is not None:
                self._pieces.move_to_end(key)
                return piece
        piece = parse_piece(text, markdown, first).with_paragraphs(text, markdown)
        if len(text) > self.largest:
            return piece  # kept, it would push out hundreds of paragraphs
        with self._lock:
            if key not in self._pieces:
                self._pieces[key] = piece
                self._held += 2 * len(text)  # the key and the masked copy
            while self._pieces and (len(self._pieces) > self.size or self._held > self.chars):
                (old, _, _), _ = self._pieces.popitem(last=False)
                self._held -= 2 * len(old)
        return piece


PIECES = PieceCache()


def _markdown_as_text(text: str) -> Piece:
    """A Markdown chunk read as plain text, its block-quote and list markers blanked."""
    from factlint.limits import blank_containers

    piece = _text_piece(text)
    chars = list(piece.masked)
    blank_containers(chars, piece.masked)
    return Piece("".join(chars), piece.blocks, piece.code_spans)


def _without_noise(piece: Piece) -> Piece:
    from factlint.limits import NOISE_RE, mask_noise

    if NOISE_RE.search(piece.masked) is None:
        return piece
    chars = list(piece.masked)
    mask_noise(chars, piece.masked)
    masked = "".join(chars)
    blocks = [b for b in piece.blocks if masked[b.start:b.end].strip()]
    return Piece(masked, blocks, piece.code_spans)
