"""The pipeline factlint loads behaves like the stock model, plus the glued-name split."""

from __future__ import annotations

import importlib

from factlint.nlp import DEFAULT_MODELS, is_glued
from factlint.resources import bundled_seeds


def test_deferred_tokenizer_tokenises_like_the_stock_model(engine) -> None:
    name = next(n for n in DEFAULT_MODELS if importlib.util.find_spec(n))
    stock = importlib.import_module(name).load()
    ours = engine.nlp
    for path in sorted(bundled_seeds().glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or is_glued(line):
                continue  # glued words are split on purpose (next test)
            assert [t.text for t in ours.tokenizer(line)] == [t.text for t in stock.tokenizer(line)]


def test_glued_words_are_split(engine) -> None:
    words = [t.text for t in engine.nlp.tokenizer("Moscow's stanceTrump stated")]
    assert words[-3:] == ["stance", "Trump", "stated"]
    assert [t.text for t in engine.nlp.tokenizer("McDonald and iPhone")] == ["McDonald", "and",
                                                                          "iPhone"]


def test_spacy_cli_is_not_imported_at_start_up_and_still_works() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from factlint.nlp import load_pipeline\n"
        "nlp = load_pipeline()\n"
        "assert len(nlp('A short sentence.')) == 4\n"
        "print('typer' in sys.modules, 'weasel' in sys.modules)\n"
        "import spacy, spacy.cli\n"
        "print(callable(spacy.cli.download), callable(spacy.info))\n"
        "from spacy.cli.info import info\n"
        "print(info(markdown=True, silent=True)[:20] != '')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False", "True", "True", "True"]


def test_grouped_entry_points_are_those_catalogue_selects() -> None:
    """The start-up shortcut changes no registry's answer: every group gives the same entry
    points, in the same order, as a fresh reading of the installed packages."""
    import importlib.metadata as md

    from factlint.nlp import _GroupedEntryPoints

    fresh = md.entry_points()
    grouped = _GroupedEntryPoints(fresh)
    groups = {ep.group for eps in (dict.values(fresh) if isinstance(fresh, dict) else [fresh])
              for ep in eps}
    assert "spacy_models" in groups  # the pipeline package itself registers one
    for group in sorted(groups) + ["no_such_group"]:
        assert list(grouped.select(group=group)) == list(fresh.select(group=group)), group
