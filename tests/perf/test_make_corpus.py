"""bench/make_corpus.py: deterministic by seed, and facts grow with N."""

from __future__ import annotations

from pathlib import Path

from make_corpus import make_corpus, make_drafts


def _read(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    make_corpus(15, tmp_path / "a", seed=7)
    make_corpus(15, tmp_path / "b", seed=7)
    assert _read(tmp_path / "a") == _read(tmp_path / "b")
    assert len(_read(tmp_path / "a")) == 15


def test_other_seed_other_text_and_prefix_stable(tmp_path: Path) -> None:
    make_corpus(5, tmp_path / "a", seed=1)
    make_corpus(5, tmp_path / "b", seed=2)
    make_corpus(8, tmp_path / "c", seed=1)
    a, b, c = _read(tmp_path / "a"), _read(tmp_path / "b"), _read(tmp_path / "c")
    assert a != b
    assert all(c[name] == data for name, data in a.items())  # a bigger N extends the corpus


def test_news_like_features(tmp_path: Path) -> None:
    make_corpus(3, tmp_path, seed=0)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir()))
    for marker in ("Minister", "for talks in", "told reporters in", "annexed the",
                   "have not met since", "killed", "-day ceasefire", "\u201c", " said"):
        assert marker in text, marker


def test_drafts_deterministic() -> None:
    assert make_drafts(2, 300, seed=4) == make_drafts(2, 300, seed=4)
    assert all(len(d.split()) >= 300 for d in make_drafts(2, 300, seed=4))


def test_fact_count_grows_with_n(tmp_path: Path, rules, nlp) -> None:
    from factlint.corpus import build_index

    counts = []
    for n in (2, 6):
        folder = tmp_path / str(n)
        make_corpus(n, folder, seed=0)
        facts = list(build_index([folder], rules, tmp_path / "cache", lambda: nlp).facts)
        counts.append(len(facts))
        assert {f.kind for f in facts} >= {"quote", "role", "date", "count", "place"}
    assert counts[1] > 2 * counts[0]
