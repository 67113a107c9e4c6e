"""One-page check time in one process, spaCy excluded: what grows with the corpus.

    .venv/bin/python bench/page_check.py --corpus DIR [--pages 10] [--words 450]

Loads the engine and the (warm) corpus index, makes ``--pages`` different one-page drafts
about the corpus's people and events (``make_corpus.make_drafts``), parses all their
paragraphs into the engine's parse cache first, then times ``Engine.check_text`` of each page
once (every page new to the engine's result caches): extraction, fact lookups and comparison.
Prints JSON: median and max milliseconds, and the facts fetched per page.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_drafts, make_zipf_drafts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--words", type=int, default=450)
    parser.add_argument("--world", choices=["small", "zipf"], default="small",
                        help="the world the corpus was made in (make_corpus.py --world)")
    parser.add_argument("--corpus-n", type=int, default=0,
                        help="zipf: the corpus's article count (drafts name its people)")
    args = parser.parse_args()

    from factlint.check import PARSE_CACHE
    from factlint.config import EngineConfig
    from factlint.drafts import parse_draft
    from factlint.engine import Engine
    from factlint.factdb import FactDB
    from factlint.textblocks import flatten

    engine = Engine(EngineConfig(corpus=[args.corpus]))
    index = engine.load_corpus()
    if args.world == "zipf":
        pages = make_zipf_drafts(args.pages + 1, args.words, args.corpus_n, seed=4242)
    else:
        pages = make_drafts(args.pages + 1, args.words, seed=4242, corpus_seed=0)
    for page in pages:
        d = parse_draft(page, True)
        texts = [flatten(d.masked[p.start:p.end]) for p in d.paragraphs]
        PARSE_CACHE.parse(engine.nlp, texts)
    engine.check_text(pages[0], "warm.md", markdown=True)  # first-use costs
    fetched = []
    orig = FactDB.get

    def counting_get(self: FactDB, ids: list[int]) -> list:
        fetched[-1] += len(ids)
        return orig(self, ids)

    FactDB.get = counting_get  # type: ignore[method-assign]
    times = []
    for i, page in enumerate(pages[1:]):
        fetched.append(0)
        t = time.perf_counter()
        engine.check_text(page, f"page{i}.md", markdown=True)
        times.append((time.perf_counter() - t) * 1000)
    # apart from the timings (walking the stack is slow): which checks fetched them
    by_check: dict[str, int] = {}

    def attributed_get(self: FactDB, ids: list[int]) -> list:
        import inspect

        name = next((f.function for f in inspect.stack()[1:12]
                     if f.function.startswith(("check_", "_holders"))), "other")
        by_check[name] = by_check.get(name, 0) + len(ids)
        return orig(self, ids)

    FactDB.get = attributed_get  # type: ignore[method-assign]
    for i, page in enumerate(pages[1:]):
        engine.check_text(page, f"again{i}.md", markdown=True, support=[])
    FactDB.get = orig  # type: ignore[method-assign]
    pages_n = max(1, len(pages) - 1)
    print(json.dumps({"fetched_by_check": {k: v // pages_n for k, v in
                                           sorted(by_check.items(), key=lambda kv: -kv[1])}}),
          file=sys.stderr)
    print(json.dumps({"facts": len(index.facts), "median_ms": statistics.median(times),
                      "max_ms": max(times), "fetched_per_page": statistics.median(fetched),
                      "findings": sum(len(engine.check_text(p, f"page{i}.md", markdown=True))
                                      for i, p in enumerate(pages[1:]))}))


if __name__ == "__main__":
    main()
