"""Where the per-document stages run: here, in ``--jobs`` worker processes, or on Dask.

A runner maps the functions of :mod:`factlint.index.stages` over batches; the reduces
between them (people registry, known titles) happen in the caller, in corpus order, so every
runner gives the same index.
"""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from factlint.errors import FactlintError
from factlint.extract import RoleIndex
from factlint.index import stages
from factlint.index.stages import Extracted, Item, Parse
from factlint.ingest import Document, Parsed, parse_many
from factlint.people import PeopleRegistry
from factlint.rules import RuleSet


class Runner(Protocol):
    def parse(self, documents: list[Document]) -> list[Parse]: ...

    def roles(self, items: list[Item], people: PeopleRegistry) -> list[Extracted]: ...

    def facts(self, items: list[Item], people: PeopleRegistry,
              roles: RoleIndex) -> list[Extracted]: ...

    def close(self) -> None: ...


class SerialRunner:
    """In this process; the parses of :meth:`parse` stay in memory for the later stages."""

    def __init__(self, rules: RuleSet, nlp_factory: Callable[[], Any]) -> None:
        self.rules, self._factory = rules, nlp_factory
        self._nlp: Any = None
        self._parsed: dict[str, Parsed] = {}

    def nlp_factory(self) -> Any:
        if self._nlp is None:
            self._nlp = self._factory()
        return self._nlp

    def parse(self, documents: list[Document]) -> list[Parse]:
        if not documents:
            return []
        parsed = parse_many(documents, self.nlp_factory())
        self._parsed.update((p.doc.path, p) for p in parsed)
        return stages.parse_parsed(parsed, self.rules)

    def _items(self, items: list[Item]) -> list[Any]:
        return [self._parsed.get(doc.path) or (doc, data) for doc, data in items]

    def roles(self, items: list[Item], people: PeopleRegistry) -> list[Extracted]:
        if not items:
            return []
        return stages.roles_batch(self._items(items), self.nlp_factory(), self.rules, people)

    def facts(self, items: list[Item], people: PeopleRegistry,
              roles: RoleIndex) -> list[Extracted]:
        if not items:
            return []
        return stages.facts_batch(self._items(items), self.nlp_factory(), self.rules, people,
                                  roles)

    def close(self) -> None:
        self._parsed.clear()


# ------------------------------------------------------------------------------ processes
_WORKER: dict[str, Any] = {}


def _init_worker(rules: RuleSet, model: str | None) -> None:
    from factlint.nlp import load_pipeline

    _WORKER["rules"], _WORKER["nlp"] = rules, load_pipeline(model)


def _people(state: dict[str, Any]) -> PeopleRegistry:
    """The registry of a broadcast state, rebuilt once per worker and state."""
    if _WORKER.get("version") != state["version"]:
        _WORKER["people"] = stages.registry_from_json(_WORKER["rules"], state["people"])
        _WORKER["roles"] = stages.roles_from_json(state["roles"]) if "roles" in state else None
        _WORKER["version"] = state["version"]
    return _WORKER["people"]


def task_in_worker(stage: str, state: dict[str, Any], batch: list[Any], rules: RuleSet,
                   model: str | None) -> list[Any]:
    """A stage over a batch in a long-lived worker of a cluster: the pipeline is loaded on
    the worker's first batch and kept."""
    if _WORKER.get("model", ...) != model or "nlp" not in _WORKER:
        _init_worker(rules, model)
        _WORKER["model"] = model
    _WORKER["rules"] = rules
    return _task(stage, state, batch)


def _task(stage: str, state: dict[str, Any], batch: list[Any]) -> list[Any]:
    rules, nlp = _WORKER["rules"], _WORKER["nlp"]
    if stage == "parse":
        return stages.parse_batch(batch, nlp, rules)
    people = _people(state)
    if stage == "roles":
        return stages.roles_batch(batch, nlp, rules, people)
    return stages.facts_batch(batch, nlp, rules, people, _WORKER["roles"])


def batches(items: Sequence[Any], n: int, size: Callable[[Any], int]) -> list[list[Any]]:
    """Contiguous runs of about equal total size, at most ``n`` of them."""
    total = sum(size(x) for x in items) or 1
    out: list[list[Any]] = [[] for _ in range(n)]
    acc = 0
    for x in items:
        out[min(n - 1, acc * n // total)].append(x)
        acc += size(x)
    return [b for b in out if b]


def broadcast_state(people: PeopleRegistry, roles: RoleIndex | None = None) -> dict[str, Any]:
    """What stages 2 and 3 need of the reduces, as JSON, with a version that is new for
    every state (workers rebuild the registry once per version)."""
    state: dict[str, Any] = {"version": uuid.uuid4().hex, "people": people.to_json()}
    if roles is not None:
        state["roles"] = stages.roles_to_json(roles)
    return state


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["factlint.index.runners", "spacy"])
        return ctx
    return multiprocessing.get_context("spawn")


def doc_size(x: Any) -> int:
    return len(x.text) if isinstance(x, Document) else len(x[0].text)


class MappedRunner:
    """A runner that maps each stage over batches somewhere else (:meth:`_map`), sending
    the reduces' state along."""

    def _map(self, stage: str, state: dict[str, Any], items: Sequence[Any]) -> list[Any]:
        raise NotImplementedError

    def parse(self, documents: list[Document]) -> list[Parse]:
        return self._map("parse", {}, documents)

    def roles(self, items: list[Item], people: PeopleRegistry) -> list[Extracted]:
        return self._map("roles", broadcast_state(people), items)

    def facts(self, items: list[Item], people: PeopleRegistry,
              roles: RoleIndex) -> list[Extracted]:
        return self._map("facts", broadcast_state(people, roles), items)


class ProcessRunner(MappedRunner):
    """In ``jobs`` worker processes, each loading the pipeline once."""

    def __init__(self, rules: RuleSet, model: str | None, jobs: int) -> None:
        self.jobs = jobs
        self.where = f"{jobs} processes"
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                                         initializer=_init_worker, initargs=(rules, model))

    def _map(self, stage: str, state: dict[str, Any], items: Sequence[Any]) -> list[Any]:
        if not items:
            return []
        parts = batches(items, self.jobs * 2, doc_size)
        try:
            results = list(self._pool.map(_task, [stage] * len(parts), [state] * len(parts),
                                          parts))
        except BrokenProcessPool as exc:
            raise FactlintError(f"an indexing worker process died ({exc}); try --jobs 1") \
                from None
        return [r for part in results for r in part]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
