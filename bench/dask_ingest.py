"""Indexing a partitioned archive with Dask: the stages of ``factlint.ingest`` on a dask.bag.

    .venv/bin/pip install "dask[bag]"
    .venv/bin/python bench/dask_ingest.py CORPUS_DIR [--partitions 8] [--scheduler processes]

Each map is a pure function of one document (its parse travels as DocBin bytes); each reduce
runs here, over the results in corpus order (a bag keeps the order of its sequence), so the
facts equal ``factlint index``'s. With a ``dask.distributed`` Client, the same code runs on a
cluster: the workers need factlint and the spaCy model installed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from factlint.extract import RoleIndex
from factlint.facts import Fact
from factlint.ingest import (
    Document,
    docs_from_bytes,
    docs_to_bytes,
    document_facts,
    document_names,
    document_roles,
    merge_facts,
    merge_people,
    merge_roles,
    parse_document,
)
from factlint.people import PeopleRegistry
from factlint.rules import RuleSet
from factlint.titles import Title

_NLP: Any = None


def _nlp() -> Any:
    """The spaCy pipeline, loaded once per worker process."""
    global _NLP
    if _NLP is None:
        from factlint.nlp import load_pipeline

        _NLP = load_pipeline()
    return _NLP


def _parse(doc: Document) -> tuple[Document, bytes]:
    return doc, docs_to_bytes(parse_document(doc, _nlp()))


def _names(part: list[tuple[Document, bytes]]) -> list[Any]:
    return [document_names(docs_from_bytes(d, b, _nlp().vocab)) for d, b in part]


def _people(rules: RuleSet, registry: dict[str, Any]) -> PeopleRegistry:
    people = PeopleRegistry(rules)
    people.load_json(registry)
    return people


def _roles(part: list[tuple[Document, bytes]], rules: RuleSet,
           registry: dict[str, Any]) -> list[list[Fact]]:
    people = _people(rules, registry)
    return [document_roles(docs_from_bytes(d, b, _nlp().vocab), rules, people) for d, b in part]


def _facts(part: list[tuple[Document, bytes]], rules: RuleSet, registry: dict[str, Any],
           titles: dict[str, list[dict[str, Any]]]) -> list[list[Fact]]:
    people = _people(rules, registry)
    roles = RoleIndex({pid: [Title.from_json(t) for t in ts] for pid, ts in titles.items()})
    return [document_facts(docs_from_bytes(d, b, _nlp().vocab), rules, people, roles)
            for d, b in part]


def ingest(documents: list[Document], rules: RuleSet, partitions: int = 4,
           scheduler: str = "sync") -> tuple[list[Fact], PeopleRegistry, RoleIndex]:
    import dask
    import dask.bag as db

    with dask.config.set(scheduler=scheduler):
        parsed = db.from_sequence(documents, npartitions=partitions).map(_parse).persist()
        people = merge_people(rules, parsed.map_partitions(_names).compute())
        registry = people.to_json()
        role_lists = parsed.map_partitions(_roles, rules, registry).compute()
        roles = merge_roles(role_lists)
        titles = {pid: [t.to_json() for t in ts] for pid, ts in roles.titles.items()}
        other = parsed.map_partitions(_facts, rules, registry, titles).compute()
    return merge_facts(role_lists, other), people, roles


def main() -> None:
    from factlint.corpus import read_corpus
    from factlint.rules import load_rules

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--scheduler", default="processes")
    args = parser.parse_args()
    docs = [Document(str(f.path), f.display, f.text) for f in read_corpus([args.corpus])]
    t0 = time.perf_counter()
    facts, people, _ = ingest(docs, load_rules([]), args.partitions, args.scheduler)
    print(f"{len(docs)} articles, {len(facts)} facts, {len(people.persons)} persons in "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
