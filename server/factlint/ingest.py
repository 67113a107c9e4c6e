"""Ingest as pure functions of one document, with deterministic merge steps.

Indexing a corpus is three map/reduce stages. Every map is a pure function of one document
(plus the small state the previous reduce broadcast), so any engine that maps a function
over a partitioned archive (Dask, Ray, Spark, or :mod:`factlint.corpus`'s own worker
processes) can run it; every reduce folds the per-document results *in corpus order*, so the
outcome does not depend on how documents were partitioned or scheduled:

1. ``parse_document`` + ``document_names``: parse the paragraphs with spaCy, and keep the
   raw name evidence of the document (token texts, parts of speech, entities with their
   labels: what person resolution reads). ``merge_people`` builds the corpus-wide
   :class:`PeopleRegistry` from it with :meth:`PeopleRegistry.build` itself (canonical
   person ids are assigned here, in corpus order).
2. ``document_roles``: the title facts of a document, given the registry. ``merge_roles``
   builds the :class:`RoleIndex` (title-only mentions like "Ukraine's president" resolve
   through it in stage 3).
3. ``document_facts``: the quote/date/count/place facts of a document, given registry and
   roles. ``merge_facts`` concatenates roles then the rest and drops repeated sentences.

The parsed document travels between stages as ``DocBin`` bytes (``docs_to_bytes``/
``docs_from_bytes``) when stages run in different processes; the local ``--jobs`` workers keep
their shard's parses in memory instead.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from factlint.extract import Extractor, Paragraph, RoleIndex
from factlint.facts import Fact, Provenance
from factlint.people import PeopleRegistry
from factlint.positions import LineIndex, trim_span
from factlint.rules import RuleSet
from factlint.titles import Title

OTHER_KINDS = ("quote", "date", "count", "place")


@dataclass
class Document:
    """One corpus article: what ``read_corpus`` gives (``CorpusFile``) in plain fields."""

    path: str  # absolute
    display: str
    text: str
    date: str | None = None  # the article's own date (ISO), see factlint.dateline

    @property
    def markdown(self) -> bool:
        return self.path.lower().endswith((".md", ".markdown"))


@dataclass
class Parsed:
    doc: Document
    paragraphs: list[Paragraph]


class NameTok:
    __slots__ = ("text", "lower_", "pos_", "i")

    def __init__(self, text: str, lower: str, pos: str, i: int) -> None:
        self.text, self.lower_, self.pos_, self.i = text, lower, pos, i


class NameEnt:
    __slots__ = ("text", "label_", "_toks")

    def __init__(self, text: str, label: str, toks: list[NameTok]) -> None:
        self.text, self.label_, self._toks = text, label, toks

    def __iter__(self) -> Iterator[NameTok]:
        return iter(self._toks)

    def __len__(self) -> int:
        return len(self._toks)


class NameDoc:
    """The part of a parsed paragraph that :meth:`PeopleRegistry.build` reads (token text,
    lower case, part of speech; entities with label), small and picklable: the raw name
    evidence a stage-1 map returns. Anything else ``build`` might read raises
    AttributeError, so a change there cannot silently give another registry."""

    __slots__ = ("_toks", "ents")

    def __init__(self, data: tuple[list[str], list[str], list[str],
                                   list[tuple[int, int, str, str]]]) -> None:
        words, lowers, pos, ents = data
        self._toks = [NameTok(sys.intern(w), sys.intern(lw), sys.intern(p), i)
                      for i, (w, lw, p) in enumerate(zip(words, lowers, pos, strict=True))]
        self.ents = [NameEnt(text, label, self._toks[s:e]) for s, e, label, text in ents]

    def __iter__(self) -> Iterator[NameTok]:
        return iter(self._toks)

    def __len__(self) -> int:
        return len(self._toks)

    def __getitem__(self, i: int) -> NameTok:
        return self._toks[i]


NameData = tuple[list[str], list[str], list[str], list[tuple[int, int, str, str]]]


# ------------------------------------------------------------------------------ stage 1
def paragraph_texts(document: Document) -> tuple[list[str], list[int]]:
    """The texts spaCy parses for one document, and each paragraph's offset in the file."""
    from factlint.corpus import file_paragraphs
    from factlint.textblocks import flatten

    masked, spans = file_paragraphs(document.text, document.markdown)
    return [flatten(masked[s:e]) for s, e in spans], [s for s, _ in spans]


def parse_document(document: Document, nlp: Any, batch_size: int = 64) -> Parsed:
    texts, offsets = paragraph_texts(document)
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    return Parsed(document, [Paragraph(d, o) for d, o in zip(docs, offsets, strict=True)])


def document_names(parsed: Parsed) -> list[NameData]:
    """Stage 1 map output: the raw name evidence of each paragraph (see :class:`NameDoc`)."""
    out: list[NameData] = []
    for doc in (p.doc for p in parsed.paragraphs):
        out.append(([t.text for t in doc], [t.lower_ for t in doc], [t.pos_ for t in doc],
                     [(e.start, e.end, e.label_, e.text) for e in doc.ents]))
    return out


