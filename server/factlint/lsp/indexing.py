"""Building the engine and (re)indexing the corpus on the index thread, with work-done
progress and ``factlint/status``; the engine keeps serving checks from the previous index
meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

from lsprotocol import types

from factlint.config import EngineConfig
from factlint.engine import Engine
from factlint.errors import FactlintError
from factlint.limits import max_draft_bytes_for
from factlint.lsp import config as sc
from factlint.lsp.constants import REINDEX_DELAY_S, TEST_ENGINE_DELAY_ENV, log
from factlint.memory import freeze_long_lived


class IndexMixin:
    """Mixed into the server: the engine's life cycle."""

    # -- engine lifecycle -----------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def indexing(self, title: str) -> AsyncIterator[Callable[[str, int, int], None]]:
        """Work-done progress + factlint/status around a (re)index; yields the callback."""
        token: str | None = None
        if self.caps.work_done_progress:
            token = f"factlint-index-{uuid.uuid4().hex}"
            try:
                await asyncio.wait_for(self.work_done_progress.create_async(token), 5)
                self.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                    title=title, message="starting", percentage=0, cancellable=False))
            except Exception as exc:
                log.warning("work done progress unavailable: %s", exc)
                token = None
        self.status("indexing", title)
        last: list[Any] = [None]

        def report(message: str, done: int, total: int) -> None:
            if token is None:
                return
            pct = int(100 * done / total) if total else None
            if (pct, message) == last[0]:
                return
            last[0] = (pct, message)
            self.work_done_progress.report(token, types.WorkDoneProgressReport(
                message=message, percentage=pct))

        def progress(message: str, done: int, total: int) -> None:  # called off the loop
            self.loop.call_soon_threadsafe(report, message, done, total)

        try:
            yield progress
        finally:
            if token is not None:
                self.work_done_progress.end(token, types.WorkDoneProgressEnd(
                    message=f"{self.fact_count} facts"))

    def engine_config(self, settings: sc.ServerSettings) -> EngineConfig:
        """The configuration of the engine these settings make (the store and cache folder
        from the environment)."""
        return EngineConfig(corpus=list(settings.corpus), rules=list(settings.rules),
                            model=settings.model, max_draft_bytes=max_draft_bytes_for(self.root))

    def configured_engine(self, settings: sc.ServerSettings
                          ) -> tuple[Engine, sc.ServerSettings, list[str]]:
        """A new engine for these settings: rules loaded, the overrides its rules know
        applied (the others dropped, with warnings), the result cache on; no spaCy and no
        index yet. The engine's store honours FACTLINT_CACHE_DIR."""
        engine = Engine(self.engine_config(settings))
        engine.on_error = self._engine_error
        engine.enable_result_cache()  # what the next start can publish before spaCy loads
        restricted, warnings = sc.restrict_codes(settings, set(engine.checks))
        engine.configure(severity=dict(restricted.severity), disable=list(restricted.disable))
        return engine, restricted, warnings

    def _build_engine(self, wanted: sc.ServerSettings,
                      progress: Callable[[str, int, int], None]
                      ) -> tuple[Engine, sc.ServerSettings, int, list[str]]:
        """Runs on the index thread: construct, configure, load the model, index.

        A setting that the engine rejects (rule files, model, corpus) falls back to its
        default with a warning, so the server always ends up with a working engine.
        """
        warnings: list[str] = []
        t0 = time.perf_counter()

        def make(settings: sc.ServerSettings) -> tuple[Engine, sc.ServerSettings]:
            engine, restricted, more = self.configured_engine(settings)
            warnings.extend(w for w in more if w not in warnings)
            return engine, restricted

        try:
            engine, applied = make(wanted)
        except FactlintError as exc:
            if not wanted.rules:
                raise
            warnings.append(f"rules: {exc}; using the built-in rules")
            wanted = replace(wanted, rules=())
            engine, applied = make(wanted)
        try:
            _ = engine.nlp  # load spaCy now, not on the first keystroke
        except FactlintError as exc:
            if not wanted.model:
                raise
            warnings.append(f"model: {exc}; using the default model")
            wanted = replace(wanted, model=None)
            engine, applied = make(wanted)
            _ = engine.nlp
        engine.keep_token_vectors()  # an edited paragraph re-embeds only near its edit
        t1 = time.perf_counter()
        try:
            index = engine.load_corpus(progress)
        except FactlintError as exc:
            if not wanted.corpus:
                raise
            warnings.append(f"corpus: {exc}; using the bundled corpus")
            engine, applied = make(replace(wanted, corpus=()))
            index = engine.load_corpus(progress)
        log.debug("engine built: rules and model %.0f ms, corpus %.0f ms",
                  (t1 - t0) * 1000, (time.perf_counter() - t1) * 1000)
        return engine, applied, len(index.facts), warnings

    def _engine_error(self, message: str, exc: BaseException) -> None:
        """The engine isolated a failing check (called on the worker thread)."""
        log.warning("%s: %r", message, exc)
        self.loop.call_soon_threadsafe(
            self.log, types.MessageType.Error, f"{message}: {exc!r}")

    async def rebuild_engine(self, wanted: sc.ServerSettings, *, force: bool = False) -> None:
        async with self.engine_lock:
            if self.merged_settings() != wanted and not force:
                return  # superseded by a newer configuration; that one rebuilds
            async with self.indexing("factlint: indexing corpus") as progress:
                try:
                    engine, applied, facts, warnings = await self.loop.run_in_executor(
                        self._index_executor, self._build_engine, wanted, progress)
                except Exception as exc:
                    msg = f"could not load the corpus: {exc}"
                    self.log(types.MessageType.Error, msg)
                    self.window_show_message(types.ShowMessageParams(
                        type=types.MessageType.Error, message=f"factlint: {msg}"))
                    self.status("ready" if self.engine else "error", msg)
                    return
                replaced = self.engine is not None
                self.engine = engine
                self.settings = applied
                self.fact_count = facts
                self.generation += 1
                # the new index frozen out of the GC, and a replaced engine collected first
                # (the first engine replaces none: its full collection, ~45 ms on the way to
                # a new draft's first diagnostics, would find nothing to free)
                await self.loop.run_in_executor(self._index_executor, freeze_long_lived,
                                                replaced)
            self.warn_user(warnings)
            await _test_delay()
            self.engine_ready.set()
            self.stop_early_checker()  # (its work is this engine's now)
            self.status("ready", f"{facts} facts from {len(engine.corpus_paths)} corpus path(s)")
            self.log(types.MessageType.Info,
                     f"indexed {facts} facts from {', '.join(map(str, engine.corpus_paths))}")
        self.recheck_all()  # at once: a check waiting for the engine is replaced, not doubled
        await self.update_watchers()

    async def reindex(self) -> None:
        async with self.engine_lock:
            engine = self.engine
            if engine is None:
                return
            async with self.indexing("factlint: re-indexing corpus") as progress:
                try:
                    index = await self.loop.run_in_executor(
                        self._index_executor, engine.reload_corpus, progress)
                except Exception as exc:  # the last good index keeps serving
                    msg = f"re-indexing failed: {exc}; keeping the last index"
                    self.log(types.MessageType.Warning, msg)
                    self.window_show_message(types.ShowMessageParams(
                        type=types.MessageType.Warning, message=f"factlint: {msg}"))
                    self.status("ready", msg)
                    return
                self.fact_count = len(index.facts)
                self.generation += 1
                await self.loop.run_in_executor(self._index_executor, freeze_long_lived)
            if index.report is not None:  # only what changed was parsed
                self.log(types.MessageType.Info, f"re-indexed: {index.report.summary()}")
            self.status("ready", f"{self.fact_count} facts")
        self.recheck_all()

    def request_reindex(self) -> asyncio.Task[None]:
        """Coalesce bursts of corpus changes into one re-index (plus one if more came in)."""
        self._reindex_dirty = True
        if self._reindex_task is None or self._reindex_task.done():
            self._reindex_task = self.spawn(self._reindex_loop())
        return self._reindex_task

    async def _reindex_loop(self) -> None:
        while self._reindex_dirty:
            await asyncio.sleep(REINDEX_DELAY_S)
            self._reindex_dirty = False
            await self.reindex()


async def _test_delay() -> None:
    """Tests of what happens before the engine is ready hold it back (a test hook)."""
    delay = os.environ.get(TEST_ENGINE_DELAY_ENV)
    if delay:
        await asyncio.sleep(float(delay))
