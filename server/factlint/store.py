"""Where fact indexes live: one SQLite file per index key in the user's cache (updated in
place, one transaction per update), or in memory when no file can be written."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factlint.factdb import FactDB, IndexVersionError
from factlint.index.dialect import SQLITE
from factlint.index.tables import Conflict, Tables

KEEP = 4  # index files kept per cache folder (others are stale keys)
STALE_TMP_S = 3600  # a temporary index file this old was left by a killed writer
RETRIES = 5  # updates re-planned after another writer's commit

Updater = Callable[[Tables], Any]  # brings the tables up to date; returns a report


def default_cache_dir() -> Path:
    env = os.environ.get("FACTLINT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factlint"


def retrying(update: Updater, tables: Tables) -> Any:
    """Run an update, planning it again when another process committed first."""
    for _ in range(RETRIES - 1):
        try:
            return update(tables)
        except Conflict:
            continue
    return update(tables)


def _connect(path: Path | str) -> sqlite3.Connection:
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)


def peek_tables(cache_dir: Path | None, key: str) -> Tables | None:
    """The tables of an existing cached index, to read only; None when there is none."""
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    path = folder / f"index-{key[:24]}.sqlite"
    if not path.exists():
        return None
    try:
        con = _connect(path)
        tables = Tables(con, SQLITE)
        if tables.meta("key").get("key") != key:
            con.close()
            return None
        return tables
    except sqlite3.DatabaseError:
        return None


def memory_index(key: str, update: Updater) -> tuple[FactDB, Any]:
    con = _connect(":memory:")
    tables = Tables(con, SQLITE)
    tables.create(key)
    report = update(tables)
    return FactDB(con, SQLITE), report


class FactStore:
    """The SQLite index of one index key (corpus paths, rules, model, code). Created whole
    in a temporary file and linked into place, then updated in place; a corrupt or
    outdated file is removed (with a warning) and built again."""

    def __init__(self, path: Path, key: str, warn: Callable[[str], None]) -> None:
        self.path, self.key, self.warn = path, key, warn

    @classmethod
    def open(cls, cache_dir: Path | None, key: str,
             warn: Callable[[str], None]) -> FactStore | None:
        folder = Path(cache_dir) if cache_dir else default_cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            warn(f"cache folder {folder} is not usable ({exc.strerror}); indexing without cache")
            return None
        return cls(folder / f"index-{key[:24]}.sqlite", key, warn)

    def _existing(self) -> Tables | None:
        if not self.path.exists():
            return None
        try:
            con = _connect(self.path)
            tables = Tables(con, SQLITE)
            meta = tables.meta("schema", "key")
            if meta.get("key") != self.key:
                raise IndexVersionError(meta.get("schema", "none"))
            return tables
        except (sqlite3.DatabaseError, IndexVersionError, KeyError, ValueError) as exc:
            self.warn(f"fact index {self.path} is unreadable ({exc}); rebuilding it")
            try:
                self.path.unlink()
            except OSError:
                pass
            return None

    def build(self, update: Updater) -> tuple[FactDB, Any] | None:
        """The index brought up to date by ``update``, and its report; None when it cannot
        be written here (the caller builds it in memory)."""
        tables = self._existing()
        if tables is not None:
            try:
                report = retrying(update, tables)
            except sqlite3.OperationalError as exc:
                self.warn(f"cannot write fact index {self.path} ({exc}); continuing")
                return None
            finally:
                tables.con.close()
            return FactDB.open(self.path), report
        return self._create(update)

    def _create(self, update: Updater) -> tuple[FactDB, Any] | None:
        folder = self.path.parent
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=folder)
            os.close(fd)
            con = _connect(tmp)
            try:
                con.execute("PRAGMA journal_mode = OFF")  # a private file until linked
                tables = Tables(con, SQLITE)
                tables.create(self.key)
                report = update(tables)
            finally:
                con.close()
            try:
                os.link(tmp, self.path)  # only if no other writer got there first
            except FileExistsError:
                report = None
            except OSError:  # a file system without hard links
                os.replace(tmp, self.path)
                tmp = None
        except (OSError, sqlite3.OperationalError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.warn(f"cannot write fact index in {folder} ({reason}); continuing")
            return None
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
        self._prune()
        if report is None:  # another process linked its index first: bring that one up
            return self.build(update)
        return FactDB.open(self.path), report

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
