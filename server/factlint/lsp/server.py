"""The language server object: state, utilities and the mixins of each concern. The LSP
handlers are in ``factlint.lsp.features``, one module per feature, each registering itself."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from factlint import __version__
from factlint.early_checker import EarlyChecker
from factlint.engine import Engine
from factlint.lsp import config as sc
from factlint.lsp.constants import STATUS_NOTIFICATION, log
from factlint.lsp.conversion import ConversionMixin
from factlint.lsp.indexing import IndexMixin
from factlint.lsp.model import Capabilities, DocState, Finding
from factlint.lsp.polling import CorpusPoller
from factlint.lsp.positions import Positions, TextLines
from factlint.lsp.protocol import HardenedProtocol
from factlint.lsp.scheduling import CheckMixin
from factlint.lsp.settings import SettingsMixin
from factlint.lsp.text_sync import LineStarts
from factlint.lsp.watching import WatchMixin


class FactlintLanguageServer(CheckMixin, ConversionMixin, SettingsMixin, IndexMixin,
                             WatchMixin, LanguageServer):
    def __init__(self) -> None:
        super().__init__("factlint", __version__, protocol_cls=HardenedProtocol)
        self.caps = Capabilities()
        self.docs: dict[str, DocState] = {}
        self.line_starts = LineStarts()  # of the open documents, for their ranged changes
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
        self._settings_known: asyncio.Event | None = None
        self._early: tuple[Any, Engine] | None = None
        # the process checking new drafts while this one starts (factlint.early_checker)
        self.early_checker: EarlyChecker | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reindex_task: asyncio.Task[None] | None = None
        self._reindex_dirty = False
        self._watch_registration: str | None = None
        self._poller: CorpusPoller | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._positions = Positions(None)
        self._watched: tuple[Path, ...] = ()
        self._corpus_text: dict[str, tuple[tuple[int, int], TextLines]] = {}
        # per document: the findings last converted, by id() of their engine diagnostic
        self._converted: dict[str, dict[int, Finding]] = {}
        self._too_large: set[str] = set()  # documents warned about (max_draft_bytes)
        self._in_corpus: dict[str, tuple[tuple[Path, ...], bool]] = {}  # is_corpus_file
        self.install_json_cache()

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
    def settings_known(self) -> asyncio.Event:
        """Set once the settings layers were first merged (the engine build starts then)."""
        if self._settings_known is None:
            self._settings_known = asyncio.Event()
        return self._settings_known

    def early_engine(self, wanted: sc.ServerSettings) -> Engine:
        """An engine for cached results only (rules loaded, no spaCy, no index), made on
        the check thread while the index thread loads the real one."""
        key = wanted.engine_key()
        if self._early is None or self._early[0] != key:
            self._early = (key, self.configured_engine(wanted)[0])
        return self._early[1]

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

    def stop_early_checker(self) -> None:
        if self.early_checker is not None:
            self.early_checker.stop()
            self.early_checker = None

    def stop_background(self) -> None:
        self.stop_early_checker()
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
