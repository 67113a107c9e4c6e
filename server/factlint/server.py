"""The factlint language server (``factlint serve``).

Every LSP feature lives in this module; it only converts between the engine's results
(:mod:`factlint.diagnostics`) and :mod:`lsprotocol` types and schedules work:

* spaCy never runs on the event loop: checks run on ONE worker thread (serialised, the
  engine is not thread-safe), corpus indexing on another (the engine keeps serving checks
  from the previous index meanwhile);
* a result is published only if the document still has the version it was computed for
  (and the engine/settings are unchanged), so stale results never replace newer ones;
* clients that support pull diagnostics *and* ``workspace/diagnostic/refresh`` get pull
  diagnostics only (VS Code keeps pushed and pulled diagnostics in separate collections,
  doing both would show every finding twice); every other client gets push diagnostics.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import PositionCodec, ServerTextPosition, TextDocument

from factlint import __version__
from factlint import server_config as sc
from factlint.config import EngineConfig
from factlint.diagnostics import Diagnostic as EngineDiagnostic
from factlint.diagnostics import Position as EnginePosition
from factlint.diagnostics import Range as EngineRange
from factlint.engine import DRAFT_SUFFIXES, MARKDOWN_SUFFIXES, Engine
from factlint.errors import DraftTooLarge, FactlintError
from factlint.limits import max_draft_bytes_for
from factlint.lsp_protocol import HardenedProtocol

log = logging.getLogger("factlint.server")

SOURCE = "factlint"
STATUS_NOTIFICATION = "factlint/status"
REINDEX_COMMAND = "factlint.reindex"
POLL_INTERVAL_S = 2.0
REINDEX_DELAY_S = 0.25
TEST_FAIL_ENV = "FACTLINT_TEST_FAIL_CODE"  # test hook: converting this code raises

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
_DRAFT_LANGUAGES = {"markdown", "plaintext", "text", "txt"}
_LINE_SPLIT = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")  # after \n, \r\n or a lone \r (as the engine)
_QUOTE_RE = re.compile(r"[\"“”«»„]([^\"“”«»„\n]{3,}?)[\"“”«»„]")
_UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split exactly where the engine splits them."""
    lines = _LINE_SPLIT.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines or [""]


# -- conversion helpers --------------------------------------------------------------------


class TextLines:
    """A text snapshot split into lines, mapping the engine's UTF-16 columns to str indices.

    Lines without astral characters (almost all prose) map 1:1; the others go through
    pygls' position codec.
    """

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)
        self.starts = list(itertools.accumulate((len(line) for line in self.lines), initial=0))

    def column(self, pos: EnginePosition) -> int | None:
        """The str index of ``pos`` within its line (None past the last line)."""
        if pos.line >= len(self.lines):
            return None
        line = self.lines[pos.line]
        if _ASTRAL.search(line) is None:
            return min(pos.character, len(line))
        return _UTF16.position_from_client_units(
            self.lines, types.Position(line=pos.line, character=pos.character)).character

    def offset(self, pos: EnginePosition) -> int:
        col = self.column(pos)
        if col is None:
            return self.starts[-1]
        return self.starts[pos.line] + col


class Positions:
    """Engine positions are UTF-16; clients may have negotiated UTF-8 or UTF-32."""

    def __init__(self, encoding: types.PositionEncodingKind | str | None) -> None:
        self.identity = encoding in (None, types.PositionEncodingKind.Utf16, "utf-16")
        self.codec = PositionCodec(encoding)

    def position(self, pos: EnginePosition, text: TextLines | None) -> types.Position:
        if self.identity or text is None:
            return types.Position(line=pos.line, character=pos.character)
        col = text.column(pos)
        if col is None:
            return types.Position(line=pos.line, character=0)
        if text.lines[pos.line][:col].isascii():
            return types.Position(line=pos.line, character=col)
        return self.codec.position_to_client_units(
            text.lines, ServerTextPosition(line=pos.line, character=col))

    def range(self, rng: EngineRange, text: TextLines | None) -> types.Range:
        return types.Range(start=self.position(rng.start, text),
                           end=self.position(rng.end, text))


def valid_link(link: str | None) -> str | None:
    """The link if it is an absolute URI a client can open, else None."""
    if not link:
        return None
    parsed = urlparse(link)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return link
    if parsed.scheme == "file" and parsed.path:
        return link
    return None


