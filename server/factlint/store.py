"""Where fact indexes live: one SQLite file per index key in the user's cache (updated in
place, one transaction per update), or in memory when no file can be written."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factlint.errors import FactlintError
from factlint.factdb import FactDB, IndexVersionError
from factlint.index.dialect import SQLITE
from factlint.index.tables import Conflict, Tables
from factlint.result_cache import default_cache_dir

KEEP = 4  # index files kept per cache folder (others are stale keys)
STALE_TMP_S = 3600  # a temporary index file this old was left by a killed writer
RETRIES = 5  # updates re-planned after another writer's commit

Updater = Callable[[Tables], Any]  # brings the tables up to date; returns a report


def retrying(update: Updater, tables: Tables) -> Any:
    """Run an update, planning it again (from a new look at the corpus) when another
    process committed first."""
    for _ in range(RETRIES):
        try:
            return update(tables)
        except Conflict:
            continue
    raise FactlintError(f"the fact index kept changing under this update ({RETRIES} tries); "
                        "another indexer is running: try again when it is done")


LOCK_TIMEOUT_S = 30.0  # how long to wait for another process's write to the index


def _connect(path: Path | str) -> sqlite3.Connection:
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                           timeout=LOCK_TIMEOUT_S)


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
        except sqlite3.OperationalError as exc:
            if _busy(exc):  # another process holds it: never a reason to delete it
                raise _Busy(str(exc)) from None
            self._unreadable(exc)
            return None
        except (sqlite3.DatabaseError, IndexVersionError, KeyError, ValueError) as exc:
            self._unreadable(exc)
            return None

    def _unreadable(self, exc: BaseException) -> None:
        self.warn(f"fact index {self.path} is unreadable ({exc}); rebuilding it")
        try:
            self.path.unlink()
        except OSError:
            pass

    def build(self, update: Updater) -> tuple[FactDB, Any] | None:
        """The index brought up to date by ``update``, and its report; None when it cannot
        be written here (the caller builds it in memory)."""
        try:
            tables = self._existing()
        except _Busy as exc:
            self.warn(f"fact index {self.path} is busy ({exc}); indexing in memory")
            return None
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


class _Busy(Exception):
    """The index file is locked by another process for longer than the timeout."""


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process pruning the same folder
        return 0.0
