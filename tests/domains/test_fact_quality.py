"""Fact quality over the domain corpora (our own articles, six beats): quotations get their
right speaker, names and titles come out whole, every fact keeps its provenance.

``quote_speakers.yml`` lists every quotation of 4+ words in the corpora with its speaker as
an editor reads the article (resolving "he said", quotes running over paragraphs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factlint.config import EngineConfig
from factlint.corpus import CorpusIndex
from factlint.engine import Engine
from factlint.names import fold

HERE = Path(__file__).resolve().parent
LABELS = yaml.safe_load((HERE / "quote_speakers.yml").read_text(encoding="utf-8"))
DOMAINS = sorted({label["file"].split("/")[0] for label in LABELS})
PARTICLES = {"le", "la", "de", "del", "der", "van", "von", "da", "di", "du", "al", "bin"}


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CorpusIndex]:
    cache = tmp_path_factory.mktemp("quality")
    return {d: Engine(EngineConfig(corpus=[HERE / d / "corpus"], cache_dir=cache)).load_corpus()
            for d in DOMAINS}


def _attributed(index: CorpusIndex, label: dict) -> str | None:
    """The display name of the speaker the index gives the labelled quotation ("" when it
    made no quote fact of it)."""
    name = Path(label["file"]).name
    found = [f for f in index.of_kind("quote") if f.prov and Path(f.prov.path).name == name
             and label["quote"][:30] in f.value["text"]]
    if not found:
        return ""
    pid = found[0].value.get("speaker")
    return index.people.display_names().get(pid, pid) if pid else None


def test_at_least_nine_in_ten_quotations_get_their_right_speaker(indexes) -> None:
    assert len(LABELS) >= 50
    wrong = []
    for label in LABELS:
        got = _attributed(indexes[label["file"].split("/")[0]], label)
        want = label["speaker"]
        right = (got in ("", None)) if want is None else bool(got) and fold(want) in fold(got)
        if not right:
            wrong.append((label["file"], label["quote"], want, got))
    share = 1 - len(wrong) / len(LABELS)
    assert share >= 0.9, wrong
    # a quotation given to someone else is worse than one left unattributed
    assert not [w for w in wrong if w[3]], wrong


def test_names_and_titles_come_out_whole(indexes) -> None:
    for domain, index in indexes.items():
        text = " ".join(p.read_text(encoding="utf-8")
                        for p in (HERE / domain / "corpus").iterdir())
        lexicon = index.people.titles
        for name in index.people.display_names().values():
            words = name.split()
            assert fold(words[-1]) not in PARTICLES, (domain, name)  # "Marine Le"
            assert not lexicon.is_head_word(words[0]) or len(words) == 1, (domain, name)
            assert name in text, (domain, name)  # written so somewhere, not pieced together
        for f in index.of_kind("role"):
            assert f.value["title"] in text, (domain, f.value["title"])


def test_every_fact_keeps_its_provenance(indexes) -> None:
    for domain, index in indexes.items():
        facts = list(index.facts)
        assert len(facts) > 20, domain
        for f in facts:
            assert f.prov is not None, f
            source = Path(f.prov.path).read_text(encoding="utf-8")
            assert source[f.prov.start:f.prov.end] == f.prov.text, f
            assert source.count("\n", 0, f.prov.start) + 1 == f.prov.line, f
