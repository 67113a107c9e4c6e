"""The rules memo: a run the result cache answers reads no YAML, and never a stale rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from factlint.config import EngineConfig
from factlint.engine import Engine
from factlint.errors import FactlintError
from factlint.rules import load_rules
from factlint.rules_memo import memo_path, summarise_rules

USER_RULES = """\
checks:
  date:
    message: "The corpus dates this to {expected}, not {claimed}."
"""


def _user_rules(tmp_path: Path, text: str = USER_RULES) -> Path:
    folder = tmp_path / "my-rules"
    folder.mkdir(exist_ok=True)
    (folder / "house.yml").write_text(text, encoding="utf-8")
    return folder


def test_second_load_comes_from_the_memo_and_equals_a_full_load(tmp_path: Path) -> None:
    folder = _user_rules(tmp_path)
    cache = tmp_path / "cache"
    first, loaded = summarise_rules([folder], cache)
    assert loaded is not None and memo_path(cache, [folder]).exists()
    again, none = summarise_rules([folder], cache)
    assert none is None  # nothing parsed: the memo answered
    full = load_rules([folder])
    assert again == first
    assert again.digest == full.digest and again.checks == full.checks
    assert again.checks["date"].message.startswith("The corpus dates")


def test_a_changed_rule_file_is_read_again(tmp_path: Path) -> None:
    folder = _user_rules(tmp_path)
    cache = tmp_path / "cache"
    before, _ = summarise_rules([folder], cache)
    _user_rules(tmp_path, USER_RULES.replace("The corpus dates", "Sources date"))
    after, loaded = summarise_rules([folder], cache)
    assert loaded is not None
    assert after.digest != before.digest and after.digest == load_rules([folder]).digest
    assert after.checks["date"].message.startswith("Sources date")


def test_an_edit_of_the_same_size_with_its_old_mtime_is_read_again(tmp_path: Path) -> None:
    """As ``cp -p``, ``rsync -t`` or an unpacked archive leave it: size and modification
    time as before; the change time still says it changed."""
    folder = _user_rules(tmp_path)
    cache = tmp_path / "cache"
    before, _ = summarise_rules([folder], cache)
    path = folder / "house.yml"
    st = path.stat()
    edited = USER_RULES.replace("The corpus dates", "The sources date")
    assert len(edited) == len(USER_RULES)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    after, loaded = summarise_rules([folder], cache)
    assert loaded is not None and after.digest != before.digest
    assert after.checks["date"].message.startswith("The sources date")


def test_no_cache_folder_means_no_memo(tmp_path: Path) -> None:
    summary, loaded = summarise_rules([], None)
    assert loaded is not None and summary.digest == loaded.digest


def test_a_broken_rule_file_is_an_error_even_after_a_memo(tmp_path: Path) -> None:
    folder = _user_rules(tmp_path)
    cache = tmp_path / "cache"
    summarise_rules([folder], cache)
    _user_rules(tmp_path, "checks: [unclosed\n")
    with pytest.raises(FactlintError, match="invalid YAML"):
        summarise_rules([folder], cache)


def test_another_rules_folder_has_a_memo_of_its_own(tmp_path: Path) -> None:
    folder = _user_rules(tmp_path)
    cache = tmp_path / "cache"
    bundled, _ = summarise_rules([], cache)
    house, _ = summarise_rules([folder], cache)
    assert bundled.digest != house.digest
    assert summarise_rules([], cache)[0].digest == load_rules([]).digest


@pytest.mark.parametrize("junk", ["", "{not json", '{"format": 1}', "[]",
                                  '{"format": 1, "version": 3, "stats": null}'])
def test_a_corrupt_memo_means_a_full_load(tmp_path: Path, junk: str) -> None:
    cache = tmp_path / "cache"
    summarise_rules([], cache)
    memo_path(cache, []).write_text(junk, encoding="utf-8")
    summary, loaded = summarise_rules([], cache)
    assert loaded is not None and summary.digest == load_rules([]).digest


def test_a_memo_with_another_digest_is_corrected_when_the_rules_load(tmp_path: Path) -> None:
    """A memo read, then the rules loaded for a check: the loaded digest wins, and what
    was keyed by the memo's is forgotten."""
    cache = tmp_path / "cache"
    summarise_rules([], cache)
    path = memo_path(cache, [])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["digest"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    engine = Engine(EngineConfig(cache_dir=cache))
    assert engine._rules is None and engine._summary.digest == "0" * 64
    engine._corpus_key = "stale"
    assert engine.rules.digest == load_rules([]).digest
    assert engine._summary.digest == engine.rules.digest and engine._corpus_key is None


def test_overrides_are_checked_again_when_the_rules_differ_from_the_memo(
        tmp_path: Path) -> None:
    """A memo that knew a check the rules no longer have: the override naming it is an
    error once the rules themselves are read."""
    cache = tmp_path / "cache"
    summarise_rules([], cache)
    path = memo_path(cache, [])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["digest"] = "0" * 64
    data["checks"]["retired-check"] = dict(data["checks"]["date"])
    path.write_text(json.dumps(data), encoding="utf-8")
    engine = Engine(EngineConfig(cache_dir=cache, severity={"retired-check": "error"}))
    with pytest.raises(FactlintError, match="unknown check code"):
        engine.rules  # noqa: B018 - the property loads them


def test_engine_validates_overrides_against_the_memo(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Engine(EngineConfig(cache_dir=cache))
    with pytest.raises(FactlintError, match="unknown check code"):
        Engine(EngineConfig(cache_dir=cache, severity={"no-such-check": "error"}))
    engine = Engine(EngineConfig(cache_dir=cache, severity={"date": "error"}))
    assert engine._rules is None and "date" in engine.checks


def test_unwritable_cache_folder_still_loads(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    summary, loaded = summarise_rules([], blocker / "cache")
    assert loaded is not None and summary.digest == loaded.digest


UNCHANGED_RUN = textwrap.dedent("""
    import sys
    from factlint.cli import main
    code = main(["check", "--no-config", sys.argv[1]])
    heavy = ["yaml", "orjson", "spacy", "subprocess", "tomllib", "shutil",
             "importlib.metadata", "multiprocessing", "factlint.facts"]
    print(code, [m for m in heavy if m in sys.modules])
""")


def test_an_unchanged_check_imports_none_of_what_it_does_not_need(tmp_path: Path) -> None:
    """The second check of the same draft is answered by the result cache: no YAML parser,
    no orjson, no git, no TOML, no spaCy."""
    draft = tmp_path / "d.md"
    draft.write_text('"We aim to establish a beginning to the end of the war," Kallas said.\n',
                     encoding="utf-8")
    env = {**os.environ, "FACTLINT_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", UNCHANGED_RUN, str(draft)], env=env,
                           capture_output=True, text=True, check=False, cwd=tmp_path)
            for _ in range(2)]
    first, second = (r.stdout.splitlines() for r in runs)
    assert "quote-speaker" in first[0] and second[0] == first[0], runs[1].stderr
    assert first[-1].startswith("1 ") and "'yaml'" in first[-1] and "'spacy'" in first[-1]
    assert second[-1] == "1 []", runs[1].stderr
