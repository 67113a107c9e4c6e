"""Bringing an index up to date with its corpus, re-doing only what changed.

1. Stat every corpus file; read and hash only those whose size or mtime moved; a file whose
   content is unchanged only gets its new stat.
2. Parse the added and changed articles (the only spaCy work of an update).
3. Reduce the people registry from every article's stored name evidence plus the new ones.
4. Re-extract the titles of the new articles, and of the kept ones whose registry reads
   (:mod:`factlint.index.reads`) now give other values; reduce the known titles.
5. Re-extract the other facts of those, and of the kept ones whose title lookups now give
   other holders.
6. Write it all in one transaction (:meth:`Tables.apply`).

The index that results is the one a build from scratch gives: every article's facts are a
function of its parse and of what it read, and an article is re-extracted whenever anything
it read changed.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from factlint.errors import FactlintError
from factlint.facts import Fact
from factlint.index.reads import Digester, ReadLog
from factlint.index.runners import Runner
from factlint.index.scan import Entry, Skipped, read_entry, skip_holds
from factlint.index.stages import facts_of, roles_to_json
from factlint.index.tables import Change, DocRow, DocState, Tables
from factlint.ingest import Document, merge_people, merge_roles
from factlint.jsonload import dumps
from factlint.name_evidence import NameEvidence
from factlint.people import PeopleRegistry
from factlint.rules import RuleSet

ProgressCallback = Callable[[str, int, int], None]
_WARNED: set[tuple[str, str]] = set()  # (file, reason): warned once per process


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reextracted: int = 0  # kept articles whose facts were extracted again
    skipped: list[Skipped] = field(default_factory=list)
    generation: int = 0
    ran_on: str = ""  # "2 processes", "on Dask at tcp://...": where the parsing ran

    @property
    def updated(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.reextracted)

    def summary(self) -> str:
        """"12 added, 1 changed, 2 removed, 3 re-extracted, 1 file(s) skipped"."""
        parts = [f"{len(items)} {what}" for items, what in (
            (self.added, "added"), (self.changed, "changed"), (self.removed, "removed"))
            if items]
        if self.reextracted:
            parts.append(f"{self.reextracted} re-extracted")
        if self.skipped:
            parts.append(f"{len(self.skipped)} file(s) skipped")
        if not self.updated:
            parts.insert(0, "up to date")
        elif self.ran_on:
            parts.append(self.ran_on)
        return ", ".join(parts)


@dataclass
class _Plan:
    entries: list[Entry]
    new: list[Document] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    stats: list[tuple[str, int, int]] = field(default_factory=list)
    skipped: list[tuple[str, int, int, str, int | None]] = field(default_factory=list)
    sha: dict[str, str] = field(default_factory=dict)
    by_path: dict[str, Entry] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)  # listed, but skipped
    gone: list[str] = field(default_factory=list)  # indexed or skipped, and left the corpus

    def __post_init__(self) -> None:
        self.by_path = {e.path: e for e in self.entries}


def warn_skipped(s: Skipped) -> None:
    if (s.path, s.reason) not in _WARNED:
        _WARNED.add((s.path, s.reason))
        where = f"{s.path}:{s.line}" if s.line else s.path
        print(f"factlint: warning: {where}: skipped: {s.reason}", file=sys.stderr)


def plan(tables: Tables, entries: list[Entry], dated: Callable[[Document], str | None],
         strict: bool, report: Report) -> tuple[_Plan, dict[str, DocState]]:
    """What changed since the index was written (step 1). Reads the index's generation
    first: everything read after it is at least that new, so a change that another writer
    commits meanwhile makes :meth:`Tables.apply` refuse this plan, never mix with it."""
    report.generation = int(tables.meta("generation")["generation"])
    states, skipped = tables.doc_states(), tables.skipped()
    p = _Plan(entries)
    for e in entries:
        old = states.get(e.path)
        if old is not None and (old.size, old.mtime_ns, old.ord) == (e.size, e.mtime_ns, e.ord):
            p.kept.append(e.path)
            continue
        known = skipped.get(e.path)
        if old is None and known is not None and skip_holds(known[2], known[0], known[1], e):
            text, sha, s = None, None, Skipped(e.path, known[2], known[3])
        else:
            text, sha, s = read_entry(e)
            if s is not None:
                p.skipped.append((e.path, e.size, e.mtime_ns, s.reason, s.line))
        if s is not None:
            if strict:
                raise FactlintError(f"corpus file is {s.reason}", s.path, s.line)
            report.skipped.append(s)
            p.absent.add(e.path)
            continue
        assert text is not None and sha is not None
        if old is not None and old.sha == sha and old.ord == e.ord:
            p.kept.append(e.path)
            p.stats.append((e.path, e.size, e.mtime_ns))
            continue
        doc = Document(e.path, e.display, text)
        doc.date = dated(doc)
        p.new.append(doc)
        p.sha[e.path] = sha
        (report.changed if old is not None else report.added).append(e.display)
    listed = {e.path for e in entries}
    present = listed - p.absent
    report.removed = [states[path].display for path in states if path not in present]
    # skipped files that left the corpus are forgotten with the removed articles
    p.gone = [path for path in [*states, *skipped] if path not in present
              and (path in states or path not in listed)]
    return p, states


def update(tables: Tables, entries: list[Entry], rules: RuleSet,
           runner: Callable[[int], Runner], dated: Callable[[Document], str | None],
           strict: bool = False, progress: ProgressCallback | None = None) -> Report:
    report = Report()
    p, states = plan(tables, entries, dated, strict, report)
    for s in report.skipped:
        warn_skipped(s)
    generation = report.generation
    present = p.kept + [d.path for d in p.new]
    if not present:
        raise FactlintError("corpus has no .txt or .md articles",
                            ", ".join(sorted({e.path for e in entries})) or "(nothing)")
    change = Change(generation, remove=p.gone, stats=p.stats, skipped=p.skipped)
    if not p.new and not any(path in states for path in change.remove):
        report.generation = generation if change.empty() else tables.apply(change)
        return report
    run = runner(len(p.new))
    report.ran_on = getattr(run, "where", "")
    try:
        _extract(tables, p, states, rules, run, change, report, progress)
    finally:
        run.close()
    report.generation = tables.apply(change)
    return report


def _extract(tables: Tables, p: _Plan, states: dict[str, DocState], rules: RuleSet,
             run: Runner, change: Change, report: Report,
             progress: ProgressCallback | None) -> None:
    """Steps 2 to 5, filling ``change`` with the articles (re-)extracted and the new
    corpus-wide state."""
    work = _Work(tables, p, states, run, progress)
    people = work.registry(rules)
    again = [path for path in p.kept if work.digest.people_digest(
        work.reads[path].people) != states[path].people_digest]
    items2 = work.items(again)
    work.step("extracting titles", 1)
    roles_out = dict(zip([d.path for d, _ in items2], run.roles(items2, people), strict=True))
    stored_roles = tables.role_facts([path for path in p.kept if path not in roles_out])
    roles = merge_roles([facts_of(roles_out[path]) if path in roles_out else stored_roles[path]
                         for path in work.order])
    work.digest = Digester(people, roles, people.titles)
    extra = [path for path in p.kept if path not in roles_out and work.digest.titles_digest(
        work.reads[path].titles) != states[path].titles_digest]
    items3 = items2 + work.items(extra, new=False)
    work.step("extracting facts", 2)
    facts_out = dict(zip([d.path for d, _ in items3], run.facts(items3, people, roles),
                         strict=True))
    report.reextracted = len(again) + len(extra)
    for doc, data in items3:
        roles_done = roles_out.get(doc.path)
        log = facts_out[doc.path].reads
        log = _union(log, roles_done.reads if roles_done else ReadLog(
            work.reads[doc.path].people, set()))
        role_facts = facts_of(roles_done) if roles_done else stored_roles[doc.path]
        change.put.append(work.row(doc, data, log, role_facts, facts_of(facts_out[doc.path])))
    change.meta = {"people": dumps(people.to_json()),
                   "roles": dumps(roles_to_json(roles)),
                   "files": dumps([p.by_path[path].display for path in work.order]),
                   "content": _content(p, states, work.order)}
    work.step("indexed", 3)


class _Work:
    """What one update's extraction steps share: the articles in corpus order, the new
    articles' parses, the kept ones' stored evidence and read logs."""

    def __init__(self, tables: Tables, p: _Plan, states: dict[str, DocState], run: Runner,
                 progress: ProgressCallback | None) -> None:
        self.tables, self.p, self.states, self.progress = tables, p, states, progress
        self.step(f"parsing {len(p.new)} articles", 0)
        self.parses = dict(zip([d.path for d in p.new], run.parse(p.new), strict=True))
        self.new_docs = {d.path: d for d in p.new}
        kept = set(p.kept)
        self.order = [e.path for e in p.entries if e.path in self.new_docs or e.path in kept]
        self.evidence = tables.column("evidence", p.kept)
        self.reads = {path: ReadLog.from_json(r)
                      for path, r in tables.column("reads", p.kept).items()}
        self.digest: Digester  # set by registry(), once the people are known

    def step(self, what: str, n: int) -> None:
        if self.progress:
            total = len(self.p.entries)
            self.progress(what, n * total // 3, total)

    def registry(self, rules: RuleSet) -> PeopleRegistry:
        people = merge_people(rules, [
            self.parses[path].evidence if path in self.parses
            else NameEvidence.from_json(self.evidence[path]) for path in self.order])
        self.digest = Digester(people, None)
        return people

    def items(self, kept: list[str], new: bool = True) -> list[tuple[Document, bytes]]:
        """The batch items of the new articles (``new``) and of these kept ones, in corpus
        order: kept ones as they were indexed (stored text and parse)."""
        parses, texts = self.tables.column("parse", kept), self.tables.column("text", kept)
        docs = {path: Document(path, self.states[path].display, texts[path],
                               self.states[path].date) for path in kept}
        if new:
            docs.update(self.new_docs)
            parses.update((path, parse.parse) for path, parse in self.parses.items())
        return [(docs[path], parses[path]) for path in self.order if path in docs]

    def row(self, doc: Document, data: bytes, log: ReadLog, roles: list[Fact],
            facts: list[Fact]) -> DocRow:
        path = doc.path
        e = self.p.by_path[path]
        state = DocState(e.ord, e.size, e.mtime_ns, self.p.sha.get(path) or self.states[path].sha,
                         doc.display, doc.date, self.digest.people_digest(log.people),
                         self.digest.titles_digest(log.titles))
        ev = self.parses[path].evidence.to_json() if path in self.parses \
            else self.evidence[path]
        return DocRow(path, state, doc.text, ev, data, log.to_json(), roles, facts)


def _union(a: ReadLog, b: ReadLog) -> ReadLog:
    return ReadLog(a.people | b.people, a.titles | b.titles)


def _content(p: _Plan, states: dict[str, DocState], order: list[str]) -> str:
    """A digest of the corpus content (what a cached draft result depends on)."""
    h = hashlib.sha256()
    for path in order:
        h.update(f"{path}\0{p.sha.get(path) or states[path].sha}\0".encode())
    return h.hexdigest()
