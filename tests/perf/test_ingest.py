"""Staged ingest (per-document map + ordered reduce) equals the original one-process build;
parallel ingest equals serial."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from reference import reference_facts

from factlint.corpus import build_index, read_corpus
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
    serial_ingest,
)
from factlint.people import PeopleRegistry


def _docs(folder: Path) -> list[Document]:
    return [Document(str(f.path), f.display, f.text) for f in read_corpus([folder])]


def _json(facts) -> list[dict]:
    return [f.to_json() for f in facts]


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_serial_ingest_equals_reference(which, request, rules, nlp) -> None:
    folder = request.getfixturevalue(which)
    ref, ref_people = reference_facts([folder], rules, nlp)
    facts, people, _ = serial_ingest(_docs(folder), rules, nlp)
    assert _json(facts) == _json(ref)
    assert people.to_json() == ref_people.to_json()


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_pure_stages_with_transport_equal_reference(which, request, rules, nlp) -> None:
    """Each stage as a pure function of one document, results pickled/JSON'd between stages
    as a distributed engine would, parses shipped as DocBin bytes."""
    folder = request.getfixturevalue(which)
    ref, ref_people = reference_facts([folder], rules, nlp)
    docs = _docs(folder)
    shipped = [(d, docs_to_bytes(parse_document(d, nlp))) for d in docs]
    names = pickle.loads(pickle.dumps([document_names(docs_from_bytes(d, b, nlp.vocab))
                                       for d, b in reversed(shipped)]))[::-1]
    people = merge_people(rules, names)
    assert people.to_json() == ref_people.to_json()
    broadcast = PeopleRegistry(rules)
    broadcast.load_json(json.loads(json.dumps(people.to_json())))
    parsed = [docs_from_bytes(d, b, nlp.vocab) for d, b in shipped]
    role_lists = pickle.loads(pickle.dumps([document_roles(p, rules, broadcast)
                                            for p in parsed]))
    roles = merge_roles(role_lists)
    other = [document_facts(p, rules, broadcast, roles) for p in parsed]
    assert _json(merge_facts(role_lists, other)) == _json(ref)


def test_parallel_build_equals_serial(synthetic: Path, rules, nlp, tmp_path: Path) -> None:
    serial = build_index([synthetic], rules, tmp_path / "a", nlp_factory=lambda: nlp, jobs=1)
    parallel = build_index([synthetic], rules, tmp_path / "b", nlp_factory=lambda: nlp, jobs=2)
    assert not parallel.from_cache
    assert _json(parallel.facts) == _json(serial.facts)
    assert parallel.people.to_json() == serial.people.to_json()
    assert parallel.roles.titles == serial.roles.titles
    again = build_index([synthetic], rules, tmp_path / "b", nlp_factory=lambda: nlp, jobs=2)
    assert again.from_cache and _json(again.facts) == _json(serial.facts)


def test_dask_bag_path_equals_serial(synthetic: Path, rules, nlp) -> None:
    """The docs/performance.md recipe: the same stages mapped with dask.bag."""
    pytest.importorskip("dask.bag")
    import dask_ingest

    docs = _docs(synthetic)
    facts, people, _ = dask_ingest.ingest(docs, rules, partitions=3)
    ref, ref_people = serial_ingest(docs, rules, nlp)[:2]
    assert _json(facts) == _json(ref)
    assert people.to_json() == ref_people.to_json()
