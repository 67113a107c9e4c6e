"""Rules and config files: malformed YAML/TOML, unknown keys, wrong types and invalid
patterns are errors naming the file and the line; nothing in them can run code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from factlint.cli import main
from factlint.errors import FactlintError
from factlint.nlp import load_pipeline
from factlint.project_config import load_config_file
from factlint.rules import load_rules

RULES = [
    # (file content, line, words in the reason)
    ("checks:\n  date:\n    level: error\n   message: bad indent\n", 4, "invalid YAML"),
    ('key: "unterminated\n', 2, "invalid YAML"),
    ("checks: [\n", 2, "invalid YAML"),
    ("- a\n- b\n", 1, "must be a mapping"),
    ("surprise:\n  x: 1\n", 1, "unknown section"),
    ("checks:\n  date:\n    colour: red\n", 2, "unknown key 'colour'"),
    ("events:\n  war:\n    verbs: fight\n", 2, "verbs must be a list"),
    ("checks:\n  date:\n    level: loud\n", 2, "level must be one of"),
    ("numbers:\n  words: {a: x}\n", 2, "numbers.words.a must be a number"),
    ("numbers:\n  words: [1, 2]\n", 2, "numbers.words must be a mapping"),
    ("numbers:\n  vague: {dozens: 5}\n", 2, "numbers.vague.dozens must be a list"),
    ("numbers:\n  qualifiers:\n    around: [x, 1]\n", 3, "around[0] must be a number"),
    ("dates:\n  parts:\n    early: [1]\n", 3, "early must be a list of 2 items"),
    ("speech:\n  min_quote_words: lots\n", 2, "min_quote_words must be a number"),
    ("speech:\n  verbs: 5\n", 2, "speech.verbs must be a list"),
    ("titles:\n  offices: 5\n", 2, "titles.offices must be a mapping"),
    ("events:\n  war:\n    dated: [1]\n", 3, "events.war.dated must be true or false"),
    ("places:\n  x: !!binary aGVsbG8=\n", 2, "not bytes"),
    ('checks:\n  date:\n    message: "{nope}"\n', 3, "unknown placeholder {nope}"),
    ('checks:\n  date:\n    message: "{claimed.__class__}"\n', 3, "unknown placeholder"),
    ('checks:\n  date:\n    message: "{claimed"\n', 3, "invalid message template"),
]


@pytest.mark.parametrize("content,line,reason", RULES)
def test_bad_rule_files_name_file_and_line(tmp_path: Path, content: str, line: int,
                                           reason: str) -> None:
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "bad.yml").write_text(content, encoding="utf-8")
    with pytest.raises(FactlintError) as info:
        load_rules([folder])
    err = info.value
    assert err.path == str(folder / "bad.yml") and err.line == line, str(err)
    assert reason in err.reason, str(err)


def test_well_formed_extensions_still_load(tmp_path: Path) -> None:
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "more.yml").write_text(
        "numbers:\n  words: {a dozen: 12}\n  vague: {umpteen: [10, 99]}\n"
        "speech:\n  verbs: [quipped]\n"
        "checks:\n  date:\n    level: warning\n    message: '{subject}: {claimed}?'\n",
        encoding="utf-8")
    rules = load_rules([folder])
    assert rules.checks["date"].level == "warning"


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/new:os.system",
    "!!python/name:os.system",
    "!!python/module:os",
])
def test_yaml_code_tags_are_rejected_and_never_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "evil.yml").write_text(f"checks:\n  date: {tag} [\"touch {marker}\"]\n",
                                     encoding="utf-8")
    with pytest.raises(FactlintError) as info:
        load_rules([folder])
    assert info.value.line == 2 and "invalid YAML" in info.value.reason
    assert not marker.exists()


def test_cli_reports_a_bad_rule_file_in_one_line(tmp_path: Path, monkeypatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "x.yml").write_text("numbers:\n  words: {a: x}\n", encoding="utf-8")
    (tmp_path / "d.md").write_text("Hello.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-config", "--rules", "r", "d.md"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == ["factlint: error: r/x.yml:2: numbers.words.a must be a number "
                                "(as in the bundled rules), not a string"]


TOML = [
    ("corpus = [\n", None, "invalid TOML"),
    ("[tool\n", 1, "invalid TOML"),
    ("bogus = 1\n", 1, "unknown key 'bogus'"),
    ("corpus = 5\n", 1, "corpus must be a string or a list of strings"),
    ("disable = [1]\n", 1, "disable must be"),
    ('severity = "error"\n', 1, "severity must be a table"),
    ("severity = {date = 5}\n", 1, "severity of date must be one of"),
    ("model = 3\n", 1, "model must be a string"),
    ('include = ["drafts/*.md", "[z-a]"]\n', 1, "invalid include pattern '[z-a]'"),
    ('corpus = "c"\nexclude = ["a[b-a]"]\n', 2, "invalid exclude pattern"),
    ('max_draft_bytes = "big"\n', 1, "max_draft_bytes must be"),
    ("max_draft_bytes = true\n", 1, "max_draft_bytes must be"),
]


@pytest.mark.parametrize("content,line,reason", TOML)
def test_bad_project_files_name_file_and_line(tmp_path: Path, content: str,
                                              line: int | None, reason: str) -> None:
    path = tmp_path / "factlint.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FactlintError) as info:
        load_config_file(path)
    err = info.value
    assert err.path == str(path) and reason in err.reason, str(err)
    if line is not None:
        assert err.line == line, str(err)


def test_pyproject_table_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.factlint]\ncorpus = 1\n', encoding="utf-8")
    with pytest.raises(FactlintError) as info:
        load_config_file(path)
    assert info.value.line == 5


def test_model_setting_cannot_import_a_module(tmp_path: Path, monkeypatch) -> None:
    """``model`` names a spaCy package; naming any other module (one that would run code on
    import, or a standard one) is an error, and the module is never imported."""
    marker = tmp_path / "imported"
    (tmp_path / "evil_model.py").write_text(
        f"open({str(marker)!r}, 'w').close()\ndef load(**kw):\n    return None\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("evil_model", "os", "subprocess"):
        with pytest.raises(FactlintError):
            load_pipeline(name)
    assert not marker.exists() and "evil_model" not in sys.modules


def test_model_from_a_project_file_is_an_error_not_a_traceback(
        tmp_path: Path, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "factlint.toml").write_text('model = "os"\n', encoding="utf-8")
    (tmp_path / "d.md").write_text("Hello.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTLINT_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["check", "d.md"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "spaCy" in err and "Traceback" not in err
