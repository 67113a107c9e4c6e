"""The pre-ingest indexing path (one process, PeopleRegistry.build over all parses, roles
pass, facts pass), kept as the reference the staged ingest must reproduce exactly."""

from __future__ import annotations

from typing import Any

from factlint.corpus import file_paragraphs, read_corpus
from factlint.extract import Extractor, Paragraph, RoleIndex
from factlint.facts import Fact
from factlint.ingest import Document, provenance_factory
from factlint.people import PeopleRegistry
from factlint.textblocks import flatten
from factlint.titles import Title


def reference_facts(paths: list, rules: Any, nlp: Any) -> tuple[list[Fact], PeopleRegistry]:
    files = read_corpus(paths)
    parsed = []
    for f in files:
        masked, spans = file_paragraphs(f.text, f.path.suffix.lower() in (".md", ".markdown"))
        texts = [flatten(masked[s:e]) for s, e in spans]
        docs = list(nlp.pipe(texts, batch_size=64))
        parsed.append((Document(str(f.path), f.display, f.text),
                       [Paragraph(d, s) for d, (s, _) in zip(docs, spans, strict=True)]))
    people = PeopleRegistry(rules)
    people.build([p.doc for _, paras in parsed for p in paras])
    roles = RoleIndex()
    facts: list[Fact] = []
    role_extractor = Extractor(rules, people, roles)
    for doc, paras in parsed:
        for fact in role_extractor.extract(paras, provenance_factory(doc), kinds=("role",)):
            roles.add(fact.key["person"], Title.from_json(fact.value["parsed"]))
            facts.append(fact)
    extractor = Extractor(rules, people, roles)
    seen: set = set()
    for doc, paras in parsed:
        for fact in extractor.extract(paras, provenance_factory(doc),
                                      kinds=("quote", "date", "count", "place")):
            sig = (fact.kind, repr(fact.key), repr(fact.value), fact.prov.text if fact.prov else "")
            if sig in seen:
                continue
            seen.add(sig)
            facts.append(fact)
    return facts, people


def one_title_each(facts: list) -> list:
    """The index keeps one title fact per person and title, the first in corpus order (its
    later copies, in other sentences, are evidence only): the reference's facts so."""
    import json

    seen: set = set()
    out = []
    for f in facts:
        if f.kind == "role":
            sig = json.dumps([f.key, f.value], sort_keys=True)
            if sig in seen:
                continue
            seen.add(sig)
        out.append(f)
    return out
