"""Helpers shared by the CI command line tests (imported as ``ci_helpers``)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / ".." / "shared" / "schemas" / "sarif-schema-2.1.0.json"

KALLAS = ('"We aim to establish a beginning to the end of the war," Kallas said at a press '
          'conference.')
CRIMEA = "Moscow illegally annexed the Crimean peninsula in 2015."
CONSISTENT = "Russia invaded Ukraine in February 2022."
# fires against a one-sentence corpus "Russia annexed Crimea in 2014." as well as the seeds
ANNEXED = "Russia annexed Crimea in 2015."


class Run:
    """Calls ``factlint.cli.main`` in-process: (exit code, stdout, stderr)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str | Path) -> tuple[int, str, str]:
        from factlint.cli import main

        self.capsys.readouterr()
        code = main([str(a) for a in argv])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *argv: str | Path) -> tuple[int, dict]:
        code, out, err = self(*argv, "--format", "json")
        assert code in (0, 1), err
        return code, json.loads(out)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return proc.stdout


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo
