"""Whole-draft results kept on disk, and where factlint's caches live.

Light on purpose: an unchanged draft is answered from here without importing spaCy, the
extractor or the fact index.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from factlint.jsonload import dumps, loads_plain


def default_cache_dir() -> Path:
    env = os.environ.get("FACTLINT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "factlint"


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
            return loads_plain(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            self._ok = False  # unusable: behave as if there were no result cache
            return None

    def put(self, key: str, records: Any) -> None:
        if not self._ok:
            return
        try:
            con = self._connect()
            try:
                with con:
                    con.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                                (key, dumps(records), time.time()))
                    n = con.execute("SELECT COUNT(*) FROM results").fetchone()[0]
                    if n > self.MAX_ROWS:
                        con.execute("DELETE FROM results WHERE key IN (SELECT key FROM results "
                                    "ORDER BY used LIMIT ?)", (n - self.MAX_ROWS,))
            finally:
                con.close()
        except sqlite3.Error:
            self._ok = False
