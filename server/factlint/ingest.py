"""Ingest as pure functions of one document, with deterministic merge steps.

Indexing a corpus is three map/reduce stages. Every map is a pure function of one document
(plus the small state the previous reduce broadcast), so any engine that maps a function
over a partitioned archive (Dask, Ray, Spark, or :mod:`factlint.corpus`'s own worker
processes) can run it; every reduce folds the per-document results *in corpus order*, so the
outcome does not depend on how documents were partitioned or scheduled:

1. ``parse_document`` + ``document_evidence``: parse the paragraphs with spaCy, and keep the
   name evidence of the document (:class:`~factlint.name_evidence.NameEvidence`: name runs,
   entity label votes, word statistics). ``merge_people`` builds the corpus-wide
   :class:`PeopleRegistry` from it (canonical person ids are assigned here, in corpus
   order).
2. ``document_roles``: the title facts of a document, given the registry. ``merge_roles``
   builds the :class:`RoleIndex` (title-only mentions like "Ukraine's president" resolve
   through it in stage 3).
3. ``document_facts``: the quote/date/count/place facts of a document, given registry and
   roles. The index (:mod:`factlint.index.tables`) keeps roles first, then the rest, and a
   sentence repeated in several articles once.

The parsed document travels between stages as ``DocBin`` bytes (``docs_to_bytes``/
``docs_from_bytes``), and is kept in the index so that no article is parsed twice
(:mod:`factlint.index.stages`, :mod:`factlint.index.update`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from factlint.extract import Extractor, Paragraph, RoleIndex
from factlint.facts import Fact, Provenance
from factlint.index.reads import ReadLog, recording
from factlint.name_evidence import NameEvidence
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


def document_evidence(parsed: Parsed, collector: PeopleRegistry) -> NameEvidence:
    """Stage 1 map output: the name evidence of the document (``collector`` is any
    registry of the same rules: collecting reads only the rules)."""
    return collector.collect(p.doc for p in parsed.paragraphs)


def merge_people(rules: RuleSet, evidence: Iterable[NameEvidence]) -> PeopleRegistry:
    """Reduce of stage 1: the corpus-wide registry from every document's name evidence, in
    corpus order (person ids are canonical because the order is)."""
    people = PeopleRegistry(rules)
    people.build_from(evidence)
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


def document_roles(parsed: Parsed, rules: RuleSet, people: PeopleRegistry,
                   log: ReadLog | None = None) -> list[Fact]:
    """Stage 2 map: the title facts of a document (with ``log``, what it read of the
    registry is logged there)."""
    extractor = Extractor(rules, people, RoleIndex())
    with recording(people, None, log) if log is not None else nullcontext():
        return extractor.extract(parsed.paragraphs, provenance_factory(parsed.doc),
                                 kinds=("role",))


def merge_roles(role_facts: Iterable[list[Fact]]) -> RoleIndex:
    roles = RoleIndex()
    for facts in role_facts:
        for fact in facts:
            roles.add(fact.key["person"], Title.from_json(fact.value["parsed"]))
    return roles


def document_facts(parsed: Parsed, rules: RuleSet, people: PeopleRegistry,
                   roles: RoleIndex, log: ReadLog | None = None) -> list[Fact]:
    """Stage 3 map: the other facts of a document (with ``log``, what it read of the
    registry and of the known titles is logged there)."""
    extractor = Extractor(rules, people, roles)
    if parsed.doc.date:
        extractor.ref_date = dt.date.fromisoformat(parsed.doc.date)
    with recording(people, roles, log) if log is not None else nullcontext():
        return extractor.extract(parsed.paragraphs, provenance_factory(parsed.doc),
                                 kinds=OTHER_KINDS)


# ------------------------------------------------------------------------------ transport
# what extraction reads of a parse (no morphology, norms or knowledge-base ids): the
# sentences come back from the heads, lexeme flags from the vocabulary
PARSE_ATTRS = ["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA", "POS", "SPACY"]

def docs_to_bytes(parsed: Parsed) -> bytes:
    from spacy.tokens import DocBin

    bin_ = DocBin(attrs=PARSE_ATTRS, store_user_data=False)
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
