"""Documents and their checks: spaCy never runs on the event loop (checks run on ONE worker
thread, serialised: the engine is not thread-safe), and a result is published only if the
document still has the version it was computed for (and the engine/settings are unchanged),
so a stale result never replaces a newer one."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from lsprotocol import types
from pygls.workspace import TextDocument

from factlint.diagnostics import Diagnostic as EngineDiagnostic
from factlint.engine import DRAFT_SUFFIXES, MARKDOWN_SUFFIXES
from factlint.errors import DraftTooLarge
from factlint.lsp.constants import DRAFT_LANGUAGES, log
from factlint.lsp.model import CheckResult, DocState, Finding
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
        if not path or self.engine is None:
            return False
        p = Path(path)
        for root in self.engine.corpus_paths:
            with contextlib.suppress(OSError):
                if p == root or root in p.parents or p.resolve() == root.resolve():
                    return True
                if root.resolve() in p.resolve().parents:
                    return True
        return False

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
        self._too_large.discard(uri)
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

        def job() -> list[EngineDiagnostic] | None:
            if self._is_stale(uri, version, generation):
                return None  # a newer version is queued: do not waste the worker on this one
            started = time.perf_counter()
            found = engine.check_text(text, path, markdown=markdown)
            log.debug("engine checked %s v%s in %.1f ms", path, version,
                      (time.perf_counter() - started) * 1000)
            return found

        queued = time.perf_counter()
        try:
            diags = await self.loop.run_in_executor(self._check_executor, job)
        except DraftTooLarge as exc:  # not checked: no diagnostics, one warning per document
            if uri not in self._too_large:
                self._too_large.add(uri)
                self.warn_user([f"{path}: {exc.reason}"])
            diags = []
        except Exception as exc:  # an engine failure must not take the server down
            self.log(types.MessageType.Error, f"check of {path} failed: {exc}")
            log.exception("check of %s failed", path)
            return None
        if diags is None or self._is_stale(uri, version, generation):
            return None
        result = CheckResult(version, generation, self.convert(diags, text, uri))
        state.result = result
        log.debug("check of %s v%s done %.1f ms after it was queued", path, version,
                  (time.perf_counter() - queued) * 1000)
        return result

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
