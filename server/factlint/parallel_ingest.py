"""Index building in ``--jobs N`` worker processes.

The corpus is cut into N contiguous shards of about equal text size. Each worker loads the
spaCy pipeline once, parses its shard (one ``nlp.pipe`` over all its paragraphs) and keeps the
parses in memory for the three stages of :mod:`factlint.ingest`; between stages the parent
runs the reduce (person registry, then known titles) over the shards' results in corpus order
and sends the outcome back. Only small data crosses process boundaries: name evidence, the
registry and roles as JSON, and the facts. The result equals a serial build exactly.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any

from factlint.errors import FactlintError
from factlint.extract import RoleIndex
from factlint.facts import Fact
from factlint.ingest import (
    Document,
    document_facts,
    document_names,
    document_roles,
    merge_facts,
    merge_people,
    merge_roles,
    parse_many,
)
from factlint.people import PeopleRegistry
from factlint.rules import RuleSet
from factlint.titles import Title


def shards(documents: list[Document], n: int) -> list[list[Document]]:
    """Contiguous runs of documents with about equal total text length."""
    total = sum(len(d.text) for d in documents) or 1
    out: list[list[Document]] = [[] for _ in range(n)]
    acc = 0
    for d in documents:
        i = min(n - 1, acc * n // total)
        out[i].append(d)
        acc += len(d.text)
    return [s for s in out if s]


def _worker(conn: Any, documents: list[Document], rules: RuleSet, model: str | None) -> None:
    try:
        from factlint.nlp import load_pipeline

        nlp = load_pipeline(model)
        parsed = parse_many(documents, nlp)
        conn.send(("names", [document_names(p) for p in parsed]))
        people = PeopleRegistry(rules)
        people.load_json(conn.recv())
        role_facts = [document_roles(p, rules, people) for p in parsed]
        conn.send(("roles", role_facts))
        roles = RoleIndex({pid: [Title.from_json(t) for t in ts]
                           for pid, ts in conn.recv().items()})
        conn.send(("facts", [document_facts(p, rules, people, roles) for p in parsed]))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["factlint.parallel_ingest", "spacy"])
        return ctx
    return multiprocessing.get_context("spawn")


def parallel_ingest(documents: list[Document], rules: RuleSet, model: str | None, jobs: int,
                    progress: Callable[[str, int, int], None] | None = None,
                    ) -> tuple[list[Fact], PeopleRegistry, RoleIndex]:
    parts = shards(documents, jobs)
    ctx = _context()
    conns = []
    procs = []
    for part in parts:
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_worker, args=(child, part, rules, model), daemon=True)
        p.start()
        child.close()
        conns.append(parent)
        procs.append(p)

    def gather(stage: str) -> list[Any]:
        out = []
        for c in conns:
            try:
                kind, data = c.recv()
            except EOFError:
                raise FactlintError("an indexing worker process died; try --jobs 1") from None
            if kind == "error":
                raise FactlintError(f"indexing worker failed:\n{data}")
            assert kind == stage, (kind, stage)
            out.extend(data)
        return out

    total = len(documents)
    try:
        if progress:
            progress(f"parsing {total} articles in {len(parts)} processes", 0, total)
        names = gather("names")
        people = merge_people(rules, names)
        registry = people.to_json()
        for c in conns:
            c.send(registry)
        if progress:
            progress("extracting titles", total // 3, total)
        role_lists = gather("roles")
        roles = merge_roles(role_lists)
        titles = {pid: [t.to_json() for t in ts] for pid, ts in roles.titles.items()}
        for c in conns:
            c.send(titles)
        if progress:
            progress("extracting facts", 2 * total // 3, total)
        other = gather("facts")
    finally:
        for c in conns:
            c.close()
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
    return merge_facts(role_lists, other), people, roles
