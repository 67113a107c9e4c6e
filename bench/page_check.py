"""One-page check time in one process, spaCy excluded: what grows with the corpus.

    .venv/bin/python bench/page_check.py --corpus DIR [--corpus DIR2 ...] [--pages 10]
        [--words 450] [--world zipf --corpus-n N [--corpus-n N2 ...]] [--cache-dir D ...]

Loads an engine and its (warm) corpus index per ``--corpus``, makes ``--pages`` different
one-page drafts about each corpus's people and events (``make_corpus.make_drafts``), parses
all their paragraphs into the engine's parse cache first, then times ``Engine.check_text``
of each page once (every page new to the engine's result caches): extraction, fact lookups
and comparison. What is loaded is frozen out of garbage collection first, as the language
server and the CLI do once an index is loaded. With several corpora the pages are checked
in turn (page 1 of each corpus, then page 2 of each, ...), so a machine whose speed drifts
during the run slows every corpus alike; the ratio of each corpus to the first is also
taken page by page (the median of the paired ratios). Prints one JSON line per corpus:
median and max milliseconds, the facts fetched per page, and ``paired_ratio``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_drafts, make_zipf_drafts  # noqa: E402


def _pages(args: argparse.Namespace, corpus_n: int) -> list[str]:
    if args.world == "zipf":
        return make_zipf_drafts(args.pages + 1, args.words, corpus_n, seed=4242)
    return make_drafts(args.pages + 1, args.words, seed=4242, corpus_seed=0)


def _fail(msg: str, exc: BaseException) -> None:
    raise SystemExit(f"page_check: a check failed, so its timings mean nothing: {msg}") from exc


def _load(args: argparse.Namespace, k: int) -> tuple[Any, Any, list[str]]:
    """The engine of corpus ``k``, its index, and its pages parsed (and one checked)."""
    from factlint.check import PARSE_CACHE
    from factlint.config import EngineConfig
    from factlint.drafts import parse_draft
    from factlint.engine import Engine
    from factlint.textblocks import flatten

    caches = args.cache_dir or []
    config = EngineConfig(corpus=[args.corpus[k]])
    if k < len(caches):
        config = EngineConfig(corpus=[args.corpus[k]], cache_dir=Path(caches[k]))
    engine = Engine(config)
    engine.on_error = _fail  # a claim whose check raised would only make the page cheaper
    index = engine.load_corpus()
    ns = args.corpus_n or [0]
    pages = _pages(args, ns[min(k, len(ns) - 1)])
    for page in pages:
        d = parse_draft(page, True)
        PARSE_CACHE.parse(engine.nlp, [flatten(d.masked[p.start:p.end]) for p in d.paragraphs])
    engine.check_text(pages[0], "warm.md", markdown=True)  # first-use costs
    return engine, index, pages[1:]


def _fetched_by_check(engine: Any, pages: list[str]) -> dict[str, int]:
    """Apart from the timings (walking the stack is slow): which checks fetched the facts."""
    import inspect

    from factlint.factdb import FactDB

    by_check: dict[str, int] = {}
    orig = FactDB.get

    def attributed_get(self: FactDB, ids: list[int], *rest: Any) -> list:
        name = next((f.function for f in inspect.stack()[1:12]
                     if f.function.startswith(("check_", "_holders"))), "other")
        by_check[name] = by_check.get(name, 0) + len(ids)
        return orig(self, ids, *rest)

    FactDB.get = attributed_get  # type: ignore[method-assign]
    try:
        for i, page in enumerate(pages):
            engine.check_text(page, f"again{i}.md", markdown=True, support=[])
    finally:
        FactDB.get = orig  # type: ignore[method-assign]
    n = max(1, len(pages))
    return {k: v // n for k, v in sorted(by_check.items(), key=lambda kv: -kv[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", required=True)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--words", type=int, default=450)
    parser.add_argument("--world", choices=["small", "zipf"], default="small",
                        help="the world the corpus was made in (make_corpus.py --world)")
    parser.add_argument("--corpus-n", type=int, action="append",
                        help="zipf: the corpus's article count (drafts name its people)")
    parser.add_argument("--cache-dir", action="append",
                        help="the index cache of each corpus (default: FACTLINT_CACHE_DIR)")
    args = parser.parse_args()

    from factlint.factdb import FactDB
    from factlint.memory import freeze_long_lived

    loaded = [_load(args, k) for k in range(len(args.corpus))]
    freeze_long_lived()  # what is loaded stays, as the language server and the CLI do
    fetched: list[list[int]] = [[] for _ in loaded]
    times: list[list[float]] = [[] for _ in loaded]
    current = [0]
    orig = FactDB.get

    def counting_get(self: FactDB, ids: list[int], *rest: Any) -> list:
        fetched[current[0]][-1] += len(ids)
        return orig(self, ids, *rest)

    FactDB.get = counting_get  # type: ignore[method-assign]
    for i in range(args.pages):
        for k, (engine, _, pages) in enumerate(loaded):
            current[0] = k
            fetched[k].append(0)
            t = time.perf_counter()
            engine.check_text(pages[i], f"page{i}.md", markdown=True)
            times[k].append((time.perf_counter() - t) * 1000)
    FactDB.get = orig  # type: ignore[method-assign]
    for k, (engine, index, pages) in enumerate(loaded):
        print(json.dumps({"fetched_by_check": _fetched_by_check(engine, pages)}),
              file=sys.stderr)
        paired = statistics.median(t / s for t, s in zip(times[k], times[0], strict=True))
        print(json.dumps({
            "corpus": str(args.corpus[k]), "facts": len(index.facts),
            "median_ms": statistics.median(times[k]), "max_ms": max(times[k]),
            "fetched_per_page": statistics.median(fetched[k]), "paired_ratio": paired,
            "findings": sum(len(engine.check_text(p, f"page{i}.md", markdown=True))
                            for i, p in enumerate(pages))}))


if __name__ == "__main__":
    main()
