"""The on-disk fact index: one SQLite file per corpus key, written atomically."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factlint.facts import Fact

SCHEMA = 1
KEEP = 4  # index files kept per cache folder (others are stale keys)


def default_cache_dir() -> Path:
    env = os.environ.get("FACTLINT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factlint"


class FactStore:
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

    def load(self) -> tuple[list[Fact], dict[str, Any]] | None:
        if not self.path.exists():
            return None
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
                if int(meta.get("schema", 0)) != SCHEMA or meta.get("complete") != "1":
                    raise sqlite3.DatabaseError("incomplete index")
                facts = [Fact.from_json(json.loads(row[0]))
                         for row in con.execute("SELECT data FROM facts ORDER BY id")]
                extra = json.loads(meta["extra"])
            finally:
                con.close()
        except (sqlite3.DatabaseError, KeyError, ValueError, TypeError) as exc:
            self.warn(f"fact index {self.path} is unreadable ({exc}); rebuilding it")
            try:
                self.path.unlink()
            except OSError:
                pass
            return None
        return facts, extra

    def save(self, facts: list[Fact], extra: dict[str, Any]) -> None:
        folder = self.path.parent
        try:
            fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=folder)
            os.close(fd)
            con = sqlite3.connect(tmp)
            try:
                con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
                con.execute("CREATE TABLE facts (id INTEGER PRIMARY KEY, kind TEXT, data TEXT)")
                con.execute("CREATE INDEX facts_kind ON facts(kind)")
                con.executemany("INSERT INTO facts (id, kind, data) VALUES (?, ?, ?)",
                                [(i, f.kind, json.dumps(f.to_json())) for i, f in
                                 enumerate(facts)])
                con.executemany("INSERT INTO meta VALUES (?, ?)",
                                [("schema", str(SCHEMA)), ("extra", json.dumps(extra)),
                                 ("complete", "1")])
                con.commit()
            finally:
                con.close()
            os.replace(tmp, self.path)
        except OSError as exc:
            self.warn(f"cannot write fact index in {folder} ({exc.strerror}); continuing")
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass
            return
        self._prune()

    def _prune(self) -> None:
        files = sorted(self.path.parent.glob("index-*.sqlite"), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        for old in files[KEEP:]:
            try:
                old.unlink()
            except OSError:
                pass


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

    def get(self, key: str) -> list[dict[str, Any]] | None:
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

    def put(self, key: str, records: list[dict[str, Any]]) -> None:
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
