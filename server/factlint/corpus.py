"""Indexing a corpus: find its articles, bring their index up to date, serve its facts."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factlint.drafts import parse_draft
from factlint.errors import FactlintError
from factlint.extract import RoleIndex
from factlint.factdb import QUOTE_WORD, STATEMENT_WORD, FactDB, FactList, StemSet, content_term
from factlint.facts import Fact
from factlint.index.freshness import fresh_content, index_key, index_scope
from factlint.index.scan import MAX_CORPUS_FILE_BYTES, Skipped, read_entry, scan_corpus
from factlint.index.stages import registry_from_json, roles_from_json
from factlint.index.tables import role_sig
from factlint.names import stem_match
from factlint.people import PeopleRegistry
from factlint.rules import RuleSet
from factlint.store import FactStore, memory_index

EVIDENCE_COPIES = 5  # sentences shown for one title of one person (the first ones)

__all__ = ["MAX_CORPUS_FILE_BYTES", "CorpusFile", "CorpusIndex", "Skipped", "build_index",
           "fresh_content", "index_key", "index_scope", "read_corpus"]


@dataclass
class CorpusFile:
    path: Path  # absolute
    display: str
    text: str


class CorpusIndex:
    """The facts of a corpus, on disk (:class:`factlint.factdb.FactDB`), with the people
    registry and the known titles in memory.

    ``facts`` reads every fact (for listings); checks use the keyed lookups instead, which
    fetch only the facts that can match one claim.
    """

    def __init__(self, db: FactDB, people: PeopleRegistry, roles: RoleIndex,
                 files: list[str] | None = None, report: Any = None) -> None:
        self.db = db
        self.people = people
        self.roles = roles
        self.files = list(files or [])
        self.report = report  # what the last update did (factlint.index.update.Report)
        self.content = ""  # a digest of the indexed articles' contents
        self._memo: dict[str, StemSet] = {}
        self._shares: dict[str, float] = {}

    @property
    def from_cache(self) -> bool:
        """Nothing had to be parsed or extracted to bring the index up to date."""
        return self.report is None or not self.report.updated

    def load_state(self) -> None:
        """Read registry, known titles and article list as the index holds them now."""
        state = self.db.state()
        self.people = registry_from_json(self.people.rules, state["people"])
        self.roles = roles_from_json(state["roles"])
        self.files = state["files"]
        self.content = state["content"]
        self._memo = {}
        self._shares = {}

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent state of the index for a whole check: when another process
        updated it since, the registry and titles are read again first."""
        with self.db.snapshot():
            if self.db.refresh():
                self.load_state()
            yield

    @property
    def facts(self) -> FactList:
        return FactList(self.db)

    def facts_with_title_copies(self) -> list[Fact]:
        """Every fact, a title's later copies included (each source's own titles: the audit
        asks whether two sources agree anywhere)."""
        return list(self.db.scan(title_copies=True))

    def of_kind(self, kind: str) -> list[Fact]:
        """Every fact of a kind (a full scan: checks use :meth:`lookup`)."""
        return list(self.db.scan(kind))

    def lookup(self, kind: str, bucket: str | None = None,
               any_terms: list[str] | set[str] | None = None,
               all_terms: list[str] | tuple[str, ...] = ()) -> list[Fact]:
        """Facts of a kind in one bucket (see :func:`factlint.factdb.bucket_of`), optionally
        only those carrying one of ``any_terms`` and all of ``all_terms``; in corpus
        order."""
        return self.db.lookup(kind, bucket, any_terms, all_terms)

    def lookup_few(self, kind: str, bucket: str | None, all_terms: Iterable[str],
                   most: int, dated: list[str] | None = None) -> list[Fact]:
        """Facts of a kind in a bucket carrying every one of ``all_terms``, in corpus order,
        if there are at most ``most`` of them (else none: so many facts share these keys that
        they are a recurring subject, not one occurrence). ``dated``: only those of them
        carrying one of these terms (``factdb.when_terms``; all are counted)."""
        terms = list(all_terms)
        if not terms:
            return []
        return self.db.few(kind, bucket, terms, most, dated)

    def lookup_any(self, kind: str, alternatives: list[list[str]]) -> list[Fact]:
        """Facts of a kind carrying every term of one of ``alternatives``, in corpus order."""
        return self.db.lookup_any(kind, alternatives)

    def majority_pool(self, kind: str, bucket: str, keep: Callable[[Fact], bool],
                      limit: int = 256) -> list[Fact]:
        """The bucket's facts that ``keep`` accepts (at most ``limit`` read), for the checks
        to rank and take a majority of (``comparisons.majority_of``)."""
        ids = self.db.ids(kind, bucket, limit=limit)
        return [f for n in range(0, len(ids), 64) for f in self.db.get(ids[n:n + 64])
                if keep(f)]

    def copies(self, fact: Fact, limit: int = EVIDENCE_COPIES) -> list[Fact]:
        """A title fact and its later copies in other sentences (up to ``limit``), for
        evidence: a lookup returns one title fact per person and title."""
        if fact.kind != "role" or fact.prov is None:
            return [fact]
        found = self.db.copies(role_sig(fact), limit)
        return found if found else [fact]

    def quote_candidates(self, words: list[str], min_matched: int) -> list[Fact]:
        """Corpus quotations that can have ``min_matched`` of these words, in corpus order."""
        return self.db.get(self.db.word_candidates("quote", None, QUOTE_WORD, words,
                                                   min_matched), "quote")

    def statements(self, speaker: str | None, content: list[str], least_content: int,
                   quotes: list[tuple[list[str], int]], most: int | None = None
                   ) -> list[Fact]:
        """Statements (place facts) of ``speaker`` sharing ``least_content`` of these content
        words (unless more than ``most`` do: a speaker's stock line, not one statement), or
        whose quotations hold at least n of the words of one of ``quotes`` ((words, n)
        pairs); in corpus order."""
        ids: set[int] = set()
        if speaker and len(content) >= least_content:
            prefix = content_term(speaker, "")
            said = self.db.word_ids("place", "statement", prefix, sorted(set(content)),
                                    least_content, None if most is None else most + 1)
            if most is None or len(said) <= most:
                ids.update(said)
        for words, least in quotes:
            ids.update(self.db.word_candidates("place", "statement", STATEMENT_WORD, words,
                                               least))
        return self.db.get(sorted(ids), "place", "statement")  # (first copies of the bucket)

    def anchor_share(self, word: str) -> float:
        """The largest share of corpus sentences carrying an anchor that is ``word`` or
        stem-matches it (``Checker.common``); asked once per word and index state."""
        share = self._shares.get(word)
        if share is None:
            n = max((c for w, c in self.db.df_family(word) if w == word or stem_match(w, word)),
                    default=0)
            if len(self._shares) > 100_000:
                self._shares.clear()
            share = self._shares[word] = n / self.db.n_sentences
        return share

    def stem_set(self, name: str, words: Callable[[], Iterable[str]]) -> StemSet:
        """A word set derived from the corpus, built once per index (not once per check)."""
        found = self._memo.get(name)
        if found is None:
            found = self._memo[name] = StemSet(words())
        return found


