"""The index (per-document stages, ordered reduces, SQL tables) holds exactly the facts of the
original one-process build; the stages shipped between processes as JSON and DocBin bytes,
and the ``--jobs`` build, give the same."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from reference import one_title_each, reference_facts

from factlint.corpus import build_index, read_corpus
from factlint.index import stages
from factlint.ingest import Document, merge_people, merge_roles
from factlint.name_evidence import NameEvidence


def _docs(folder: Path) -> list[Document]:
    return [Document(str(f.path), f.display, f.text) for f in read_corpus([folder])]


def _json(facts) -> list[dict]:
    return [f.to_json() for f in facts]


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_index_equals_reference(which, request, rules, nlp, tmp_path: Path) -> None:
    folder = request.getfixturevalue(which)
    ref, ref_people = reference_facts([folder], rules, nlp)
    index = build_index([folder], rules, tmp_path, nlp_factory=lambda: nlp)
    assert _json(index.facts) == _json(one_title_each(ref))
    assert index.people.to_json() == ref_people.to_json()


def _shipped(x):
    return pickle.loads(pickle.dumps(x))


@pytest.mark.parametrize("which", ["seeds", "synthetic"])
def test_pure_stages_with_transport_equal_reference(which, request, rules, nlp) -> None:
    """Each stage as a pure function of a batch of documents, its results pickled between
    stages as a distributed engine would, in batches of another order."""
    folder = request.getfixturevalue(which)
    ref, ref_people = reference_facts([folder], rules, nlp)
    docs = _docs(folder)
    parses = _shipped([p for d in reversed(docs) for p in stages.parse_batch([d], nlp, rules)])
    parses.reverse()
    people = merge_people(rules, [NameEvidence.from_json(p.evidence.to_json()) for p in parses])
    assert people.to_json() == ref_people.to_json()
    broadcast = stages.registry_from_json(rules, json.loads(json.dumps(people.to_json())))
    items = [(d, p.parse) for d, p in zip(docs, parses, strict=True)]
    role_out = _shipped(stages.roles_batch(items[::2], nlp, rules, broadcast)
                        + stages.roles_batch(items[1::2], nlp, rules, broadcast))
    role_lists = [stages.facts_of(r) for r in role_out]
    by_doc = dict(zip([d.path for d, _ in items[::2] + items[1::2]], role_lists, strict=True))
    roles = merge_roles([by_doc[d.path] for d in docs])
    other = stages.facts_batch(items, nlp, rules, broadcast, roles)
    facts = [f for d in docs for f in by_doc[d.path]]
    seen = set()
    for out in other:
        for f in stages.facts_of(out):
            sig = (f.kind, repr(f.key), repr(f.value), f.prov.text if f.prov else "")
            if sig not in seen:
                seen.add(sig)
                facts.append(f)
    assert _json(one_title_each(facts)) == _json(one_title_each(ref))


def test_parallel_build_equals_serial(synthetic: Path, rules, nlp, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import factlint.corpus
    from factlint.index import runners

    monkeypatch.setattr(factlint.corpus, "PARALLEL_FROM", 1)  # workers even for 12 articles
    started: list[int] = []
    real = runners.ProcessRunner.__init__

    def spy(self, rules, model, jobs) -> None:  # noqa: ANN001
        started.append(jobs)
        real(self, rules, model, jobs)

    monkeypatch.setattr(runners.ProcessRunner, "__init__", spy)
    serial = build_index([synthetic], rules, tmp_path / "a", nlp_factory=lambda: nlp, jobs=1)
    parallel = build_index([synthetic], rules, tmp_path / "b", nlp_factory=lambda: nlp, jobs=2)
    assert not parallel.from_cache and started == [2]
    assert _json(parallel.facts) == _json(serial.facts)
    assert parallel.people.to_json() == serial.people.to_json()
    assert parallel.roles.titles == serial.roles.titles
    again = build_index([synthetic], rules, tmp_path / "b", nlp_factory=lambda: nlp, jobs=2)
    assert again.from_cache and _json(again.facts) == _json(serial.facts)
