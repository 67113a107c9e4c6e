"""The pre-commit hook: its entry run the way pre-commit runs it (file names appended)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from ci_helpers import CONSISTENT, CRIMEA, KALLAS, REPO, git, init_repo, write


def hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [factlint] = [h for h in hooks if h["id"] == "factlint"]
    return factlint


def test_hook_definition() -> None:
    h = hook()
    assert h["entry"] == "factlint check"
    assert h["language"] == "python"
    assert h["types_or"] == ["markdown", "text"]
    assert re.search(h["files"], "drafts/a.md") and re.search(h["files"], "notes.txt")
    assert not re.search(h["files"], "script.py")


def run_hook(repo: Path, files: list[str], cache_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["FACTLINT_CACHE_DIR"] = str(cache_dir)
    argv = shlex.split(hook()["entry"]) + files
    return subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True,
                          timeout=180, check=False)


def staged(repo: Path) -> list[str]:
    names = git(repo, "diff", "--cached", "--name-only").split()
    return [n for n in names if re.search(hook()["files"], n)]


def test_hook_entry_fails_a_commit_with_a_contradiction(work: Path, cache_dir: Path) -> None:
    repo = init_repo(work / "newsroom")
    write(repo / "factlint.toml", '[severity]\nquote-speaker = "warning"\n')
    write(repo / "drafts" / "war.md", f"# War\n\n{KALLAS}\n\n{CRIMEA}\n")
    write(repo / "notes.txt", f"{CONSISTENT}\n")
    write(repo / "tool.py", "print('not a draft')\n")
    git(repo, "add", ".")
    files = staged(repo)
    assert files == ["drafts/war.md", "notes.txt"]
    proc = run_hook(repo, files, cache_dir)
    assert proc.returncode == 1, proc.stderr
    assert all(line.startswith("drafts/war.md:") for line in proc.stdout.splitlines())
    assert "drafts/war.md:3:1: warning quote-speaker:" in proc.stdout  # the repo's config
    assert "drafts/war.md:5:1: error date:" in proc.stdout
    assert proc.stderr == ""

    proc = run_hook(repo, ["notes.txt"], cache_dir)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
