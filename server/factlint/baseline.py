"""Baselines: today's findings, recorded so that CI fails only on new ones.

A finding is identified by its file, its check code and its claim — the text of the draft
sentence it is about, normalized (Unicode NFC, curly quotes made straight, runs of white
space made one space). Line numbers are not part of it, so inserting or deleting text
elsewhere in the file keeps a finding matched; editing the sentence itself makes it new.

The file is JSON with a stable order (sorted by path, code, claim), so it diffs well::

    {
      "version": 1,
      "tool": "factlint",
      "findings": [
        {"path": "drafts/war.md", "code": "date", "claim": "Moscow annexed ... in 2015.",
         "count": 1}
      ]
    }

``path`` is relative to the baseline file's folder (POSIX separators; ``-`` is stdin);
``count`` is how many findings with that identity the file had (a sentence can repeat).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from factlint.diagnostics import Diagnostic, FileReport
from factlint.errors import FactlintError

VERSION = 1
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                         "\u00a0": " "})
_SPACE = re.compile(r"\s+")

Key = tuple[str, str, str]  # (path, code, normalized claim)


def normalize_claim(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def baseline_path(draft: str, base: Path) -> str:
    """A draft's path as recorded in a baseline kept in folder ``base``."""
    if draft == "-":
        return "-"
    absolute = Path(draft).resolve()
    try:
        rel = os.path.relpath(absolute, base.resolve())
    except ValueError:  # another drive (Windows)
        return absolute.as_posix()
    return Path(rel).as_posix()


def finding_key(draft: str, d: Diagnostic, base: Path) -> Key:
    return baseline_path(draft, base), d.code, normalize_claim(d.claim or d.message)


@dataclass
class Baseline:
    path: Path
    counts: Counter[Key] = field(default_factory=Counter)

    @property
    def base(self) -> Path:
        return self.path.parent

    def filter(self, reports: list[FileReport]) -> tuple[list[FileReport], int]:
        """Reports without the findings the baseline knows, and how many were dropped."""
        left = Counter(self.counts)
        dropped = 0
        out = []
        for r in reports:
            kept = []
            for d in r.diagnostics:
                key = finding_key(r.path, d, self.base)
                if left[key] > 0:
                    left[key] -= 1
                    dropped += 1
                else:
                    kept.append(d)
            out.append(FileReport(r.path, kept, r.skipped))
        return out, dropped


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise FactlintError("baseline file does not exist (create it with `factlint baseline "
                            "FILE PATH...`)", str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise FactlintError("baseline file is not UTF-8 text", str(path)) from None
    except json.JSONDecodeError as exc:
        raise FactlintError(f"invalid baseline JSON: {exc.msg}", str(path), exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise FactlintError('not a factlint baseline (expected {"version": 1, "findings": '
                            "[...]})", str(path))
    if data.get("version") != VERSION:
        raise FactlintError(f"unsupported baseline version {data.get('version')!r} "
                            f"(expected {VERSION})", str(path))
    counts: Counter[Key] = Counter()
    for n, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) for k in ("path", "code", "claim")):
            raise FactlintError(f"baseline finding #{n + 1} needs string path, code and claim",
                                str(path))
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise FactlintError(f"baseline finding #{n + 1}: count must be a positive integer",
                                str(path))
        counts[(entry["path"], entry["code"], normalize_claim(entry["claim"]))] += count
    return Baseline(path, counts)


def build_baseline(path: Path, reports: list[FileReport]) -> Baseline:
    counts: Counter[Key] = Counter()
    for r in reports:
        for d in r.diagnostics:
            counts[finding_key(r.path, d, path.parent)] += 1
    return Baseline(path, counts)


def dump_baseline(baseline: Baseline) -> str:
    findings = [{"path": p, "code": c, "claim": claim, "count": n}
                for (p, c, claim), n in sorted(baseline.counts.items())]
    return json.dumps({"version": VERSION, "tool": "factlint", "findings": findings},
                      indent=2, ensure_ascii=False) + "\n"


def write_baseline(baseline: Baseline) -> None:
    folder = baseline.path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".factlint-baseline-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(dump_baseline(baseline))
        os.replace(tmp, baseline.path)
    except OSError as exc:
        raise FactlintError(f"cannot write baseline: {exc.strerror}", str(baseline.path)) \
            from None
