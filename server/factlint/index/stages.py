"""The per-document stages of indexing as plain functions over batches of documents.

Each takes a batch and the small corpus-wide state the previous reduce produced, and returns
plain, picklable results, so the same function runs in this process, in ``--jobs`` worker
processes, or on a Dask cluster (:mod:`factlint.index.runners`):

- :func:`parse_batch`: spaCy parse, the document's name evidence, and its parse as
  ``DocBin`` bytes (kept, so a document is never parsed twice);
- :func:`roles_batch`: the title facts, given the people registry, with what the
  extraction read of it;
- :func:`facts_batch`: the other facts, given registry and known titles, with what it read.

A batch item is ``(Document, parse bytes)``; stages 2 and 3 decode the parse with the
pipeline's vocabulary (lexeme attributes such as ``is_stop`` come from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factlint.extract import RoleIndex
from factlint.facts import Fact
from factlint.index.reads import ReadLog
from factlint.ingest import (
    Document,
    Parsed,
    docs_from_bytes,
    docs_to_bytes,
    document_evidence,
    document_facts,
    document_roles,
    parse_many,
)
from factlint.name_evidence import NameEvidence
from factlint.people import PeopleRegistry
from factlint.rules import RuleSet
from factlint.titles import Title

Item = tuple[Document, bytes]


@dataclass
class Parse:
    evidence: NameEvidence
    parse: bytes


@dataclass
class Extracted:
    facts: list[Fact]
    reads: ReadLog


def registry_from_json(rules: RuleSet, data: dict[str, Any]) -> PeopleRegistry:
    people = PeopleRegistry(rules)
    people.load_json(data)
    return people


def roles_from_json(data: dict[str, list[dict[str, Any]]]) -> RoleIndex:
    return RoleIndex({pid: [Title.from_json(t) for t in ts] for pid, ts in data.items()})


def roles_to_json(roles: RoleIndex) -> dict[str, list[dict[str, Any]]]:
    return {pid: [t.to_json() for t in ts] for pid, ts in roles.titles.items()}


def parse_parsed(parsed: list[Parsed], rules: RuleSet) -> list[Parse]:
    collector = PeopleRegistry(rules)
    return [Parse(document_evidence(p, collector), docs_to_bytes(p)) for p in parsed]


def parse_batch(documents: list[Document], nlp: Any, rules: RuleSet) -> list[Parse]:
    return parse_parsed(parse_many(documents, nlp), rules)


def _decoded(items: list[Item] | list[Parsed], nlp: Any) -> list[Parsed]:
    return [it if isinstance(it, Parsed) else docs_from_bytes(it[0], it[1], nlp.vocab)
            for it in items]


def roles_batch(items: list[Item] | list[Parsed], nlp: Any, rules: RuleSet,
                people: PeopleRegistry) -> list[Extracted]:
    out = []
    for parsed in _decoded(items, nlp):
        log = ReadLog()
        facts = document_roles(parsed, rules, people, log)
        out.append(Extracted(facts, log))
    return out


def facts_batch(items: list[Item] | list[Parsed], nlp: Any, rules: RuleSet,
                people: PeopleRegistry, roles: RoleIndex) -> list[Extracted]:
    out = []
    for parsed in _decoded(items, nlp):
        log = ReadLog()
        facts = document_facts(parsed, rules, people, roles, log)
        out.append(Extracted(facts, log))
    return out


def facts_of(extracted: Extracted) -> list[Fact]:
    return extracted.facts
