"""CI throughput: ``factlint check --jobs J`` over many drafts, words/s against raw spaCy.

    .venv/bin/python bench/ci_throughput.py [--drafts 100] [--words 1000] [--jobs 2]
                                            [--corpus-n 500]

Makes a synthetic corpus (``--corpus-n`` articles) and indexes it (``factlint index``), then
``--drafts`` Markdown drafts of ``--words`` words about the same people and events
(``make_corpus.make_drafts``). Times ``factlint check DIR --jobs J --format json`` as a new
process (model loads included, result cache cold) and, in this process, ``nlp.pipe`` over the
same paragraph texts with one process and with J. Prints words/s and the ratios.
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
from make_corpus import make_corpus, make_drafts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=100)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus-n", type=int, default=500)
    args = parser.parse_args()

    from factlint.drafts import parse_draft
    from factlint.nlp import load_pipeline
    from factlint.textblocks import flatten, paragraphs

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        make_corpus(args.corpus_n, corpus, seed=0)
        env = dict(os.environ, FACTLINT_CACHE_DIR=str(work / "cache"))
        subprocess.run([sys.executable, "-m", "factlint", "index", "--corpus", str(corpus),
                        "--jobs", str(args.jobs)], env=env, check=True, capture_output=True)
        folder = work / "drafts"
        folder.mkdir()
        drafts = make_drafts(args.drafts, args.words, seed=9, corpus_seed=0)
        for i, text in enumerate(drafts):
            (folder / f"draft{i:03d}.md").write_text(text, encoding="utf-8")
        words = sum(len(t.split()) for t in drafts)
        texts = []
        for text in drafts:
            d = parse_draft(text, True)
            for b in d.blocks:
                texts.extend(flatten(d.masked[s:e]) for s, e in paragraphs(d.masked, b.start,
                                                                           b.end))
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "factlint", "check", str(folder),
                               "--corpus", str(corpus), "--no-config", "--jobs", str(args.jobs),
                               "--format", "json"], env=env, capture_output=True, text=True)
        check = time.perf_counter() - t
        assert proc.returncode in (0, 1), proc.stderr
        found = proc.stdout.count('"code"')
        nlp = load_pipeline()
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        raw1 = time.perf_counter() - t
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64, n_process=args.jobs):
            pass
        rawj = time.perf_counter() - t
    print(f"{args.drafts} drafts, {words} words; corpus {args.corpus_n} articles; "
          f"{found} findings")
    print(f"factlint check --jobs {args.jobs}: {words / check:.0f} words/s ({check:.1f} s, "
          "process start and model loads included)")
    print(f"raw spaCy, 1 process:  {words / raw1:.0f} words/s ({raw1:.1f} s) -> factlint = "
          f"{raw1 / check:.2f} x")
    print(f"raw spaCy, {args.jobs} processes: {words / rawj:.0f} words/s ({rawj:.1f} s) -> "
          f"factlint = {rawj / check:.2f} x")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
