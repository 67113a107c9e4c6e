"""Acceptance: every direct quotation of 4+ words in the seeds has its correct speaker."""

from __future__ import annotations

import pytest

# (file prefix, line, start of the quotation, speaker) — read off the seed articles by hand
EXPECTED = [
    ("000", 4, "How can such meetings be held", "Vladimir Putin"),
    ("000", 6, "To continue diplomatic meetings in Istanbul", "Volodymyr Zelensky"),
    ("000", 13, "Why should they be rewarded", "Vladimir Putin"),
    ("000", 15, "are going on and should go on", "Volodymyr Zelensky"),
    ("000", 17, "the further course of negotiations", "Andriy Yermak"),
    ("000", 18, "I emphasized that Ukraine has done", "Andriy Yermak"),
    ("000", 18, "That is why additional sanctions", "Andriy Yermak"),
    ("001", 15, "Truth be told, this is unlikely", "Dmitry Peskov"),
    ("001", 15, "President Putin supports such contacts", "Dmitry Peskov"),
    ("002", 7, "This is his war", "Volodymyr Zelensky"),
    ("002", 7, "so the negotiations should be conducted", "Volodymyr Zelensky"),
    ("002", 11, "I am unaware of the U.S. president", "Volodymyr Zelensky"),
    ("002", 12, "Putin is not interested in ending", "Volodymyr Zelensky"),
    ("002", 19, "We aim to establish a beginning", "Volodymyr Zelensky"),
    ("002", 19, "He (Putin) is afraid of direct talks", "Volodymyr Zelensky"),
    ("002", 21, "I think it would be a positive development", "Kaja Kallas"),
    ("002", 21, "but I doubt that Putin dares", "Kaja Kallas"),
    ("002", 26, "We will announce it as soon as", "Dmitry Peskov"),
    ("002", 29, "We’ll see if we can get it done", "Donald Trump"),
    ("002", 31, "We hope President Putin will also be there", "Keith Kellogg"),
    ("002", 32, "I genuinely believe we can achieve peace", "Keith Kellogg"),
    ("003", 5, "I have never refused the possibility", "Vladimir Putin"),
    ("003", 12, "We are not fighting for land", "Vladimir Putin"),
    ("003", 18, "I am very disappointed in him", "Donald Trump"),
    ("004", 2, "ready to meet Zelensky", "Sergei Lavrov"),
    ("004", 2, "the agenda is not ready at all", "Sergei Lavrov"),
    ("004", 3, "no agreements with the Russians", "Volodymyr Zelensky"),
    ("004", 3, "trying to wriggle out of holding a meeting", "Volodymyr Zelensky"),
    ("004", 4, "a utopia, a road to nowhere", "Moscow"),
    ("004", 5, "never again attempt to take one square", "Mark Rutte"),
]


def _quotes(engine):
    index = engine.load_corpus()
    return [f for f in index.of_kind("quote") if not f.value.get("joined")], index


@pytest.mark.parametrize("prefix,line,start,speaker", EXPECTED,
                         ids=[f"{p}:{ln}:{s[:20]}" for p, ln, s, _ in EXPECTED])
def test_seed_quote_speaker(engine, prefix, line, start, speaker) -> None:
    quotes, index = _quotes(engine)
    found = [f for f in quotes if f.prov.source.split("/")[-1].startswith(prefix)
             and f.prov.line == line and f.value["text"].startswith(start)]
    assert found, f"quotation not extracted: {start!r}"
    assert index.people.name(found[0].value["speaker"]) == speaker


def test_every_long_seed_quote_is_listed_and_attributed(engine) -> None:
    quotes, index = _quotes(engine)
    long_quotes = {(f.prov.source.split("/")[-1][:3], f.prov.line, f.value["text"])
                   for f in quotes if len(f.value["words"]) >= 4}
    # the repeated paragraphs of 004 (lines 10-17) are indexed once
    assert len(long_quotes) == len(EXPECTED)
    for f in quotes:
        if len(f.value["words"]) >= 4:
            sp = f.value["speaker"]
            assert sp is not None, f.value["text"]
            assert sp.lower() not in ("he", "she", "they"), "no pronoun left as speaker"
