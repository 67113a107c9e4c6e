"""Property tests: checking any Markdown or plain-text draft never raises, and every range and
fix lies inside the document at valid UTF-16 positions (never inside a surrogate pair).

Drafts mix seed sentences that really fire (a misattributed quote, a wrong date) with hostile
fragments (non-BMP characters, CJK, right-to-left text, CRLF and lone CR, a BOM, NUL,
unbalanced quote marks, deep nesting, stray Markdown), so the invariants are exercised on
real findings; each test asserts that a good share of its examples had findings.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import FIRING, QUIET

from factlint.diagnostics import Diagnostic, Position, Range

EXAMPLES = 120
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=20), derandomize=True,
                database=None, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.data_too_large])

HOSTILE = [
    "😀", "🇺🇦", "👩‍👩‍👧‍👦", "𝕂𝕒𝕝𝕝𝕒𝕤", "𝄞", "\U0010fffd",  # astral: two UTF-16 units each
    "北京是中国的首都。", "キーウ", "전쟁", "שלום עולם", "مرحبا بالعالم", "\u202eevil\u202c",
    "e\u0301", "\u200d", "\ufeff", "\0", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
    '"', "“", "”", "‘", "’", "«", "»", "„", '"""', "“ “ “ “ “ “ “ “ “",
    "`", "```", "<!--", "-->", "<", ">", "[", "](", "](http://x.y/z)", "*", "**", "_",
    "~~", "#", "\\", "|", "---", "===", "\t", "    ", "&amp;", "&#0;", "<b>", "</b>",
    "> > > > > > > > > > > > > > > > > > > > > > > > > >", "- - - - - - - - - - - - - - - -",
    "1. 2. 3. 4. 5. 6. 7. 8.", "<!-- factlint-disable date -->", "<!-- factlint-enable -->",
    "<!-- factlint-disable-next-line -->", "https://example.com/a_b*c", "[x]: http://y",
]
ENDINGS = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\r\r", "\n\r\n", " "]
DECOR = ["", "> ", "- ", "* ", "1. ", "## ", "**", "_", "  ", "> > ", "😀 ", "“", "\ufeff",
         "| ", "    "]

sentences = st.sampled_from(FIRING + QUIET)
fragments = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))


@st.composite
def drafts(draw: st.DrawFn) -> str:
    """Paragraphs of (decorated) seed sentences and hostile fragments, joined by mixed line
    endings; sometimes a BOM first, sometimes deep nesting or many quote marks."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(FIRING)) + "\n\n")  # most drafts have a finding
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 5))
        if kind <= 2:
            piece = draw(st.sampled_from(DECOR)) + draw(sentences)
            if draw(st.booleans()):
                piece += draw(fragments)
        elif kind == 3:
            piece = "".join(draw(st.lists(fragments, max_size=6)))
        elif kind == 4:
            depth = draw(st.integers(1, 400))
            piece = draw(st.sampled_from(["> ", "- ", "* ", "  - ", "1. ", "[", "*_"])) * depth
            piece += draw(sentences)
        else:
            piece = draw(st.sampled_from(['"', "“", "«", "'", "„"])) * draw(st.integers(1, 300))
        parts.append(piece)
        parts.append(draw(st.sampled_from(ENDINGS)))
    text = "".join(parts)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


# -- invariants ----------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # LSP line breaks, and only those


def lsp_lines(text: str) -> list[str]:
    """The document's lines without their endings, split as LSP does."""
    return _LINE_BREAK.split(text)


def utf16_boundaries(line: str) -> set[int]:
    """Every UTF-16 column of ``line`` that is not inside a surrogate pair."""
    out, col = {0}, 0
    for ch in line:
        col += 2 if ord(ch) > 0xFFFF else 1
        out.add(col)
    return out


def assert_position(pos: Position, lines: list[str], what: str) -> None:
    assert 0 <= pos.line < len(lines), f"{what}: line {pos.line} of {len(lines)}"
    assert pos.character in utf16_boundaries(lines[pos.line]), (
        f"{what}: column {pos.character} is past the line or inside a surrogate pair "
        f"({lines[pos.line]!r})")


