"""``--jobs N``: check many drafts in worker processes.

Each worker builds its Engine once (the pool initializer) and reads the corpus index the
parent has already written to the cache, so no worker re-indexes. Results come back in the
order the drafts were given, so the output is the same as a serial run.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from factlint.config import EngineConfig
from factlint.diagnostics import Diagnostic
from factlint.errors import FactlintError

Task = tuple[str, str, bool]  # (display path, text, markdown?)

_ENGINE = None


def _warn(msg: str, exc: BaseException) -> None:
    print(f"factlint: warning: {msg}: {exc}", file=sys.stderr)


def _init_worker(config: EngineConfig) -> None:
    global _ENGINE
    from factlint.engine import Engine

    engine = Engine(config)
    engine.on_error = _warn
    engine.enable_result_cache()
    engine.load_corpus()
    _ENGINE = engine


def _check(task: Task) -> list[Diagnostic]:
    assert _ENGINE is not None, "worker used before its initializer ran"
    display, text, markdown = task
    return _ENGINE.check_text(text, display, markdown=markdown)


def _context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes, never a fork of this one (it may hold threads and spaCy).

    Where it exists, a fork server that has imported spaCy once starts the workers; else
    each worker is spawned and imports it itself.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["factlint.parallel", "factlint.engine", "spacy"])
        return ctx
    return multiprocessing.get_context("spawn")


def check_parallel(config: EngineConfig, tasks: list[Task], jobs: int) -> list[list[Diagnostic]]:
    """Check ``tasks`` in ``jobs`` processes; one diagnostics list per task, in order."""
    context = _context()
    chunk = max(1, len(tasks) // (jobs * 4))
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=_init_worker, initargs=(config,)) as pool:
            return list(pool.map(_check, tasks, chunksize=chunk))
    except BrokenProcessPool as exc:
        raise FactlintError(f"a worker process failed ({exc}); try --jobs 1") from None