def range_contains(rng: types.Range, pos: types.Position) -> bool:
    start = (rng.start.line, rng.start.character)
    end = (rng.end.line, rng.end.character)
    return start <= (pos.line, pos.character) <= end


def ranges_overlap(a: types.Range, b: types.Range) -> bool:
    return ((a.start.line, a.start.character) <= (b.end.line, b.end.character)
            and (b.start.line, b.start.character) <= (a.end.line, a.end.character))


def same_range(a: types.Range, b: types.Range) -> bool:
    return (a.start.line, a.start.character, a.end.line, a.end.character) == (
        b.start.line, b.start.character, b.end.line, b.end.character)


def _norm_quote(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@dataclass(frozen=True)
class EvidenceLink:
    uri: str
    range: types.Range  # in client units
    source: str
    line: int  # 1-based
    text: str
    fact: str


@dataclass(frozen=True)
class Finding:
    """One engine diagnostic and its LSP form, for one document version."""

    diag: EngineDiagnostic
    lsp: types.Diagnostic
    evidence: tuple[EvidenceLink, ...]
    fix_range: types.Range | None  # client units
    fix_old_text: str | None  # the draft text the fix replaces (in the checked snapshot)


@dataclass(frozen=True)
class CheckResult:
    version: int | None
    generation: int
    findings: tuple[Finding, ...]

    @property
    def result_id(self) -> str:
        return f"{self.generation}:{self.version}"


@dataclass
class DocState:
    uri: str
    version: int | None = None
    pending: asyncio.Task[None] | None = None
    attempted: tuple[int | None, int] | None = None  # (version, generation) last checked
    result: CheckResult | None = None
    published: CheckResult | None = None


@dataclass
class Capabilities:
    """What the client said it supports, as the server uses it."""

    configuration: bool = False
    work_done_progress: bool = False
    watched_files_dynamic: bool = False
    watched_files_relative: bool = False
    did_change_configuration_dynamic: bool = False
    pull_diagnostics: bool = False
    document_changes: bool = False
    hover_markdown: bool = True

    @staticmethod
    def from_client(caps: types.ClientCapabilities) -> Capabilities:
        hover_formats = get_capability(caps, "text_document.hover.content_format", None)
        return Capabilities(
            configuration=bool(get_capability(caps, "workspace.configuration", False)),
            work_done_progress=bool(get_capability(caps, "window.work_done_progress", False)),
            watched_files_dynamic=bool(get_capability(
                caps, "workspace.did_change_watched_files.dynamic_registration", False)),
            watched_files_relative=bool(get_capability(
                caps, "workspace.did_change_watched_files.relative_pattern_support", False)),
            did_change_configuration_dynamic=bool(get_capability(
                caps, "workspace.did_change_configuration.dynamic_registration", False)),
            pull_diagnostics=(
                get_capability(caps, "text_document.diagnostic", None) is not None
                and bool(get_capability(caps, "workspace.diagnostics.refresh_support", False))
            ),
            document_changes=bool(get_capability(
                caps, "workspace.workspace_edit.document_changes", False)),
            hover_markdown=(hover_formats is None
                            or types.MarkupKind.Markdown in hover_formats),
        )


class CorpusPoller:
    """Watches corpus/rules paths by scanning mtimes, for clients that cannot watch files."""

    def __init__(self, paths: Iterable[Path], on_change: Callable[[list[str]], None],
                 interval: float = POLL_INTERVAL_S) -> None:
        self.paths = list(paths)
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="factlint-poll", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def snapshot(self) -> dict[str, tuple[int, int]]:
        seen: dict[str, tuple[int, int]] = {}
        for root in self.paths:
            candidates = [root] if root.is_file() else (
                p for p in root.rglob("*") if not any(part.startswith(".") for part in
                                                      p.relative_to(root).parts))
            for path in candidates:
                try:
                    st = path.stat()
                except OSError:
                    continue
                if path.is_file():
                    seen[str(path)] = (st.st_mtime_ns, st.st_size)
        return seen

    def _run(self) -> None:
        previous = self.snapshot()
        while not self._stop.wait(self.interval):
            try:
                current = self.snapshot()
            except OSError:
                continue
            if current != previous:
                changed = sorted(k for k in current.keys() | previous.keys()
                                 if current.get(k) != previous.get(k))
                previous = current
                self.on_change(changed)


# -- the server ----------------------------------------------------------------------------


class FactlintLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("factlint", __version__, protocol_cls=HardenedProtocol)
        self.caps = Capabilities()
        self.docs: dict[str, DocState] = {}
        self.engine: Engine | None = None
        self.generation = 0
        self.settings = sc.ServerSettings()
        self.layers: dict[str, sc.SettingsLayer] = {
            "init": sc.SettingsLayer(), "client": sc.SettingsLayer(),
            "project": sc.SettingsLayer()}
        self.fact_count = 0
        self.root: Path = Path.cwd()
        self._init_warnings: list[str] = []
        self._client_warnings: list[str] = []
        self._client_baseline: sc.SettingsLayer | None = None
        self._project_file: Path | None = None
        self._check_executor = ThreadPoolExecutor(1, thread_name_prefix="factlint-check")
        self._index_executor = ThreadPoolExecutor(1, thread_name_prefix="factlint-index")
        self._engine_lock: asyncio.Lock | None = None
        self._engine_ready: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reindex_task: asyncio.Task[None] | None = None
        self._reindex_dirty = False
        self._watch_registration: str | None = None
        self._poller: CorpusPoller | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._positions = Positions(None)
        self._watched: tuple[Path, ...] = ()
        self._corpus_text: dict[str, tuple[tuple[int, int], TextLines]] = {}
        self._too_large: set[str] = set()  # documents warned about (max_draft_bytes)

    # -- small utilities -----------------------------------------------------------------
    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop

    @property
    def engine_lock(self) -> asyncio.Lock:
        if self._engine_lock is None:
            self._engine_lock = asyncio.Lock()
        return self._engine_lock

    @property
    def engine_ready(self) -> asyncio.Event:
        if self._engine_ready is None:
            self._engine_ready = asyncio.Event()
        return self._engine_ready

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run a coroutine in the background, keeping a reference and logging failures."""
        task = self.loop.create_task(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                exc = t.exception()
                self.log(types.MessageType.Error, f"internal error: {exc!r}")
                log.error("background task failed", exc_info=exc)

        task.add_done_callback(done)
        return task

    def log(self, kind: types.MessageType, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def warn_user(self, warnings: Sequence[str]) -> None:
        if not warnings:
            return
        for w in warnings:
            self.log(types.MessageType.Warning, w)
        self.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Warning,
            message="factlint: " + "; ".join(warnings)))

    def status(self, state: str, message: str) -> None:
        self.protocol.notify(STATUS_NOTIFICATION,
                             {"state": state, "facts": self.fact_count, "message": message})

    # -- documents -----------------------------------------------------------------------
    def is_draft(self, doc: TextDocument) -> bool:
        lang = (doc.language_id or "").lower()
        path = (doc.path or "").lower()
        if lang not in _DRAFT_LANGUAGES and not path.endswith(DRAFT_SUFFIXES):
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

    # -- engine results -> LSP ------------------------------------------------------------
    def convert(self, diags: Sequence[EngineDiagnostic], text: str,
                uri: str) -> tuple[Finding, ...]:
        lines = TextLines(text)
        out: list[Finding] = []
        fail_code = os.environ.get(TEST_FAIL_ENV)
        for diag in diags:
            try:
                if fail_code and diag.code == fail_code:
                    raise RuntimeError(f"{TEST_FAIL_ENV}: conversion of {diag.code!r} failed")
                out.append(self.convert_one(diag, text, lines))
            except Exception as exc:
                self.log(types.MessageType.Error,
                         f"skipped a {diag.code} diagnostic in {uri}: {exc}")
                log.exception("converting %s failed", diag.code)
        return tuple(out)

    def convert_one(self, diag: EngineDiagnostic, text: str, lines: TextLines) -> Finding:
        rng = self._positions.range(diag.range, lines)
        evidence = tuple(self.evidence_link(ev) for ev in diag.evidence)
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=ev.uri, range=ev.range),
                message=f"{ev.source}:{ev.line}: {ev.text}")
            for ev in evidence
        ]
        fix_range = fix_old = None
        data: dict[str, Any] = {"claim": diag.claim, "fix": None}
        if diag.fix is not None:
            fix_range = self._positions.range(diag.fix.range, lines)
            fix_old = text[lines.offset(diag.fix.range.start):lines.offset(diag.fix.range.end)]
            data["fix"] = {
                "range": {"start": {"line": fix_range.start.line,
                                    "character": fix_range.start.character},
                          "end": {"line": fix_range.end.line,
                                  "character": fix_range.end.character}},
                "newText": diag.fix.new_text,
                "oldText": fix_old,
            }
        href = valid_link(diag.link)
        lsp = types.Diagnostic(
            range=rng,
            message=diag.message,
            severity=_SEVERITY.get(diag.severity, types.DiagnosticSeverity.Warning),
            code=diag.code,
            code_description=types.CodeDescription(href=href) if href else None,
            source=SOURCE,
            related_information=related or None,
            data=data,
        )
        return Finding(diag, lsp, evidence, fix_range, fix_old)

    def evidence_link(self, ev: Any) -> EvidenceLink:
        lines = None if self._positions.identity else self._corpus_lines(ev.path)
        lsp_range = self._positions.range(ev.range, lines)
        return EvidenceLink(uri=from_fs_path(ev.path) or ev.path, range=lsp_range,
                            source=ev.source, line=ev.line, text=ev.text, fact=ev.fact)

    def _corpus_lines(self, path: str) -> TextLines | None:
        """A corpus file's lines (cached while its mtime and size stay the same)."""
        try:
            st = os.stat(path)
            key = (st.st_mtime_ns, st.st_size)
            cached = self._corpus_text.get(path)
            if cached is not None and cached[0] == key:
                return cached[1]
            lines = TextLines(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
        self._corpus_text[path] = (key, lines)
        return lines

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

    # -- settings ------------------------------------------------------------------------
    def parse_layer(self, raw: Any, origin: str) -> tuple[sc.SettingsLayer, list[str]]:
        parsed = sc.parse_layer(raw, base=self.root, origin=origin)
        return parsed.layer, parsed.warnings

    def load_project_layer(self) -> list[str]:
        try:
            from factlint.project_config import load_project_config
        except ImportError as exc:  # pragma: no cover - only while the module is missing
            return [f"project config support unavailable: {exc}"]
        try:
            project = load_project_config(self.root)
        except FactlintError as exc:
            self.layers["project"] = sc.SettingsLayer()
            return [f"{exc} (project file ignored)"]
        except Exception as exc:
            self.layers["project"] = sc.SettingsLayer()
            return [f"could not read the project file: {exc}"]
        self.layers["project"] = (sc.layer_from_project(project) if project is not None
                                  else sc.SettingsLayer())
        self._project_file = project.path if project is not None else None
        return []

    async def fetch_client_layer(self) -> list[str]:
        if not self.caps.configuration:
            return []
        try:
            result = await asyncio.wait_for(self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(
                    scope_uri=from_fs_path(str(self.root)), section=sc.SECTION)])), 10)
        except Exception as exc:
            return [f"workspace/configuration failed: {exc}"]
        raw = result[0] if result else None
        self.set_client_layer(*self.parse_layer(raw, "workspace configuration"))
        return self._client_warnings

    def set_client_layer(self, layer: sc.SettingsLayer, warnings: list[str]) -> None:
        self.layers["client"] = layer
        self._client_warnings = warnings
        if self._client_baseline is None:
            self._client_baseline = layer

    def merged_settings(self) -> sc.ServerSettings:
        changed = sc.changed_keys(self._client_baseline, self.layers["client"])
        cleared = sc.cleared_keys(self._client_baseline, self.layers["client"])
        return sc.merge(changed, sc.without(self.layers["init"], cleared),
                        self.layers["client"], self.layers["project"])

    async def apply_settings(self, warnings: list[str]) -> None:
        """Apply the merged layers: new engine, new overrides, or just timing."""
        wanted = self.merged_settings()
        engine = self.engine
        if engine is None or wanted.engine_key() != self.settings.engine_key():
            self.settings = replace(wanted, severity={}, disable=())
            self.warn_user(warnings)
            await self.rebuild_engine(wanted)
            return
        restricted, more = sc.restrict_codes(wanted, set(engine.rules.checks))
        warnings = warnings + more
        self.warn_user(warnings)
        if (dict(restricted.severity), tuple(restricted.disable)) != (
                dict(self.settings.severity), tuple(self.settings.disable)):
            def configure() -> None:
                engine.configure(severity=dict(restricted.severity),
                                 disable=list(restricted.disable))
            try:
                await self.loop.run_in_executor(self._check_executor, configure)
            except FactlintError as exc:
                self.warn_user([f"{exc}; keeping the previous severity/disable settings"])
                restricted = replace(restricted, severity=self.settings.severity,
                                     disable=self.settings.disable)
            self.generation += 1
        self.settings = restricted
        self.recheck_all()

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

    def _build_engine(self, wanted: sc.ServerSettings,
                      progress: Callable[[str, int, int], None]
                      ) -> tuple[Engine, sc.ServerSettings, int, list[str]]:
        """Runs on the index thread: construct, configure, load the model, index.

        A setting that the engine rejects (rule files, model, corpus) falls back to its
        default with a warning, so the server always ends up with a working engine.
        """
        warnings: list[str] = []

        def make(settings: sc.ServerSettings) -> tuple[Engine, sc.ServerSettings]:
            # the engine's store honours FACTLINT_CACHE_DIR for the index cache
            engine = Engine(EngineConfig(corpus=list(settings.corpus),
                                         rules=list(settings.rules), model=settings.model,
                                         max_draft_bytes=max_draft_bytes_for(self.root)))
            engine.on_error = self._engine_error
            restricted, more = sc.restrict_codes(settings, set(engine.rules.checks))
            warnings.extend(w for w in more if w not in warnings)
            engine.configure(severity=dict(restricted.severity),
                             disable=list(restricted.disable))
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
        try:
            index = engine.load_corpus(progress)
        except FactlintError as exc:
            if not wanted.corpus:
                raise
            warnings.append(f"corpus: {exc}; using the bundled corpus")
            engine, applied = make(replace(wanted, corpus=()))
            index = engine.load_corpus(progress)
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
                self.engine = engine
                self.settings = applied
                self.fact_count = facts
                self.generation += 1
            self.warn_user(warnings)
            self.engine_ready.set()
            self.status("ready", f"{facts} facts from {len(engine.corpus_paths)} corpus path(s)")
            self.log(types.MessageType.Info,
                     f"indexed {facts} facts from {', '.join(map(str, engine.corpus_paths))}")
        await self.update_watchers()
        self.recheck_all()

    async def reindex(self) -> None:
        async with self.engine_lock:
            engine = self.engine
            if engine is None:
                return
            async with self.indexing("factlint: re-indexing corpus") as progress:
                try:
                    index = await self.loop.run_in_executor(
                        self._index_executor, engine.reload_corpus, progress)
                except Exception as exc:
                    msg = f"re-indexing failed: {exc}"
                    self.log(types.MessageType.Error, msg)
                    self.status("ready", msg)
                    return
                self.fact_count = len(index.facts)
                self.generation += 1
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

    # -- watching the corpus --------------------------------------------------------------
    def watched_paths(self) -> tuple[Path, ...]:
        if self.engine is None:
            return ()
        project = (self._project_file,) if self._project_file is not None else ()
        return tuple(self.engine.corpus_paths) + tuple(self.settings.rules) + project

    async def update_watchers(self) -> None:
        paths = self.watched_paths()
        if paths == self._watched:
            return
        self._watched = paths
        if self.caps.watched_files_dynamic:
            await self._register_client_watchers(paths)
        else:
            if self._poller is not None:
                self._poller.stop()
            self._poller = CorpusPoller(paths, self._polled_changes)
            self._poller.start()

    def _polled_changes(self, paths: list[str]) -> None:
        """Called on the poller thread."""
        self.loop.call_soon_threadsafe(self.files_changed, paths)

    def files_changed(self, paths: Sequence[str]) -> None:
        """Corpus files changed: re-index; rule files or the project file: rebuild."""
        if self.engine is None:
            return
        rules = tuple(self.settings.rules)
        project = self._project_file
        if project is not None and any(Path(p) == project for p in paths):
            self.spawn(did_change_configuration(self, types.DidChangeConfigurationParams(
                settings=None)))
        elif any(_under(Path(p), rules) for p in paths):
            self.spawn(self.rebuild_engine(self.merged_settings(), force=True))
        elif any(_under(Path(p), tuple(self.engine.corpus_paths)) for p in paths):
            self.request_reindex()

    async def _register_client_watchers(self, paths: Sequence[Path]) -> None:
        if self._watch_registration is not None:
            with contextlib.suppress(Exception):
                await self.client_unregister_capability_async(types.UnregistrationParams(
                    unregisterations=[types.Unregistration(
                        id=self._watch_registration,
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES)]))
        watchers = []
        for path in paths:
            folder, pattern = (path, "**/*") if path.is_dir() else (path.parent, path.name)
            glob: types.GlobPattern
            if self.caps.watched_files_relative:
                glob = types.RelativePattern(base_uri=from_fs_path(str(folder)) or "",
                                             pattern=pattern)
            else:
                glob = f"{folder.as_posix()}/{pattern}"
            watchers.append(types.FileSystemWatcher(glob_pattern=glob))
        reg_id = f"factlint-watch-{uuid.uuid4().hex}"
        try:
            await asyncio.wait_for(self.client_register_capability_async(
                types.RegistrationParams(registrations=[types.Registration(
                    id=reg_id, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=watchers))])), 10)
            self._watch_registration = reg_id
        except Exception as exc:
            self.log(types.MessageType.Warning,
                     f"client file watching failed ({exc}); polling the corpus instead")
            self._poller = CorpusPoller(paths, self._polled_changes)
            self._poller.start()

    def stop_background(self) -> None:
        if self._poller is not None:
            self._poller.stop()
        self._check_executor.shutdown(wait=False, cancel_futures=True)
        self._index_executor.shutdown(wait=False, cancel_futures=True)

    # -- code actions, hover, definition -----------------------------------------------------
    def fix_edit(self, doc: TextDocument, finding: Finding) -> types.TextEdit | None:
        """The replacement, if the text it replaces is still where it was checked."""
        if finding.fix_range is None or finding.diag.fix is None:
            return None
        if doc.text_in_client_range(finding.fix_range) != finding.fix_old_text:
            return None
        return types.TextEdit(range=finding.fix_range, new_text=finding.diag.fix.new_text)

    def workspace_edit(self, doc: TextDocument, edits: list[types.TextEdit]
                       ) -> types.WorkspaceEdit:
        if self.caps.document_changes:
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=doc.uri, version=doc.version),
                edits=list(edits))])
        return types.WorkspaceEdit(changes={doc.uri: list(edits)})


