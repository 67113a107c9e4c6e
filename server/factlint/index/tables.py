"""The index's tables: what an update reads of the documents it holds, and how a change is
written, in one transaction, with the corpus statistics updated by difference.

Facts are kept in corpus order by ``(ord, seq)``: every title fact first (stage ``0``), then
the other facts (stage ``1``), each stage by document order. A sentence repeated in several
articles is one fact: the later copies are kept with ``dup = 1`` (so removing the first
copy's article brings the next one back) and never returned. A title is one fact per person
and title whatever sentence gives it (:func:`role_sig`): the role check asks only whether
some title agrees or every one contradicts, so a person's thousand identical titles say no
more than the first; the checks read the later copies only as evidence
(:meth:`factlint.factdb.FactDB.copies`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from factlint.factdb import bucket_key, bucket_of, stem_key, terms_of
from factlint.facts import Fact
from factlint.index.dialect import SCHEMA, Dialect, begin_write
from factlint.index.scan import ORD_SEP

CHUNK = 500


class Conflict(Exception):
    """Another process updated the index since this update was planned."""


@dataclass
class DocState:
    ord: str
    size: int
    mtime_ns: int
    sha: str
    display: str
    date: str | None
    people_digest: str
    titles_digest: str


@dataclass
class DocRow:
    path: str
    state: DocState
    text: str  # as parsed: a re-extraction needs it for provenance, never the disk
    evidence: dict[str, Any]
    parse: bytes
    reads: dict[str, Any]
    roles: list[Fact]
    facts: list[Fact]


@dataclass
class Change:
    generation: int  # the generation the change was planned against
    remove: list[str] = field(default_factory=list)  # documents that left the corpus
    put: list[DocRow] = field(default_factory=list)  # documents (re-)extracted
    stats: list[tuple[str, int, int]] = field(default_factory=list)  # (path, size, mtime)
    skipped: list[tuple[str, int, int, str, int | None]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.remove or self.put or self.stats or self.skipped)


_Posted = tuple[int, str, str, Fact]  # (fact id, kind, bucket, fact): what its postings need


def fact_sig(f: Fact) -> str:
    data = repr((f.kind, f.key, f.value, f.prov.text if f.prov else ""))
    return hashlib.sha1(data.encode()).hexdigest()


def role_sig(f: Fact) -> str:
    """The same title of the same person, in any sentence (JSON, so that a fact read back
    from the index has the sig it was written with)."""
    data = json.dumps(["role", f.key, f.value], sort_keys=True)
    return "r" + hashlib.sha1(data.encode()).hexdigest()


def doc_df(facts: Iterable[Fact]) -> tuple[dict[str, int], int]:
    """Per anchor word, the document's sentences whose facts carry it; and its sentences."""
    sentences: dict[int, set[str]] = {}
    for f in facts:
        if f.prov is None:
            continue
        words = f.key.get("anchors") or f.key.get("args") or []
        sentences.setdefault(f.prov.start, set()).update(words)
    counts: dict[str, int] = {}
    for words in sentences.values():
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    return counts, len(sentences)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for n in range(0, len(items), CHUNK):
        yield items[n:n + CHUNK]


