"""Incremental indexing against a full build, in one run.

    .venv/bin/python bench/incremental.py [N=2000] [--jobs 2]

On a synthetic corpus of N articles (``make_corpus.py``, seed 0), ``factlint index`` as a
new process each time (it pays its model load, as a user's run does):

- ``full``: into an empty cache;
- ``add 1``: article N+1 copied in (the next article the generator writes);
- ``change 1``: one article's text edited (a number changed);
- ``remove 1``: the added article deleted;
- ``unchanged``: nothing changed (stat only).

Prints seconds, each ratio to the full build (target for ``add 1`` <= 0.05) and the load
average the machine had.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _index(corpus: Path, cache: Path, jobs: int) -> tuple[float, str]:
    env = {**os.environ, "FACTLINT_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "factlint"), "index", "--no-config",
                          "--corpus", str(corpus), "--jobs", str(jobs)],
                         env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, run.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="factlint-incr-"))
    try:
        corpus, spare, cache = work / "corpus", work / "spare", work / "cache"
        make_corpus(args.n, corpus, seed=0)
        make_corpus(args.n + 1, spare, seed=0)
        extra = sorted(set(p.name for p in spare.iterdir()) - set(p.name for p in
                                                                  corpus.iterdir()))[0]
        load = os.getloadavg()[0]
        full, out = _index(corpus, cache, args.jobs)
        print(f"full       {full:7.2f} s   {out}")
        rows = []
        shutil.copy(spare / extra, corpus / extra)
        rows.append(("add 1", *_index(corpus, cache, args.jobs)))
        victim = sorted(corpus.iterdir())[args.n // 2]
        text = victim.read_text(encoding="utf-8")
        victim.write_text(re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 1), text,
                                 count=1), encoding="utf-8")
        rows.append(("change 1", *_index(corpus, cache, args.jobs)))
        (corpus / extra).unlink()
        rows.append(("remove 1", *_index(corpus, cache, args.jobs)))
        rows.append(("unchanged", *_index(corpus, cache, args.jobs)))
        for name, took, out in rows:
            print(f"{name:10} {took:7.2f} s   {took / full:6.3f} x full   {out}")
        print(f"load average at start {load:.2f}, at end {os.getloadavg()[0]:.2f}, "
              f"{os.cpu_count()} CPUs, --jobs {args.jobs}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
