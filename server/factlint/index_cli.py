"""``factlint index``: build (or verify) the corpus fact index ahead of checks and the server."""

from __future__ import annotations

import argparse
import os
import sys
import time


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
    what = index.report.summary()
    sys.stdout.write(f"{len(index.files)} articles, {len(index.facts)} facts, {what} in "
                     f"{took:.2f} s ({index.db.where})\n")
    return 0
