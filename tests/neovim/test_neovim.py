"""A real headless Neovim (Debian's 0.7.2 here) with ``factlint serve`` attached.

The diagnostics Neovim shows must be exactly what ``factlint check --format json`` reports
for the same file. Without ``nvim`` the test is skipped locally but FAILS under CI (env CI
set), so a CI machine without Neovim cannot pass silently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INIT = Path(__file__).with_name("init.lua")
SEED = "002_25c4805a9411152e.txt"

DRAFT = (
    "# Notes\n"
    "\n"
    '"We aim to establish a beginning to the end of the war," Kallas said at a press'
    " conference.\n"
    "\n"
    "Zelensky and Putin have not met in person since December 2018.\n"
    "\n"
    "Russia invaded Ukraine in February 2022.\n"
)
_SEVERITY = {"error": 1, "warning": 2, "info": 3, "hint": 4}


def _nvim() -> str:
    nvim = shutil.which("nvim")
    if nvim is None:
        if os.environ.get("CI"):
            pytest.fail("nvim is not installed (apt-get install -y neovim); required under CI")
        pytest.skip("nvim is not installed (apt-get install -y neovim)")
    return nvim


@pytest.fixture
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = dict(os.environ)
    cache = tmp_path_factory.getbasetemp() / "factlint-cache"  # shared with tests/lsp
    cache.mkdir(exist_ok=True)
    out["FACTLINT_CACHE_DIR"] = str(cache)
    out["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "server"), out.get("PYTHONPATH", "")) if p)
    out.pop("FACTLINT_TEST_FAIL_CODE", None)
    return out


def _cli_diagnostics(draft: Path, env: dict[str, str]) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "factlint", "check", "--format", "json", str(draft)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["version"] == 1
    (file_report,) = report["files"]
    return file_report["diagnostics"]


def test_neovim_shows_what_the_cli_reports(tmp_path: Path, env: dict[str, str]) -> None:
    nvim = _nvim()
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    draft = workspace / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    expected = _cli_diagnostics(draft, env)  # also warms the corpus cache for the server
    assert {d["code"] for d in expected} == {"quote-speaker", "date"}

    out = tmp_path / "nvim.json"
    nvim_env = {
        **env,
        "FACTLINT_NVIM_OUT": str(out),
        "FACTLINT_NVIM_DRAFT": str(draft),
        "FACTLINT_NVIM_ROOT": str(workspace),
        "FACTLINT_NVIM_CMD": json.dumps([sys.executable, "-m", "factlint", "serve"]),
    }
    proc = subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "--noplugin", "-u", str(INIT)],
        cwd=REPO, env=nvim_env, capture_output=True, text=True, timeout=240,
        stdin=subprocess.DEVNULL)
    assert out.exists(), f"nvim wrote no report (rc {proc.returncode}): {proc.stderr}"
    raw = out.read_text(encoding="utf-8")
    assert raw, f"empty report (rc {proc.returncode}): {proc.stderr[-2000:]}"
    report = json.loads(raw)
    assert report["errors"] == [], report["errors"]
    print("neovim", report["nvim_version"])

    got = report["diagnostics"]
    # Same lines, codes, columns (the draft is ASCII, so bytes == UTF-16 units), messages
    # and severities as the CLI.
    assert [(d["lnum"], d["code"]) for d in got] == [
        (d["range"]["start"]["line"], d["code"]) for d in expected]
    assert [(d["lnum"], d["col"], d["end_lnum"], d["end_col"], d["message"], d["severity"])
            for d in got] == [
        (d["range"]["start"]["line"], d["range"]["start"]["character"],
         d["range"]["end"]["line"], d["range"]["end"]["character"], d["message"],
         _SEVERITY[d["severity"]]) for d in expected]
    assert all(d["source"] == "factlint" for d in got)
    # Published with the document version it was computed for.
    assert isinstance(report["publications"][0]["version"], int)

    # Hover, definition and the quick fix work in the real editor too.
    first = expected[0]
    hover = report["hover"]
    assert first["evidence"][0]["text"][:40] in hover["contents"]["value"]
    definition = report["definition"]
    assert definition and definition[0]["uri"].endswith(SEED)
    assert definition[0]["range"]["start"]["line"] == first["evidence"][0]["line"] - 1
    assert "Ignore this claim here" in report["actions"]
    fixed_line = report["after_fix_line"]
    assert first["fix"]["new_text"] in fixed_line
    assert first["code"] not in {d["code"] for d in report["after_fix"]}
