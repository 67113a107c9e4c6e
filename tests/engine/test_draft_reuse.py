"""An edit re-parses the chunk it touched; the chunks it did not move hand the next parse
the same paragraph objects, and the ones it moved are placed where they now are."""

from __future__ import annotations

from factlint.drafts import PieceCache, parse_draft

PARAS = [
    "The council approved the budget on 4 March, a spokesman said.",
    "Ticket sales rose to 41,000 in the first week.",
    "> A quoted line in a block quote.\n> It goes on here.",
    "- a list item about the harbour\n- another item",
    "The final paragraph names Mara Okafor, the club's chair.",
]


def _text(paras: list[str]) -> str:
    return "# Title\n\n" + "\n\n".join(paras) + "\n"


def _fresh(text: str, markdown: bool) -> list[tuple[int, int, int, int, str, str]]:
    """The parse with nothing cached, as plain tuples."""
    import factlint.drafts as drafts

    saved = drafts.PIECES
    drafts.PIECES = PieceCache()
    try:
        return [tuple(p) for p in parse_draft(text, markdown).paragraphs]
    finally:
        drafts.PIECES = saved


def test_unmoved_chunks_keep_their_paragraph_objects() -> None:
    before = parse_draft(_text(PARAS), True).paragraphs
    edited = list(PARAS)
    edited[1] = edited[1].replace("41,000", "42,000")  # same length: nothing moves
    after = parse_draft(_text(edited), True).paragraphs
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a is not b]
    assert [after[i].text for i in changed] == ["Ticket sales rose to 42,000 in the first week."]


def test_moved_chunks_are_placed_where_they_now_are() -> None:
    for markdown in (True, False):
        parse_draft(_text(PARAS), markdown)
        edited = list(PARAS)
        # longer, and a line more
        edited[0] = edited[0] + " It was a long meeting\nthat ran past midnight."
        text = _text(edited)
        got = [tuple(p) for p in parse_draft(text, markdown).paragraphs]
        assert got == _fresh(text, markdown)
        last = got[-1]
        assert text[last[0]:last[1]] == last[4]
        # and back again: the old placement is recomputed, not stale
        text = _text(PARAS)
        assert [tuple(p) for p in parse_draft(text, markdown).paragraphs] == _fresh(text,
                                                                                   markdown)

