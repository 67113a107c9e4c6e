"""--changed-since REF in a temporary git repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from ci_helpers import CONSISTENT, CRIMEA, KALLAS, git, init_repo, write

from factlint.changed_lines import parse_hunks


@pytest.fixture
def repo(work: Path) -> Path:
    repo = init_repo(work)
    write(repo / "draft.md", f"# War\n\n{KALLAS}\n\n{CONSISTENT}\n")
    git(repo, "add", "draft.md")
    git(repo, "commit", "-q", "-m", "first draft")
    return repo


def lines_of(out: str) -> list[tuple[str, int, str]]:
    rows = []
    for line in out.splitlines():
        path, n, _, rest = line.split(":", 3)
        rows.append((path, int(n), rest.split(":")[0].strip()))
    return rows


def test_only_findings_on_changed_lines(run, repo: Path) -> None:
    write(repo / "draft.md", f"# War\n\n{KALLAS}\n\n{CONSISTENT}\n\n{CRIMEA}\n")
    code, out, _ = run("check", "draft.md")
    assert lines_of(out) == [("draft.md", 3, "error quote-speaker"), ("draft.md", 7, "error date")]
    code, out, err = run("check", "draft.md", "--changed-since", "HEAD")
    assert code == 1, err
    assert lines_of(out) == [("draft.md", 7, "error date")]
    # committed: nothing changed since HEAD any more, but since the first commit it has
    git(repo, "commit", "-q", "-am", "add the annexation")
    code, out, _ = run("check", "draft.md", "--changed-since", "HEAD")
    assert (code, out) == (0, "")
    code, out, _ = run("check", "draft.md", "--changed-since", "HEAD~1")
    assert lines_of(out) == [("draft.md", 7, "error date")]


def test_an_edit_inside_an_old_finding_brings_it_back(run, repo: Path) -> None:
    write(repo / "draft.md", f"# War\n\n{KALLAS.replace('a press', 'the press')}\n\n"
                             f"{CONSISTENT}\n")
    code, out, _ = run("check", "draft.md", "--changed-since", "HEAD", "--format", "github")
    assert code == 1 and out.startswith("::error file=draft.md,line=3,")


def test_unchanged_files_report_nothing(run, repo: Path) -> None:
    write(repo / "old.md", f"{CRIMEA}\n")
    git(repo, "add", "old.md")
    git(repo, "commit", "-q", "-m", "old")
    code, data = run.json("check", "draft.md", "old.md", "--changed-since", "HEAD")
    assert code == 0
    assert [(f["path"], f["diagnostics"]) for f in data["files"]] == [("draft.md", []),
                                                                      ("old.md", [])]


def test_untracked_files_count_as_all_changed(run, repo: Path) -> None:
    write(repo / "drafts" / "new.md", f"{KALLAS}\n\n{CRIMEA}\n")
    code, out, _ = run("check", "draft.md", "drafts/new.md", "--changed-since", "HEAD")
    assert code == 1
    assert lines_of(out) == [("drafts/new.md", 1, "error quote-speaker"),
                             ("drafts/new.md", 3, "error date")]


def test_bad_revision_and_no_repository_are_input_errors(run, repo: Path, tmp_path: Path,
                                                         monkeypatch) -> None:
    code, out, err = run("check", "draft.md", "--changed-since", "no-such-branch")
    assert code == 2 and out == ""
    assert err == "factlint: error: --changed-since: unknown git revision 'no-such-branch'\n"
    code, _, err = run("check", "draft.md", "--changed-since=--output=x.txt")
    assert code == 2 and "not a git revision: '--output=x.txt'" in err  # never an option
    assert not (repo / "x.txt").exists()
    outside = tmp_path / "outside"
    write(outside / "d.md", f"{CRIMEA}\n")
    monkeypatch.chdir(outside)
    code, _, err = run("check", "d.md", "--changed-since", "HEAD")
    assert code == 2 and "not inside a git repository" in err


def test_parse_hunks() -> None:
    diff = ("diff --git a/d.md b/d.md\n--- a/d.md\n+++ b/d.md\n"
            "@@ -3 +3 @@\n-old\n+new\n"
            "@@ -10,0 +11,3 @@\n+a\n+b\n+c\n"
            "@@ -20,2 +23,0 @@\n-gone\n-gone\n")
    assert parse_hunks(diff) == {3, 11, 12, 13}
