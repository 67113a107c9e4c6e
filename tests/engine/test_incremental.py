"""Per-paragraph result caching gives exactly the results of a check from scratch."""

from __future__ import annotations

import random

from factlint.check import ParagraphCache, check_draft

PARAGRAPHS = [
    "# Talks",
    "Lavrov spoke to reporters.",
    '"We aim to establish a beginning to the end of the war," he said.',
    "Putin and Zelensky last met in 2021.",
    "Kremlin spokesman Sergei Lavrov said no meeting was planned.",
    "The Bryansk collapse killed nine people.",
    '"I think it would be a positive development if they can meet," Kallas told a '
    "democracy conference in Oslo.",
    "Russia invaded Ukraine in February 2022.",
]
EDITS = [
    "Zelensky spoke to reporters.",  # changes who "he" is in the next paragraph
    "Putin and Zelensky last met in December 2019.",
    "The Bryansk collapse killed seven people.",
    "Moscow illegally annexed the Crimean peninsula in 2015.",
]


def _check(engine, text: str, results: ParagraphCache | None):
    index = engine.load_corpus()
    return check_draft(text, index, engine.rules, engine.nlp, markdown=True, results=results)


def test_edits_give_the_same_results_as_from_scratch(engine) -> None:
    rng = random.Random(7)
    cache = ParagraphCache()
    paras = list(PARAGRAPHS)
    for _ in range(12):
        i = rng.randrange(1, len(paras))
        paras[i] = rng.choice(EDITS + PARAGRAPHS[1:])
        text = "\n\n".join(paras) + "\n"
        assert _check(engine, text, cache) == _check(engine, text, None)


def test_context_change_reaches_cached_paragraph(engine) -> None:
    cache = ParagraphCache()
    first = "\n\n".join(PARAGRAPHS[:3]) + "\n"
    assert [d.code for d in _check(engine, first, cache)] == ["quote-speaker"]
    # only the antecedent changes: the quote paragraph must be re-resolved, not reused
    second = first.replace("Lavrov spoke", "Zelensky spoke")
    assert _check(engine, second, cache) == []


def test_an_unmoved_paragraph_hands_over_the_same_findings(engine) -> None:
    # the editor reuses what it converted for findings that are the same objects, so an
    # edit elsewhere must give those objects again, and a moved paragraph new positions
    cache = ParagraphCache()
    text = "\n\n".join(PARAGRAPHS) + "\n"
    before = _check(engine, text, cache)
    assert len(before) >= 2
    edited = text.replace("killed nine people", "killed seven people")
    after = _check(engine, edited, cache)
    unmoved = [d for d in before if d.range.start.line < 10]
    assert unmoved and all(any(a is d for a in after) for d in unmoved)
    moved = _check(engine, "Intro line.\n\n" + text, cache)
    assert [d.range.start.line for d in moved] == [d.range.start.line + 2 for d in before]
    assert moved == _check(engine, "Intro line.\n\n" + text, None)
