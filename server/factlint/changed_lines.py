"""``--changed-since REF``: keep only findings on lines changed since a git revision.

For each draft, ``git diff --unified=0 REF -- FILE`` (the working tree against REF, so
uncommitted edits count) gives the added or modified lines. A file git does not track counts
as changed throughout, as does standard input. git runs with an argument list, never through a
shell, and REF is resolved to a commit first (``git rev-parse --verify``), so it can neither
be read as an option nor name something that is not a commit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from factlint.diagnostics import Diagnostic
from factlint.errors import FactlintError

if TYPE_CHECKING:
    import subprocess

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)
ALL_LINES = None  # every line changed


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    import subprocess  # here: only --changed-since runs git

    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", check=False)
    except FileNotFoundError:
        raise FactlintError("--changed-since needs git, which is not installed") from None


def resolve_ref(ref: str, cwd: Path) -> str:
    """The commit id REF names, or FactlintError."""
    if not ref or ref.startswith("-"):
        raise FactlintError(f"--changed-since: not a git revision: {ref!r}")
    proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                cwd)
    if proc.returncode != 0:
        inside = _git(["rev-parse", "--is-inside-work-tree"], cwd)
        if inside.returncode != 0:
            raise FactlintError("--changed-since: not inside a git repository", str(cwd))
        raise FactlintError(f"--changed-since: unknown git revision {ref!r}")
    return proc.stdout.strip()


def parse_hunks(diff: str) -> set[int]:
    """1-based line numbers (in the new file) that a unified diff adds or changes."""
    lines: set[int] = set()
    for m in _HUNK.finditer(diff):
        start = int(m.group(1))
        count = int(m.group(2)) if m.group(2) is not None else 1
        lines.update(range(start, start + count))
    return lines


class ChangedLines:
    """Changed lines per draft, relative to one revision (resolved per repository)."""

    def __init__(self, ref: str) -> None:
        if not ref or ref.startswith("-"):
            raise FactlintError(f"--changed-since: not a git revision: {ref!r}")
        self.ref = ref
        self._commits: dict[Path, str] = {}

    def _commit(self, folder: Path) -> str:
        proc = _git(["rev-parse", "--show-toplevel"], folder)
        if proc.returncode != 0:
            raise FactlintError("--changed-since: not inside a git repository", str(folder))
        top = Path(proc.stdout.strip())
        if top not in self._commits:
            self._commits[top] = resolve_ref(self.ref, top)
        return self._commits[top]

    def lines(self, draft: str) -> set[int] | None:
        """Changed 1-based lines of a draft; None means all of them (new or stdin)."""
        if draft == "-":
            return ALL_LINES
        path = Path(draft).resolve()
        folder = path.parent
        commit = self._commit(folder)
        tracked = _git(["ls-files", "--error-unmatch", "--", str(path)], folder)
        if tracked.returncode != 0:
            return ALL_LINES  # untracked: everything in it is new
        proc = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames",
                     commit, "--", str(path)], folder)
        if proc.returncode != 0:
            reason = proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else "failed"
            raise FactlintError(f"git diff failed: {reason}", draft)
        return parse_hunks(proc.stdout)


def touches(d: Diagnostic, changed: set[int]) -> bool:
    first = d.range.start.line + 1
    last = d.range.end.line + 1
    if last > first and d.range.end.character == 0:
        last -= 1
    return any(line in changed for line in range(first, last + 1))
