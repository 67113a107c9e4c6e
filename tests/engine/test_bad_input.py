"""Acceptance: bad input gives one line naming the file (and line), exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factlint", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_missing_path(tmp_path: Path) -> None:
    assert_one_line_error(run("check", "nope.md", cwd=tmp_path), "nope.md", "no such file")


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "img.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    assert_one_line_error(run("check", "img.md", cwd=tmp_path), "img.md", "binary")


def test_non_utf8_file(tmp_path: Path) -> None:
    (tmp_path / "latin.md").write_bytes(b"First line.\nCaf\xe9 society.\n")
    assert_one_line_error(run("check", "latin.md", cwd=tmp_path), "latin.md:2", "UTF-8")


def test_directory_without_drafts(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    assert_one_line_error(run("check", "empty", cwd=tmp_path), "empty", "no drafts")


def test_corpus_without_texts(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "d.md").write_text("Hello.\n")
    assert_one_line_error(run("check", "--corpus", "corpus", "d.md", cwd=tmp_path),
                          "corpus", "no .txt or .md")


@pytest.mark.parametrize("content,line,needle", [
    ("checks:\n  date:\n    level: error\n   message: bad indent\n", 4, "invalid YAML"),
    ("checks:\n  date:\n    level: loud\n", 2, "level must be one of"),
    ("surprise:\n  x: 1\n", 1, "unknown section"),
    ("checks:\n  date: !!python/object/apply:os.system [echo hi]\n", 2, "invalid YAML"),
])
def test_malformed_rules(tmp_path: Path, content: str, line: int, needle: str) -> None:
    rules = tmp_path / "myrules"
    rules.mkdir()
    (rules / "bad.yml").write_text(content)
    (tmp_path / "d.md").write_text("Hello.\n")
    proc = run("check", "--rules", "myrules", "d.md", cwd=tmp_path)
    assert_one_line_error(proc, f"bad.yml:{line}", needle)


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "d.md").write_text("Hello.\n")
    assert_one_line_error(run("check", "--format", "xml", "d.md", cwd=tmp_path), "format")


def test_bad_article_dates_warn_and_the_rest_is_indexed(tmp_path: Path) -> None:
    """A corpus article whose front matter is not YAML, or whose date line cannot be read,
    is a warning naming the file and line; it and every other article are still indexed."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_bad_yaml.md").write_text(
        "---\ntitle: [unclosed\ndate: 2025-03-01\n---\n"
        "Lorna Vance, the mayor of Carrick, opened the Tidewater bridge in 2019.\n",
        encoding="utf-8")
    (corpus / "b_bad_line.txt").write_text(
        "Harbour dredging begins\nPublished: 45/19/2025\n\n"
        "The Carrick harbour authority said dredging would cost $12 million.\n",
        encoding="utf-8")
    (corpus / "c_good.md").write_text(
        "---\ndate: 2025-03-04\n---\nThe Carrick ferry sank on Monday, killing 14 people.\n",
        encoding="utf-8")
    (tmp_path / "d.md").write_text(
        "Lorna Vance opened the Tidewater bridge in 2017.\n\n"
        "Dredging the harbour will cost $15 million, the Carrick harbour authority said.\n\n"
        "The Carrick ferry sank on 2 March 2025.\n", encoding="utf-8")
    proc = run("check", "--no-config", "--format", "json", "--corpus", "corpus", "d.md",
               cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err  # findings, not an input error
    assert "Traceback" not in err
    warnings = [ln for ln in err.splitlines() if "warning" in ln]
    # the line the YAML parser stops at, inside the front matter
    assert any(("a_bad_yaml.md:2:" in ln or "a_bad_yaml.md:3:" in ln) and "front matter" in ln
               for ln in warnings), err
    assert any("b_bad_line.txt:2" in ln and "date" in ln for ln in warnings), err
    import json

    codes = sorted(d["code"] for f in json.loads(proc.stdout)["files"]
                   for d in f["diagnostics"])
    # every article was indexed: the undated ones give their facts, and the dated one its
    # relative date ("on Monday" of 4 March 2025 is 3 March)
    assert codes == ["date", "date", "number"], codes


def _archive(tmp_path: Path) -> Path:
    """A corpus folder with one good article and the four kinds of file an archive holds."""
    corpus = tmp_path / "archive"
    corpus.mkdir()
    (corpus / "good.txt").write_text(
        "Ferry sinks off Skye\nThe Calloway ferry sank on Tuesday, killing 12 people.\n",
        encoding="utf-8")
    (corpus / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR")
    (corpus / "latin.md").write_bytes(b"Headline\nCaf\xe9 society.\n")
    (corpus / "blank.md").write_text("\n  \n", encoding="utf-8")
    (corpus / "dump.txt").write_bytes(b"word " * ((9 << 20) // 5))  # 9 MiB
    (tmp_path / "draft.md").write_text("The Calloway ferry sank on Tuesday, killing 15 "
                                       "people.\n", encoding="utf-8")
    return corpus


BAD = {"scan.txt": "binary", "latin.md:2": "UTF-8", "blank.md": "empty", "dump.txt": "MiB"}


def test_unreadable_corpus_files_are_skipped_with_one_warning_each(tmp_path: Path) -> None:
    _archive(tmp_path)
    proc = run("check", "--no-config", "--cache-dir", "cache", "--corpus", "archive",
               "draft.md", cwd=tmp_path)
    err, out = proc.stderr.decode(), proc.stdout.decode()
    assert proc.returncode == 1, err  # the good article was indexed: 15 contradicts 12
    assert "12" in out and "number" in out
    warnings = [ln for ln in err.splitlines() if "skipped" in ln]
    assert len(warnings) == len(BAD), err  # once each, though the corpus is read twice
    for where, reason in BAD.items():
        assert any(where in w and reason in w for w in warnings), (where, err)
    assert "Traceback" not in err


def test_strict_makes_an_unreadable_corpus_file_an_error(tmp_path: Path) -> None:
    _archive(tmp_path)
    for name in ("dump.txt", "latin.md", "blank.md"):
        (tmp_path / "archive" / name).unlink()
    proc = run("check", "--no-config", "--cache-dir", "cache", "--strict", "--corpus",
               "archive", "draft.md", cwd=tmp_path)
    assert_one_line_error(proc, "scan.txt", "binary")


def test_index_reports_the_skipped_files(tmp_path: Path) -> None:
    _archive(tmp_path)
    proc = run("index", "--no-config", "--cache-dir", "cache", "--corpus", "archive",
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "1 articles" in proc.stdout.decode() and "4 file(s) skipped" in proc.stdout.decode()
