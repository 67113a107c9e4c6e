"""``factlint index``: build (or verify) the corpus fact index ahead of checks and the server."""

from __future__ import annotations

import argparse
import os
import sys
import time


def run_index(args: argparse.Namespace) -> int:
    from factlint.cli import build_engine, settings_from_args
    from factlint.corpus import build_index, skipped_files
    from factlint.errors import FactlintError

    if args.jobs < 0:
        raise FactlintError("usage: --jobs must be 0 (one per CPU) or more")
    jobs = args.jobs or os.cpu_count() or 1
    engine = build_engine(settings_from_args(args))
    start = time.perf_counter()
    index = build_index(engine.corpus_paths, engine.rules, engine.config.cache_dir,
                        nlp_factory=lambda: engine.nlp, model=engine.config.model, jobs=jobs,
                        strict=engine.config.strict_corpus)
    took = time.perf_counter() - start
    how = "from the cache" if index.from_cache else f"built with {jobs} process" + (
        "es" if jobs > 1 else "")
    where = index.db.path or "memory"
    skipped = skipped_files(engine.corpus_paths)
    also = f", {len(skipped)} file(s) skipped" if skipped else ""
    sys.stdout.write(f"{len(index.files)} articles, {len(index.facts)} facts{also}, {how} in "
                     f"{took:.2f} s ({where})\n")
    return 0
