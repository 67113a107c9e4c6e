"""Finding the corpus files, and reading only those that changed.

:func:`scan_corpus` lists the articles under the corpus paths with their size and mtime,
reading nothing; an index compares that with what it holds and reads (and hashes) only the
files whose stat moved. :func:`read_entry` reads one file and says why it cannot be an
article (binary, not UTF-8, empty, oversized) when it cannot.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from factlint.errors import FactlintError
from factlint.resources import bundled_seeds

CORPUS_SUFFIXES = (".txt", ".md", ".markdown")
MAX_CORPUS_FILE_BYTES = 8 << 20  # an 8 MiB "article" is a dump, not an article
UNREADABLE = "unreadable"  # the skip reason of a file that could not be read at all
ORD_SEP = "\x01"  # sorts below every printable character, as a path's parts compare


@dataclass(frozen=True)
class Entry:
    path: str  # absolute, resolved
    display: str
    ord: str  # corpus order: the position of the root, then the path's parts
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str
    line: int | None = None


def display_path(path: Path, root: Path, seeds: Path | None = None) -> str:
    seeds = seeds or bundled_seeds().resolve()
    if path.is_relative_to(seeds):
        return f"seeds/{path.relative_to(seeds).as_posix()}"
    try:
        rel = os.path.relpath(path, Path.cwd())
        if not rel.startswith(".."):
            return rel
    except ValueError:
        pass
    base = root if root.is_dir() else root.parent
    return f"{base.name}/{path.relative_to(base).as_posix()}"


def _candidates(root: Path) -> list[tuple[tuple[str, ...], Path]]:
    if root.is_file():
        return [((root.name,), root)]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        base = Path(dirpath)
        rel = base.relative_to(root).parts
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith(CORPUS_SUFFIXES):
                continue
            out.append(((*rel, name), base / name))
    out.sort(key=lambda item: item[0])
    return out


def scan_corpus(paths: list[Path]) -> list[Entry]:
    """The corpus files in corpus order (the roots as given, each one's files by path), a
    file reached from two roots listed once. Stats every file, reads none."""
    entries: list[Entry] = []
    seen: set[str] = set()
    seeds = bundled_seeds().resolve()
    for n, root in enumerate(Path(p) for p in paths):
        if not root.exists():
            raise FactlintError("corpus path does not exist", str(root))
        resolved = root.resolve()
        for parts, p in _candidates(root):
            try:
                full = p.resolve()
                st = full.stat()
            except OSError:
                continue  # removed while listing
            if str(full) in seen:
                continue
            seen.add(str(full))
            entries.append(Entry(str(full), display_path(full, resolved, seeds),
                                 f"{n:04d}{ORD_SEP}" + ORD_SEP.join(parts), st.st_size,
                                 st.st_mtime_ns))
    return entries


def unreadable(data: bytes) -> tuple[str | None, int | None, str | None]:
    """(reason, line, text): why a corpus file cannot be read, else its text."""
    if len(data) > MAX_CORPUS_FILE_BYTES:
        return f"larger than {MAX_CORPUS_FILE_BYTES >> 20} MiB", None, None
    if b"\0" in data:
        return "binary, not text", None, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "not valid UTF-8", data[:exc.start].count(b"\n") + 1, None
    if not text.strip():
        return "empty", None, None
    return None, None, text


def skip_holds(reason: str, size: int, mtime_ns: int, entry: Entry) -> bool:
    """Is a file skipped before (for ``reason``, at that stat) still skipped, without
    reading it? What it holds decides most skips, so while its stat is the same; one that
    could not be read is tried again every time."""
    return (size, mtime_ns) == (entry.size, entry.mtime_ns) and not reason.startswith(UNREADABLE)


def read_entry(entry: Entry) -> tuple[str | None, str | None, Skipped | None]:
    """(text, content hash, None) of a corpus file, or (None, None, why it is skipped)."""
    if entry.size > MAX_CORPUS_FILE_BYTES:  # not even read
        return None, None, Skipped(entry.path, f"larger than {MAX_CORPUS_FILE_BYTES >> 20} MiB")
    try:
        data = Path(entry.path).read_bytes()
    except OSError as exc:
        return None, None, Skipped(entry.path, f"{UNREADABLE} ({exc.strerror})")
    reason, line, text = unreadable(data)
    if reason is not None or text is None:
        return None, None, Skipped(entry.path, reason or "unreadable", line)
    return text, hashlib.sha256(data).hexdigest(), None
