"""Markdown drafts: what is never checked, inline suppression, exact (UTF-16) ranges."""

from __future__ import annotations

from factlint.drafts import parse_markdown

BAD = '"We aim to establish a beginning to the end of the war," Kallas said.'


def codes_by_line(engine, text: str) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for d in engine.check_text(text, "d.md"):
        out.setdefault(d.range.start.line, set()).add(d.code)
    return out


def test_code_front_matter_comments_urls_are_not_checked(engine) -> None:
    text = (f"---\ntitle: {BAD}\n---\n\n```\n{BAD}\n```\n\n    {BAD}\n\n"
            f"Inline `{BAD}` code.\n\n<!-- {BAD} -->\n\n<div>\n{BAD}\n</div>\n\n"
            f"See [the link](https://example.com/{BAD.replace(' ', '-')}).\n")
    assert codes_by_line(engine, text) == {}


def test_checked_prose_still_fires_next_to_code(engine) -> None:
    text = f"```\n{BAD}\n```\n\n{BAD}\n"
    assert codes_by_line(engine, text) == {4: {"quote-speaker"}}


def test_emphasis_and_lists_keep_exact_ranges(engine) -> None:
    text = f"- **Note:** {BAD}\n"
    (d,) = engine.check_text(text, "d.md")
    assert d.fix is not None
    start = text.index("Kallas")
    assert (d.fix.range.start.line, d.fix.range.start.character) == (0, start)
    assert text[start:start + 6] == "Kallas"


def test_utf16_columns_after_emoji(engine) -> None:
    text = f"🙂🙂 {BAD}\n"
    (d,) = engine.check_text(text, "d.md")
    py_index = text.index("Kallas")
    assert d.fix.range.start.character == py_index + 2  # two astral chars: 2 UTF-16 units each


def test_crlf_lines(engine) -> None:
    text = f"# Title\r\n\r\n{BAD}\r\n"
    (d,) = engine.check_text(text, "d.md")
    assert d.range.start.line == 2


def test_disable_next_line_with_code(engine) -> None:
    text = f"<!-- factlint-disable-next-line quote-speaker -->\n{BAD}\n\n{BAD}\n"
    assert codes_by_line(engine, text) == {3: {"quote-speaker"}}


def test_disable_next_line_other_code_keeps_finding(engine) -> None:
    text = f"<!-- factlint-disable-next-line date -->\n{BAD}\n"
    assert codes_by_line(engine, text) == {1: {"quote-speaker"}}


def test_disable_enable_region(engine) -> None:
    text = (f"<!-- factlint-disable -->\n\n{BAD}\n\n<!-- factlint-enable -->\n\n{BAD}\n")
    assert codes_by_line(engine, text) == {6: {"quote-speaker"}}


def test_suppression_inside_code_block_is_ignored(engine) -> None:
    text = f"```\n<!-- factlint-disable -->\n```\n\n{BAD}\n"
    assert codes_by_line(engine, text) == {4: {"quote-speaker"}}


def test_masking_preserves_length() -> None:
    text = "---\na: b\n---\n# H *x*\n\nText with `code` and <b>tag</b>.\n"
    draft = parse_markdown(text)
    assert len(draft.masked) == len(text)
    assert "code" not in draft.masked and "tag" in draft.masked and "<b>" not in draft.masked


def test_sentence_wrapped_over_lines(engine) -> None:
    (d,) = engine.check_text("Intro line.\n\nRussia annexed\nCrimea in 2015.\n", "d.md")
    assert d.code == "date" and d.range.start.line == 2 and d.range.end.line == 3
    assert d.fix is not None and d.fix.range.start.line == 3


def test_plain_text_wrapped_paragraph(engine) -> None:
    text = ("The bridge in the Bryansk region collapsed onto a passenger train, which\n"
            "killed nine people according to officials.\n")
    (d,) = engine.check_text(text, "d.txt")
    assert d.code == "number"