def read_corpus(paths: list[Path], *, strict: bool = False) -> list[CorpusFile]:
    """Every readable corpus article, in corpus order (an unreadable one is skipped with a
    warning; with ``strict`` it is an error)."""
    from factlint.index.update import warn_skipped

    files = []
    for e in scan_corpus(paths):
        text, _sha, skipped = read_entry(e)
        if skipped is not None:
            if strict:
                raise FactlintError(f"corpus file is {skipped.reason}", skipped.path,
                                    skipped.line)
            warn_skipped(skipped)
            continue
        assert text is not None
        files.append(CorpusFile(Path(e.path), e.display, text))
    if not files:
        raise FactlintError("corpus has no .txt or .md articles",
                            ", ".join(str(p) for p in paths))
    return files


def file_paragraphs(text: str, markdown: bool) -> tuple[str, list[tuple[int, int]]]:
    draft = parse_draft(text, markdown)
    return draft.masked, [(p.start, p.end) for p in draft.paragraphs]


PARALLEL_FROM = 8  # articles to parse per worker before ``--jobs`` starts worker processes


def _warn(msg: str) -> None:
    print(f"factlint: warning: {msg}", file=sys.stderr)


def build_index(paths: list[Path], rules: RuleSet, cache_dir: Path | None,
                nlp_factory: Callable[[], Any],
                progress: Callable[[str, int, int], None] | None = None,
                model: str | None = None, jobs: int = 1,
                strict: bool = False, store: str | None = None, rebuild: bool = False,
                dask: str | None = None) -> CorpusIndex:
    """The index of the corpus, brought up to date: only the articles added or changed
    since it was last written are parsed (in ``jobs`` processes when more than one, or on
    the Dask cluster at ``dask``). ``store``: a PostgreSQL URL, else the SQLite index in
    ``cache_dir``; ``rebuild``: start from an empty index."""
    from factlint.index.update import update
    from factlint.values import ValueReader

    key = index_key(paths, rules, model)
    reader = ValueReader(rules)
    runner = _runner_factory(rules, nlp_factory, model, jobs, dask)
    first = [scan_corpus(paths)]

    def updater(tables: Any) -> Any:
        # a retry (another writer committed first) looks at the corpus again
        listed = first.pop() if first else scan_corpus(paths)
        return update(tables, listed, rules, runner, lambda d: _dated(d, reader), strict,
                      progress)

    if store:
        from factlint.index.pgstore import PgStore

        built = PgStore(store, index_scope(paths, rules, model), key).build(updater, rebuild)
    else:
        sqlite = FactStore.open(cache_dir, key, warn=_warn)
        if sqlite is not None and rebuild:
            sqlite.path.unlink(missing_ok=True)
        built = (sqlite.build(updater) if sqlite is not None else None) or \
            memory_index(key, updater)
    db, report = built
    return _from_db(db, rules, report)


def _runner_factory(rules: RuleSet, nlp_factory: Callable[[], Any], model: str | None,
                    jobs: int, dask: str | None) -> Callable[[int], Any]:
    """Where an update's articles are parsed, by how many there are."""
    def runner(articles: int) -> Any:
        from factlint.index import runners

        if dask:
            from factlint.index.dask_runner import DaskRunner

            return DaskRunner(dask, rules, model)
        if jobs > 1 and articles >= PARALLEL_FROM * jobs:  # else workers cost more than they save
            return runners.ProcessRunner(rules, model, jobs)
        return runners.SerialRunner(rules, nlp_factory)
    return runner


def _dated(d: Any, reader: Any) -> str | None:
    """The article's own date (ISO); a front matter or date line it cannot read is a
    warning naming the file and line, and the article is indexed undated."""
    from factlint.dateline import article_date

    found = article_date(d.text, reader)
    for line, reason in found.warnings:
        print(f"factlint: warning: {d.display}:{line}: {reason}", file=sys.stderr)
    return found.date.isoformat() if found.date else None


def _from_db(db: FactDB, rules: RuleSet, report: Any = None) -> CorpusIndex:
    index = CorpusIndex(db, PeopleRegistry(rules), RoleIndex(), report=report)
    index.load_state()
    return index
