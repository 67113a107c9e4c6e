"""The gazetteer's SQLite file: a name new to the process is read from every table in one
query, and what that gives equals reading each table on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from factlint import gazetteer as gz

NAMES = ["france", "paris", "texas", "kinshasa", "springfield", "wembley", "london", "kasai",
         "nowhereville", "new york", "georgia", "ukraine", "kyiv", "bavaria", "sao paulo"]


def _fresh(prefetch: bool) -> tuple[gz.Gazetteer, list[str]]:
    gz.gazetteer()  # compiled and saved once
    path = next(p for p in gz.gazetteer().regions._path.parent.glob("gazetteer-*.sqlite"))
    g = gz._open(Path(path))
    assert g is not None
    statements: list[str] = []
    g.regions._con.set_trace_callback(statements.append)
    if not prefetch:
        g._prefetch = None
    return g, statements


def test_one_query_per_new_name_same_answers() -> None:
    if not isinstance(gz.gazetteer().regions, gz._Table):
        pytest.skip("no gazetteer file could be written here")
    with_all, queries = _fresh(prefetch=True)
    by_table, table_queries = _fresh(prefetch=False)
    for name in NAMES:
        assert with_all.known(name) == by_table.known(name), name
    assert len(queries) == len(NAMES)
    assert len(table_queries) > 3 * len(NAMES)
    for a in NAMES:
        for b in NAMES:
            assert with_all.agree(a, b) == by_table.agree(a, b), (a, b)
    assert len(queries) == len(NAMES)  # agreeing read nothing more


def test_a_damaged_table_still_answers(tmp_path: Path) -> None:
    if not isinstance(gz.gazetteer().regions, gz._Table):
        pytest.skip("no gazetteer file could be written here")
    good, _ = _fresh(prefetch=True)
    expected = {n: good.known(n) for n in NAMES}
    copy = tmp_path / good.regions._path.name
    copy.write_bytes(good.regions._path.read_bytes())
    damaged = gz._open(copy)
    assert damaged is not None
    damaged.cities._compiled = gz._compile().cities  # as after a failed read
    assert {n: damaged.known(n) for n in NAMES} == expected