def assert_range(rng: Range, lines: list[str], what: str) -> None:
    assert_position(rng.start, lines, what)
    assert_position(rng.end, lines, what)
    assert rng.start <= rng.end, f"{what}: {rng} ends before it starts"


_corpus_lines: dict[str, list[str]] = {}


def assert_diagnostics(text: str, diags: list[Diagnostic]) -> None:
    lines = lsp_lines(text)
    for d in diags:
        assert d.message and d.code
        assert_range(d.range, lines, f"{d.code} range")
        if d.value_range is not None:
            assert_range(d.value_range, lines, f"{d.code} value range")
        if d.fix is not None:
            assert isinstance(d.fix.new_text, str) and d.fix.new_text
            assert_range(d.fix.range, lines, f"{d.code} fix")
        for ev in d.evidence:  # evidence points into the corpus file it names
            if ev.path not in _corpus_lines:
                _corpus_lines[ev.path] = lsp_lines(
                    Path(ev.path).read_text(encoding="utf-8-sig"))
            assert_range(ev.range, _corpus_lines[ev.path], f"{d.code} evidence")


def run_fuzz(engine, markdown: bool) -> Counter:
    stats: Counter = Counter()

    @FUZZ
    @given(text=drafts())
    def check(text: str) -> None:
        diags = engine.check_text(text, "fuzz.md" if markdown else "fuzz.txt",
                                  markdown=markdown)
        assert_diagnostics(text, diags)
        stats["examples"] += 1
        stats["with findings"] += bool(diags)
        stats["findings"] += len(diags)
        stats["fixes"] += sum(d.fix is not None for d in diags)
        stats["astral"] += bool(re.search("[\U00010000-\U0010ffff]", text))
        stats["crlf or cr"] += "\r" in text

    check()
    print(f"\nfuzz {'markdown' if markdown else 'plain text'}: {dict(stats)}")
    return stats


def test_fuzzed_markdown_drafts(engine) -> None:
    stats = run_fuzz(engine, markdown=True)
    assert stats["examples"] >= EXAMPLES
    assert stats["with findings"] >= stats["examples"] // 4, stats  # not vacuous
    assert stats["fixes"] > 0 and stats["astral"] > 0 and stats["crlf or cr"] > 0


def test_fuzzed_plain_text_drafts(engine) -> None:
    stats = run_fuzz(engine, markdown=False)
    assert stats["examples"] >= EXAMPLES
    assert stats["with findings"] >= stats["examples"] // 4, stats
    assert stats["fixes"] > 0 and stats["astral"] > 0 and stats["crlf or cr"] > 0


@settings(max_examples=60, deadline=timedelta(seconds=20), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(codec="utf-8"), max_size=300), markdown=st.booleans())
def test_arbitrary_unicode_never_raises(engine, text: str, markdown: bool) -> None:
    """Any text at all (every code point hypothesis draws, no seed sentences)."""
    assert_diagnostics(text, engine.check_text(text, "any.md", markdown=markdown))


@settings(max_examples=40, deadline=timedelta(seconds=20), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.text(st.sampled_from("😀𝕏北שa \r\n\t\"“«>-*`[\\"), max_size=40),
       sentence=st.sampled_from(FIRING), ending=st.sampled_from(ENDINGS),
       markdown=st.booleans())
def test_findings_after_astral_text_stay_aligned(engine, prefix: str, sentence: str,
                                                 ending: str, markdown: bool) -> None:
    """A firing sentence on its own paragraph after astral characters and odd line endings:
    its finding's range, read back from the text through UTF-16, is the sentence's text."""
    text = prefix + ending + ending + "\n\n" + sentence + ending
    diags = engine.check_text(text, "x.md", markdown=markdown)
    assert_diagnostics(text, diags)
    lines = lsp_lines(text)
    for d in diags:
        if d.range.start.line != d.range.end.line:
            continue
        line = lines[d.range.start.line]
        units = line.encode("utf-16-le")
        flagged = units[2 * d.range.start.character:2 * d.range.end.character].decode(
            "utf-16-le")
        assert flagged and flagged in sentence, (flagged, sentence)
