"""Documents and their checks: spaCy never runs on the event loop (checks run on ONE worker
thread, serialised: the engine is not thread-safe), and a result is published only if the
document still has the version it was computed for (and the engine/settings are unchanged),
so a stale result never replaces a newer one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.workspace import TextDocument

from factlint.diagnostics import Diagnostic as EngineDiagnostic
from factlint.diagnostics import Support
from factlint.early_checker import request_for
from factlint.engine import DRAFT_SUFFIXES, MARKDOWN_SUFFIXES
from factlint.errors import DraftTooLarge, StoreUnavailable
from factlint.lsp.constants import DRAFT_LANGUAGES, log
from factlint.lsp.model import CheckResult, Confirmed, DocState, Finding
from factlint.lsp.positions import range_contains


class CheckMixin:
    """Mixed into the server: open documents, scheduling, checking and publishing."""

    # -- documents -----------------------------------------------------------------------
    def is_draft(self, doc: TextDocument) -> bool:
        lang = (doc.language_id or "").lower()
        path = (doc.path or "").lower()
        if lang not in DRAFT_LANGUAGES and not path.endswith(DRAFT_SUFFIXES):
            return False
        return not self.is_corpus_file(doc.path)

    def is_corpus_file(self, path: str | None) -> bool:
        """Whether ``path`` lies in the corpus (resolving symbolic links: a check asks this
        on every edit, so the answer is kept per path and corpus)."""
        if not path or self.engine is None:
            return False
        roots = tuple(self.engine.corpus_paths)
        known = self._in_corpus.get(path)
        if known is not None and known[0] == roots:
            return known[1]
        inside = _inside_any(Path(path), roots)
        if len(self._in_corpus) > 1024:
            self._in_corpus.clear()
        self._in_corpus[path] = (roots, inside)
        return inside

    def markdown_flag(self, doc: TextDocument) -> bool | None:
        lang = (doc.language_id or "").lower()
        if lang == "markdown" or (doc.path or "").lower().endswith(MARKDOWN_SUFFIXES):
            return True
        if lang in ("plaintext", "text", "txt"):
            return False
        return None

    def open_document(self, uri: str, version: int | None) -> None:
        state = self.docs.setdefault(uri, DocState(uri))
        state.version = version

    def close_document(self, uri: str) -> None:
        state = self.docs.pop(uri, None)
        self.line_starts.forget(uri)
        self._too_large.discard(uri)
        self._converted.pop(uri, None)
        if state and state.pending and not state.pending.done():
            state.pending.cancel()
        if not self.caps.pull_diagnostics:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- checking ------------------------------------------------------------------------
    def schedule_check(self, uri: str, delay_ms: int = 0) -> None:
        """(Re)schedule a push check of ``uri``; a newer schedule replaces a pending one."""
        state = self.docs.get(uri)
        if state is None or self.caps.pull_diagnostics:
            return
        if state.pending is not None and not state.pending.done():
            state.pending.cancel()
        state.pending = self.spawn(self._check_and_publish(uri, delay_ms))

    def recheck_all(self) -> None:
        """Results changed for every document (settings, corpus): publish / refresh."""
        self._in_corpus.clear()  # (a folder or link may have come with the change)
        if self.caps.pull_diagnostics:
            self.spawn(self._refresh_pull())
            return
        for uri in list(self.docs):
            self.schedule_check(uri, 0)

    async def _refresh_pull(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.workspace_diagnostic_refresh_async(None), 10)

    def _is_stale(self, uri: str, version: int | None, generation: int) -> bool:
        state = self.docs.get(uri)
        return state is None or state.version != version or self.generation != generation

    async def run_check(self, uri: str) -> CheckResult | None:
        """Check the current text of ``uri`` on the worker thread.

        Returns None when the document is gone, is not a draft, the check failed, or the
        document/engine changed while the check ran (the result would be stale).
        """
        await self.engine_ready.wait()
        state = self.docs.get(uri)
        engine = self.engine
        if state is None or engine is None:
            return None
        doc = self.workspace.get_text_document(uri)
        if not self.is_draft(doc):
            return None
        version, text, generation = state.version, doc.source, self.generation
        state.attempted = (version, generation)
        path = doc.path or uri
        markdown = self.markdown_flag(doc)
        supported: list[Support] | None = [] if self.settings.show_supported else None
        use_cache, state.remember = state.remember, False  # not on every keystroke

        timing: list[float] = []  # the engine's time and spaCy's part of it, in ms

        def job() -> list[EngineDiagnostic] | None:
            if self._is_stale(uri, version, generation):
                return None  # a newer version is queued: do not waste the worker on this one
            engine.spacy_seconds()  # (from here)
            started = time.perf_counter()
            found = engine.check_text(text, path, markdown=markdown, supported=supported,
                                      use_cache=use_cache)
            timing[:] = [(time.perf_counter() - started) * 1000, engine.spacy_seconds() * 1000]
            return found

        queued = time.perf_counter()
        try:
            diags = await self.loop.run_in_executor(self._check_executor, job)
        except DraftTooLarge as exc:  # not checked: no diagnostics, one warning per document
            if uri not in self._too_large:
                self._too_large.add(uri)
                self.warn_user([f"{path}: {exc.reason}"])
            diags = []
        except StoreUnavailable as exc:  # the last good diagnostics stay up
            self.log(types.MessageType.Warning, f"check of {path} not done: {exc}; keeping "
                                                "the last diagnostics")
            return None
        except Exception as exc:  # an engine failure must not take the server down
            self.log(types.MessageType.Error, f"check of {path} failed: {exc}")
            log.exception("check of %s failed", path)
            return None
        if timing and log.isEnabledFor(logging.DEBUG):  # once the result is out (call_soon
            # runs after the caller's publication): a log line is not an edit's latency
            self.loop.call_soon(log.debug, "engine checked %s v%s in %.1f ms (spaCy %.1f ms)",
                                path, version, *timing)
        if diags is None or self._is_stale(uri, version, generation):
            return None
        if use_cache:
            self._warm(uri, version, generation, text, path, markdown)
        confirmed = self.convert_confirmed(supported, text) if supported else ()
        previous = state.result.confirmed if state.result is not None else ()
        result = CheckResult(version, generation, self.convert(diags, text, uri), confirmed)
        state.result = result
        if confirmed != previous:
            self.refresh_confirmed()
        if log.isEnabledFor(logging.DEBUG):
            self.loop.call_soon(log.debug, "check of %s v%s done %.1f ms after it was queued",
                                path, version, (time.perf_counter() - queued) * 1000)
        return result

    def _warm(self, uri: str, version: int | None, generation: int, text: str, path: str,
              markdown: bool | None) -> None:
        """After a check the result cache may have answered (an opened or saved draft), parse
        its paragraphs on the worker in the background, so the first edit re-parses one
        paragraph, not the whole draft. (A draft checked in full is parsed already: then
        this finds every paragraph cached.)"""
        engine = self.engine

        def job() -> None:
            if engine is None or self._is_stale(uri, version, generation):
                return  # edited meanwhile: that check parses what it needs
            with contextlib.suppress(Exception):  # a failure shows in the next real check
                engine.check_text(text, path, markdown=markdown, use_cache=False)

        self.loop.run_in_executor(self._check_executor, job)

    async def _check_and_publish(self, uri: str, delay_ms: int) -> None:
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        result = await self.run_check(uri)
        state = self.docs.get(uri)
        if state is None:
            return
        if result is None:
            # Stale (the document or engine changed meanwhile): a newer check is normally
            # pending; if none is (checkFrequency "save"), check the current text once more.
            if (state.pending is asyncio.current_task() and self.engine is not None
                    and state.attempted is not None
                    and state.attempted != (state.version, self.generation)):
                state.pending = None
                self.schedule_check(uri, 0)
            return
        if self._is_stale(uri, result.version, result.generation):
            return
        if state.published is not None and state.published.version is not None \
                and result.version is not None and result.version < state.published.version:
            return
        state.published = result
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=result.version, diagnostics=[f.lsp for f in result.findings]))

    async def cached_check(self, uri: str) -> CheckResult | None:
        """Before the engine is ready (spaCy loading): the result of this exact text from
        the result cache, if an earlier session checked it. The real check follows once the
        engine is ready; a result of the same version then replaces this one."""
        await self.settings_known.wait()
        state = self.docs.get(uri)
        if state is None or self.engine_ready.is_set():
            return None
        doc = self.workspace.get_text_document(uri)
        if not self.is_draft(doc):
            return None
        version, text, generation = state.version, doc.source, self.generation
        wanted = self.settings
        supported: list[Support] | None = [] if wanted.show_supported else None

        def job() -> list[EngineDiagnostic] | None:
            return self.early_engine(wanted).check_cached(
                text, doc.path or uri, markdown=self.markdown_flag(doc), supported=supported)

        try:
            diags = await self.loop.run_in_executor(self._check_executor, job)
            if diags is None and await self._early_checked(wanted, doc, text):
                diags = await self.loop.run_in_executor(self._check_executor, job)
        except Exception as exc:  # no early answer: the real check will give one
            log.debug("no cached result for %s: %s", uri, exc)
            return None
        if diags is None or self._is_stale(uri, version, generation) or state.result or \
                self.engine_ready.is_set():
            return None  # the engine's own check is coming (or came)
        confirmed = self.convert_confirmed(supported, text) if supported else ()
        result = CheckResult(version, generation, self.convert(diags, text, uri), confirmed)
        state.result = result
        if confirmed:  # (the engine's check refreshes only if it confirms something else)
            self.refresh_confirmed()
        return result

    async def _early_checked(self, wanted: Any, doc: TextDocument, text: str) -> bool:
        """Have the early checker (:mod:`factlint.early_checker`) check a draft the result
        cache does not know, while this process still loads spaCy; True when the cache now
        holds its result."""
        early = self.early_checker
        if early is None or not early.running or self.engine_ready.is_set():
            return False
        request = request_for(self.engine_config(wanted), doc.path or doc.uri, text,
                              self.markdown_flag(doc))
        started = time.perf_counter()
        checked = await self.loop.run_in_executor(None, early.check, request)
        log.debug("early checker %s %s in %.0f ms", "checked" if checked else "did not check",
                  doc.path or doc.uri, (time.perf_counter() - started) * 1000)
        return checked and not self.engine_ready.is_set()

    async def publish_cached(self, uri: str) -> None:
        """Push clients: publish the cached result of a just-opened draft at once."""
        result = await self.cached_check(uri)
        state = self.docs.get(uri)
        if result is None or state is None or state.published is not None or \
                self.engine_ready.is_set():
            return
        state.published = result
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=result.version, diagnostics=[f.lsp for f in result.findings]))

    def refresh_confirmed(self) -> None:
        """Ask the client to re-request inlay hints (or code lenses): what the corpus
        confirms changed."""
        if self.caps.inlay_hints and self.caps.inlay_hint_refresh:
            self.spawn(self._refresh(self.workspace_inlay_hint_refresh_async))
        elif not self.caps.inlay_hints and self.caps.code_lens and self.caps.code_lens_refresh:
            self.spawn(self._refresh(self.workspace_code_lens_refresh_async))

    @staticmethod
    async def _refresh(request: Any) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(request(None), 10)

    def confirmed(self, uri: str) -> tuple[Confirmed, ...]:
        """The confirmed claims of the document's current result (none unless the setting
        ``showSupported`` is on)."""
        state = self.docs.get(uri)
        result = state.result if state is not None else None
        if result is None or not self.settings.show_supported:
            return ()
        if not self._is_stale(uri, result.version, result.generation):
            return result.confirmed
        # typed since: keep the ones whose text is still where it was checked (no flicker,
        # never a hint on text the corpus did not confirm)
        doc = self.workspace.get_text_document(uri)
        return tuple(c for c in result.confirmed if doc.text_in_client_range(c.range) == c.value)

    def findings_at(self, uri: str, pos: types.Position) -> list[Finding]:
        state = self.docs.get(uri)
        result = (state.published or state.result) if state else None
        if result is None:
            return []
        return [f for f in result.findings if range_contains(f.lsp.range, pos)]

    def current_findings(self, uri: str) -> tuple[Finding, ...]:
        state = self.docs.get(uri)
        if state is None:
            return ()
        result = state.published or state.result
        return result.findings if result else ()


def _inside_any(p: Path, roots: tuple[Path, ...]) -> bool:
    for root in roots:
        with contextlib.suppress(OSError):
            if p == root or root in p.parents or p.resolve() == root.resolve():
                return True
            if root.resolve() in p.resolve().parents:
                return True
    return False
