"""Bounds on what one check may cost, so a hostile or accidental input cannot hang or exhaust
the editor or CI.

* ``max_draft_bytes`` (:class:`factlint.config.EngineConfig`): a draft larger than this
  (UTF-8 bytes) is not checked at all. The engine raises :class:`DraftTooLarge` before
  parsing; the CLI prints one warning line and goes on with the other files; the language
  server publishes no diagnostics for the document and warns once. The default, 1 MiB, is a
  book-length manuscript (some 170,000 words); checking costs roughly a second per 10 kB of
  prose, so anything larger is far outside interactive use. ``0`` disables the limit. It is
  set with ``max_draft_bytes`` in ``factlint.toml`` or the ``FACTLINT_MAX_DRAFT_BYTES``
  environment variable (the project file wins).
* :data:`MAX_PARAGRAPH_CHARS`: a paragraph longer than this is parsed in pieces cut at
  sentence ends (spaCy's cost grows faster than linearly on one huge text, and it refuses
  texts over a million characters).
* :data:`NOISE_RE`: runs of eight or more punctuation marks or symbols (white space allowed
  between them), such as ``""""""""``, ``> > > > > > > >`` or ``|---|---|``, carry no claim;
  they are blanked before parsing so they cost nothing. A paragraph without a letter or
  digit is not parsed at all.
* :data:`MAX_NESTING`: a Markdown draft whose block quotes and lists nest deeper than
  markdown-it follows (its ``maxNesting``, beyond which it skips the rest of the document)
  is read as plain text, so nothing after the nesting goes unchecked; so is one whose parse
  exhausts Python's recursion limit.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from factlint.errors import DraftTooLarge
from factlint.positions import trim_span

DEFAULT_MAX_DRAFT_BYTES = 1 << 20  # 1 MiB
MAX_DRAFT_BYTES_ENV = "FACTLINT_MAX_DRAFT_BYTES"
MAX_PARAGRAPH_CHARS = 4000
MAX_NESTING = 16  # below markdown-it's commonmark maxNesting (20)
_CONTAINER = r"(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$)"
_CONTAINERS_RE = re.compile(rf"^[ \t]*(?:{_CONTAINER}[ \t]*)+", re.M)
_MARKER_RE = re.compile(_CONTAINER, re.M)
# eight or more marks (an underscore counts as one), white space between them allowed; the
# last one not touching a word, so a real quotation's opening mark after the run is kept
# (white space between the marks holds at most one line break: a run ends at a blank line,
# where a paragraph does)
NOISE_RE = re.compile(r"(?:(?:[^\w\s]|_)[^\S\r\n]*(?:(?:\r\n|\r|\n)[^\S\r\n]*)?){7,}"
                      r"(?:[^\w\s]|_)(?![^\W_])")

__all__ = ["DEFAULT_MAX_DRAFT_BYTES", "DraftTooLarge", "MAX_PARAGRAPH_CHARS", "NOISE_RE",
           "check_draft_size", "default_max_draft_bytes", "draft_bytes", "file_too_large",
           "mask_noise", "max_draft_bytes_for", "parse_limit", "read_within_limit",
           "skip_message", "split_long", "too_deep", "blank_containers"]


def parse_limit(value: object) -> int | None:
    """A ``max_draft_bytes`` value: a whole number >= 0 (0: no limit); None if invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, int) and value >= 0:
        return value
    return None


def default_max_draft_bytes() -> int:
    """``FACTLINT_MAX_DRAFT_BYTES`` when set to a valid value, else the built-in default."""
    env = parse_limit(os.environ.get(MAX_DRAFT_BYTES_ENV, ""))
    return DEFAULT_MAX_DRAFT_BYTES if env is None else env


def draft_bytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def skip_message(limit: int) -> str:
    return f"skipped: larger than {limit} bytes (set max_draft_bytes)"


def check_draft_size(text: str, limit: int, path: str | None = None) -> None:
    """Raise :class:`DraftTooLarge` when ``text`` is over ``limit`` UTF-8 bytes (0: none)."""
    if limit <= 0 or len(text) * 4 <= limit:
        return  # no limit, or too short to be over it whatever its characters
    size = len(text) if len(text) > limit else draft_bytes(text)
    if size > limit:
        raise DraftTooLarge(size, limit, path)


