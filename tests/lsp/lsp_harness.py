"""Helpers for the LSP end-to-end tests: a real ``factlint serve`` driven by pytest-lsp.

Every test gets a fresh server (so settings and state never leak between tests); the corpus
fact index lives in one temp cache dir per test session, so the corpus is indexed once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"

# The two clients every behaviour is checked against (as esbonio does): VS Code, and
# Neovim 0.7 (push diagnostics, initializationOptions, no workspace/configuration, no
# dynamic file watching).
CLIENTS = ["visual-studio-code", "neovim@v0.7.0"]

DRAFT = (
    "# Notes\n"
    "\n"
    '"We aim to establish a beginning to the end of the war," Kallas said at a press'
    " conference.\n"
    "\n"
    "Zelensky and Putin have not met in person since December 2018.\n"
    "\n"
    "Russia invaded Ukraine in February 2022.\n"
)
QUOTE_LINE, DATE_LINE, OK_LINE = 2, 4, 6
EVIDENCE_FILE = "002_25c4805a9411152e.txt"  # the seed both DRAFT findings cite
TIMEOUT = 60.0  # first start may have to index the corpus and load spaCy


def server_command() -> list[str]:
    return [sys.executable, "-m", "factlint", "serve"]


def make_env(cache_dir: Path) -> dict[str, str]:
    """The server's environment: the shared corpus cache, this checkout's sources first."""
    env = dict(os.environ)
    env["FACTLINT_CACHE_DIR"] = str(cache_dir)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "server"), env.get("PYTHONPATH", "")) if p)
    env.pop("FACTLINT_TEST_FAIL_CODE", None)
    return env


@dataclass
class Recorder:
    """What the server sent that pytest-lsp's client does not keep."""

    published: list[types.PublishDiagnosticsParams] = field(default_factory=list)
    status: list[dict[str, Any]] = field(default_factory=list)
    registrations: list[types.Registration] = field(default_factory=list)
    # "publish <uri>", "status <state>", "inlay refresh", in order
    events: list[str] = field(default_factory=list)


