"""One project config: discovery upward from the working directory, precedence, validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from ci_helpers import ANNEXED, CONSISTENT, CRIMEA, KALLAS, REPO, write

from factlint.project_config import glob_match, load_project_config

DRAFT = f"{KALLAS}\n\n{CRIMEA}\n\n{CONSISTENT}\n"


def codes(out: str) -> list[str]:
    """'path:line:col: severity code: message' -> ['severity code', ...]"""
    return [line.split(": ")[1] for line in out.splitlines()]


def test_factlint_toml_found_upward_from_the_working_directory(run, work: Path,
                                                               monkeypatch) -> None:
    write(work / "factlint.toml", 'disable = ["quote-speaker"]\n[severity]\ndate = "warning"\n')
    draft = write(work / "a" / "b" / "draft.md", DRAFT)
    monkeypatch.chdir(work / "a" / "b")
    code, out, err = run("check", "draft.md")
    assert code == 1, err
    assert codes(out) == ["warning date"]
    # the language server reads the same file through the same function
    cfg = load_project_config(draft.parent)
    assert cfg is not None and cfg.path == work / "factlint.toml"
    assert cfg.disable == ["quote-speaker"] and cfg.severity == {"date": "warning"}


def test_pyproject_tool_table_and_nearest_file_wins(run, work: Path, monkeypatch) -> None:
    write(work / "factlint.toml", 'disable = ["date"]\n')
    write(work / "sub" / "pyproject.toml",
          '[project]\nname = "x"\n\n[tool.factlint]\ndisable = ["quote-speaker"]\n')
    write(work / "sub" / "draft.md", DRAFT)
    monkeypatch.chdir(work / "sub")
    code, out, _ = run("check", "draft.md")
    assert codes(out) == ["error date"]
    monkeypatch.chdir(work)
    code, out, _ = run("check", "sub/draft.md")
    assert codes(out) == ["error quote-speaker"]
    # a pyproject.toml without [tool.factlint] is not a config: the search goes on upward
    write(work / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    monkeypatch.chdir(work / "sub")
    code, out, _ = run("check", "draft.md")
    assert codes(out) == ["error quote-speaker"]


def test_command_line_overrides_the_config(run, work: Path) -> None:
    write(work / "factlint.toml",
          'disable = ["quote-speaker"]\n[severity]\ndate = "warning"\n')
    write(work / "draft.md", DRAFT)
    code, out, _ = run("check", "draft.md", "--severity", "date=info")
    assert codes(out) == ["info date"]
    code, out, _ = run("check", "draft.md", "--disable", "date")
    assert (code, out) == (0, "")
    code, out, _ = run("check", "draft.md", "--no-config")
    assert codes(out) == ["error quote-speaker", "error date"]
    other = write(work / "elsewhere" / "custom.toml", 'disable = ["date"]\n')
    code, out, _ = run("check", "draft.md", "--config", other)
    assert codes(out) == ["error quote-speaker"]


def test_cli_corpus_replaces_the_config_corpus(run, work: Path) -> None:
    # the project's own corpus says 2015: the draft agrees with it
    write(work / "sources" / "crimea.txt", "Russia annexed Crimea in 2015.\n")
    write(work / "factlint.toml", 'corpus = ["sources"]\n')
    write(work / "draft.md", f"{ANNEXED}\n")
    code, out, err = run("check", "draft.md")
    assert (code, out) == (0, ""), err  # the bundled seeds (2014) would flag it
    code, out, _ = run("check", "draft.md", "--corpus", REPO / "seeds")
    assert codes(out) == ["error date"]


def test_include_exclude_apply_when_checking_folders(run, work: Path) -> None:
    write(work / "factlint.toml", 'include = ["drafts/**"]\nexclude = ["drafts/old", "*.txt"]\n')
    write(work / "drafts" / "new.md", DRAFT)
    write(work / "drafts" / "deep" / "more.md", DRAFT)
    write(work / "drafts" / "old" / "stale.md", DRAFT)
    write(work / "drafts" / "notes.txt", DRAFT)
    write(work / "README.md", DRAFT)
    code, data = run.json("check", ".")
    assert sorted(f["path"] for f in data["files"]) == ["drafts/deep/more.md", "drafts/new.md"]
    # no PATH: the config's folder is checked
    code, data = run.json("check")
    assert sorted(f["path"] for f in data["files"]) == ["drafts/deep/more.md", "drafts/new.md"]
    # a file named explicitly is checked, as pre-commit passes file names
    code, data = run.json("check", "drafts/old/stale.md")
    assert [f["path"] for f in data["files"]] == ["drafts/old/stale.md"]


def test_corpus_and_vendored_folders_are_not_checked_as_drafts(run, work: Path) -> None:
    write(work / "sources" / "crimea.txt", "Russia annexed Crimea in 2014.\n")
    write(work / "factlint.toml", 'corpus = ["sources"]\n')
    write(work / "drafts" / "a.md", f"{ANNEXED}\n")
    write(work / "node_modules" / "pkg" / "README.md", f"{ANNEXED}\n")
    write(work / ".github" / "notes.md", f"{ANNEXED}\n")
    code, data = run.json("check", ".")
    assert [f["path"] for f in data["files"]] == ["drafts/a.md"]
    assert code == 1
    [finding] = data["files"][0]["diagnostics"]
    assert finding["evidence"][0]["source"] == "sources/crimea.txt"


@pytest.mark.parametrize(("text", "line", "reason"), [
    ('corpus = ["x"]\n\n[severity]\ndate = "warning"\nnope = "info"\n', 5,
     "unknown check code 'nope' in severity"),
    ('disable = [\n  "date",\n  "bogus",\n]\n', 3, "unknown check code 'bogus' in disable"),
    ('corpus = "sources"\n[severity]\ndate = "loud"\n', 3, "severity of date must be one of"),
    ('colour = "blue"\n', 1, "unknown key 'colour'"),
    ('disable = [\n', None, "invalid TOML"),
])
def test_invalid_config_is_exit_2_with_file_line_and_reason(run, work: Path, text: str,
                                                            line: int | None,
                                                            reason: str) -> None:
    write(work / "sources" / "a.txt", "Russia annexed Crimea in 2014.\n")
    path = write(work / "factlint.toml", text.replace('["x"]', '["sources"]'))
    write(work / "draft.md", DRAFT)
    code, out, err = run("check", "draft.md")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    where = f"{path}:{line}: " if line else f"{path}:"
    assert err.startswith(f"factlint: error: {where}"), err
    assert reason in err


def test_unknown_code_in_pyproject_names_the_line_in_the_factlint_table(run,
                                                                        work: Path) -> None:
    path = write(work / "pyproject.toml",
                 '[tool.pylint]\ndisable = ["bogus"]\n\n[tool.factlint]\ndisable = ["bogus"]\n')
    write(work / "draft.md", DRAFT)
    code, _, err = run("check", "draft.md")
    assert code == 2
    assert err.startswith(f"factlint: error: {path}:5: unknown check code 'bogus' in disable")


def test_config_file_errors(run, work: Path) -> None:
    write(work / "draft.md", DRAFT)
    code, _, err = run("check", "draft.md", "--config", work / "missing.toml")
    assert code == 2 and "config file does not exist" in err
    no_table = write(work / "pyproject.toml", '[project]\nname = "x"\n')
    code, _, err = run("check", "draft.md", "--config", no_table)
    assert code == 2 and "no [tool.factlint] table" in err
    code, _, err = run("check", "draft.md", "--config", no_table, "--no-config")
    assert code == 2 and "not allowed with" in err


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("*.md", "a/b/c.md", True),
    ("*.md", "a/b/c.txt", False),
    ("archive", "x/archive/y.md", True),
    ("archive/", "archive/y.md", True),
    ("drafts/**/*.md", "drafts/x.md", True),
    ("drafts/**/*.md", "drafts/a/b/x.md", True),
    ("drafts/**/*.md", "other/drafts/x.md", False),
    ("drafts/*.md", "drafts/a/x.md", False),
    ("./drafts/*.md", "drafts/x.md", True),
    ("d?/x.md", "d1/x.md", True),
    ("[!a]*.md", "a.md", False),
])
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected
