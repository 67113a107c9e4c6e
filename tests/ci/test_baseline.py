"""Baselines: findings matched by file, code and claim text, not by line."""

from __future__ import annotations

import json
from pathlib import Path

from ci_helpers import CONSISTENT, CRIMEA, KALLAS, write

from factlint.baseline import normalize_claim

DRAFT = f"# War\n\n{KALLAS}\n\n{CONSISTENT}\n\n{CRIMEA}\n"
FILLER = ("The talks in Istanbul were the first in years.\n\nDiplomats from several countries "
          "attended the opening session.\n\n")


def test_baseline_file_is_stable_json(run, work: Path) -> None:
    write(work / "drafts" / "b.md", f"{CRIMEA}\n")
    write(work / "drafts" / "a.md", DRAFT)
    code, _, err = run("baseline", "ci/factlint-baseline.json", "drafts")
    assert code == 0 and "recorded 3 findings" in err
    path = work / "ci" / "factlint-baseline.json"
    first = path.read_bytes()
    data = json.loads(first)
    assert data["version"] == 1 and data["tool"] == "factlint"
    keys = [(f["path"], f["code"], f["claim"]) for f in data["findings"]]
    assert keys == sorted(keys)
    assert keys == [("../drafts/a.md", "date", CRIMEA),
                    ("../drafts/a.md", "quote-speaker", KALLAS),
                    ("../drafts/b.md", "date", CRIMEA)]
    assert all(f["count"] == 1 for f in data["findings"])
    assert run("baseline", "ci/factlint-baseline.json", "drafts")[0] == 0
    assert path.read_bytes() == first


def test_edits_elsewhere_keep_findings_matched(run, work: Path) -> None:
    draft = write(work / "draft.md", DRAFT)
    assert run("baseline", "baseline.json", "draft.md")[0] == 0
    code, out, err = run("check", "draft.md", "--baseline", "baseline.json")
    assert (code, out) == (0, "")
    assert "2 known findings left out" in err
    # paragraphs inserted above both findings: still known
    draft.write_text(f"# War\n\n{FILLER}{FILLER}{KALLAS}\n\n{FILLER}{CONSISTENT}\n\n"
                     f"{CRIMEA}\n", encoding="utf-8")
    code, data = run.json("check", "draft.md")
    lines = sorted(d["range"]["start"]["line"] for d in data["files"][0]["diagnostics"])
    assert code == 1 and lines == [10, 18]  # the findings moved (were 2 and 6)
    code, out, _ = run("check", "draft.md", "--baseline", "baseline.json")
    assert (code, out) == (0, "")


def test_a_changed_claim_is_a_new_finding(run, work: Path) -> None:
    draft = write(work / "draft.md", DRAFT)
    run("baseline", "baseline.json", "draft.md")
    draft.write_text(DRAFT.replace("in 2015.", "in 2016."), encoding="utf-8")
    code, out, _ = run("check", "draft.md", "--baseline", "baseline.json")
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith("draft.md:7:1: error date:") and "2016" in line
    # the same sentence a second time: one is known, the copy is new
    draft.write_text(f"{DRAFT}\n{KALLAS}\n", encoding="utf-8")
    code, out, _ = run("check", "draft.md", "--baseline", "baseline.json")
    assert code == 1 and [x.split(":")[1] for x in out.splitlines()] == ["9"]


def test_baseline_paths_do_not_depend_on_the_working_directory(run, work: Path,
                                                               monkeypatch) -> None:
    write(work / "drafts" / "a.md", DRAFT)
    run("baseline", "baseline.json", "drafts/a.md")
    monkeypatch.chdir(work / "drafts")
    code, out, _ = run("check", "a.md", "--baseline", "../baseline.json")
    assert (code, out) == (0, "")
    # the same claim in another file is not covered
    write(work / "drafts" / "b.md", f"{CRIMEA}\n")
    code, out, _ = run("check", "a.md", "b.md", "--baseline", "../baseline.json")
    assert code == 1 and out.startswith("b.md:1:1: error date")


def test_baseline_with_other_formats_and_min_severity(run, work: Path) -> None:
    draft = write(work / "draft.md", f"{KALLAS}\n")
    run("baseline", "baseline.json", "draft.md")
    draft.write_text(f"{KALLAS}\n\n{CRIMEA}\n", encoding="utf-8")
    code, out, _ = run("check", "draft.md", "--baseline", "baseline.json", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert code == 1 and [r["ruleId"] for r in results] == ["date"]


def test_bad_baseline_files_are_input_errors(run, work: Path) -> None:
    write(work / "draft.md", DRAFT)
    code, _, err = run("check", "draft.md", "--baseline", "missing.json")
    assert code == 2 and "missing.json: baseline file does not exist" in err
    write(work / "broken.json", '{\n  "version": 1,\n  "findings": [\n')
    code, _, err = run("check", "draft.md", "--baseline", "broken.json")
    assert code == 2 and err.startswith("factlint: error: broken.json:4: invalid baseline JSON")
    write(work / "wrong.json", '{"version": 1, "findings": [{"path": "x"}]}')
    code, _, err = run("check", "draft.md", "--baseline", "wrong.json")
    assert code == 2 and "needs string path, code and claim" in err


def test_normalize_claim() -> None:
    claim = "  \u201cWe aim,\u201d  Kallas\n said.\u00a0"
    assert normalize_claim(claim) == '"We aim," Kallas said.'
    assert normalize_claim("Macro\u0301n said.") == normalize_claim("Macr\u00f3n said.")
    assert normalize_claim("in 2015.") != normalize_claim("in 2016.")
