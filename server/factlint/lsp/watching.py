"""Watching the corpus, rule and project files: the client's file watchers where it can
register them, else a poller; a change re-indexes the corpus or rebuilds the engine."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from factlint.lsp.polling import CorpusPoller


class WatchMixin:
    """Mixed into the server: which paths are watched, and what a change does."""

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
            self.spawn(self.reload_configuration(None))
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


def _under(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)
