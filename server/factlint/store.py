"""The on-disk fact index: one SQLite file per corpus key, written atomically."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factlint.factdb import FactDB, write_db
from factlint.facts import Fact

KEEP = 4  # index files kept per cache folder (others are stale keys)
STALE_TMP_S = 3600  # a temporary index file this old was left by a killed writer


def default_cache_dir() -> Path:
    env = os.environ.get("FACTLINT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factlint"


class FactStore:
    """Where the fact index of one corpus key lives; see :mod:`factlint.factdb` for its
    tables. Written to a temporary file and renamed into place, so readers never see half an
    index; a corrupt or outdated file is removed (with a warning) and rebuilt."""

    def __init__(self, path: Path, warn: Callable[[str], None]) -> None:
        self.path = path
        self.warn = warn

    @classmethod
    def open(cls, cache_dir: Path | None, key: str,
             warn: Callable[[str], None]) -> FactStore | None:
        folder = Path(cache_dir) if cache_dir else default_cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            warn(f"cache folder {folder} is not usable ({exc.strerror}); indexing without cache")
            return None
        return cls(folder / f"index-{key[:24]}.sqlite", warn)

    def load(self) -> FactDB | None:
        if not self.path.exists():
            return None
        try:
            return FactDB.open(self.path)
        except (sqlite3.DatabaseError, KeyError, ValueError, TypeError) as exc:
            self.warn(f"fact index {self.path} is unreadable ({exc}); rebuilding it")
            try:
                self.path.unlink()
            except OSError:
                pass
            return None

    def save(self, facts: list[Fact], extra: dict[str, Any]) -> FactDB | None:
        """Write the index; the reader of the written file, or None when it cannot be
        written (the caller then keeps the facts in memory)."""
        folder = self.path.parent
        try:
            fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=folder)
            os.close(fd)
            con = sqlite3.connect(tmp)
            try:
                con.execute("PRAGMA journal_mode = OFF")
                con.execute("PRAGMA synchronous = OFF")
                write_db(con, facts, extra)
            finally:
                con.close()
            os.replace(tmp, self.path)
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.warn(f"cannot write fact index in {folder} ({reason}); continuing")
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass
            return None
        self._prune()
        try:
            return FactDB.open(self.path)
        except sqlite3.Error:
            return None

    def _prune(self) -> None:
        """Drop stale keys' indexes, and temporary files a killed writer left behind (old
        enough that no live writer can still be filling them)."""
        folder = self.path.parent
        files = sorted(folder.glob("index-*.sqlite"), key=_mtime, reverse=True)
        now = time.time()
        orphans = [p for p in folder.glob(".index-*.tmp") if now - _mtime(p) > STALE_TMP_S]
        for old in files[KEEP:] + orphans:
            try:
                old.unlink()
            except OSError:
                pass


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process pruning the same folder
        return 0.0


class ResultCache:
    """Diagnostics of whole drafts, keyed by (corpus, rules, model, draft text): a CI run or a
    pre-commit hook that re-checks unchanged drafts needs neither spaCy nor the fact index."""

    MAX_ROWS = 5000

    def __init__(self, cache_dir: Path | None) -> None:
        folder = Path(cache_dir) if cache_dir else default_cache_dir()
        self.path = folder / "results.sqlite"
        self._ok = True
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            self._ok = False

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=5)
        con.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data TEXT, "
                    "used REAL)")
        return con

    def get(self, key: str) -> Any:
        if not self._ok or not self.path.exists():
            return None
        try:
            con = self._connect()
            try:
                row = con.execute("SELECT data FROM results WHERE key = ?", (key,)).fetchone()
            finally:
                con.close()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            self._ok = False  # unusable: behave as if there were no result cache
            return None

    def put(self, key: str, records: Any) -> None:
        if not self._ok:
            return
        import time

        try:
            con = self._connect()
            try:
                with con:
                    con.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                                (key, json.dumps(records), time.time()))
                    n = con.execute("SELECT COUNT(*) FROM results").fetchone()[0]
                    if n > self.MAX_ROWS:
                        con.execute("DELETE FROM results WHERE key IN (SELECT key FROM results "
                                    "ORDER BY used LIMIT ?)", (n - self.MAX_ROWS,))
            finally:
                con.close()
        except sqlite3.Error:
            self._ok = False
