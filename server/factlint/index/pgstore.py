"""A fact index in PostgreSQL, shared by a newsroom's editors, CI and indexers.

One schema (namespace) per corpus, rules and model; the same tables and keyed lookups as
the SQLite index (:mod:`factlint.index.dialect`). Updates are one transaction each, taken
in turn (an advisory lock); readers check in ``REPEATABLE READ`` snapshots, so a reader
never sees half an update. Every process that shares a store must see the corpus at the
same paths (a shared mount), and run the same factlint version: an index written by another
version is an error naming the store, until ``factlint index --rebuild`` builds it anew.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from factlint.errors import FactlintError
from factlint.factdb import FactDB
from factlint.index.dialect import POSTGRES, SCHEMA
from factlint.index.tables import Tables
from factlint.store import retrying

Updater = Callable[[Tables], Any]


def is_store_url(value: str | None) -> bool:
    return bool(value) and bool(re.match(r"^postgres(ql)?://", str(value)))


def redacted(url: str) -> str:
    """The URL without its password (for messages)."""
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def namespace(scope: str) -> str:
    return "factlint_" + hashlib.sha256(scope.encode()).hexdigest()[:16]


class PgStore:
    def __init__(self, url: str, scope: str, key: str) -> None:
        """``scope``: what the index is of (corpus paths, rules, model); ``key``: that plus
        the factlint code that writes it."""
        self.url, self.key, self.schema = url, key, namespace(scope)
        self.where = f"{redacted(url)} (schema {self.schema})"

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError:
            raise FactlintError("a PostgreSQL store needs psycopg: pip install "
                                "'factlint[postgres]'", self.where) from None
        try:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                                  application_name="factlint")
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise FactlintError(f"cannot reach the index store ({reason})",
                                redacted(self.url)) from None
        try:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
        except psycopg.errors.UniqueViolation:
            pass  # another process created it at the same moment: there it is
        con.execute(f"SET search_path TO {self.schema}")
        return con

    def _tables(self, con: Any, rebuild: bool) -> Tables:
        tables = Tables(con, POSTGRES)
        con.execute("BEGIN")
        try:
            # one creator of this index at a time
            con.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("create " + self.schema,))
            exists = con.execute("SELECT 1 FROM information_schema.tables WHERE "
                                 "table_schema = %s AND table_name = 'meta'",
                                 (self.schema,)).fetchone()
            if exists and rebuild:
                for name in ("terms", "term_counts", "bucket_term_counts", "df", "facts",
                             "docs", "skipped", "meta"):
                    con.execute(f"DROP TABLE IF EXISTS {name}")
                exists = None
            if not exists:
                tables.create(self.key)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        meta = tables.meta("schema", "key")
        if meta.get("schema") != str(SCHEMA) or meta.get("key") != self.key:
            raise FactlintError("the index store was written by another factlint version; "
                                "run `factlint index --rebuild` with this one", self.where)
        return tables

    def build(self, update: Updater, rebuild: bool = False) -> tuple[FactDB, Any]:
        import psycopg

        writer = self._connect()
        try:
            report = retrying(update, self._tables(writer, rebuild))
            return self.reader(), report
        except psycopg.Error as exc:
            raise FactlintError(f"the index store failed ({str(exc).strip() or exc!r})",
                                self.where) from None
        finally:
            writer.close()

    def peek(self) -> Tables | None:
        """The store's tables to read, when it holds this index; else None."""
        con = self._connect()
        tables = Tables(con, POSTGRES)
        try:
            if tables.meta("key").get("key") == self.key:
                return tables
        except Exception:  # noqa: BLE001 - no index there yet: nothing to peek at
            pass
        con.close()
        return None

    def reader(self) -> FactDB:
        return FactDB(self._connect(), POSTGRES, where=self.where, reconnect=self._connect)
