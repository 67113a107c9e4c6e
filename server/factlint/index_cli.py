"""``factlint index``: build (or verify) the corpus fact index ahead of checks and the server."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any


def run_index(args: argparse.Namespace) -> int:
    from factlint.cli import build_engine, settings_from_args
    from factlint.corpus import build_index
    from factlint.errors import FactlintError

    if args.jobs < 0:
        raise FactlintError("usage: --jobs must be 0 (one per CPU) or more")
    jobs = args.jobs or os.cpu_count() or 1
    engine = build_engine(settings_from_args(args))
    start = time.perf_counter()
    index = build_index(engine.corpus_paths, engine.rules, engine.config.cache_dir,
                        nlp_factory=lambda: engine.nlp, model=engine.config.model, jobs=jobs,
                        strict=engine.config.strict_corpus, store=engine.config.store,
                        rebuild=args.rebuild, dask=args.dask)
    took = time.perf_counter() - start
    what = describe(index.report, jobs, args.dask)
    sys.stdout.write(f"{len(index.files)} articles, {len(index.facts)} facts, {what} in "
                     f"{took:.2f} s ({index.db.where})\n")
    return 0


def describe(report: Any, jobs: int, dask: str | None = None) -> str:
    """"12 added, 1 changed, 2 removed, 3 re-extracted, 1 skipped" (what an update did)."""
    parts = [f"{len(items)} {what}" for items, what in (
        (report.added, "added"), (report.changed, "changed"), (report.removed, "removed"))
        if items]
    if report.reextracted:
        parts.append(f"{report.reextracted} re-extracted")
    if report.skipped:
        parts.append(f"{len(report.skipped)} file(s) skipped")
    if not report.updated:
        parts.insert(0, "up to date")
    elif dask:
        parts.append(f"on Dask at {dask}")
    elif jobs > 1:
        parts.append(f"{jobs} processes")
    return ", ".join(parts)
