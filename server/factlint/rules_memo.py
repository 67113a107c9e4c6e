"""What a run answered by the result cache needs of the rules, without reading any YAML.

An unchanged draft's findings come from the result cache; to print them, the CLI needs each
check's description, level, message and link, and to find them, the rules' digest. Both are
kept in a small JSON file in the cache folder, valid while every rule file (and the code
that reads them) has the size and modification time it had when the rules last loaded in
full: size, modification and change times (a change time cannot be set back, as ``cp -p``
or ``touch`` set a modification time), inode. Any difference, a missing or unreadable memo,
and the rules load in full again, with their errors, and the memo is written anew.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factlint import __version__
from factlint.memo_files import stat_row, write_memo_file
from factlint.rules import CheckRule, RuleSet, load_rules, rule_files

FORMAT = 2
_CODE = ("rules.py", "rule_schema.py", "rules_memo.py", "resources.py")  # what reads them


@dataclass(frozen=True)
class RuleSummary:
    """The checks and the digest of a rule set: what the cached path reads of it."""

    checks: dict[str, CheckRule]
    digest: str


def summary_of(rules: RuleSet) -> RuleSummary:
    return RuleSummary(checks=dict(rules.checks), digest=rules.digest)


def _stats(files: list[Path]) -> list[list[Any]]:
    here = Path(__file__).resolve().parent
    return [stat_row(path) for path in [*files, *(here / name for name in _CODE)]]


def memo_path(cache_dir: Path, extra_dirs: list[Path]) -> Path:
    folders = "\0".join(str(Path(d).resolve()) for d in extra_dirs)
    return cache_dir / f"rules-{hashlib.sha256(folders.encode()).hexdigest()[:16]}.json"


def read_memo(path: Path, stats: list[list[Any]]) -> RuleSummary | None:
    """The summary kept at ``path`` if it was written for exactly these stats, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != __version__ \
                or data.get("stats") != stats:
            return None
        checks = {code: CheckRule(code=code, description=str(c["description"]),
                                  level=str(c["level"]), message=str(c["message"]),
                                  link=None if c["link"] is None else str(c["link"]))
                  for code, c in data["checks"].items()}
        return RuleSummary(checks=checks, digest=str(data["digest"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_memo(path: Path, stats: list[list[Any]], summary: RuleSummary) -> None:
    data = {"format": FORMAT, "version": __version__, "stats": stats,
            "digest": summary.digest,
            "checks": {code: {"description": c.description, "level": c.level,
                              "message": c.message, "link": c.link}
                       for code, c in summary.checks.items()}}
    write_memo_file(path, json.dumps(data))  # (only a run that loaded the rules in full)


def summarise_rules(extra_dirs: list[Path], cache_dir: Path | None
                    ) -> tuple[RuleSummary, RuleSet | None]:
    """The rules' summary from the memo when the files are as they were (and no RuleSet),
    else from loading them in full (and that RuleSet). No ``cache_dir``: no memo. Raises
    FactlintError as :func:`~factlint.rules.load_rules` does."""
    if cache_dir is None:
        rules = load_rules(extra_dirs)
        return summary_of(rules), rules
    files, _ = rule_files(extra_dirs)
    stats = _stats_or_none(files)
    path = memo_path(cache_dir, extra_dirs)
    if stats is not None:
        known = read_memo(path, stats)
        if known is not None:
            return known, None
    rules = load_rules(extra_dirs)
    summary = summary_of(rules)
    if stats is not None and stats == _stats_or_none(rules.files):
        write_memo(path, stats, summary)  # (not when a file changed while it loaded)
    return summary, rules


def _stats_or_none(files: list[Path]) -> list[list[Any]] | None:
    try:
        return _stats(files)
    except OSError:
        return None
