"""Keyed fact lookups return what a full scan returns: the same candidates, the same checks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from factlint.check import check_draft
from factlint.corpus import CorpusIndex, build_index
from factlint.factdb import DATED, bucket_of, terms_of, when_terms
from factlint.facts import Fact
from factlint.index.tables import doc_df
from factlint.names import stem_match

REPO = Path(__file__).resolve().parents[2]


class FullScanIndex(CorpusIndex):
    """Every lookup is a scan over all facts of the kind (what checks did before keys)."""

    def lookup(self, kind, bucket=None, any_terms=None, all_terms=()):
        return [f for f in self.db.scan(kind)
                if bucket is None or bucket_of(f.kind, f.key, f.value) == bucket]

    def lookup_any(self, kind, alternatives):
        return self.lookup(kind)

    def lookup_few(self, kind, bucket, all_terms, most, dated=None):
        terms = set(all_terms)
        if not terms:
            return []
        found = [f for f in self.lookup(kind, bucket) if terms <= terms_of(f)]
        return [] if len(found) > most else [f for f in found
                                             if not dated or set(dated) & terms_of(f)]

    def majority_pool(self, kind, bucket, keep, limit=256):
        return [f for f in self.lookup(kind, bucket)[:limit] if keep(f)]

    def quote_candidates(self, words, min_matched):
        return list(self.db.scan("quote"))

    def statements(self, speaker, content, least, quotes, most=None):
        return self.lookup("place", "statement")

    def anchor_share(self, word):
        """Counted afresh from every article's facts (a repeated sentence's copies too)."""
        by_doc: dict[str, list[Fact]] = {}
        for doc, data, prov in self.db._query("SELECT doc, data, prov FROM facts"):
            by_doc.setdefault(doc, []).append(Fact.from_stored(data, prov))
        totals: Counter[str] = Counter()
        n = 0
        for facts in by_doc.values():
            df, k = doc_df(facts)
            totals.update(df)
            n += k
        return max((c for w, c in totals.items() if w == word or stem_match(w, word)),
                   default=0) / max(1, n)


@pytest.fixture(scope="module")
def indexes(synthetic: Path, seeds: Path, rules, nlp, tmp_path_factory):
    cache = tmp_path_factory.mktemp("keyed")
    out = {}
    for name, folder in (("seeds", seeds), ("synthetic", synthetic)):
        keyed = build_index([folder], rules, cache, nlp_factory=lambda: nlp)
        full = FullScanIndex(keyed.db, keyed.people, keyed.roles, keyed.files)
        out[name] = (keyed, full)
    return out


def _drafts(name: str) -> list[str]:
    from make_corpus import make_drafts

    if name == "synthetic":
        return make_drafts(4, 500, seed=5, corpus_seed=3)
    texts = [p.read_text(encoding="utf-8") for p in sorted(
        (REPO / ".." / "shared" / "eval" / "drafts").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(
        (REPO / "tests" / "engine" / "articles").glob("*.md"))]
    texts.append((REPO / "examples" / "draft.md").read_text(encoding="utf-8")
                  if (REPO / "examples" / "draft.md").exists() else "")
    return [t for t in texts if t]


@pytest.mark.parametrize("name", ["seeds", "synthetic"])
def test_lookup_equals_filtered_scan(indexes, name) -> None:
    keyed, _ = indexes[name]
    facts = list(keyed.facts)
    assert facts
    buckets = {(f.kind, bucket_of(f.kind, f.key, f.value)) for f in facts}
    terms = sorted({t for f in facts for t in terms_of(f)})
    for kind, bucket in sorted(buckets):
        expected = [f for f in facts if f.kind == kind and
                    bucket_of(f.kind, f.key, f.value) == bucket]
        assert keyed.lookup(kind, bucket) == expected
        for term in terms[::7]:
            want = [f for f in expected if term in terms_of(f)]
            assert keyed.lookup(kind, bucket, [term]) == want


@pytest.mark.parametrize("name", ["seeds", "synthetic"])
def test_lookup_by_several_names_equals_filtered_scan(indexes, name) -> None:
    """Every two or three anchor words of a fact, looked up together in its bucket (the
    search may start from the postings of a pair of them), give the facts a scan finds."""
    keyed, _ = indexes[name]
    assert _several_names_checked(keyed) > 20


def test_facts_of_too_many_names_to_pair_are_still_found(synthetic: Path, rules, nlp,
                                                         tmp_path, monkeypatch) -> None:
    """A fact with more anchor words than are paired carries a marker instead of its pairs;
    a search that starts from a pair still finds it."""
    import factlint.factdb as factdb

    monkeypatch.setattr(factdb, "PAIRS_UP_TO", 2)
    keyed = build_index([synthetic], rules, tmp_path / "cache", nlp_factory=lambda: nlp)
    unpaired = [f for f in keyed.facts if factdb.UNPAIRED in terms_of(f)]
    assert len(unpaired) > 20
    assert _several_names_checked(keyed, unpaired) > 20


def _several_names_checked(keyed, sample=None) -> int:
    import random

    facts = list(keyed.facts)
    rng = random.Random(7)
    tried = 0
    for f in rng.sample(sample or facts, min(len(sample or facts), 150)):
        anchors = sorted(t for t in terms_of(f) if t.startswith("a:"))
        if len(anchors) < 2:
            continue
        bucket = bucket_of(f.kind, f.key, f.value)
        for k in (2, 3):
            names = rng.sample(anchors, min(k, len(anchors)))
            want = [g for g in facts if g.kind == f.kind and
                    bucket_of(g.kind, g.key, g.value) == bucket and set(names) <= terms_of(g)]
            assert f in want
            assert keyed.lookup(f.kind, bucket, all_terms=names) == want
            assert keyed.lookup(f.kind, None, all_terms=names) == [
                g for g in facts if g.kind == f.kind and set(names) <= terms_of(g)]
            few = keyed.lookup_few(f.kind, bucket, names, 3)
            assert few == (want if len(want) <= 3 else [])
            tried += 1
    return tried


def _raise(message: str, exc: BaseException) -> None:
    raise AssertionError(message) from exc  # a failing check would compare nothing


@pytest.mark.parametrize("name", ["seeds", "synthetic"])
def test_checks_with_keyed_lookup_equal_full_scan(indexes, name, rules, nlp) -> None:
    keyed, full = indexes[name]
    compared = 0
    for text in _drafts(name):
        got_support: list = []
        want_support: list = []
        got = check_draft(text, keyed, rules, nlp, markdown=True, support=got_support,
                          on_error=_raise)
        want = check_draft(text, full, rules, nlp, markdown=True, support=want_support,
                           on_error=_raise)
        assert got == want
        assert [(c.to_json(), [f.to_json() for f in fs]) for c, fs in got_support] == \
            [(c.to_json(), [f.to_json() for f in fs]) for c, fs in want_support]
        compared += len(got) + len(got_support)
    assert compared > 5  # the drafts really meet corpus facts


def test_quote_prefix_filter_keeps_every_match(indexes, rules) -> None:
    """Every corpus quote a draft quote can match shares one of the prefix-filter words."""
    from factlint.factdb import min_quote_matched

    keyed, _ = indexes["seeds"]
    quotes = list(keyed.db.scan("quote"))
    for q in quotes:
        words = q.value["words"]
        if len(words) < 4:
            continue
        for variant in (words, words[1:], words[:-1] + ["changed"], ["new"] + words[:-2]):
            need = min_quote_matched(len(variant), 0.8, 4)
            cands = keyed.quote_candidates(variant, need)
            assert q in cands or sum(w in words for w in variant) < need


def test_quote_candidates_on_a_connection_that_may_not_write(indexes) -> None:
    """The SQLite count filter writes a temporary table; where the connection may not write
    at all, the one-statement form gives the same candidates."""
    import sqlite3

    from factlint.factdb import FactDB, min_quote_matched

    keyed, _ = indexes["synthetic"]
    con = sqlite3.connect(keyed.db.path, check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA query_only = 1")
    locked = FactDB(con)
    quotes = [q for q in keyed.db.scan("quote") if len(q.value["words"]) >= 6][:40]
    assert quotes
    for q in quotes:
        words = q.value["words"][1:] + ["changed"]
        need = min_quote_matched(len(words), 0.8, 4)
        with keyed.db.snapshot(), locked.snapshot():
            assert locked.quote_ids(words, need) == keyed.db.quote_ids(words, need)
    con.close()


@pytest.mark.parametrize("postings", [0, 10**9], ids=["read-postings", "probe-candidates"])
def test_quote_count_filter_equals_brute_force(indexes, postings, monkeypatch) -> None:
    """Both plans of the SQLite count filter (each other word's postings read, or each
    candidate probed), with and without a limit, keep exactly the corpus quotations that
    hold enough of the draft's word tokens."""
    import random

    from factlint.factdb import QUOTE_WORD, FactDB

    keyed, _ = indexes["synthetic"]
    db = keyed.db
    quotes = list(db.scan("quote"))
    vocab = sorted({w for q in quotes for w in q.value["words"]})
    rng = random.Random(11)
    real_count = FactDB.term_count
    tried = 0
    for q in rng.sample(quotes, min(60, len(quotes))):
        words = list(q.value["words"])
        variant = words[:rng.randrange(3, len(words) + 1)] + rng.sample(vocab, 2)
        variant += [rng.choice(variant)] * rng.randrange(3)  # a word said twice or thrice
        rng.shuffle(variant)
        for need in sorted({2, max(2, len(variant) // 2), len(variant) - 1}):
            want = [f.to_json() for f in quotes if sum(
                variant.count(w) for w in set(variant) & set(f.value["words"])) >= need]
            monkeypatch.setattr(FactDB, "term_count", lambda self, t: postings)
            with db.snapshot():
                got = [f.to_json() for f in db.get(
                    db.word_ids("quote", None, QUOTE_WORD, variant, need))]
                few = [f.to_json() for f in db.get(
                    db.word_ids("quote", None, QUOTE_WORD, variant, need, limit=3))]
            monkeypatch.setattr(FactDB, "term_count", real_count)
            assert got == want, (variant, need)
            assert all(f in want for f in few) and len(few) == min(3, len(want))
            tried += 1
    assert tried > 60


def test_get_from_the_cache_keeps_corpus_order_and_reads_nothing(indexes, monkeypatch) -> None:
    """Facts decoded before are kept with their place in corpus order: a mix of kept and
    new ids, in any order and repeated, comes back as a fresh read gives it, and ids that
    are all kept are answered without a query."""
    import random

    db = indexes["synthetic"][0].db
    ids = db.all_ids()
    rng = random.Random(3)
    wanted = rng.sample(ids, min(60, len(ids)))
    db._cache.clear()
    fresh = [(f.kind, f.key, f.value) for f in db.get(sorted(wanted))]
    db._cache.clear()
    db.get(wanted[::3])  # a third of them kept beforehand
    mixed = wanted + wanted[:10]  # shuffled, with repeats
    rng.shuffle(mixed)
    assert [(f.kind, f.key, f.value) for f in db.get(mixed)] == fresh
    queries: list[str] = []
    real = db._query
    monkeypatch.setattr(db, "_query", lambda sql, args=(): queries.append(sql) or real(sql, args))
    assert [(f.kind, f.key, f.value) for f in db.get(list(reversed(wanted)))] == fresh
    assert queries == []



def test_lookups_stay_exact_when_every_bucket_key_clashes(synthetic: Path, rules, nlp,
                                                          tmp_path, monkeypatch) -> None:
    """Postings are filed under a 64-bit key of their bucket, and a lookup in a bucket reads
    its candidates from them alone; with every bucket under one key (all clash), what it
    returns is still only that bucket's facts, and "at most so many" still counts only
    them."""
    import factlint.factdb as factdb
    import factlint.index.tables as tables

    monkeypatch.setattr(factdb, "bucket_key", lambda kind, bucket: 7)
    monkeypatch.setattr(tables, "bucket_key", lambda kind, bucket: 7)
    keyed = build_index([synthetic], rules, tmp_path / "cache", nlp_factory=lambda: nlp)
    facts = list(keyed.facts)
    by_bucket: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        by_bucket.setdefault((f.kind, bucket_of(f.kind, f.key, f.value)), []).append(f)
    assert len(by_bucket) > 20
    checked = crowded = 0
    for (kind, bucket), expected in sorted(by_bucket.items()):
        for term in sorted({t for f in expected for t in terms_of(f)})[::5]:
            want = [f for f in expected if term in terms_of(f)]
            assert keyed.lookup(kind, bucket, [term]) == want
            # every fact of the kind carrying the term, in all buckets, is a posting now
            clashing = sum(term in terms_of(f) for f in facts if f.kind == kind)
            most = max(0, len(want))
            assert keyed.lookup_few(kind, bucket, [term], most) == want
            assert keyed.lookup_few(kind, bucket, [term], most, dated=[DATED]) == [
                f for f in want if f.key.get("when")]
            if clashing > most:
                crowded += 1  # more postings than ``most``: the facts themselves decide
            if want:
                assert keyed.lookup_few(kind, bucket, [term], len(want) - 1) == []
            checked += 1
    assert checked > 100 and crowded > 20
    assert _several_names_checked(keyed) > 20


@pytest.mark.parametrize("clash", [False, True], ids=["own-keys", "every-key-clashes"])
def test_statement_word_lookup_equals_brute_force(synthetic: Path, rules, nlp, tmp_path,
                                                  monkeypatch, clash) -> None:
    """A speaker's statements sharing enough content words are counted over the statement
    bucket's own postings; "more than so many" is answered from them alone only when no
    other bucket shares the bucket's key. With every key one (all clash), the other kinds'
    postings of the same words (a statement's date) are among them and must still be
    left out."""
    import random

    import factlint.factdb as factdb
    import factlint.index.tables as tables
    from factlint.factdb import content_term

    if clash:
        monkeypatch.setattr(factdb, "bucket_key", lambda kind, bucket: 7)
        monkeypatch.setattr(tables, "bucket_key", lambda kind, bucket: 7)
    keyed = build_index([synthetic], rules, tmp_path / "cache", nlp_factory=lambda: nlp)
    db = keyed.db
    assert db.unclashed("place", "statement") is not clash
    said = [f for f in db.scan("place")
            if bucket_of(f.kind, f.key, f.value) == "statement" and f.key.get("speaker")]
    vocab = sorted({w for f in said for w in f.key.get("content") or []})
    assert len(said) > 10 and vocab
    rng = random.Random(5)
    tried = limited = 0
    for f in rng.sample(said, min(40, len(said))):
        speaker = f.key["speaker"]
        mine = [g for g in said if g.key["speaker"] == speaker]
        content = list(f.key.get("content") or [])
        words = sorted(set(content[:rng.randrange(1, len(content) + 1)] + rng.sample(vocab, 2)))
        for need in (1, 2, 3):
            want = [g for g in mine if len(set(words) & set(g.key.get("content") or [])) >= need]
            with db.snapshot():
                got = db.get(db.word_ids("place", "statement", content_term(speaker, ""), words,
                                         need))
                few = db.get(db.word_ids("place", "statement", content_term(speaker, ""),
                                         words, need, limit=1))
            assert got == want, (speaker, words, need)
            assert all(g in want for g in few) and len(few) == min(1, len(want))
            tried += 1
            limited += len(want) > 1
    assert tried > 30 and limited > 5


@pytest.mark.parametrize("name", ["seeds", "synthetic"])
def test_one_kind_prefixes_are_carried_by_that_kind_only(indexes, name) -> None:
    """``ONE_KIND`` lets a lookup take a term's postings as candidates of one kind without
    reading their facts: no fact of another kind carries such a term."""
    from factlint.factdb import ONE_KIND

    keyed, _ = indexes[name]
    seen = Counter()
    for f in keyed.db.scan():
        for t in terms_of(f):
            kind = ONE_KIND.get(t.split(":", 1)[0] + ":")
            assert kind in (None, f.kind), (t, f.kind)
            seen[kind] += kind is not None
    assert seen["place"] and seen["role"] and seen["count"]


@pytest.mark.parametrize("name", ["seeds", "synthetic"])
def test_lookup_any_by_one_kind_terms_equals_filtered_scan(indexes, name) -> None:
    keyed, _ = indexes[name]
    places = [f for f in keyed.db.scan("place")]
    tried = 0
    for f in places[::3]:
        alternatives = [[t] for t in sorted(terms_of(f)) if t.startswith(("op:", "p:", "oa:"))]
        if not alternatives:
            continue
        want = [g for g in places if any(set(a) <= terms_of(g) for a in alternatives)]
        assert keyed.lookup_any("place", alternatives) == want
        # the same postings-only path serves a lookup by such terms outside any bucket
        term = alternatives[0][0]
        assert keyed.lookup("place", None, [term]) == [g for g in places if term in terms_of(g)]
        assert keyed.lookup_few("place", None, [term], 0) == []
        tried += 1
    assert tried > 5


def test_dated_few_are_the_dated_of_the_few(indexes) -> None:
    """``lookup_few(..., dated=True)`` keeps the dated facts of what ``lookup_few`` finds,
    and counts every fact against ``most``, dated or not."""
    checked = dated = 0
    for keyed, _ in indexes.values():
        checked, dated = _dated_checked(keyed, checked, dated)
    assert checked > 50 and dated > 0


def _dated_checked(keyed: CorpusIndex, checked: int, dated: int) -> tuple[int, int]:
    by_bucket: dict[tuple[str, str], list[Fact]] = {}
    for f in keyed.facts:
        by_bucket.setdefault((f.kind, bucket_of(f.kind, f.key, f.value)), []).append(f)
    for (kind, bucket), expected in sorted(by_bucket.items()):
        for term in sorted({t for f in expected for t in terms_of(f) if t.startswith("a:")}):
            want = [f for f in expected if term in terms_of(f)]
            some = [f for f in want if f.key.get("when")]
            assert keyed.lookup_few(kind, bucket, [term], len(want), dated=[DATED]) == some
            for f in some:  # dated as this one may be: its year, or no year
                years = when_terms(f.key["when"]) or []
                alike = [g for g in want if set(years) & terms_of(g)]
                assert f in alike or not years[0].startswith("t:y")
                assert keyed.lookup_few(kind, bucket, [term], len(want), dated=years) == alike
            if some and len(some) < len(want):
                assert keyed.lookup_few(kind, bucket, [term], len(some), dated=[DATED]) == []
                dated += 1
            checked += 1
    return checked, dated
