"""Parsing a draft chunk by chunk gives what one parse of the whole text gives.

The chunks are what lets an edit re-parse one paragraph, so a cut that splits a construct
running over blank lines (fenced code, front matter, an HTML comment, a loose list item)
would change what is checked. Generated drafts mix those constructs; each is parsed both
ways and compared: masked text, blocks and suppressions.
"""

from __future__ import annotations

import random

import pytest

from factlint import drafts
from factlint.draft_chunks import chunks

PARTS = [
    "The council approved the budget on 4 March, the mayor said.",
    "# Heading one",
    "Setext heading\n==============",
    "- first item\n- second item",
    "- loose item\n\n  still the loose item, indented\n\n- next item",
    "1. numbered\n\n   continued paragraph of the item",
    "> a quote block\n> over two lines",
    "```\ncode line\n\nmore code after a blank line\n```",
    "~~~python\nx = 1\n\n\ny = 2\n~~~",
    "```\nan unclosed fence\n\nruns to the end",
    "    indented code\n\n    more indented code",
    "<!-- a comment\n\nover a blank line -->",
    "<!-- factlint-disable-next-line date -->",
    "<!-- factlint-disable -->",
    "<!-- factlint-enable -->",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Text with `inline code` and a [link](http://example.com/x) in it.",
    "<div>\nraw html block\n</div>",
    "<pre>\npreformatted\n\nover a blank\n</pre>",
    "***",
    "Wrapped paragraph line one\nand its second line, lazily continued.",
    "  Indented by two spaces, a paragraph still.",
    "\t\ttabbed line",
    "Line with CRLF\r\nendings in it.",
    "  ```\nfence indented by two\n\ncode\n  ```",
    "- ```\n  fence in a list item\n\n  more\n  ```",
    "Para with an <!-- inline\n\ncomment --> in it.",
    "<!-- unclosed comment",
    "<span>\n```\nafter a tag line\n\nx\n```",
    "| x |\n```\nfence after a table row\n\ny\n```",
    "```js `x`\nnot a fence, backtick in info\n\nz",
    "Code over a CRLF break: `x = 5\r\nand y` today.",
    "Noise: !!!!!!!!!! ########## ?????????? ends here.",
]


def _draft(rng: random.Random) -> str:
    parts = [rng.choice(PARTS) for _ in range(rng.randint(1, 12))]
    text = ""
    if rng.random() < 0.3:
        text = rng.choice([
            "---\ntitle: A draft\n\nsummary: with a blank line\ndate: 2025-03-04\n---\n\n",
            "+++\nsummary = \"\"\"\n```\n\"\"\"\n+++\n\n"])  # a fence line in front matter
    seps = ["\n\n", "\n\n\n", "\n \n", "\r\n\r\n", "\n"]
    return text + "".join(p + rng.choice(seps) for p in parts)


def _whole(text: str, markdown: bool) -> drafts.Draft:
    piece = drafts.parse_piece(text, markdown, True)
    sup = drafts._suppressions(text, piece.code_spans, drafts._line_starts(text))
    return drafts.Draft(text, piece.masked, piece.blocks, sup)


@pytest.mark.parametrize("markdown", [True, False])
def test_chunked_parse_equals_whole_parse(markdown: bool) -> None:
    rng = random.Random(11)
    cut = 0
    for _ in range(2000):
        text = _draft(rng)
        whole = _whole(text, markdown)
        chunked = drafts.parse_draft(text, markdown)
        assert chunked.masked == whole.masked, text
        assert chunked.blocks == whole.blocks, text
        assert chunked.suppressions == whole.suppressions, text
        cut += len(chunks(text, markdown)) > 1
    assert cut > 1300  # most drafts were cut: the comparison tested the cutting


def test_a_run_of_punctuation_does_not_reach_into_the_paragraph_before() -> None:
    # one parse of the whole text read "it." and the next paragraph's rule as one run of
    # noise, blanking the sentence's full stop
    text = "The vote was held in it.\n\n!!!!!!!!!! ########## ??????????\n"
    masked = drafts.parse_draft(text, True).masked
    assert masked.startswith("The vote was held in it.")
    assert not masked[25:].strip()


def test_chunks_cover_the_text_and_keep_constructs_whole() -> None:
    text = ("Intro paragraph.\n\n```\ncode\n\nstill code\n```\n\n<!-- note\n\nnote -->\n\n"
            "- item\n\n  item continued\n\nLast paragraph.\n")
    spans = chunks(text, True)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    pieces = [text[s:e] for s, e in spans]
    assert pieces == ["Intro paragraph.\n\n", "```\ncode\n\nstill code\n```\n\n",
                      "<!-- note\n\nnote -->\n\n", "- item\n\n  item continued\n\n",
                      "Last paragraph.\n"]


def test_the_chunk_cache_is_bounded_by_what_it_holds() -> None:
    cache = drafts.PieceCache(size=1000, chars=10_000, largest=3_000)
    for n in range(50):
        cache.get(f"Paragraph {n} " + "word " * 100, True, False)  # ~510 characters each
    assert cache._held <= 10_000 and 0 < len(cache._pieces) < 50
    cache.get("long " * 1000, True, False)  # over ``largest``: parsed, not kept
    assert all(len(k[0]) <= 3_000 for k in cache._pieces)


def test_an_edit_reparses_only_its_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    paras = [f"Paragraph {i} says the vote was held on {i} May." for i in range(30)]
    text = "\n\n".join(paras) + "\n"
    drafts.parse_draft(text, True)
    parsed: list[str] = []
    real = drafts.parse_piece

    def counting(piece: str, markdown: bool, first: bool) -> drafts.Piece:
        parsed.append(piece)
        return real(piece, markdown, first)

    monkeypatch.setattr(drafts, "parse_piece", counting)
    paras[17] = "Paragraph 17 now says the vote was held on 9 June."
    edited = "\n\n".join(paras) + "\n"
    draft = drafts.parse_draft(edited, True)
    assert parsed == [paras[17] + "\n\n"]
    assert draft.masked == _whole(edited, True).masked


def test_inline_code_over_one_line_break_is_masked_whatever_the_line_ending() -> None:
    # a single CRLF is one line break, not a blank line: the span stays code
    for br in ("\n", "\r\n", "\r"):
        masked = drafts.parse_draft(f"The clerk said `x = 5{br}and y` today.\n", True).masked
        assert "x = 5" not in masked and "and y" not in masked, repr(br)
        assert masked.startswith("The clerk said ") and "today." in masked