def _under(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _front_matter_end(lines: Sequence[str]) -> int:
    """Line after YAML/TOML front matter (0 if the document has none)."""
    if not lines or lines[0].rstrip() not in ("---", "+++"):
        return 0
    fence = lines[0].rstrip()
    closers = (fence, "...") if fence == "---" else (fence,)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in closers:
            return i + 1
    return 0


server = FactlintLanguageServer()


# -- lifecycle -----------------------------------------------------------------------------


@server.feature(types.INITIALIZE)
def initialize(ls: FactlintLanguageServer, params: types.InitializeParams) -> None:
    ls.caps = Capabilities.from_client(params.capabilities)
    ls._positions = Positions(ls.workspace.position_encoding)
    root = ls.workspace.root_path
    if params.workspace_folders:
        root = to_fs_path(params.workspace_folders[0].uri) or root
    ls.root = Path(root) if root else Path.cwd()
    ls.layers["init"], ls._init_warnings = ls.parse_layer(
        params.initialization_options, "initializationOptions")

    features = ls.protocol.fm.features
    if ls.caps.pull_diagnostics:
        if types.TEXT_DOCUMENT_DIAGNOSTIC not in features:
            ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
                identifier=SOURCE, inter_file_dependencies=False,
                workspace_diagnostics=False))(pull_diagnostics)
    else:
        features.pop(types.TEXT_DOCUMENT_DIAGNOSTIC, None)
        ls.protocol.fm.feature_options.pop(types.TEXT_DOCUMENT_DIAGNOSTIC, None)


