"""The `factlint check` / `factlint facts` contract: output formats, exit codes, stdin."""

from __future__ import annotations

import json
from pathlib import Path

from factlint.cli import main

CONTRADICTION = ('"We aim to establish a beginning to the end of the war," '
                 "Kallas said at a press conference.\n")
CONSISTENT = "Russia invaded Ukraine in February 2022.\n"


def test_json_format_and_exit_1(tmp_path: Path, cache_dir: Path, capsys) -> None:
    draft = tmp_path / "a.md"
    draft.write_text("# Title\n\n" + CONTRADICTION)
    code = main(["check", "--format", "json", "--cache-dir", str(cache_dir), str(draft)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["version"] == 1
    (f,) = out["files"]
    assert f["path"] == str(draft)
    (d,) = f["diagnostics"]
    assert d["code"] == "quote-speaker" and d["severity"] == "error"
    assert d["range"]["start"] == {"line": 2, "character": 0}
    assert d["range"]["end"] == {"line": 2, "character": len(CONTRADICTION.rstrip())}
    assert d["evidence"][0]["source"].endswith("002_25c4805a9411152e.txt")
    assert d["evidence"][0]["line"] == 19
    start = CONTRADICTION.index("Kallas")
    assert d["fix"] == {"range": {"start": {"line": 2, "character": start},
                                  "end": {"line": 2, "character": start + 6}},
                        "new_text": "Zelensky"}


def test_text_format_is_one_based(tmp_path: Path, cache_dir: Path, capsys) -> None:
    draft = tmp_path / "a.md"
    draft.write_text("\n" + CONTRADICTION)
    assert main(["check", "--cache-dir", str(cache_dir), str(draft)]) == 1
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{draft}:2:1: error quote-speaker: ")


def test_clean_draft_exit_0(tmp_path: Path, cache_dir: Path, capsys) -> None:
    draft = tmp_path / "ok.txt"
    draft.write_text(CONSISTENT)
    assert main(["check", "--cache-dir", str(cache_dir), str(draft)]) == 0
    assert capsys.readouterr().out == ""


def test_directory_is_recursive_and_sorted(tmp_path: Path, cache_dir: Path, capsys) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.markdown").write_text(CONTRADICTION)
    (tmp_path / "a.txt").write_text(CONSISTENT)
    (tmp_path / "ignored.rst").write_text(CONTRADICTION)
    main(["check", "--format", "json", "--cache-dir", str(cache_dir), str(tmp_path)])
    paths = [Path(f["path"]).name for f in json.loads(capsys.readouterr().out)["files"]]
    assert paths == ["a.txt", "b.markdown"]


def test_stdin(monkeypatch, cache_dir: Path, capsys) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CONTRADICTION.encode())))
    assert main(["check", "--format", "json", "--cache-dir", str(cache_dir), "-"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["files"][0]["path"] == "-"
    assert out["files"][0]["diagnostics"][0]["code"] == "quote-speaker"


def test_facts_lists_provenance(cache_dir: Path, capsys) -> None:
    assert main(["facts", "--format", "json", "--cache-dir", str(cache_dir)]) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    kinds = {f["kind"] for f in facts}
    assert kinds == {"quote", "role", "date", "count", "place"}
    last = [f for f in facts if f["kind"] == "date" and f["key"]["event"] == "last-meeting"]
    assert last and last[0]["value"]["text"] == "December 2019"
    assert last[0]["source"].endswith("002_25c4805a9411152e.txt") and last[0]["line"] == 6


def test_custom_corpus(tmp_path: Path, cache_dir: Path, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Lithuania joined NATO in 2004, officials said.\n"
                                  "Russia annexed Crimea in 2014.\n")
    draft = tmp_path / "d.md"
    draft.write_text("Russia annexed Crimea in 2016.\n")
    code = main(["check", "--format", "json", "--corpus", str(corpus), "--cache-dir",
                 str(cache_dir), str(draft)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    (d,) = out["files"][0]["diagnostics"]
    assert d["code"] == "date" and d["fix"]["new_text"] == "2014"
    assert d["evidence"][0]["source"].endswith("a.txt") and d["evidence"][0]["line"] == 2


def test_the_console_script_runs_openblas_on_one_thread_unless_told_otherwise() -> None:
    """Set before numpy loads (spaCy's small matrices gain nothing from BLAS threads, whose
    spinning slows the parse); a user's own setting stands."""
    import os
    import subprocess
    import sys

    probe = ("import os, sys; sys.argv = ['factlint', '--version']; from factlint import cli; "
             "cli.main = lambda: (print(os.environ.get('OPENBLAS_NUM_THREADS')), 0)[1]; "
             "cli.run()")
    base = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for env, expected in (({}, "1"), ({"OPENBLAS_NUM_THREADS": "3"}, "3")):
        out = subprocess.run([sys.executable, "-c", probe], env={**base, **env},
                             capture_output=True, text=True, check=False)
        assert out.stdout.strip() == expected, out.stderr
