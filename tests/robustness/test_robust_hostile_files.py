"""Hostile files: huge drafts, one huge line, NUL bytes, 10,000 levels of nesting, 100,000
unbalanced quote marks. Each finishes (or is skipped with one clear line) within a time and
memory bound generous enough for a loaded 2-core machine."""

from __future__ import annotations

import json
import resource
import time
import tracemalloc
from pathlib import Path

import pytest
from robust_helpers import DATE, QUOTE

from factlint.drafts import _MD, parse_draft
from factlint.errors import DraftTooLarge, FactlintError
from factlint.limits import DEFAULT_MAX_DRAFT_BYTES, MAX_PARAGRAPH_CHARS

MIB = 1 << 20
CLI_RSS_MB = 900  # spaCy and the model alone take some 250 MB
PROCESS_RSS_MB = 2048  # the test process: pytest, spaCy, the session engine and its caches
TIME_S = 60


def _prose(size: int) -> str:
    unit = f"{QUOTE} {DATE} Russia invaded Ukraine in February 2022.\n\n"
    return (unit * (size // len(unit) + 1))[:size]


def _codes(diags) -> list[str]:
    return sorted(d.code for d in diags)


def bounded(engine, text: str, *, markdown: bool, seconds: float = TIME_S,
            peak_mb: float | None = 400):
    """Check ``text`` in-process within ``seconds``; with ``peak_mb``, the Python allocations
    are traced (tracemalloc, which slows the check) and their peak bounded, else the
    process's peak resident memory is."""
    if peak_mb is not None:
        tracemalloc.start()
    started = time.monotonic()
    try:
        diags = engine.check_text(text, "hostile.md", markdown=markdown)
        peak = tracemalloc.get_traced_memory()[1] if peak_mb is not None else 0
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.1f}s"
    if peak_mb is not None:
        assert peak / MIB < peak_mb, f"allocated {peak / MIB:.0f} MB at peak"
    else:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert rss < PROCESS_RSS_MB, f"process peak {rss:.0f} MB"
    return diags


# -- the size limit --------------------------------------------------------------------------

def test_default_limit_is_one_mib(engine) -> None:
    assert engine.config.max_draft_bytes == DEFAULT_MAX_DRAFT_BYTES == MIB


def test_engine_refuses_a_10_mb_draft_before_parsing(engine) -> None:
    text = _prose(10 * MIB)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(DraftTooLarge) as info:
            engine.check_text(text, "big.md")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < MIB  # nothing was parsed, nothing copied
    err = info.value
    assert isinstance(err, FactlintError) and err.limit == MIB and err.size > MIB
    assert str(err) == f"big.md: skipped: larger than {MIB} bytes (set max_draft_bytes)"


def test_limit_counts_utf8_bytes_not_characters(engine) -> None:
    text = "ж" * (MIB // 2 + 1)  # fewer characters than the limit, more bytes
    with pytest.raises(DraftTooLarge):
        engine.check_text(text, "cyrillic.md")


def test_cli_skips_a_10_mb_draft_with_one_warning_and_goes_on(tmp_path: Path, cli) -> None:
    (tmp_path / "big.md").write_text(_prose(10 * MIB), encoding="utf-8")
    (tmp_path / "small.md").write_text(DATE + "\n", encoding="utf-8")
    run = cli(["check", "--no-config", "big.md", "small.md"], tmp_path)
    assert run.stderr.splitlines() == [
        f"factlint: warning: big.md: skipped: larger than {MIB} bytes (set max_draft_bytes)"]
    assert "small.md:1:1: error date:" in run.stdout and "big.md" not in run.stdout
    assert run.returncode == 1  # the small draft's finding
    assert run.seconds < TIME_S and run.max_rss_mb < CLI_RSS_MB, run


def test_cli_limit_from_the_project_file_and_environment(tmp_path: Path, cli) -> None:
    line = (DATE + " ") * 2000  # one line, some 110 kB
    (tmp_path / "one-line.md").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "factlint.toml").write_text("max_draft_bytes = 50000\n", encoding="utf-8")
    run = cli(["check", "one-line.md"], tmp_path)
    assert run.returncode == 0, run
    assert run.stderr == ("factlint: warning: one-line.md: skipped: larger than 50000 bytes "
                          "(set max_draft_bytes)")
    run = cli(["check", "--no-config", "one-line.md", "--format", "json"], tmp_path,
              env={"FACTLINT_MAX_DRAFT_BYTES": "60000"})
    assert run.stderr.endswith("skipped: larger than 60000 bytes (set max_draft_bytes)")
    assert json.loads(run.stdout)["files"][0]["diagnostics"] == []
    (tmp_path / "factlint.toml").write_text("max_draft_bytes = -1\n", encoding="utf-8")
    run = cli(["check", "one-line.md"], tmp_path)
    assert run.returncode == 2 and "factlint.toml:1: max_draft_bytes must be" in run.stderr


def test_cli_checks_a_1_mb_single_line_draft(tmp_path: Path, cli) -> None:
    """Under the 1 MiB default, one line of a million bytes is checked, and a finding at
    its end is at the right UTF-16 column."""
    filler = "`" + "x" * 200 + "` 😀 "  # inline code (never checked) and astral characters
    body = (filler * (1_000_000 // len(filler.encode())))
    text = DATE + " " + body + " " + DATE + "\n"
    assert MIB * 0.9 < len(text.encode()) < MIB and text.count("\n") == 1
    (tmp_path / "line.md").write_text(text, encoding="utf-8")
    run = cli(["check", "--no-config", "--format", "json", "line.md"], tmp_path)
    assert run.returncode == 1, run.stderr
    diags = json.loads(run.stdout)["files"][0]["diagnostics"]
    assert [d["code"] for d in diags] == ["date", "date"]
    last = diags[-1]["range"]["start"]
    prefix = text[:text.rindex(DATE)]
    assert last == {"line": 0, "character": len(prefix.encode("utf-16-le")) // 2}
    assert run.seconds < 120 and run.max_rss_mb < CLI_RSS_MB, run


def test_a_200_kb_single_line_of_prose_is_parsed_in_pieces(engine) -> None:
    """One line of real sentences is cut at sentence ends for spaCy (which refuses a text
    over a million characters and slows down on long ones), in bounded time."""
    text = " ".join([QUOTE, DATE] * 500)
    assert len(text) > 10 * MAX_PARAGRAPH_CHARS
    diags = bounded(engine, text, markdown=False, seconds=60, peak_mb=None)
    assert {"date", "quote-speaker"} <= set(_codes(diags))


# -- NUL, nesting, quote marks ----------------------------------------------------------------

def test_nul_bytes(engine, tmp_path: Path, cli) -> None:
    text = ("abc\0def " * 2000) + "\n\n" + "\0" + DATE + "\0\n\n" + "\0" * 10000
    for markdown in (True, False):
        assert _codes(bounded(engine, text, markdown=markdown, seconds=30)) == ["date"]
    # the CLI reads a file with NUL bytes as binary: one line, exit 2, no traceback
    (tmp_path / "nul.md").write_bytes(text.encode())
    run = cli(["check", "--no-config", "nul.md"], tmp_path)
    assert run.returncode == 2 and run.stderr == "factlint: error: nul.md: binary file, " \
                                                 "not a text draft"


NESTED = {
    "block quotes, one line": "> " * 10_000 + QUOTE,
    "lists, one line": "- " * 10_000 + QUOTE,
    "ordered lists, one line": "1. " * 10_000 + QUOTE,
    "block quotes, a line each": "".join(">" * i + " a\n" for i in range(1, 300)),
    "lists, a line each": "".join("  " * min(i, 40) + "- item\n" for i in range(1_000)),
    "emphasis": "*_" * 10_000 + QUOTE + "_*" * 10_000,
    "brackets": "[" * 10_000 + QUOTE + "](x)" * 100,
}


@pytest.mark.parametrize("shape", list(NESTED))
def test_10000_levels_of_nesting(engine, shape: str) -> None:
    """Markdown: nesting deeper than markdown-it follows is read as plain text (markers
    blanked), so the sentence after it is still checked."""
    text = NESTED[shape] + "\n\n" + DATE + "\n"
    diags = bounded(engine, text, markdown=True, seconds=45, peak_mb=None)
    assert "date" in _codes(diags)


def test_markdown_nesting_is_capped_and_recursion_falls_back_to_plain_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _MD.options["maxNesting"] <= 100  # markdown-it stops descending there
    import factlint.drafts as drafts

    def recurse(text: str):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(drafts, "parse_markdown", recurse)
    draft = parse_draft("> " * 10_000 + DATE, markdown=True)
    assert DATE in draft.masked and draft.blocks  # read as plain text instead


QUOTES = {
    "one run": '"' * 100_000,
    "curly, spaced, across lines": ("“ ” « » „ ‘ ’ \" " * 10 + "\n") * 1_300,
    "openers before prose": ('"' * 1_000 + " " + DATE + " ") * 100,
    "a stray opener per sentence": ("“" + DATE + " ") * 1_500 + "“" * 98_500,
}


@pytest.mark.parametrize("shape", list(QUOTES))
def test_100000_unbalanced_quote_marks(engine, shape: str) -> None:
    text = QUOTES[shape] + "\n\n" + QUOTE + "\n"
    assert sum(text.count(q) for q in "\"“”«»„‘’") >= 100_000
    for markdown in (True, False):
        diags = bounded(engine, text, markdown=markdown, seconds=60)
        assert "quote-speaker" in _codes(diags)