def make_client(recorder: Recorder) -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)

    def publish(c: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        c.diagnostics[params.uri] = params.diagnostics
        recorder.published.append(params)
        recorder.events.append(f"publish {params.uri}")

    def status(c: LanguageClient, params: Any) -> None:
        recorder.status.append(_plain(params))
        recorder.events.append(f"status {recorder.status[-1].get('state')}")

    def register(c: LanguageClient, params: types.RegistrationParams) -> None:
        recorder.registrations.extend(params.registrations)

    def unregister(c: LanguageClient, params: types.UnregistrationParams) -> None:
        return None

    def inlay_refresh(c: LanguageClient, params: None) -> None:
        recorder.events.append("inlay refresh")

    register_lsp_features(client, {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish,
        "factlint/status": status,
        types.CLIENT_REGISTER_CAPABILITY: register,
        types.CLIENT_UNREGISTER_CAPABILITY: unregister,
        types.WORKSPACE_INLAY_HINT_REFRESH: inlay_refresh,
    })
    return client


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if hasattr(obj, "_asdict"):
        return {k: _plain(v) for k, v in obj._asdict().items()}
    if hasattr(obj, "__dict__") and not isinstance(obj, type):
        return {k: _plain(v) for k, v in vars(obj).items()}
    return obj


@dataclass
class Session:
    client: LanguageClient
    recorder: Recorder
    capabilities: types.ClientCapabilities
    result: types.InitializeResult
    root: Path
    versions: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def push_only(self) -> bool:
        return self.result.capabilities.diagnostic_provider is None

    def uri(self, name: str) -> str:
        return from_fs_path(str(self.root / name)) or ""

    def open(self, name: str, text: str | None = None, language: str = "markdown") -> str:
        uri = self.uri(name)
        if text is None:
            text = (self.root / name).read_text(encoding="utf-8")
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> int:
        """Replace the whole text (a full-document change event); returns the new version."""
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]

    async def ready(self, uri: str | None = None, timeout: float = TIMEOUT) -> None:
        """Until the engine is built (``factlint/status`` ready): the first findings of a
        draft an earlier test checked may come from the result cache before that. With
        ``uri`` (a push client), also until the engine's own check of it is published."""
        await self.wait_for(lambda: "status ready" in self.recorder.events, timeout, "ready")
        if uri is not None:
            def rechecked() -> bool:
                events = self.recorder.events
                return f"publish {uri}" in events[events.index("status ready"):]
            await self.wait_for(rechecked, timeout, f"the engine's check of {uri}")

    def publications(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        return [p for p in self.recorder.published if p.uri == uri]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = TIMEOUT,
                       what: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            await asyncio.sleep(0.05)

    async def diagnostics(self, uri: str, *, version: int | None = None,
                          predicate: Callable[[list[types.Diagnostic]], bool] | None = None,
                          timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """Wait for a publication for ``uri`` (of ``version``, matching ``predicate``)."""

        def found() -> list[types.Diagnostic] | None:
            for params in reversed(self.publications(uri)):
                if version is not None and params.version != version:
                    continue
                diags = list(params.diagnostics)
                if predicate is None or predicate(diags):
                    return diags or [types.Diagnostic(  # sentinel for "published, empty"
                        range=types.Range(start=types.Position(line=0, character=0),
                                          end=types.Position(line=0, character=0)),
                        message="<empty>", code="<empty>")]
                return None
            return None

        diags = await self.wait_for(found, timeout, f"diagnostics for {uri} v{version}")
        return [d for d in diags if d.code != "<empty>"]


def capabilities_for(name: str) -> types.ClientCapabilities:
    return client_capabilities(name)


@contextlib.asynccontextmanager
async def lsp_session(
    env: dict[str, str], root: Path, *, client_name: str = "visual-studio-code",
    capabilities: types.ClientCapabilities | None = None,
    initialization_options: Any = None,
    configuration: dict[str, Any] | None = None,
) -> AsyncIterator[Session]:
    recorder = Recorder()
    client = make_client(recorder)
    if configuration is not None:
        client.set_configuration(configuration, section="factlint")
    await client.start_io(*server_command(), env=env)
    caps = capabilities or capabilities_for(client_name)
    try:
        result = await asyncio.wait_for(client.initialize_session(types.InitializeParams(
            capabilities=caps,
            root_uri=from_fs_path(str(root)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(root)) or "",
                                                     name=root.name)],
            initialization_options=initialization_options,
        )), TIMEOUT)
        yield Session(client, recorder, caps, result, root)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.shutdown_session(), 20)
        await client.stop()


def by_code(diags: list[types.Diagnostic], code: str) -> types.Diagnostic:
    found = [d for d in diags if d.code == code]
    assert found, f"no {code} diagnostic in {[(d.code, d.message) for d in diags]}"
    return found[0]


def position_in(diag: types.Diagnostic) -> types.Position:
    """A position just inside the diagnostic's range."""
    return types.Position(line=diag.range.start.line, character=diag.range.start.character + 1)


def codes_by_line(diags: list[types.Diagnostic]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for d in diags:
        out.setdefault(d.range.start.line, set()).add(str(d.code))
    return out


def apply_edit(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    """Apply the TextEdits of ``edit`` for ``uri`` to ``text`` (as an editor would)."""
    edits: list[types.TextEdit] = []
    if edit.changes:
        edits += list(edit.changes.get(uri, []))
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            edits += [e for e in change.edits if isinstance(e, types.TextEdit)]
    lines = text.splitlines(keepends=True)

    def offset(pos: types.Position) -> int:
        # test texts are ASCII, so UTF-16 columns are str indices
        return sum(len(line) for line in lines[: pos.line]) + pos.character

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                    reverse=True):
        start, end = offset(e.range.start), offset(e.range.end)
        text = text[:start] + e.new_text + text[end:]
    return text