@server.feature(types.INITIALIZED)
async def initialized(ls: FactlintLanguageServer, params: types.InitializedParams) -> None:
    ls._loop = asyncio.get_running_loop()
    warnings = list(ls._init_warnings)
    if ls.caps.did_change_configuration_dynamic:
        ls.spawn(ls.client_register_capability_async(types.RegistrationParams(
            registrations=[types.Registration(
                id=f"factlint-config-{uuid.uuid4().hex}",
                method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                register_options=types.DidChangeConfigurationRegistrationOptions(
                    section=sc.SECTION))])))
    warnings += await ls.fetch_client_layer()
    warnings += ls.load_project_layer()
    await ls.apply_settings(warnings)


@server.feature(types.SHUTDOWN)
def shutdown(ls: FactlintLanguageServer, params: None) -> None:
    ls.stop_background()


# -- text synchronisation ------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: FactlintLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.open_document(params.text_document.uri, params.text_document.version)
    ls.schedule_check(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: FactlintLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.open_document(uri, params.text_document.version)
    if ls.settings.check_frequency is sc.CheckFrequency.CHANGE:
        ls.schedule_check(uri, ls.settings.debounce_ms)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def did_save(ls: FactlintLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if ls.caps.pull_diagnostics:
        if ls.settings.check_frequency is sc.CheckFrequency.SAVE:
            ls.spawn(_check_then_refresh(ls, uri))
        return
    ls.schedule_check(uri, 0)


async def _check_then_refresh(ls: FactlintLanguageServer, uri: str) -> None:
    if await ls.run_check(uri) is not None:
        await ls._refresh_pull()


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: FactlintLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.close_document(params.text_document.uri)


async def pull_diagnostics(ls: FactlintLanguageServer, params: types.DocumentDiagnosticParams
                           ) -> types.DocumentDiagnosticReport:
    """textDocument/diagnostic (registered in ``initialize`` only for clients that pull)."""
    uri = params.text_document.uri
    state = ls.docs.get(uri)
    result: CheckResult | None = None
    if state is not None:
        cached = state.result
        current = cached is not None and not ls._is_stale(uri, cached.version,
                                                          cached.generation)
        if current or (cached is not None
                       and ls.settings.check_frequency is sc.CheckFrequency.SAVE
                       and cached.generation == ls.generation):
            result = cached
        else:
            for _ in range(5):  # the document may change while we check: check again
                result = await ls.run_check(uri)
                state = ls.docs.get(uri)
                if result is not None or state is None:
                    break
                if state.attempted == (state.version, ls.generation):
                    break  # the current text was checked and the check failed
    if result is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id == result.result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
    return types.RelatedFullDocumentDiagnosticReport(
        items=[f.lsp for f in result.findings], result_id=result.result_id)


# -- configuration and corpus changes ------------------------------------------------------


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: FactlintLanguageServer,
                                   params: types.DidChangeConfigurationParams) -> None:
    warnings: list[str] = []
    if ls.caps.configuration:
        warnings += await ls.fetch_client_layer()
    elif params.settings is not None:
        ls.set_client_layer(*ls.parse_layer(params.settings, "didChangeConfiguration"))
        warnings = list(ls._client_warnings)
    warnings += ls.load_project_layer()
    await ls.apply_settings(warnings)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: FactlintLanguageServer,
                             params: types.DidChangeWatchedFilesParams) -> None:
    ls.files_changed([path for c in params.changes if (path := to_fs_path(c.uri))])