def merge_people(rules: RuleSet, names: Iterable[list[NameData]]) -> PeopleRegistry:
    """Reduce of stage 1: the corpus-wide registry, built by :meth:`PeopleRegistry.build`
    itself from every document's name evidence, in corpus order (person ids are canonical
    because the order is)."""
    people = PeopleRegistry(rules)
    people.build([NameDoc(p) for doc in names for p in doc])
    return people


# ------------------------------------------------------------------------------ stages 2, 3
def provenance_factory(document: Document) -> Callable[[int, int], Provenance]:
    text = document.text
    lines = LineIndex(text)

    def make(start: int, end: int) -> Provenance:
        start, end = trim_span(text, start, end)
        r = lines.range(start, end)
        return Provenance(source=document.display, path=document.path, line=r.start.line + 1,
                          start=start, end=end, text=text[start:end],
                          lsp=(r.start.line, r.start.character, r.end.line, r.end.character))
    return make


def document_roles(parsed: Parsed, rules: RuleSet, people: PeopleRegistry) -> list[Fact]:
    extractor = Extractor(rules, people, RoleIndex())
    return extractor.extract(parsed.paragraphs, provenance_factory(parsed.doc), kinds=("role",))


def merge_roles(role_facts: Iterable[list[Fact]]) -> RoleIndex:
    roles = RoleIndex()
    for facts in role_facts:
        for fact in facts:
            roles.add(fact.key["person"], Title.from_json(fact.value["parsed"]))
    return roles


def document_facts(parsed: Parsed, rules: RuleSet, people: PeopleRegistry,
                   roles: RoleIndex) -> list[Fact]:
    extractor = Extractor(rules, people, roles)
    if parsed.doc.date:
        extractor.ref_date = dt.date.fromisoformat(parsed.doc.date)
    return extractor.extract(parsed.paragraphs, provenance_factory(parsed.doc),
                             kinds=OTHER_KINDS)


def merge_facts(role_facts: Iterable[list[Fact]], other_facts: Iterable[list[Fact]]
                ) -> list[Fact]:
    facts = [f for fs in role_facts for f in fs]
    seen: set[tuple[Any, ...]] = set()
    for fs in other_facts:
        for fact in fs:
            sig = (fact.kind, repr(fact.key), repr(fact.value),
                   fact.prov.text if fact.prov else "")
            if sig in seen:
                continue  # the same sentence repeated
            seen.add(sig)
            facts.append(fact)
    return facts


# ------------------------------------------------------------------------------ transport
def docs_to_bytes(parsed: Parsed) -> bytes:
    from spacy.tokens import DocBin

    bin_ = DocBin(store_user_data=False)
    for p in parsed.paragraphs:
        bin_.add(p.doc)
    return bin_.to_bytes()


def docs_from_bytes(document: Document, data: bytes, vocab: Any) -> Parsed:
    from spacy.tokens import DocBin

    docs = list(DocBin().from_bytes(data).get_docs(vocab))
    _texts, offsets = paragraph_texts(document)
    return Parsed(document, [Paragraph(d, o) for d, o in zip(docs, offsets, strict=True)])


def parse_many(documents: list[Document], nlp: Any, batch_size: int = 256,
               progress: Callable[[str, int, int], None] | None = None) -> list[Parsed]:
    """``parse_document`` over a run of documents with one ``nlp.pipe`` (spaCy batches
    across articles; the parses are the same)."""
    texts: list[str] = []
    owners: list[tuple[int, int]] = []
    parsed = [Parsed(d, []) for d in documents]
    for n, d in enumerate(documents):
        ts, offsets = paragraph_texts(d)
        texts.extend(ts)
        owners.extend((n, o) for o in offsets)
    for k, (doc, (n, offset)) in enumerate(zip(nlp.pipe(texts, batch_size=batch_size), owners,
                                               strict=True)):
        parsed[n].paragraphs.append(Paragraph(doc, offset))
        if progress and k % 500 == 0:
            progress(f"parsing {documents[n].display}", n, len(documents))
    return parsed


def serial_ingest(documents: list[Document], rules: RuleSet, nlp: Any,
                  progress: Callable[[str, int, int], None] | None = None,
                  ) -> tuple[list[Fact], PeopleRegistry, RoleIndex]:
    """All three stages in this process (what ``--jobs 1`` runs)."""
    parsed = parse_many(documents, nlp, progress=progress)
    people = PeopleRegistry(rules)
    people.build([p.doc for d in parsed for p in d.paragraphs])  # the real Docs
    role_lists = [document_roles(p, rules, people) for p in parsed]
    roles = merge_roles(role_lists)
    other: list[list[Fact]] = []
    for n, p in enumerate(parsed):
        if progress:
            progress(f"extracting {p.doc.display}", n, len(parsed))
        other.append(document_facts(p, rules, people, roles))
    return merge_facts(role_lists, other), people, roles