def file_too_large(path: Path | None, limit: int) -> bool:
    """Is the file on disk over the limit (checked before reading it)?"""
    if path is None or limit <= 0:
        return False
    try:
        return path.stat().st_size > limit + 3  # a UTF-8 BOM is not part of the text
    except OSError:
        return False


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")


def split_long(text: str, start: int, end: int,
               limit: int = MAX_PARAGRAPH_CHARS) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of at most ``limit`` characters, at sentence ends where
    there are any, else at whitespace, else anywhere (never inside a surrogate pair)."""
    if end - start <= limit:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    s = start
    while end - s > limit:
        window = text[s:s + limit]
        cut = 0
        for m in _SENTENCE_END.finditer(window):
            if m.end() > limit // 4:
                cut = m.end()
        if not cut:
            ws = max(window.rfind(" "), window.rfind("\t"), window.rfind("\n"))
            cut = ws + 1 if ws > limit // 4 else limit
            if cut == limit and "\ud800" <= text[s + cut - 1] <= "\udbff":
                cut -= 1  # keep a lone-surrogate pair (from surrogatepass text) together
        piece = trim_span(text, s, s + cut)
        if piece[1] > piece[0]:
            out.append(piece)
        s += cut
    piece = trim_span(text, s, end)
    if piece[1] > piece[0]:
        out.append(piece)
    return out



def mask_noise(chars: list[str], text: str) -> None:
    """Blank (in ``chars``, a list copy of ``text``) the runs of :data:`NOISE_RE`."""
    for m in NOISE_RE.finditer(text):
        for i in range(m.start(), m.end()):
            if chars[i] not in "\r\n":
                chars[i] = " "


def read_within_limit(drafts: list[tuple[str, Path | None]], limit: int,
                      read: Callable[[str, Path | None], str]
                      ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Read the CLI's drafts: ((display, text) of those within ``limit``, (display, reason)
    of those skipped). A skipped draft gets one warning line on standard error; a file
    over the limit on disk is not even read."""
    texts: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    for display, path in drafts:
        if file_too_large(path, limit):
            text = None
        else:
            text = read(display, path)
            try:
                check_draft_size(text, limit, display)
            except DraftTooLarge:
                text = None
        if text is None:
            reason = skip_message(limit)
            print(f"factlint: warning: {display}: {reason}", file=sys.stderr)
            skipped.append((display, reason))
        else:
            texts.append((display, text))
    return texts, skipped


def max_draft_bytes_for(folder: Path) -> int:
    """The limit for drafts under ``folder``: the project file's ``max_draft_bytes`` when it
    sets one, else :func:`default_max_draft_bytes` (the language server reads it when it
    builds its engine; a broken project file is reported elsewhere, not here)."""
    from factlint.project_config import load_project_config

    try:
        project = load_project_config(folder)
    except Exception:  # noqa: BLE001 - the settings code reports project-file problems
        project = None
    limit = getattr(project, "max_draft_bytes", None)
    return default_max_draft_bytes() if limit is None else int(limit)


def too_deep(text: str, limit: int = MAX_NESTING) -> bool:
    """Do block quotes and lists (markers on a line, plus indentation) nest deeper than
    ``limit`` anywhere in ``text``? A cheap line scan, run before the Markdown parse."""
    for m in _CONTAINERS_RE.finditer(text):
        run = m.group(0)
        if len(run) < limit:
            continue  # too short to hold that many markers or that much indentation
        indent = len(run) - len(run.lstrip(" \t"))
        if len(_MARKER_RE.findall(run)) + indent // 2 > limit:
            return True
    return False


def blank_containers(chars: list[str], text: str) -> None:
    """Blank (in ``chars``, a list copy of ``text``) the block-quote and list markers that
    start lines: the markup a too-deep Markdown draft keeps when it is read as plain text."""
    for m in _CONTAINERS_RE.finditer(text):
        for i in range(m.start(), m.end()):
            if chars[i] not in "\r\n":
                chars[i] = " "