@server.command(REINDEX_COMMAND)
async def reindex_command(ls: FactlintLanguageServer, *args: Any) -> dict[str, Any]:
    if ls.engine is None:
        await ls.engine_ready.wait()
    await ls.request_reindex()
    return {"facts": ls.fact_count}


# -- hover, code actions, definition ---------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: FactlintLanguageServer, params: types.HoverParams) -> types.Hover | None:
    findings = ls.findings_at(params.text_document.uri, params.position)
    if not findings:
        return None
    md = ls.caps.hover_markdown
    parts: list[str] = []
    for f in findings:
        code = f"`{f.diag.code}`" if md else f.diag.code
        parts.append(f"**factlint** {code}: {f.diag.message}" if md
                     else f"factlint {code}: {f.diag.message}")
        for ev in f.evidence:
            where = f"[{ev.source}:{ev.line}]({ev.uri}#L{ev.line})" if md \
                else f"{ev.source}:{ev.line}"
            quoted = ev.text.replace("\n", " ")
            parts.append(f"> {quoted}\n\n{where} — fact: {ev.fact}" if md
                         else f"  \"{quoted}\"\n  {where}: {ev.fact}")
        if f.diag.fix is not None:
            parts.append(f"Suggested: `{f.diag.fix.new_text}`" if md
                         else f"Suggested: {f.diag.fix.new_text}")
    rng = findings[0].lsp.range
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown if md else types.MarkupKind.PlainText,
            value=("\n\n---\n\n" if md else "\n\n").join(parts)),
        range=rng)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: FactlintLanguageServer, params: types.CodeActionParams
                ) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    if uri not in ls.docs:
        return None
    doc = ls.workspace.get_text_document(uri)
    cached = ls.current_findings(uri)
    ours = [d for d in params.context.diagnostics if d.source == SOURCE]
    findings: list[Finding] = []
    if ours:
        for d in ours:
            match = next((f for f in cached if f.diag.code == d.code
                          and same_range(f.lsp.range, d.range)), None)
            if match is not None and match not in findings:
                findings.append(match)
    else:
        findings = [f for f in cached if ranges_overlap(f.lsp.range, params.range)]
    if not findings:
        return None

    lines = doc.lines
    actions: list[types.CodeAction] = []
    for f in findings:
        edit = ls.fix_edit(doc, f)
        if edit is not None:
            actions.append(types.CodeAction(
                title=f"Replace “{f.fix_old_text}” with “{edit.new_text}” (as in the corpus)",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[f.lsp], is_preferred=True,
                edit=ls.workspace_edit(doc, [edit])))
    for f in findings:
        line = f.lsp.range.start.line
        text = lines[line] if line < len(lines) else ""
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        newline = "\r\n" if text.endswith("\r\n") else "\n"
        actions.append(types.CodeAction(
            title="Ignore this claim here",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[f.lsp],
            edit=ls.workspace_edit(doc, [types.TextEdit(
                range=types.Range(start=types.Position(line=line, character=0),
                                  end=types.Position(line=line, character=0)),
                new_text=f"{indent}<!-- factlint-disable-next-line {f.diag.code} -->"
                         f"{newline}")])))
    top = _front_matter_end(lines)
    seen: set[str] = set()
    for f in findings:
        if f.diag.code in seen:
            continue
        seen.add(f.diag.code)
        actions.append(types.CodeAction(
            title=f"Ignore {f.diag.code} in this file",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[g.lsp for g in findings if g.diag.code == f.diag.code],
            edit=ls.workspace_edit(doc, [types.TextEdit(
                range=types.Range(start=types.Position(line=top, character=0),
                                  end=types.Position(line=top, character=0)),
                new_text=f"<!-- factlint-disable {f.diag.code} -->\n")])))
    return actions


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: FactlintLanguageServer, params: types.DefinitionParams
               ) -> list[types.Location] | None:
    uri = params.text_document.uri
    locations: list[types.Location] = []
    for f in ls.findings_at(uri, params.position):
        for ev in f.evidence:
            loc = types.Location(uri=ev.uri, range=ev.range)
            if loc not in locations:
                locations.append(loc)
    if locations:
        return locations
    return quote_locations(ls, uri, params.position) or None