class Tables:
    def __init__(self, con: Any, dialect: Dialect) -> None:
        self.con, self.d = con, dialect

    def _q(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.con.cursor()
        cur.execute(self.d.sql(sql), tuple(args))
        return cur.fetchall() if cur.description else []

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.con.cursor().executemany(self.d.sql(sql), rows)

    def _in(self, sql: str, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
        """``sql`` with ``{}`` standing for a list of parameters, run over chunks of keys."""
        out: list[tuple[Any, ...]] = []
        for part in _chunks(list(keys)):
            out += self._q(sql.format(",".join("?" * len(part))), part)
        return out

    # -- schema ------------------------------------------------------------------------------
    def create(self, key: str) -> None:
        for stmt in self.d.ddl():
            self._q(stmt)
        self._many("INSERT INTO meta (key, value) VALUES (?, ?)",
                   [("schema", str(SCHEMA)), ("key", key), ("generation", "0"),
                    ("build", uuid.uuid4().hex),  # a rebuilt index is another index
                    ("next_id", "0"), ("facts", "0"), ("sentences", "0"), ("people", "{}"),
                    ("roles", "{}"), ("files", "[]"), ("content", "")])

    def meta(self, *keys: str) -> dict[str, str]:
        if not keys:
            return dict(self._q("SELECT key, value FROM meta"))
        return dict(self._in("SELECT key, value FROM meta WHERE key IN ({})", keys))

    # -- what an update reads ----------------------------------------------------------------
    def doc_states(self) -> dict[str, DocState]:
        rows = self._q("SELECT path, ord, size, mtime_ns, sha, display, date, people_digest, "
                       "titles_digest FROM docs")
        return {r[0]: DocState(*r[1:]) for r in rows}

    def skipped(self) -> dict[str, tuple[int, int, str, int | None]]:
        return {r[0]: tuple(r[1:]) for r in  # type: ignore[misc]
                self._q("SELECT path, size, mtime_ns, reason, line FROM skipped")}

    def column(self, name: str, paths: Sequence[str]) -> dict[str, Any]:
        assert name in ("evidence", "reads", "parse", "text")
        rows = self._in(f"SELECT path, {name} FROM docs WHERE path IN ({{}})", paths)
        if name == "parse":
            return {p: bytes(v) for p, v in rows}
        if name == "text":
            return dict(rows)
        return {p: json.loads(v) for p, v in rows}

    def role_facts(self, paths: Sequence[str]) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = {p: [] for p in paths}
        for doc, data, prov in self._in("SELECT doc, data, prov FROM facts WHERE kind = 'role' "
                                        "AND doc IN "
                                  "({}) ORDER BY ord, seq", paths):
            out[doc].append(Fact.from_stored(data, prov))
        return out

    # -- writing -----------------------------------------------------------------------------
    def apply(self, change: Change) -> int:
        """Write a change in one transaction; the new generation. Raises :class:`Conflict`
        when another writer committed since the change was planned."""
        begin_write(self.con, self.d)
        try:
            generation = int(self.meta("generation")["generation"])
            if generation != change.generation:
                raise Conflict(generation)
            self._write(change)
            generation += 1
            self._set_meta({**change.meta, "generation": str(generation)})
            self._q("COMMIT")
        except BaseException:
            self._q("ROLLBACK")
            raise
        return generation

    def _set_meta(self, values: dict[str, str]) -> None:
        self._many("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                   "SET value = excluded.value", values.items())

    def _write(self, change: Change) -> None:
        gone = change.remove + [r.path for r in change.put]
        sigs = self._drop_facts(gone)
        self._add_df([(r[0], r[1]) for r in self._in(
            "SELECT df, n_sent FROM docs WHERE path IN ({})", gone)], -1)
        self._in("DELETE FROM docs WHERE path IN ({})", gone)
        self._in("DELETE FROM skipped WHERE path IN ({})",
                 gone + [s[0] for s in change.stats] + [s[0] for s in change.skipped])
        self._many("INSERT INTO skipped (path, size, mtime_ns, reason, line) "
                   "VALUES (?, ?, ?, ?, ?)", change.skipped)
        self._many("UPDATE docs SET size = ?, mtime_ns = ? WHERE path = ?",
                   [(size, mtime, path) for path, size, mtime in change.stats])
        next_id = int(self.meta("next_id")["next_id"])
        new: list[_Posted] = []
        for row in change.put:
            next_id, added = self._put(row, next_id, new)
            sigs |= added
        self._dedupe(sorted(sigs), new)
        facts = self._q("SELECT COUNT(*) FROM facts WHERE dup = 0")[0][0]
        sentences = self._q("SELECT COALESCE(SUM(n_sent), 0) FROM docs")[0][0]
        self._set_meta({"next_id": str(next_id), "facts": str(facts),
                        "sentences": str(sentences),
                        "kb_clashes": json.dumps(self._bucket_key_clashes())})

    def _bucket_key_clashes(self) -> list[int]:
        """The bucket keys that more than one (kind, bucket) hashes to (64 bits: normally
        none). Postings filed under any other key are all first copies of its one bucket, so
        a reader need not read their facts to know it (``FactDB.unclashed``)."""
        first: dict[int, tuple[str, str]] = {}
        clashes: set[int] = set()
        for kind, bucket in self._q("SELECT DISTINCT kind, bucket FROM facts"):
            kb = bucket_key(kind, bucket)
            if first.setdefault(kb, (kind, bucket)) != (kind, bucket):
                clashes.add(kb)
        return sorted(clashes)

    def _drop_facts(self, paths: Sequence[str]) -> set[str]:
        rows = self._in("SELECT id, sig FROM facts WHERE doc IN ({})", paths)
        ids = [r[0] for r in rows]
        self._drop_terms(ids)
        self._in("DELETE FROM facts WHERE id IN ({})", ids)
        return {r[1] for r in rows if r[1]}

    def _drop_terms(self, ids: Sequence[int]) -> None:
        """These facts' postings gone (the facts removed, or now a later copy)."""
        counts: dict[tuple[str, int], int] = {}
        for term, kb, n in self._in("SELECT term, kb, COUNT(*) FROM terms WHERE id IN ({}) "
                                    "GROUP BY term, kb", ids):
            counts[(term, kb)] = counts.get((term, kb), 0) - n
        self._count_terms(counts)
        self._in("DELETE FROM terms WHERE id IN ({})", ids)

    def _add_terms(self, posted: Iterable[_Posted]) -> None:
        """Postings for these facts (new first copies, or later ones that are now first)."""
        terms: list[tuple[str, int, int]] = []
        counts: dict[tuple[str, int], int] = {}
        for fid, kind, bucket, fact in posted:
            kb = bucket_key(kind, bucket)
            for t in terms_of(fact):
                terms.append((t, kb, fid))
                counts[(t, kb)] = counts.get((t, kb), 0) + 1
        self._many("INSERT INTO terms (term, kb, id) VALUES (?, ?, ?)", sorted(terms))
        self._count_terms(counts)

    def _count_terms(self, deltas: dict[tuple[str, int], int]) -> None:
        """Posting counts changed by ``deltas`` ((term, bucket key) -> change): per bucket,
        and each term's in all buckets."""
        totals: dict[str, int] = {}
        for (term, _kb), n in deltas.items():
            totals[term] = totals.get(term, 0) + n
        self._many("INSERT INTO term_counts (term, n) VALUES (?, ?) ON CONFLICT (term) DO "
                   "UPDATE SET n = term_counts.n + excluded.n", sorted(totals.items()))
        self._many("INSERT INTO bucket_term_counts (term, kb, n) VALUES (?, ?, ?) ON CONFLICT "
                   "(term, kb) DO UPDATE SET n = bucket_term_counts.n + excluded.n",
                   sorted((t, kb, n) for (t, kb), n in deltas.items()))
        if any(n < 0 for n in deltas.values()):
            self._q("DELETE FROM term_counts WHERE n <= 0")
            self._q("DELETE FROM bucket_term_counts WHERE n <= 0")

    def _add_df(self, rows: list[tuple[str, int]], sign: int) -> None:
        deltas: dict[str, int] = {}
        for data, _n in rows:
            for w, n in json.loads(data).items():
                deltas[w] = deltas.get(w, 0) + sign * n
        self._many("INSERT INTO df (word, pfx, n) VALUES (?, ?, ?) ON CONFLICT (word) DO "
                   "UPDATE SET n = df.n + excluded.n",
                   sorted((w, stem_key(w), n) for w, n in deltas.items()))
        if sign < 0 and deltas:
            self._q("DELETE FROM df WHERE n <= 0")

    def _put(self, row: DocRow, next_id: int, new: list[_Posted]) -> tuple[int, set[str]]:
        """The article and its facts written (their postings wait for :meth:`_dedupe`, which
        knows which are first copies); appends to ``new`` what needs them."""
        st = row.state
        df, n_sent = doc_df(row.roles + row.facts)
        self._many("INSERT INTO docs (path, ord, size, mtime_ns, sha, display, date, text, "
                   "evidence, parse, reads, people_digest, titles_digest, df, n_sent) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [(row.path, st.ord, st.size, st.mtime_ns, st.sha, st.display, st.date,
                     row.text, json.dumps(row.evidence), row.parse, json.dumps(row.reads),
                     st.people_digest, st.titles_digest, json.dumps(df), n_sent)])
        self._add_df([(json.dumps(df), n_sent)], +1)
        facts, sigs = [], set()
        for stage, group in (("0", row.roles), ("1", row.facts)):
            for seq, f in enumerate(group):
                sig = fact_sig(f) if stage == "1" else role_sig(f)
                sigs.add(sig)
                bucket = bucket_of(f.kind, f.key, f.value)
                facts.append((next_id, row.path, f"{stage}{ORD_SEP}{st.ord}", seq, f.kind,
                              bucket, sig, 0, *f.to_stored()))
                new.append((next_id, f.kind, bucket, f))
                next_id += 1
        self._many("INSERT INTO facts (id, doc, ord, seq, kind, bucket, sig, dup, data, prov) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", facts)
        return next_id, sigs

    def _dedupe(self, sigs: Sequence[str], new: list[_Posted]) -> None:
        """The first copy of each repeated sentence's fact, in corpus order, is the one kept;
        only it has postings (``new``: the facts just written, none of them posted yet)."""
        updates: list[tuple[int, int]] = []
        last = None
        for fid, sig, dup in self._in("SELECT id, sig, dup FROM facts WHERE sig IN ({}) "
                                      "ORDER BY sig, ord, seq", sigs):
            want = 0 if sig != last else 1
            last = sig
            if want != dup:
                updates.append((want, fid))
        self._many("UPDATE facts SET dup = ? WHERE id = ?", updates)
        # only the first copy has postings: no lookup returns a later one, and a title
        # repeated in every article would make each of its keys crowded with copies
        copies = {fid for want, fid in updates if want}
        posted = {fid for fid, _, _, _ in new}
        self._drop_terms([fid for fid in copies if fid not in posted])  # first until now
        self._add_terms([p for p in new if p[0] not in copies])
        self._add_terms(  # a later copy that is now the first (new facts start first)
            (fid, kind, bucket, Fact.from_stored(data, prov))
            for fid, kind, bucket, data, prov in self._in(
                "SELECT id, kind, bucket, data, prov FROM facts WHERE id IN ({})",
                [fid for want, fid in updates if not want]))
