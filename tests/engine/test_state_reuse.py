"""A paragraph's result is reused for any incoming discourse state that agrees with what it
read of the state it was checked in; the state after it is then worked out, not re-read.

The property: for every pair of incoming states on which a paragraph's ``StateUse`` holds,
extracting it in the second gives the same facts, and ``StateUse.after`` gives the state
extraction leaves. And a draft checked through the cache equals one checked from scratch.
"""

from __future__ import annotations

import itertools
import random

import pytest
from test_incremental import _check

from factlint import check as check_module
from factlint.check import ParagraphCache
from factlint.extract import INITIAL_STATE, Paragraph
from factlint.facts import Provenance

# paragraphs whose reading depends on the state in different ways (who "he" is, a pending
# speaker, a title without a name, "the N-year-old"), and ones that depend on none of it
PARAGRAPHS = [
    "Lavrov spoke to reporters.",
    '"We aim to establish a beginning to the end of the war," he said.',
    "Zelensky spoke to reporters in Kyiv on Monday.",
    "Kallas told a democracy conference in Oslo:",
    '"I think it would be a positive development if they can meet."',
    "The Bryansk collapse killed nine people.",
    "Putin and Zelensky last met in 2021.",
    "The spokesman said no meeting was planned.",
    "Dmitry Peskov, 57, spoke again on Tuesday. The 57-year-old declined to comment.",
    "She said the talks would go on.",
    "Russia invaded Ukraine in February 2022.",
    "The mayor, Anne Hidalgo, opened the new tram line in Paris.",
    '"This changes everything for commuters," she said.',
    "The company reported revenue of $4.2 billion for the quarter.",
    "Dmitry Peskov spoke.",
    "The 57-year-old declined to comment.",
]


def _prov(text: str):
    def prov(start: int, end: int) -> Provenance:
        return Provenance("<draft>", "", 1, start, end, text[start:end])
    return prov


_DOCS: dict[str, object] = {}


def _extract(engine, text: str, state):
    from factlint.check import _draft_extractor

    index = engine.load_corpus()
    extractor = _draft_extractor(engine.rules, index)
    doc = _DOCS.get(text)
    if doc is None:
        doc = _DOCS[text] = engine.nlp(text)
    return extractor.extract_paragraph(Paragraph(doc, 0), _prov(text), state)


def _states(engine) -> list:
    """Incoming states as drafts produce them: after every prefix of a few orders."""
    out = [INITIAL_STATE]
    rng = random.Random(11)
    for _ in range(4):
        order = PARAGRAPHS[:]
        rng.shuffle(order)
        state = INITIAL_STATE
        for text in order[:6]:
            _facts, state, _use = _extract(engine, text, state)
            out.append(state)
    return list(dict.fromkeys(out))


def test_what_a_paragraph_reads_of_the_state(engine) -> None:
    states = _states(engine)
    reads = {text: set() for text in PARAGRAPHS}
    for text, state in itertools.product(PARAGRAPHS, states):
        reads[text] |= set(_extract(engine, text, state)[2].reads)
    assert reads["The Bryansk collapse killed nine people."] == set()
    assert reads["Russia invaded Ukraine in February 2022."] == set()
    assert "focus" in reads['"We aim to establish a beginning to the end of the war," he said.']
    assert "focus" in reads["She said the talks would go on."]
    assert "pending" in reads['"I think it would be a positive development if they can meet."']
    assert "recent" in reads["The spokesman said no meeting was planned."]
    # "the N-year-old" is the one person the last sentence named, if that is the focus
    assert {"focus", "last"} <= reads["The 57-year-old declined to comment."]


def test_reused_facts_and_states_equal_extraction_in_the_new_state(engine) -> None:
    states = _states(engine)
    assert len(states) > 10
    reused = 0
    for text in PARAGRAPHS:
        runs = {state: _extract(engine, text, state) for state in states}
        for a, b in itertools.permutations(states, 2):
            facts_a, after_a, use = runs[a]
            if not use.holds_for(b):
                continue
            facts_b, after_b, _ = runs[b]
            assert facts_b == facts_a, (text, a, b)
            assert use.after(b, after_a) == after_b, (text, a, b)
            reused += 1
    assert reused > 100  # the property was tested on states that differ, not only equal ones


def test_random_edits_through_the_cache_equal_checks_from_scratch(engine) -> None:
    rng = random.Random(5)
    cache = ParagraphCache()
    paras = PARAGRAPHS[:9]
    fired = set()
    for _ in range(30):
        i = rng.randrange(len(paras))
        if rng.random() < 0.3:
            paras[i], paras[(i + 1) % len(paras)] = paras[(i + 1) % len(paras)], paras[i]
        else:
            paras[i] = rng.choice(PARAGRAPHS)
        text = "\n\n".join(paras) + "\n"
        got = _check(engine, text, cache)
        assert got == _check(engine, text, None)
        fired.update(d.code for d in got)
    assert "quote-speaker" in fired  # the states mattered to what was found


def test_a_changed_antecedent_rechecks_only_who_reads_it(engine, monkeypatch) -> None:
    checked: list[str] = []
    real = check_module._check_paragraph

    def counting(doc, original, *args, **kw):
        checked.append(original)
        return real(doc, original, *args, **kw)

    monkeypatch.setattr(check_module, "_check_paragraph", counting)
    cache = ParagraphCache()
    tail = ['"We aim to establish a beginning to the end of the war," he said.',
            "The Bryansk collapse killed seven people.",
            "Russia invaded Ukraine in February 2022."]
    first = "\n\n".join(["Zelensky spoke to reporters.", *tail]) + "\n"
    assert _check(engine, first, cache) == []
    checked.clear()
    second = first.replace("Zelensky spoke", "Lavrov spoke")
    found = _check(engine, second, cache)
    assert [d.code for d in found] == ["quote-speaker"]
    # the edited paragraph and the quotation whose "he" it names; not the two after them,
    # though the state they come in with (who was mentioned last) changed
    assert checked == ["Lavrov spoke to reporters.", tail[0]]
    assert found == _check(engine, second, None)


@pytest.mark.parametrize("variants", [1, 2])
def test_a_paragraph_keeps_results_for_several_states(engine, variants: int,
                                                      monkeypatch) -> None:
    monkeypatch.setattr(ParagraphCache, "VARIANTS", variants)
    cache = ParagraphCache()
    quote = '"We aim to establish a beginning to the end of the war," he said.'
    texts = [f"{who} spoke to reporters.\n\n{quote}\n" for who in ("Lavrov", "Zelensky")]
    for text in texts:
        _check(engine, text, cache)
    checked: list[str] = []
    real = check_module._check_paragraph
    monkeypatch.setattr(check_module, "_check_paragraph",
                        lambda doc, original, *a, **k: (checked.append(original),
                                                        real(doc, original, *a, **k))[1])
    for text in texts:
        cached = _check(engine, text, cache)
        assert cached == _check(engine, text, None)
        assert [d.code for d in cached] == (["quote-speaker"] if "Lavrov" in text else [])
    # with two results kept, both incoming states are answered from the cache
    assert checked.count(quote) == (2 * len(texts) if variants == 1 else len(texts))
