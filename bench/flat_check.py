"""Per-page check cost at 100 and at 10,000 articles, in one run.

    .venv/bin/python bench/flat_check.py [--sizes 100 10000] [--jobs 2] [--pages 10]

For each size, a ``zipf`` corpus (``make_corpus.py --world zipf``: people, places, regions and
quotation subjects that grow with the corpus, drawn with Zipf weights; the smaller corpus is
the start of the bigger one) is indexed with ``factlint index --jobs J`` into a cache of its
own, then ``page_check.py`` times, in one process, the engine-only check of one-page drafts about
that world's people (spaCy excluded: every paragraph is parsed first), the sizes' pages in
turn so that drift in the machine's speed falls on every size alike. Prints each size's
median ms and facts fetched per page, and the ratio largest / smallest (target <= 1.3): of
the medians, and page by page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import make_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="factlint-flat-"))
    top = max(args.sizes)
    full = work / f"zipf-{top}"
    if not full.exists():
        make_corpus(top, full, seed=0, world="zipf")
    built_in: dict[int, tuple[float, str]] = {}
    for n in sorted(args.sizes):
        corpus = work / f"zipf-{n}"
        if not corpus.exists():
            corpus.mkdir()
            for p in sorted(full.iterdir())[:n]:
                shutil.copy(p, corpus / p.name)
        env = {**os.environ, "FACTLINT_CACHE_DIR": str(work / f"cache-{n}")}
        start = time.perf_counter()
        built = subprocess.run([sys.executable, "-m", "factlint", "index",
                                "--no-config", "--corpus", str(corpus), "--jobs",
                                str(args.jobs)], env=env, capture_output=True, text=True,
                               check=True)
        built_in[n] = (time.perf_counter() - start, built.stdout.strip())
    # every size in one process, their pages checked in turn (see page_check.py)
    sizes = sorted(args.sizes)
    cmd = [sys.executable, str(HERE / "page_check.py"), "--pages", str(args.pages),
           "--world", "zipf"]
    for n in sizes:
        cmd += ["--corpus", str(work / f"zipf-{n}"), "--corpus-n", str(n),
                "--cache-dir", str(work / f"cache-{n}")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in out.stdout.strip().splitlines()]
    by_check = [line.strip() for line in out.stderr.splitlines() if "fetched_by_check" in line]
    for n, data, checks in zip(sizes, rows, by_check, strict=True):
        print(f"N={n:6}  {data['facts']:8} facts  page check median {data['median_ms']:7.1f} "
              f"ms (max {data['max_ms']:.1f})  fetched/page {data['fetched_per_page']:6}  "
              f"findings {data['findings']}  (index {built_in[n][0]:.0f} s)")
        print(f"          fetched per page by check: {checks}")
    ratio = rows[-1]["median_ms"] / rows[0]["median_ms"]
    print(f"ratio N={sizes[-1]} / N={sizes[0]}: {ratio:.2f} of the medians, "
          f"{rows[-1]['paired_ratio']:.2f} page by page (target <= 1.3); load "
          f"average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs; work folder {work}")

if __name__ == "__main__":
    main()
