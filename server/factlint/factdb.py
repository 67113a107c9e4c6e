"""The fact index on disk: facts in SQLite tables keyed by kind + event and by lookup terms.

A check fetches, per draft claim, only the corpus facts that can match it (an indexed
B-tree lookup, O(log n) in the corpus size plus the facts returned) instead of scanning every
fact of a kind; facts stay on disk and are decoded on demand (a bounded cache keeps the
recently used ones). The keys are *necessary conditions* of the comparisons in
:mod:`factlint.check`, so a keyed fetch returns every fact a full scan would have kept, in
the same (corpus) order:

- ``bucket``: date/place facts by event, counts by (event, thing, unit), roles by person,
  quotes by speaker — the equality tests each comparison starts with.
- ``terms``: ``a:`` + stem key of an anchor/argument word (``stem_match`` needs the first
  four letters to agree, so :func:`stem_key` groups every word that can stem-match),
  ``n:`` event names, ``m:`` the participants of a last meeting, ``p:`` a participant,
  ``o:`` a role's office, ``w:`` a quotation word, ``c:`` a statement's speaker and one of
  its content words, ``oa:``/``op:`` an open frame's predicate with one of its words or
  persons.
- ``df``: in how many corpus sentences each anchor word occurs (``Checker.common``).
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, overload

import numpy as np

from factlint.errors import FactlintError, StoreUnavailable
from factlint.facts import Fact
from factlint.index.dialect import SCHEMA, SQLITE, Dialect, begin_read
from factlint.index.wordfilter import Lists, PostingLists, holding, surely_holding
from factlint.jsonload import loads
from factlint.memory import settle
from factlint.names import initialisms, norm_word

QUOTE_WORD = "w:"  # a word of a quotation fact
STATEMENT_WORD = "sq:"  # a word of a quotation inside a statement's place fact


def stem_key(word: str) -> str:
    """Words that ``names.stem_match`` can match share this key (the first four letters of
    the normalised word, or the whole word when shorter: short words match only exactly)."""
    return norm_word(word).replace(".", "")[:4]


def bucket_of(kind: str, key: dict[str, Any], value: dict[str, Any] | None = None) -> str:
    if kind in ("date", "place"):
        return str(key.get("event"))
    if kind == "count":
        # a specific counted thing ("suspected cases") is its own bucket whatever the verb
        event = None if key.get("by_thing") else key.get("event")
        return json.dumps([event, key.get("thing"), key.get("unit")])
    if kind == "role":
        return str(key.get("person"))
    if kind == "quote":
        return str((value or {}).get("speaker"))
    return ""


def bucket_key(kind: str, bucket: str) -> int:
    """The 64-bit key of a kind's bucket that its facts' postings are filed under (a lookup
    still compares kind and bucket themselves: a clash of keys costs reads, never answers)."""
    digest = hashlib.blake2b(f"{kind}\0{bucket}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def meeting_term(persons: Iterable[str]) -> str:
    return "m:" + json.dumps(sorted(set(persons)))


PAIR = "a2:"  # two anchor words of one fact: see :func:`pair_term`
MAX_PAIRED = 8  # a lookup pairs at most this many of its anchor terms
# A fact with more anchor words than this (a sentence listing thirty teams) gets this one
# term instead of its pairs, which grow with the square of them; a lookup that starts from
# a pair reads these facts' postings too.
PAIRS_UP_TO = 12
UNPAIRED = PAIR + "*"


def pair_term(a: str, b: str) -> str:
    """The term of two anchor terms (``a:`` ...) carried by one fact. Postings of a pair are
    as long as the facts naming both, however crowded each name is alone (two much-named
    countries of one ceasefire), so a lookup by several names starts from its rarest pair."""
    x, y = sorted((a[2:], b[2:]))
    return f"{PAIR}{x}\x1f{y}"


def anchor_pairs(terms: Iterable[str]) -> list[tuple[str, str, str]]:
    """(pair term, a, b) for every two distinct anchor terms among ``terms``."""
    anchors = sorted({t for t in terms if t.startswith("a:")})
    return [(pair_term(a, b), a, b) for i, a in enumerate(anchors) for b in anchors[i + 1:]]


# term prefixes that only one kind's facts carry (``_single_terms_of``; a test checks it)
ONE_KIND = {"op:": "place", "oa:": "place", "p:": "place", STATEMENT_WORD: "place",
            "o:": "role", "os:": "role", "f:": "count", "n:": "date", "w:": "quote"}


DATED = "t:when"  # a fact dated by its sentence (key "when"): see when_terms
UNDATED_YEAR = "t:y?"  # ... by a date without its year


def _year_term(date: dict[str, Any]) -> str:
    """The term a fact dated ``date`` carries (:func:`terms_of`) and a claim of that date
    looks for (:func:`when_terms`): one spelling for both."""
    return UNDATED_YEAR if date.get("year") is None else f"t:y{date['year']}"


def when_terms(when: list[dict[str, Any]]) -> list[str] | None:
    """The terms one of which a fact must carry to be dated as these dates may be
    (``comparisons.same_time``: another year never agrees); None: any fact may be."""
    if not when:
        return None
    if any(d.get("year") is None for d in when):
        return [DATED]
    return sorted({_year_term(d) for d in when} | {UNDATED_YEAR})


def terms_of(fact: Fact) -> set[str]:
    out = _single_terms_of(fact)
    when = fact.key.get("when") or []
    if when:
        out.add(DATED)
        out.update(_year_term(d) for d in when)
    if sum(t.startswith("a:") for t in out) > PAIRS_UP_TO:
        out.add(UNPAIRED)
    else:
        out.update(p for p, _, _ in anchor_pairs(out))
    return out


def _single_terms_of(fact: Fact) -> set[str]:
    k, v = fact.key, fact.value
    out: set[str] = set()
    if fact.kind == "date":
        out.update(anchor_terms((k.get("args") or []) + (k.get("object") or [])))
        out.update("n:" + stem_key(w) for w in k.get("name") or [])
        out.add(meeting_term(k.get("persons") or []))
        if k.get("speaker"):  # a statement's date: its speaker with each content word
            out.update(content_term(k["speaker"], w) for w in k.get("content") or [])
    elif fact.kind == "count":
        out.update(anchor_terms((k.get("anchors") or []) + (k.get("context") or [])))
        out.update("f:" + g for g in k.get("frames") or [])
    elif fact.kind == "place":
        words = (k.get("anchors") or []) + (k.get("object") or [])
        out.update(anchor_terms(words))
        out.update("p:" + p for p in k.get("persons") or [])
        if len(k.get("persons") or []) > 1:  # who met: all of them, no one else
            out.add(meeting_term(k["persons"]))
        if k.get("open"):  # an open frame, by each predicate it can be compared as
            groups = open_groups(k)
            out.update(open_anchor_terms(groups, words))
            out.update(t for g in groups for t in open_person_terms(g, k.get("persons") or []))
        if k.get("speaker"):
            out.update(content_term(k["speaker"], w) for w in k.get("content") or [])
        for q in k.get("quotes") or []:  # a statement's quotation words
            out.update(STATEMENT_WORD + w for w in q.split())
    elif fact.kind == "role":
        parsed = v.get("parsed") or {}
        out.add("o:" + str(parsed.get("office")))
        out.update(office_scope_terms(parsed))
    elif fact.kind == "quote":
        out.update("w:" + w for w in v.get("words") or [])
    return out


SETTLE_AT = 16  # facts decoded at once that are worth settling (memory.settle)


class FactDB:
    """Read side of the index (SQLite or PostgreSQL, see :mod:`factlint.index.dialect`).
    Thread-safe (one connection behind a lock). Facts come back in corpus order; the later
    copies of a repeated sentence's fact never do."""

    CACHE = 8192  # decoded facts kept in memory
    MMAP_BYTES = 1 << 30  # of an SQLite index file, mapped (address space, not memory)

    def __init__(self, con: Any, dialect: Dialect = SQLITE, path: Path | None = None,
                 where: str | None = None, reconnect: Callable[[], Any] | None = None) -> None:
        self.con = con
        self._reconnect = reconnect  # a shared store's way back after it went away
        self._broken = False
        self.dialect = dialect
        self.path = path
        self.where = where or (str(path) if path else "memory")
        self._lock = threading.RLock()
        self._cache: OrderedDict[int, _Kept] = OrderedDict()  # id -> (ord, seq, id, fact)
        self._depth = 0
        self._ids: list[int] | None = None
        self._buckets: dict[tuple[str, str], int] = {}  # bucket sizes of this index state
        self._term_counts: dict[str, int] = {}  # posting list sizes of this index state
        self._bucket_term_counts: dict[tuple[str, int], int] = {}  # the same, per bucket
        self._postings = PostingLists(self._read_postings)  # word lists of this index state
        # the same, of one bucket's postings ((term, bucket key) -> ids)
        self._bucket_postings = PostingLists(self._read_bucket_postings)
        self._clashes: frozenset[int] | None = None  # bucket keys of several buckets
        self.generation = -1
        self._state: tuple[str | None, int] | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Re-read the index's state if another process updated it; True if it did."""
        meta = dict(self._query("SELECT key, value FROM meta WHERE key IN "
                                "('schema', 'generation', 'facts', 'sentences', 'build', "
                                "'kb_clashes')"))
        if int(meta.get("schema", 0)) != SCHEMA:
            raise IndexVersionError(meta.get("schema", "none"))
        state = (meta.get("build"), int(meta["generation"]))
        if state == self._state:
            return False
        if self._state is not None:
            with self._lock:
                # rebuilt (ids given anew) or updated (an id kept from before may be gone:
                # get() answers a kept id without reading the table)
                self._cache.clear()
        self._state = state
        self.generation = state[1]
        self.count = int(meta["facts"])
        self.n_sentences = max(1, int(meta["sentences"]))
        self._ids = None
        self._buckets = {}
        self._term_counts = {}
        self._bucket_term_counts = {}
        self._postings.clear()
        self._bucket_postings.clear()
        clashes = meta.get("kb_clashes")  # (an index written before it was kept: unknown)
        self._clashes = None if clashes is None else frozenset(loads(clashes))
        return True

    def unclashed(self, kind: str, bucket: str) -> bool:
        """Are the postings filed under this bucket's key all first copies of this kind in
        this bucket? (They are unless another bucket's key is the same.)"""
        return self._clashes is not None and bucket_key(kind, bucket) not in self._clashes

    @property
    def version(self) -> tuple[str | None, int] | None:
        """Which build of the index, at which generation, this reader last read."""
        return self._state

    def state(self) -> dict[str, Any]:
        """The corpus-wide state checks need besides the facts: people registry, known
        titles, article list."""
        meta = dict(self._query("SELECT key, value FROM meta WHERE key IN "
                                "('people', 'roles', 'files', 'content')"))
        return {"people": loads(meta["people"]), "roles": loads(meta["roles"]),
                "files": loads(meta["files"]), "content": meta["content"]}

    @classmethod
    def open(cls, path: Path) -> FactDB:
        con = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                              timeout=30)
        try:
            # pages read through a memory map, not a read() call and a copy each: a fifth
            # of a check's SQL at 10,000 articles (an index is updated in place, never
            # truncated, and rebuilt into a new file, so a mapped page does not go away)
            con.execute(f"PRAGMA mmap_size = {cls.MMAP_BYTES}")
            return cls(con, SQLITE, path)
        except BaseException:
            con.close()
            raise

    def close(self) -> None:
        self.con.close()

    # -- reading ---------------------------------------------------------------------------
    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._guard():
            if self._depth == 0:
                self._revive()
            cur = self.con.cursor()
            cur.execute(self.dialect.sql(sql), tuple(args))
            return cur.fetchall()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """A shared store's failure as :class:`StoreUnavailable` (SQLite's are its own)."""
        try:
            yield
        except Exception as exc:
            if self.dialect is SQLITE or not type(exc).__module__.startswith("psycopg"):
                raise
            self._broken = True  # this check is abandoned; the next one reconnects
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreUnavailable(f"the index store failed ({reason})", self.where) from None

    def _revive(self) -> None:
        """After a shared store went away: connect again (between checks, never inside one
        snapshot)."""
        if not self._broken or self._reconnect is None:
            return
        try:
            con = self._reconnect()
        except FactlintError as exc:
            raise StoreUnavailable(exc.reason, self.where) from None
        try:
            self.con.close()
        except Exception:  # noqa: BLE001 - the old connection is gone anyway
            pass
        self.con, self._broken = con, False

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees one committed state of the index (an update another
        process commits meanwhile is seen by the next snapshot)."""
        with self._lock, self._guard():  # threads overlapping share one read transaction
            if self._depth == 0:
                self._revive()
                begin_read(self.con, self.dialect)
            self._depth += 1
        try:
            yield
        finally:
            with self._lock, self._guard():
                self._depth -= 1
                if self._depth == 0:
                    self.con.execute("COMMIT")

    def _decode(self, rows: list[tuple[str, int, int, str, str | None, str, str, int]],
                kind: str | None = None, bucket: str | None = None) -> list[_Kept]:
        """(ord, seq, id, data, prov, kind, bucket, dup) rows decoded, and kept with their place
        in corpus order; with ``kind``, only its first copies (in ``bucket``) are (the
        others are not even decoded)."""
        out = []
        with self._lock:
            for o, seq, i, data, prov, k, b, dup in rows:
                kept = self._cache.get(i)
                if kept is None:
                    if kind is not None and not _wanted(k, b, dup, kind, bucket):
                        continue
                    kept = self._cache[i] = (o, seq, i, Fact.from_stored(data, prov), b, dup)
                    if len(self._cache) > self.CACHE:
                        self._cache.popitem(last=False)
                else:
                    self._cache.move_to_end(i)
                out.append(kept)
        return out

    def ids(self, kind: str, bucket: str | None = None,
            any_terms: Iterable[str] | None = None, limit: int | None = None,
            all_terms: Iterable[str] = (), any_order: bool = False) -> list[int]:
        """Fact ids (in corpus order) of a kind, in a bucket, carrying one of ``any_terms``
        and every one of ``all_terms`` (the first ``limit`` of them). The search starts from
        whichever is smallest: the bucket, the postings of ``any_terms``, or those of the
        rarest of ``all_terms`` (so its cost is that of the most selective key, not of a
        bucket or a posting list that grows with the corpus). ``any_order``: any ``limit``
        of them, unordered (a count's question: are there more than so many?)."""
        plan = self._plan(kind, bucket, any_terms, all_terms)
        if plan is None:
            return []
        terms, alls, kb, inner, args = plan
        if inner is None:
            return self._ids_by_bucket(kind, bucket, kb, terms, alls, limit, any_order)
        join = "CROSS JOIN" if self.dialect is SQLITE else "JOIN"  # (SQLite: in this order)
        sql = (f"SELECT f.id FROM ({inner}) g {join} facts f ON f.id = g.id "
               "WHERE f.kind = ? AND f.dup = 0")
        args = [*args, kind]
        if bucket is not None:
            sql += " AND f.bucket = ?"
            args.append(bucket)
        return self._ordered_ids(sql, args, "f.", limit, any_order)

    def _plan(self, kind: str, bucket: str | None, any_terms: Iterable[str] | None,
              all_terms: Iterable[str]) -> tuple[list[str] | None, list[str], int | None,
                                                 str | None, list[Any]] | None:
        """How :meth:`ids` searches: (any-terms, all-terms, bucket key, the postings query
        that finds the candidates and its arguments); the query is None where the bucket
        itself is the smaller search. None: nothing can match (no any-term)."""
        terms = None if any_terms is None else sorted(set(any_terms))
        if terms is not None and not terms:
            return None
        alls = sorted(set(all_terms))
        kb = None if bucket is None else bucket_key(kind, bucket)
        count = self.term_count if kb is None else (
            lambda t: self.bucket_term_count(t, kb))  # type: ignore[arg-type]
        drive, covered = _drive(terms, alls, count)
        if drive is None or (bucket is not None and self.bucket_size(kind, bucket) <= drive[2]):
            return terms, alls, kb, None, []
        # the other terms are probed in the (term, id) key before any fact row is read: a
        # crowded name's postings are read, the facts of only those that carry every term
        inner = ("SELECT DISTINCT g0.id AS id FROM terms g0 WHERE g0.term IN ("
                 + ",".join("?" * len(drive[1])) + ")")
        args: list[Any] = [*drive[1]]
        if kb is not None:  # only this bucket's postings
            inner += " AND g0.kb = ?"
            args.append(kb)
        if terms is not None and drive[0] != "any":
            inner += (" AND EXISTS (SELECT 1 FROM terms t WHERE t.id = g0.id AND t.term IN ("
                      + ",".join("?" * len(terms)) + "))")
            args.extend(terms)
        for term in alls:
            if drive[0] == "all" and term in covered:
                continue
            inner += " AND EXISTS (SELECT 1 FROM terms t WHERE t.id = g0.id AND t.term = ?)"
            args.append(term)
        return terms, alls, kb, inner, args

    def _posted(self, kind: str, bucket: str | None, any_terms: Iterable[str] | None,
                all_terms: Iterable[str], limit: int | None = None) -> list[int] | None:
        """The candidates of a lookup from its postings alone, without a fact row read
        (``get(ids, kind, bucket)`` keeps those :meth:`ids` would: only first copies have
        postings, and only a bucket's under its key, but keys may clash): in a bucket, or
        by terms that only facts of ``kind`` carry (:data:`ONE_KIND`). None where the
        bucket itself is searched, or where other kinds' facts may carry the terms."""
        if bucket is None and not _one_kind(kind, [*(any_terms or ()), *all_terms]):
            return None
        plan = self._plan(kind, bucket, any_terms, all_terms)
        if plan is None:
            return []
        inner, args = plan[3], plan[4]
        if inner is None:
            return None
        if limit is not None:
            inner += f" LIMIT {int(limit)}"
        return [r[0] for r in self._query(inner, args)]

    def lookup_any(self, kind: str, alternatives: list[list[str]]) -> list[Fact]:
        """Facts of a kind carrying every term of one of ``alternatives``, in corpus order."""
        ids: set[int] = set()
        for terms in alternatives:
            if terms:
                posted = self._posted(kind, None, None, terms)
                ids.update(self.ids(kind, None, None, all_terms=terms) if posted is None
                           else posted)
        return self.get(sorted(ids), kind)  # (first copies of the kind)

    def _ordered_ids(self, sql: str, args: list[Any], table: str, limit: int | None,
                     any_order: bool = False) -> list[int]:
        if not any_order:
            sql += f" ORDER BY {table}ord, {table}seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self._query(sql, args)]

    def _ids_by_bucket(self, kind: str, bucket: str | None, kb: int | None,
                       terms: list[str] | None, alls: list[str], limit: int | None,
                       any_order: bool = False) -> list[int]:
        sql = "SELECT id FROM facts WHERE kind = ? AND dup = 0"
        args: list[Any] = [kind]
        if bucket is not None:
            sql += " AND bucket = ?"
            args.append(bucket)
        # postings of this bucket only, where there is one
        in_kb, kb_arg = ("", []) if kb is None else (" AND kb = ?", [kb])
        if terms is not None:
            sql += (" AND id IN (SELECT id FROM terms WHERE term IN ("
                    + ",".join("?" * len(terms)) + ")" + in_kb + ")")
            args.extend([*terms, *kb_arg])
        for term in alls:
            sql += " AND id IN (SELECT id FROM terms WHERE term = ?" + in_kb + ")"
            args.extend([term, *kb_arg])
        return self._ordered_ids(sql, args, "", limit, any_order)

    def bucket_size(self, kind: str, bucket: str) -> int:
        """How many facts a bucket holds (counted once per index state)."""
        key = (kind, bucket)
        n = self._buckets.get(key)
        if n is None:
            n = self._buckets[key] = self._query(
                "SELECT COUNT(*) FROM facts WHERE kind = ? AND bucket = ? AND dup = 0",
                (kind, bucket))[0][0]
        return n

    def get(self, ids: list[int], kind: str | None = None, bucket: str | None = None
            ) -> list[Fact]:
        """The facts of these ids, in corpus order. A fact decoded before is kept with its
        place in that order (ids are never given twice, nor do a fact's ord and seq change
        while its build lasts), so only the others are read: a lookup answered from the
        cache reads nothing. With ``kind``: only those of the ids that are first copies of
        ``kind`` (in ``bucket``), as :meth:`ids` would have chosen them."""
        kept: list[_Kept] = []
        missing: list[int] = []
        with self._lock:
            for i in dict.fromkeys(ids):
                hit = self._cache.get(i)
                if hit is None:
                    missing.append(i)
                elif kind is None or _wanted(hit[3].kind, hit[4], hit[5], kind, bucket):
                    self._cache.move_to_end(i)
                    kept.append(hit)
        rows: list[tuple[str, int, int, str, str | None, str, str, int]] = []
        for n in range(0, len(missing), 500):
            chunk = missing[n:n + 500]
            rows += self._query("SELECT ord, seq, id, data, prov, kind, bucket, dup FROM facts "
                                "WHERE id IN (" + ",".join("?" * len(chunk)) + ")", chunk)
        decoded = self._decode(rows, kind, bucket)
        if len(decoded) >= SETTLE_AT:
            settle()  # they stay in the cache: out of the young collections' way
        kept += decoded
        kept.sort()  # by (ord, seq, id): ids differ, so no two compare further
        return [k[3] for k in kept]

    def lookup(self, kind: str, bucket: str | None = None,
               any_terms: Iterable[str] | None = None,
               all_terms: Iterable[str] = ()) -> list[Fact]:
        posted = self._posted(kind, bucket, any_terms, all_terms)
        if posted is not None:
            return self.get(posted, kind, bucket)
        return self.get(self.ids(kind, bucket, any_terms, all_terms=all_terms))

    def few(self, kind: str, bucket: str | None, all_terms: Iterable[str], most: int,
            dated: list[str] | None = None) -> list[Fact]:
        """The facts of a kind (in a bucket) carrying every one of ``all_terms``, in corpus
        order, if there are at most ``most`` of them (else none). ``dated``: of those, only
        the ones carrying one of these terms (:func:`when_terms`: a dated claim's occurrence
        is never an undated fact's, nor one of another year); all are counted."""
        terms = list(all_terms)
        posted = self._posted(kind, bucket, None, terms, most + 1)
        if posted is not None:
            if len(posted) <= most:  # (fewer still, once clashes are out)
                return self.get(self._dated(posted, dated, kind, bucket) if dated else posted,
                                kind, bucket)
            if bucket is None or self.unclashed(kind, bucket) or \
                    self._all_wanted(posted, kind, bucket):
                return []  # more than ``most``, every one a first copy (in the bucket)
        # (a clash of bucket keys, or the bucket searched itself): counted by the facts
        ids = self.ids(kind, bucket, None, limit=most + 1, all_terms=terms, any_order=True)
        if len(ids) > most:
            return []
        return self.get(self._dated(ids, dated, None, None) if dated else ids)

    def _dated(self, ids: list[int], terms: list[str], kind: str | None, bucket: str | None
               ) -> list[int]:
        """Those of ``ids`` that carry one of ``terms`` (in their bucket's postings, where
        the bucket is known)."""
        kb = None if kind is None or bucket is None else bucket_key(kind, bucket)
        return sorted(set(self._carrying(terms, ids, kb)))

    def quote_ids(self, words: list[str], min_matched: int) -> list[int]:
        """Ids of the corpus quotations that contain enough of these words to be a match."""
        return self.word_ids("quote", None, QUOTE_WORD, words, min_matched)

    def word_ids(self, kind: str, bucket: str | None, prefix: str, words: list[str],
                 min_matched: int, limit: int | None = None) -> list[int]:
        """Ids (in corpus order) of the facts whose ``prefix`` words hold at least
        ``min_matched`` of the draft tokens ``words``: among those carrying one of the
        rarest words (prefix filter), the ones where the draft tokens whose word they
        contain number at least ``min_matched`` (count filter, :mod:`~factlint.index.
        wordfilter`; no more tokens than that can be matched). ``limit``: any ``limit`` of
        them, unordered (are there more than so many?)."""
        lists, count, probe = self._lists(kind, bucket)
        rare = quote_prefix_terms(words, min_matched, count, prefix)
        if rare is None:
            return self.ids(kind, bucket, limit=limit, any_order=limit is not None)
        weights = _weights(words, prefix)
        with self._lock, self.snapshot():  # the lists and the facts of one state
            if limit is not None:  # are there more than so many? perhaps a few lists say
                sure = surely_holding(weights, min_matched, limit, lists, count)
                if sure is not None and bucket is not None and self.unclashed(kind, bucket):
                    return sure[:limit]  # (a bucket's postings: its first copies, no others)
                if sure is not None:
                    kept = self._kept_in_order(sure, kind, bucket, limit)
                    if len(kept) == limit:
                        return kept
            found = holding(weights, rare, min_matched, lists, count, probe)
            return self._kept_in_order(found, kind, bucket, limit)

    def word_candidates(self, kind: str, bucket: str | None, prefix: str,
                        words: list[str], min_matched: int) -> list[int]:
        """:meth:`word_ids` without its last step: the ids whose words hold enough of the
        draft's, not yet narrowed to first copies of ``kind`` in ``bucket`` (for
        ``get(ids, kind, bucket)``, which reads each row once, with its data)."""
        lists, count, probe = self._lists(kind, bucket)
        rare = quote_prefix_terms(words, min_matched, count, prefix)
        if rare is None:
            return self.ids(kind, bucket)
        with self._lock, self.snapshot():  # the lists of one state
            return holding(_weights(words, prefix), rare, min_matched, lists, count, probe)

    def _lists(self, kind: str, bucket: str | None) -> tuple[
            Lists, Callable[[str], int], Callable[[str, list[int]], list[int]]]:
        """The posting lists, counts and probe of a word lookup: a bucket's own postings
        where it names one (fewer, and with no other kind's facts among them)."""
        if bucket is None:
            return self._postings, self.term_count, self._probe
        kb = bucket_key(kind, bucket)
        return (self._bucket_postings.within(kb), lambda t: self.bucket_term_count(t, kb),
                lambda t, ids: self._probe(t, ids, kb))

    def _all_wanted(self, ids: list[int], kind: str, bucket: str) -> bool:
        """Are all these ids first copies of ``kind`` in ``bucket``? (by id, no data read)"""
        rows = self._query("SELECT kind, bucket, dup FROM facts WHERE id IN ("  # (by id only:
                           + ",".join("?" * len(ids)) + ")", ids)  # not the whole bucket)
        return len(rows) == len(ids) and all(_wanted(*r, kind, bucket) for r in rows)

    def _read_postings(self, term: str) -> np.ndarray:
        return self._id_list("term = ?", (term,))

    def _read_bucket_postings(self, key: tuple[str, int]) -> np.ndarray:
        return self._id_list("term = ? AND kb = ?", key)

    def _id_list(self, where: str, args: tuple[Any, ...]) -> np.ndarray:
        # one text for the whole list: a row per id costs a Python tuple per id
        text = self._query(f"SELECT {self.dialect.id_list} FROM terms WHERE {where}",
                           args)[0][0]
        return np.fromstring(text or "", dtype=np.int64, sep=",")

    def _probe(self, term: str, ids: list[int], kb: int | None = None) -> list[int]:
        """Which of ``ids`` carry ``term`` (in the bucket of key ``kb``), by the
        ``(id, term)`` index."""
        return self._carrying([term], ids, kb)

    def _carrying(self, terms: list[str], ids: list[int], kb: int | None = None) -> list[int]:
        """Which of ``ids`` carry one of ``terms`` (an id once per term it carries)."""
        out: list[int] = []
        in_kb, kb_arg = ("", []) if kb is None else (" AND kb = ?", [kb])
        which = ",".join("?" * len(terms))
        for n in range(0, len(ids), 500):
            chunk = ids[n:n + 500]
            out += [r[0] for r in self._query(
                f"SELECT id FROM terms WHERE term IN ({which})" + in_kb + " AND id IN ("
                + ",".join("?" * len(chunk)) + ")", [*terms, *kb_arg, *chunk])]
        return out

    def _kept_in_order(self, ids: list[int], kind: str, bucket: str | None,
                       limit: int | None) -> list[int]:
        """Those of ``ids`` that are first copies of ``kind`` (in ``bucket``), in corpus
        order; with a ``limit``, any ``limit`` of them."""
        rows: list[tuple[Any, ...]] = []
        step = 500 if limit is None else max(16, min(500, 2 * limit))
        for n in range(0, len(ids), step):  # by id only: a planner may prefer a whole bucket
            if limit is not None and len(rows) >= limit:
                break
            chunk = ids[n:n + step]
            rows += [r for r in self._query(
                "SELECT ord, seq, id, kind, dup, bucket FROM facts WHERE id IN ("
                + ",".join("?" * len(chunk)) + ")", chunk)
                if _wanted(r[3], r[5], r[4], kind, bucket)]
        rows.sort(key=lambda r: (r[0], r[1]))
        return [r[2] for r in (rows if limit is None else rows[:limit])]

    def copies(self, sig: str, limit: int) -> list[Fact]:
        """The first ``limit`` facts of one signature in corpus order, the one lookups
        return first, then its later copies (evidence; see :func:`role_sig`)."""
        rows = self._query("SELECT id FROM facts WHERE sig = ? ORDER BY ord, seq LIMIT ?",
                           (sig, int(limit)))
        return self.get([r[0] for r in rows])

    def term_count(self, term: str) -> int:
        """How many facts carry ``term`` (counted once per index state)."""
        return self._counted(self._term_counts, term,
                             "SELECT n FROM term_counts WHERE term = ?", (term,))

    def bucket_term_count(self, term: str, kb: int) -> int:
        """How many facts of one bucket (its :func:`bucket_key`) carry ``term``."""
        return self._counted(self._bucket_term_counts, (term, kb),
                             "SELECT n FROM bucket_term_counts WHERE term = ? AND kb = ?",
                             (term, kb))

    def _counted(self, memo: dict[Any, int], key: Any, sql: str, args: tuple[Any, ...]
                 ) -> int:
        n = memo.get(key)
        if n is None:
            row = self._query(sql, args)
            n = row[0][0] if row else 0
            if len(memo) > 200_000:
                memo.clear()
            memo[key] = n
        return n

    def df_family(self, word: str) -> list[tuple[str, int]]:
        """(anchor word, sentence count) of every word that may stem-match ``word``."""
        return [(w, n) for w, n in self._query("SELECT word, n FROM df WHERE pfx = ?",
                                               (stem_key(word),))]

    def all_ids(self) -> list[int]:
        if self._ids is None:
            self._ids = [r[0] for r in self._query(
                "SELECT id FROM facts WHERE dup = 0 ORDER BY ord, seq")]
        return self._ids

    def scan(self, kind: str | None = None, title_copies: bool = False) -> Iterator[Fact]:
        """Facts in corpus order; ``title_copies``: a title's later copies too (what the
        audit reads: each source's own titles)."""
        sql = "SELECT id, data, prov FROM facts WHERE " + (
            "(dup = 0 OR kind = 'role')" if title_copies else "dup = 0")
        args: list[Any] = []
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        rows = self._query(sql + " ORDER BY ord, seq", args)
        for i, data, prov in rows:
            hit = self._cache.get(i)
            yield hit[3] if hit is not None else Fact.from_stored(data, prov)


# a decoded fact with its place, bucket and copy flag: (ord, seq, id, fact, bucket, dup)
_Kept = tuple[str, int, int, Fact, str, int]


def _one_kind(kind: str, terms: list[str]) -> bool:
    """Are these terms ones only facts of ``kind`` carry?"""
    return bool(terms) and all(ONE_KIND.get(t.split(":", 1)[0] + ":") == kind for t in terms)


def _wanted(kind: str, bucket: str, dup: int, want_kind: str, want_bucket: str | None
            ) -> bool:
    return kind == want_kind and not dup and (want_bucket is None or bucket == want_bucket)


def _drive(terms: list[str] | None, alls: list[str], count: Callable[[str], int]
           ) -> tuple[tuple[str, list[str], int] | None, set[str]]:
    """Which postings a keyed lookup starts from: ("any", the any-terms, their size), or
    ("all", the rarest all-term or pair of anchor terms, its size), whichever is smallest;
    with the all-terms those postings imply (no need to probe them)."""
    drive: tuple[str, list[str], int] | None = None
    if terms is not None:
        drive = ("any", terms, sum(count(t) for t in terms))
    covered: set[str] = set()
    if not alls:
        return drive, covered
    rarest = min(alls, key=lambda t: (count(t), t))
    n = count(rarest)
    if drive is None or n < drive[2]:
        drive, covered = ("all", [rarest], n), {rarest}
    anchors = [t for t in alls if t.startswith("a:")][:MAX_PAIRED]
    unpaired = count(UNPAIRED) if len(anchors) > 1 and n > 1 else 0
    for pair, a, b in anchor_pairs(anchors) if n > 1 else ():
        m = count(pair) + unpaired
        if drive is None or m < drive[2]:
            # (facts of too many anchor words to pair come along, and are probed for every
            # term, the pair's two as well)
            drive, covered = (("all", [pair, UNPAIRED], m), set()) if unpaired else \
                (("all", [pair], m), {a, b})
    return drive, covered


def _weights(words: list[str], prefix: str) -> dict[str, int]:
    """Each distinct ``prefix`` + word term with how many of the tokens it is."""
    weights: dict[str, int] = {}
    for w in words:
        weights[prefix + w] = weights.get(prefix + w, 0) + 1
    return weights


class IndexVersionError(Exception):
    """The index was written by another version of factlint (another schema)."""


def quote_prefix_terms(words: list[str], min_matched: int, term_count: Any,
                       prefix: str = QUOTE_WORD, least: int = 1) -> list[str] | None:
    """Prefix filter for quotation matching: the terms (``prefix`` + word) of the rarest
    distinct words of the draft quote such that a corpus quote sharing fewer than ``least``
    of their tokens has fewer than ``min_matched`` of the draft's word tokens, so cannot
    match. None when every corpus quote has to be considered."""
    if min_matched - (least - 1) <= 0:
        return None
    min_matched -= least - 1  # the tokens the other words must leave unreached
    tokens: dict[str, int] = {}
    for w in words:
        tokens[w] = tokens.get(w, 0) + 1
    by_rarity = sorted(tokens, key=lambda w: (term_count(prefix + w), w))
    chosen: list[str] = []
    covered = 0
    for w in by_rarity:
        chosen.append(prefix + w)
        covered += tokens[w]
        if len(words) - covered < min_matched:
            return chosen
    return chosen


def min_quote_matched(n_words: int, quote_match: float, min_words: int,
                      max_changed: int | None = None) -> int:
    """The fewest draft words a corpus quotation must contain to be a match (exact or near):
    ``match_quote`` keeps a near match when matched >= quote_match x the shorter quotation and
    >= min_words with few words changed, so a corpus quotation up to two words shorter than
    the draft's ("to rebuild alone" / "to rebuild on its own") must still be fetched. At most
    ``max_changed`` of the draft's words may be changed, so all the others must be there."""
    near = max(min_words, math.ceil(quote_match * max(1, n_words - 2) - 1e-9))
    if max_changed is not None:
        near = max(near, n_words - max_changed)
    return min(n_words, near)


class FactList(Sequence[Fact]):
    """All facts of an index, read from disk when iterated (``len`` is free)."""

    def __init__(self, db: FactDB) -> None:
        self.db = db

    def __len__(self) -> int:
        return self.db.count

    @overload
    def __getitem__(self, i: int) -> Fact: ...
    @overload
    def __getitem__(self, i: slice) -> list[Fact]: ...

    def __getitem__(self, i: int | slice) -> Fact | list[Fact]:
        ids = self.db.all_ids()
        if isinstance(i, slice):
            return self.db.get(ids[i])
        return self.db.get([ids[i]])[0]

    def __iter__(self) -> Iterator[Fact]:
        return self.db.scan()


# ---------------------------------------------------------------------------------- lookups
# What ``factlint.check`` fetches for one claim. Each returns lookup terms that every fact
# the comparison can keep carries (None: the whole bucket is needed).
def anchor_terms(words: Iterable[str]) -> list[str]:
    """Lookup terms of anchor words, and of the acronyms their runs spell when they come in
    order (a list: "federal trade commission" also finds "FTC")."""
    out = ["a:" + stem_key(w) for w in words]
    if isinstance(words, list | tuple):
        out += ["a:" + stem_key(ini) for ini in sorted(initialisms(words))]
    return out


def date_terms(key: dict[str, Any], specific: list[str]) -> list[str] | None:
    """``specific``: the claim's arguments that are not common (only for events identified
    by their arguments)."""
    if key["event"] == "last-meeting":
        return [meeting_term(key["persons"])]
    if "name" in key:
        return ["n:" + stem_key(w) for w in key["name"]]
    return anchor_terms(specific) if specific else None


def open_groups(key: dict[str, Any]) -> list[str]:
    """The predicates an open frame can be the same as (``FrameLexicon.compatible``: its
    own group, or one of its context frames)."""
    return sorted({str(key.get("event"))} | set(key.get("frames") or []))


def open_anchor_terms(groups: list[str], words: list[str]) -> list[str]:
    """``oa:`` + predicate + anchor stem key: an open frame's words, each with every
    predicate it can be compared as, so that a lookup by word meets only frames of a
    compatible predicate."""
    return [f"oa:{g}\x1f{t[2:]}" for g in groups for t in anchor_terms(words)]


def open_person_terms(group: str, persons: Iterable[str]) -> list[str]:
    return [f"op:{group}\x1f{p}" for p in persons]


def content_term(speaker: str, word: str) -> str:
    return f"c:{speaker}\x1f{word}"  # (PostgreSQL text holds no NUL)


def office_scope_terms(parsed: dict[str, Any]) -> list[str]:
    """``os:`` + office + the stem key of each scope or area word (``stem_match`` needs the
    keys to agree, so titles of one post in one scope share one), and the office with an
    empty key for a title without a scope."""
    office = str(parsed.get("office"))
    words = list(parsed.get("scope") or []) + list(parsed.get("area") or [])
    terms = [f"os:{office}\x1f{stem_key(w)}" for w in words]
    if not parsed.get("scope"):
        terms.append(f"os:{office}\x1f")
    return terms


def person_terms(persons: Iterable[str]) -> list[str]:
    return ["p:" + p for p in persons]


def statement_word_bound(n_words: int, ratio: float) -> int:
    """The fewest words of a draft quotation of ``n_words`` that a corpus quotation must
    hold to be a near match (``difflib`` ratio 2M / (a + b) >= ratio, and M <= b, give
    M >= ratio x a / (2 - ratio)); a quotation containing the draft's holds all of them."""
    return max(1, math.ceil(ratio * n_words / (2 - ratio) - 1e-9))


def count_bucket(key: dict[str, Any]) -> str:
    return bucket_of("count", key)


class StemSet:
    """A set of words with a fast "does any stem-match this word" (grouped by stem key)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = set(words)
        self.groups: dict[str, list[str]] = {}
        for w in self.words:
            self.groups.setdefault(stem_key(w), []).append(w)

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def stem_match_any(self, word: str) -> bool:
        from factlint.names import stem_match

        return any(stem_match(word, k) for k in self.groups.get(stem_key(word), ()))