def quote_locations(ls: FactlintLanguageServer, uri: str,
                    position: types.Position) -> list[types.Location]:
    """Go to the corpus sentence of the quote under the cursor (flagged or not)."""
    engine = ls.engine
    if engine is None or uri not in ls.docs:
        return []
    doc = ls.workspace.get_text_document(uri)
    lines = doc.lines
    if position.line >= len(lines):
        return []
    col = doc.position_from_client_units(
        types.Position(line=position.line, character=position.character)).character
    line = lines[position.line]
    quote = next((m.group(1) for m in _QUOTE_RE.finditer(line)
                  if m.start() <= col <= m.end()), None)
    if quote is None:
        return []
    wanted = _norm_quote(quote)
    if len(wanted) < 8:
        return []
    out: list[types.Location] = []
    for fact in engine.facts():
        if fact.kind != "quote" or fact.prov is None:
            continue
        said = _norm_quote(str(fact.value.get("text", "")))
        if not said or not (wanted in said or said in wanted):
            continue
        l1, c1, l2, c2 = fact.prov.lsp
        rng = EngineRange(EnginePosition(l1, c1), EnginePosition(l2, c2))
        lsp_range = ls._positions.range(
            rng, None if ls._positions.identity else ls._corpus_lines(fact.prov.path))
        loc = types.Location(uri=from_fs_path(fact.prov.path) or fact.prov.path,
                             range=lsp_range)
        if loc not in out:
            out.append(loc)
    return out


# -- entry point ---------------------------------------------------------------------------


def _preload() -> None:
    try:
        import spacy  # noqa: F401

        import factlint.check  # noqa: F401
        import factlint.corpus  # noqa: F401
    except Exception:  # the engine reports real import problems when it needs them
        log.debug("preloading failed", exc_info=True)


def run_server(tcp: str | None = None) -> None:
    """Serve LSP on stdio, or on TCP ``HOST:PORT`` when ``tcp`` is given."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="factlint-server %(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("factlint").setLevel(
        os.environ.get("FACTLINT_LOG_LEVEL", "WARNING").upper())
    # Importing spaCy is the slowest part of start-up: start it now, while the client and
    # server shake hands. It runs on the index thread, so the engine build queued behind it
    # never imports the same modules concurrently (concurrent imports of spaCy race).
    server._index_executor.submit(_preload)
    if tcp:
        host, sep, port = tcp.rpartition(":")
        if not sep or not port.isdigit():
            raise FactlintError(f"--tcp expects HOST:PORT, got {tcp!r}")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()


if __name__ == "__main__":
    run_server(sys.argv[1] if len(sys.argv) > 1 else None)
