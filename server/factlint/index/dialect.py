"""The two SQL databases an index lives in: SQLite (embedded, the default) and PostgreSQL
(shared by a newsroom). One schema and one set of statements, written for SQLite with ``?``
parameters; :class:`Dialect` adapts the few places where PostgreSQL differs."""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA = 7  # 5: pair terms of anchor words; postings keyed by bucket; 6: SQLite fact ids are
# rowids; 7: a fact's provenance in a column of its own (decoded when first read)

# {blob}, {ord}, {norowid} and {id_pk} are filled in per dialect
_DDL = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE docs (path TEXT PRIMARY KEY, ord TEXT {ord} NOT NULL, size BIGINT NOT NULL, "
    "mtime_ns BIGINT NOT NULL, sha TEXT NOT NULL, display TEXT NOT NULL, date TEXT, "
    "text TEXT NOT NULL, "
    "evidence TEXT NOT NULL, parse {blob} NOT NULL, reads TEXT NOT NULL, "
    "people_digest TEXT NOT NULL, titles_digest TEXT NOT NULL, df TEXT NOT NULL, "
    "n_sent INTEGER NOT NULL)",
    "CREATE TABLE skipped (path TEXT PRIMARY KEY, size BIGINT NOT NULL, "
    "mtime_ns BIGINT NOT NULL, reason TEXT NOT NULL, line INTEGER)",
    # SQLite: the id is the rowid (one B-tree search by id, not an index's and the table's)
    "CREATE TABLE facts (id {id_pk}, doc TEXT NOT NULL, ord TEXT {ord} NOT NULL, "
    "seq INTEGER NOT NULL, kind TEXT NOT NULL, bucket TEXT NOT NULL, sig TEXT, "
    "dup INTEGER NOT NULL, data TEXT NOT NULL, prov TEXT)",
    # a term's postings in each bucket (kb: factdb.bucket_key) apart, so that a lookup in a
    # bucket reads that bucket's postings of a crowded name, not every fact naming it
    "CREATE TABLE terms (term TEXT NOT NULL, kb BIGINT NOT NULL, id BIGINT NOT NULL, "
    "PRIMARY KEY (term, kb, id)){norowid}",
    "CREATE TABLE term_counts (term TEXT PRIMARY KEY, n INTEGER NOT NULL){norowid}",
    "CREATE TABLE bucket_term_counts (term TEXT NOT NULL, kb BIGINT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (term, kb)){norowid}",
    "CREATE TABLE df (word TEXT PRIMARY KEY, pfx TEXT NOT NULL, n INTEGER NOT NULL){norowid}",
    "CREATE INDEX facts_bucket ON facts (kind, bucket, dup, ord, seq)",
    "CREATE INDEX facts_order ON facts (ord, seq)",
    "CREATE INDEX facts_doc ON facts (doc)",
    "CREATE INDEX facts_sig ON facts (sig, ord, seq)",  # a title's first copies
    "CREATE INDEX terms_id ON terms (id, term)",  # does fact id carry term?
    "CREATE INDEX df_pfx ON df (pfx)",
)


@dataclass(frozen=True)
class Dialect:
    name: str
    param: str
    blob: str
    ord_collation: str
    norowid: str
    id_pk: str
    id_list: str  # an aggregate of ``id`` as one comma-separated text (a posting list)

    def sql(self, statement: str) -> str:
        return statement if self.param == "?" else statement.replace("?", self.param)

    def ddl(self) -> list[str]:
        return [s.format(blob=self.blob, ord=self.ord_collation, norowid=self.norowid,
                         id_pk=self.id_pk) for s in _DDL]


SQLITE = Dialect("sqlite", "?", "BLOB", "", " WITHOUT ROWID", "INTEGER PRIMARY KEY",
                 "group_concat(id)")
# ord compares byte-wise (corpus order), whatever the database's locale
POSTGRES = Dialect("postgresql", "%s", "BYTEA", 'COLLATE "C"', "", "BIGINT PRIMARY KEY",
                   "string_agg(id::text, ',')")


def begin_write(con: object, dialect: Dialect) -> None:
    """Start the one transaction an update is written in; writers queue (SQLite's write
    lock, a PostgreSQL advisory lock), readers keep reading the last committed state."""
    if dialect is SQLITE:
        con.execute("BEGIN IMMEDIATE")  # type: ignore[attr-defined]
    else:
        con.execute("BEGIN")  # type: ignore[attr-defined]
        # writers of this index (schema) queue; other corpora's do not wait for them
        con.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")  # type: ignore[attr-defined]


def begin_read(con: object, dialect: Dialect) -> None:
    """Start a read transaction: every query in it sees one committed state."""
    con.execute("BEGIN" if dialect is SQLITE  # type: ignore[attr-defined]
                else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
