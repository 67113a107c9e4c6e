"""An article's own date, against which its relative dates ("on Friday") are resolved.

Read from Markdown front matter (``date:``), else from a dateline near the top: a
"Published ..."/"Updated ..." line, or a short line that is a full date ("Saturday 17 May
2025", "18 May 2025 - By A. Writer"). A front matter that is not YAML, or a date line whose
date cannot be read, is a warning (line, reason); the article is still indexed, undated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from factlint.drafts import FRONT_MATTER_RE
from factlint.values import ValueReader

_LABELLED = re.compile(r"^\s*(?:published|updated|posted|first published|date)\b[\s:]*(.*)$",
                       re.I)
_HEAD_LINES = 6  # a dateline is among the first lines
_SHORT = 60  # characters: longer lines are prose, not datelines


@dataclass
class ArticleDate:
    date: dt.date | None = None
    line: int | None = None  # 1-based line it was read from
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def article_date(text: str, values: ValueReader) -> ArticleDate:
    found = ArticleDate()
    fm = FRONT_MATTER_RE.match(text)
    if fm:
        _from_front_matter(fm.group(0), values, found)
        if found.date is not None or found.warnings:
            return found
    start = fm.end() if fm else 0
    lines = _head_lines(text, start)
    first = text[:start].count("\n") + (1 if start else 1)
    seen = 0
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > _HEAD_LINES:
            break
        labelled = _LABELLED.match(line)
        if labelled or len(line.strip()) <= _SHORT:
            d = _full_date(labelled.group(1) if labelled else line, values)
            if d is not None:
                found.date, found.line = d, first + n
                return found
            if labelled and re.search(r"\d", labelled.group(1)):
                found.warnings.append((first + n, "date line has no date factlint can read"))
    return found


def _head_lines(text: str, start: int, size: int = 8192) -> list[str]:
    """The lines from ``start`` as far as the date line may be (more than ``_HEAD_LINES``
    non-blank ones, or all): a long draft is not split whole on every check."""
    while True:
        whole = start + size >= len(text)
        lines = text[start:start + size].splitlines()
        if not whole:
            lines = lines[:-1]  # (the last may be cut)
        if whole or sum(1 for line in lines if line.strip()) > _HEAD_LINES:
            return lines
        size *= 4


def _from_front_matter(block: str, values: ValueReader, found: ArticleDate) -> None:
    body = "\n".join(block.splitlines()[1:-1])
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        found.warnings.append((line, "front matter is not valid YAML; the article is undated"))
        return
    if not isinstance(data, dict) or "date" not in data:
        return
    raw = data["date"]
    line = next((i + 2 for i, t in enumerate(body.splitlines())
                 if re.match(r"\s*date\s*:", t)), 1)
    if isinstance(raw, dt.datetime):
        found.date, found.line = raw.date(), line
    elif isinstance(raw, dt.date):
        found.date, found.line = raw, line
    else:
        d = _full_date(str(raw), values)
        if d is None:
            found.warnings.append((line, f"front matter date {str(raw)[:40]!r} is not a date"))
        else:
            found.date, found.line = d, line


def _full_date(text: str, values: ValueReader) -> dt.date | None:
    for d in values.find_dates(text):
        if d.year and d.m_lo and d.m_lo == d.m_hi and d.day:
            try:
                return dt.date(d.year, d.m_lo, d.day)
            except ValueError:
                return None
    return None
