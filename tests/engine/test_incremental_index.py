"""An index brought up to date article by article equals one built from scratch.

A property test over random sequences of adding, changing and removing articles (from the
domain corpora and the seeds, and articles written to depend on each other: a surname that
only another article names in full, a title only another article gives), comparing after
every step everything a check reads: the facts in order, the people registry, the known
titles, the articles, the anchor statistics.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from factlint.corpus import build_index
from factlint.rules import load_rules

REPO = Path(__file__).resolve().parents[2]
POOL = sorted((REPO / "tests" / "domains").glob("*/corpus/*")) + sorted(
    (REPO / "seeds").glob("*.txt"))[:2]

# articles that change what other articles mean
LINKED = {
    "parker-bare.txt": "Parker said the bridge would reopen in May.\n\n"
                       "The mayor said the repairs had cost 4 million pounds.\n",
    "parker-full.txt": "Mayor Jo Parker visited the bridge on Tuesday.\n\n"
                       "\"We will not cut corners,\" Jo Parker said.\n",
    "parker-other.txt": "Sam Parker, a local engineer, said the bridge was safe.\n",
}


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _state(index) -> dict:
    db = index.db
    return {
        "facts": [f.to_json() for f in index.facts],
        "people": index.people.to_json(),
        "roles": {p: [t.to_json() for t in ts] for p, ts in index.roles.titles.items()},
        "files": index.files,
        "df": sorted(db._query("SELECT word, pfx, n FROM df")),
        "terms": sorted(db._query("SELECT term, n FROM term_counts")),
        "sentences": db.n_sentences,
        "count": len(index.facts),
    }


def _write(path: Path, text: str, tick: list[int]) -> None:
    path.write_text(text, encoding="utf-8")
    tick[0] += 1_000_000_000  # a new mtime even when the size is the same
    os.utime(path, ns=(tick[0], tick[0]))


def _texts() -> dict[str, str]:
    out = {f"{p.parent.parent.name}-{p.name}": p.read_text(encoding="utf-8") for p in POOL}
    out.update(LINKED)
    return out


def _step(rng: random.Random, corpus: Path, texts: dict[str, str], tick: list[int]) -> str:
    present = sorted(p.name for p in corpus.iterdir())
    absent = sorted(set(texts) - set(present))
    moves = ["add"] * bool(absent) + ["remove", "change", "edit"] * (len(present) > 1)
    move = rng.choice(moves)
    if move == "add":
        name = rng.choice(absent)
        _write(corpus / name, texts[name], tick)
    elif move == "remove":
        name = rng.choice(present)
        (corpus / name).unlink()
    elif move == "change":  # another article's text under this name
        name = rng.choice(present)
        _write(corpus / name, texts[rng.choice(sorted(texts))], tick)
    else:  # a paragraph of another article appended
        name = rng.choice(present)
        para = rng.choice(texts[rng.choice(sorted(texts))].split("\n\n"))
        _write(corpus / name, (corpus / name).read_text() + "\n\n" + para.strip() + "\n", tick)
    return f"{move} {name}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_updates_equal_a_full_rebuild(seed: int, tmp_path: Path, engine,
                                             rules) -> None:
    rng = random.Random(seed)
    texts = _texts()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tick = [1_700_000_000_000_000_000]
    for name in rng.sample(sorted(texts), 5):
        _write(corpus / name, texts[name], tick)
    nlp = lambda: engine.nlp  # noqa: E731
    build_index([corpus], rules, tmp_path / "inc", nlp)
    history = []
    for n in range(6):
        history.append(_step(rng, corpus, texts, tick))
        incremental = build_index([corpus], rules, tmp_path / "inc", nlp)
        full = build_index([corpus], rules, tmp_path / f"full-{n}", nlp)
        assert incremental.report.generation > 1 and full.report.generation == 1
        assert _state(incremental) == _state(full), history


def test_an_article_that_names_someone_in_full_updates_the_others(tmp_path: Path, engine,
                                                                 rules) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tick = [1_700_000_000_000_000_000]
    _write(corpus / "a.txt", LINKED["parker-bare.txt"], tick)
    nlp = lambda: engine.nlp  # noqa: E731
    before = build_index([corpus], rules, tmp_path / "inc", nlp)
    assert not [f for f in before.facts if f.kind == "role"]
    _write(corpus / "b.txt", LINKED["parker-full.txt"], tick)
    after = build_index([corpus], rules, tmp_path / "inc", nlp)
    # only b.txt is parsed; a.txt is re-extracted because "Parker" now names someone
    assert after.report.added == [after.files[1]] and after.report.reextracted == 1
    assert _state(after) == _state(build_index([corpus], rules, tmp_path / "full", nlp))
    # an unrelated article re-extracts nothing
    _write(corpus / "c.txt", texts_of("business")[0], tick)
    third = build_index([corpus], rules, tmp_path / "inc", nlp)
    assert third.report.reextracted == 0 and len(third.report.added) == 1


def texts_of(domain: str) -> list[str]:
    return [p.read_text(encoding="utf-8")
            for p in sorted((REPO / "tests" / "domains" / domain / "corpus").glob("*"))]


def test_nothing_changed_reads_no_article(tmp_path: Path, engine, rules,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "tests" / "domains" / "sport" / "corpus", corpus)
    build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    reads: list[str] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        reads.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    again = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    assert again.from_cache and reads == []
    (corpus / sorted(p.name for p in corpus.iterdir())[0]).touch()  # new mtime, same text
    touched = build_index([corpus], rules, tmp_path / "inc", lambda: engine.nlp)
    assert touched.from_cache and len(reads) == 1
