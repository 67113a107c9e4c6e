"""Index-building throughput against raw spaCy, and ``--jobs`` scaling, in one run.

    .venv/bin/python bench/ingest.py [N=200] [--jobs 2] [--repeat 2]

On a synthetic corpus of N articles (``make_corpus.py``, seed 0), alternating, ``--repeat``
times (best of each is kept, the machine being shared):

- ``raw``: ``nlp.pipe`` over exactly the paragraph texts indexing parses, same pipeline and
  components (all of en_core_web_sm's: extraction reads tags, lemmas, the parse and entities),
  batch size 256, model already loaded;
- ``index``: ``build_index(jobs=1)`` into an empty cache with the same loaded model (parse +
  people + roles + facts + SQLite write);
- ``raw2``: ``nlp.pipe(n_process=J)``: what spaCy itself gains from J processes here;
- ``index1``/``indexJ``: ``factlint index --jobs 1`` and ``--jobs J`` as new processes (each
  pays its model loads), empty cache.

Prints words/s and the ratios index ÷ raw (target >= 0.9) and indexJ speed-up over index1
(target >= 1.6 with 2 jobs on 2 cores), next to raw2's speed-up (the machine's ceiling).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from factlint.corpus import build_index, read_corpus
    from factlint.ingest import Document, paragraph_texts
    from factlint.nlp import load_pipeline
    from factlint.rules import load_rules

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        make_corpus(args.n, corpus, seed=0)
        docs = [Document(str(f.path), f.display, f.text) for f in read_corpus([corpus])]
        texts = [t for d in docs for t in paragraph_texts(d)[0]]
        words = sum(len(d.text.split()) for d in docs)
        rules = load_rules([])
        nlp = load_pipeline()
        print(f"{args.n} articles, {words} words, {len(texts)} paragraphs; "
              f"pipeline {nlp.pipe_names}", flush=True)
        best: dict[str, float] = {}

        def keep(name: str, took: float) -> None:
            best[name] = min(best.get(name, float("inf")), took)
            print(f"  {name}: {took:.1f} s", flush=True)

        env = dict(os.environ)
        for r in range(args.repeat):
            t = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=256):
                pass
            keep("raw", time.perf_counter() - t)
            t = time.perf_counter()
            build_index([corpus], rules, work / f"c1-{r}", nlp_factory=lambda: nlp, jobs=1)
            keep("index", time.perf_counter() - t)
            t = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=256, n_process=args.jobs):
                pass
            keep("raw2", time.perf_counter() - t)
            for jobs in (1, args.jobs):
                env["FACTLINT_CACHE_DIR"] = str(work / f"cli{jobs}-{r}")
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "factlint", "index", "--corpus",
                                str(corpus), "--jobs", str(jobs)], env=env, check=True,
                               capture_output=True)
                keep(f"index{jobs}" if jobs == 1 else "indexJ", time.perf_counter() - t)

    def wps(name: str) -> str:
        return f"{words / best[name]:.0f} words/s ({best[name]:.1f} s)"

    print(f"raw nlp.pipe:            {wps('raw')}")
    print(f"index (jobs 1, in-proc): {wps('index')}  -> {best['raw'] / best['index']:.2f} x raw"
          " (target >= 0.9)")
    print(f"raw nlp.pipe n_process={args.jobs}: {wps('raw2')} -> "
          f"{best['raw'] / best['raw2']:.2f} x raw (the machine's ceiling)")
    print(f"factlint index --jobs 1: {wps('index1')}")
    print(f"factlint index --jobs {args.jobs}: {wps('indexJ')} -> "
          f"{best['index1'] / best['indexJ']:.2f} x --jobs 1 (target >= 1.6)")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
