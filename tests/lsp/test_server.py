"""End-to-end tests of ``factlint serve`` over stdio, as VS Code and as Neovim 0.7."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import pytest
from lsp_harness import (
    CLIENTS,
    DATE_LINE,
    DRAFT,
    EVIDENCE_FILE,
    QUOTE_LINE,
    Recorder,
    by_code,
    capabilities_for,
    codes_by_line,
    lsp_session,
    make_client,
    position_in,
)
from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pytest_lsp import LspSpecificationWarning

pytestmark = pytest.mark.filterwarnings("error", category=LspSpecificationWarning)


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_configuration_change_republishes(client_name: str, server_env: dict[str, str],
                                                workspace: Path) -> None:
    async with lsp_session(server_env, workspace, client_name=client_name) as s:
        uri = s.open("draft.md")
        diags = await s.diagnostics(uri, version=1)
        assert "date" in {d.code for d in diags}
        count = len(s.publications(uri))

        if s.capabilities.workspace and s.capabilities.workspace.configuration:
            # VS Code: the server pulls workspace/configuration after the notification.
            s.client.set_configuration({"disable": ["date"],
                                        "severity": {"quote-speaker": "hint"}},
                                       section="factlint")
            s.client.workspace_did_change_configuration(
                types.DidChangeConfigurationParams(settings=None))
        else:
            # Neovim 0.7: the settings travel in the notification itself.
            s.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
                settings={"factlint": {"disable": ["date"],
                                       "severity": {"quote-speaker": "hint"}}}))
        after = await s.diagnostics(
            uri, predicate=lambda ds: "date" not in {d.code for d in ds})
        assert len(s.publications(uri)) > count
        assert codes_by_line(after) == {QUOTE_LINE: {"quote-speaker"}}
        assert after[0].severity == types.DiagnosticSeverity.Hint


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_corpus_change_republishes(client_name: str, server_env: dict[str, str],
                                         workspace: Path, temp_corpus: Path) -> None:
    async with lsp_session(server_env, workspace, client_name=client_name,
                           initialization_options={"corpus": [str(temp_corpus)]}) as s:
        uri = s.open("draft.md")
        diags = await s.diagnostics(uri, version=1)
        date = by_code(diags, "date")
        assert to_fs_path(date.related_information[0].location.uri).startswith(
            str(temp_corpus))

        source = temp_corpus / EVIDENCE_FILE
        source.write_text(source.read_text(encoding="utf-8").replace(
            "December 2019", "December 2018"), encoding="utf-8")
        count = len(s.publications(uri))

        watched = [r for r in s.recorder.registrations
                   if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        caps = s.capabilities.workspace
        if caps and caps.did_change_watched_files and \
                caps.did_change_watched_files.dynamic_registration:
            assert watched, "the server did not register a corpus file watcher"
            s.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=from_fs_path(str(source)) or "",
                                         type=types.FileChangeType.Changed)]))
        else:
            # No dynamic watcher registration (Neovim 0.7): the server polls the corpus.
            assert not watched
        after = await s.diagnostics(
            uri, predicate=lambda ds: "date" not in {d.code for d in ds})
        assert len(s.publications(uri)) > count
        assert {d.code for d in after} == {"quote-speaker"}
        # one article changed: one article parsed again, not the corpus
        logged = [m.message for m in s.client.log_messages if "re-indexed" in m.message]
        assert logged and logged[-1].startswith("re-indexed: 1 changed"), logged


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_a_raising_check_does_not_kill_the_server(
        client_name: str, server_env: dict[str, str], workspace: Path) -> None:
    env = {**server_env, "FACTLINT_TEST_FAIL_CODE": "quote-speaker"}
    async with lsp_session(env, workspace, client_name=client_name,
                           initialization_options={"debounceMs": 0}) as s:
        uri = s.open("draft.md")
        diags = await s.diagnostics(uri, version=1)
        assert codes_by_line(diags) == {DATE_LINE: {"date"}}  # the other one is published
        await s.wait_for(lambda: any("quote-speaker" in m.message
                                     and m.type == types.MessageType.Error
                                     for m in s.client.log_messages), what="error log")
        # ... and the server still answers requests and keeps checking.
        hover = await s.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_in(by_code(diags, "date"))))
        assert hover is not None and "December 2019" in hover.contents.value
        version = s.change(uri, DRAFT.replace("December 2018", "December 2019"))
        assert await s.diagnostics(uri, version=version) == []


async def test_invalid_settings_warn_and_fall_back(server_env: dict[str, str],
                                                   workspace: Path) -> None:
    options = {"debounceMs": "soon", "checkFrequency": "hourly",
               "severity": {"date": "loud", "no-such-code": "error"},
               "disable": ["no-such-code"], "corpus": ["/no/such/corpus"], "colour": "red"}
    async with lsp_session(server_env, workspace, initialization_options=options) as s:
        uri = s.open("draft.md")
        diags = await s.diagnostics(uri, version=1)
        assert codes_by_line(diags) == {QUOTE_LINE: {"quote-speaker"}, DATE_LINE: {"date"}}
        await s.ready()  # the rules' codes are known once the engine is built
        warnings_shown = [m.message for m in s.client.messages
                          if m.type == types.MessageType.Warning]
        assert warnings_shown, "no window/showMessage warning"
        text = " ".join(warnings_shown)
        for needle in ("debounceMs", "checkFrequency", "loud", "no-such-code",
                       "/no/such/corpus", "colour"):
            assert needle in text
        # Defaults are in force: an edit is checked after the default debounce.
        version = s.change(uri, DRAFT.replace("Kallas", "Zelensky"))
        after = await s.diagnostics(uri, version=version)
        assert {d.code for d in after} == {"date"}


async def test_stale_results_are_never_published(server_env: dict[str, str],
                                                 workspace: Path) -> None:
    async with lsp_session(server_env, workspace,
                           initialization_options={"debounceMs": 0}) as s:
        uri = s.open("draft.md")
        await s.diagnostics(uri, version=1)
        # A burst of edits faster than checks: every intermediate text is different.
        final = 1
        for i in range(12):
            final = s.change(uri, DRAFT + f"\nEdit number {i}.\n")
            await asyncio.sleep(0.005)
        await s.diagnostics(uri, version=final)
        await asyncio.sleep(0.5)
        versions = [p.version for p in s.publications(uri)]
        assert versions == sorted(versions), versions  # never an older version after a newer
        assert versions[-1] == final
        assert len(versions) < 1 + 12  # superseded versions were dropped, not all published


async def test_debounce_and_save_frequency(server_env: dict[str, str], workspace: Path) -> None:
    async with lsp_session(server_env, workspace, initialization_options={
            "checkFrequency": "save"}) as s:
        uri = s.open("draft.md")
        await s.diagnostics(uri, version=1)
        await s.ready(uri)  # the engine, once built, checks what is open
        version = s.change(uri, DRAFT.replace("Kallas", "Zelensky"))
        await asyncio.sleep(1.0)
        assert all(p.version != version for p in s.publications(uri))  # not on change
        s.client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        after = await s.diagnostics(uri, version=version)
        assert {d.code for d in after} == {"date"}

    async with lsp_session(server_env, workspace, initialization_options={
            "debounceMs": 1500}) as s:
        uri = s.open("draft.md")
        await s.diagnostics(uri, version=1)
        await s.ready(uri)
        version = s.change(uri, DRAFT.replace("Kallas", "Zelensky"))
        await asyncio.sleep(0.8)
        assert all(p.version != version for p in s.publications(uri))  # still debouncing
        await s.diagnostics(uri, version=version, timeout=10)


async def test_pull_diagnostics_for_clients_that_pull(server_env: dict[str, str],
                                                      workspace: Path) -> None:
    caps = capabilities_for("visual-studio-code")
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
        dynamic_registration=False, related_document_support=False)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True)
    async with lsp_session(server_env, workspace, capabilities=caps) as s:
        provider = s.result.capabilities.diagnostic_provider
        assert provider is not None and provider.inter_file_dependencies is False
        uri = s.open("draft.md")
        await s.ready()  # else the first pull may be answered from the result cache
        report = await asyncio.wait_for(s.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))),
            60)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert codes_by_line(list(report.items)) == {QUOTE_LINE: {"quote-speaker"},
                                                     DATE_LINE: {"date"}}
        again = await s.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            previous_result_id=report.result_id))
        assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
        # Pull clients are not pushed to (that would show every finding twice).
        await asyncio.sleep(0.3)
        assert s.publications(uri) == []
        # A settings change asks the client to pull again.
        refreshes = s.client.diagnostic_refresh_count
        s.client.set_configuration({"disable": ["date"]}, section="factlint")
        s.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=None))
        await s.wait_for(lambda: s.client.diagnostic_refresh_count > refreshes, 30, "refresh")
        report = await s.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri),
                                           previous_result_id=report.result_id))
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert {d.code for d in report.items} == {"quote-speaker"}


async def test_reindex_command(server_env: dict[str, str], workspace: Path) -> None:
    async with lsp_session(server_env, workspace) as s:
        assert "factlint.reindex" in s.result.capabilities.execute_command_provider.commands
        uri = s.open("draft.md")
        await s.diagnostics(uri, version=1)
        count = len(s.publications(uri))
        result = await asyncio.wait_for(s.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="factlint.reindex")), 60)
        assert result["facts"] > 0
        await s.wait_for(lambda: len(s.publications(uri)) > count, 30, "republish")


async def test_project_file_layer(server_env: dict[str, str], workspace: Path) -> None:
    (workspace / "factlint.toml").write_text('disable = ["date"]\n', encoding="utf-8")
    async with lsp_session(server_env, workspace) as s:
        uri = s.open("draft.md")
        diags = await s.diagnostics(uri, version=1)
        assert {d.code for d in diags} == {"quote-speaker"}
    # initializationOptions outrank the project file.
    async with lsp_session(server_env, workspace, initialization_options={"disable": []}) as s:
        uri = s.open("draft.md")
        diags = await s.diagnostics(uri, version=1)
        assert {d.code for d in diags} == {"quote-speaker", "date"}


async def test_diagnostics_carry_only_what_the_client_declared(
        server_env: dict[str, str], workspace: Path) -> None:
    """Emacs 29 (eglot) declares neither related information, nor code links, nor kept data:
    its diagnostics carry none of them, while hover still shows the evidence and the quick
    fix (from the server's own findings) still replaces the claim."""
    async with lsp_session(server_env, workspace, client_name="emacs@v29.1") as s:
        uri = s.open("draft.md")
        diags = await s.diagnostics(uri, version=1)
        assert {d.code for d in diags} == {"quote-speaker", "date"}
        for d in diags:
            assert d.related_information is None
            assert d.code_description is None
            assert d.data is None
        date = by_code(diags, "date")
        hover = await s.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position_in(date)))
        assert hover is not None and "December 2019" in str(hover.contents)
        actions = await s.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=date.range,
            context=types.CodeActionContext(diagnostics=[date])))
        preferred = [a for a in actions or [] if isinstance(a, types.CodeAction)
                     and a.is_preferred]
        assert len(preferred) == 1 and preferred[0].edit is not None


async def test_utf8_client_positions(server_env: dict[str, str], workspace: Path) -> None:
    """Neovim 0.10+ negotiates UTF-8 positions; the engine's are UTF-16: ranges convert."""
    line = "Zelensky and Putin have not met in person (😀 café) since December 2018."
    text = "# “Ünïcode” notes\n\n" + line + "\n"
    caps = capabilities_for("neovim@v0.11.0")
    async with lsp_session(server_env, workspace, capabilities=caps) as s:
        assert s.result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
        uri = s.open("utf8.md", text)
        diags = await s.diagnostics(uri, version=1)
        date = by_code(diags, "date")
        assert date.range.start.line == 2
        fix = date.data["fix"]["range"]
        encoded = line.encode("utf-8")
        assert encoded[fix["start"]["character"]:fix["end"]["character"]] == b"December 2018"
        assert date.range.end.character <= len(encoded)


async def test_settings_precedence(server_env: dict[str, str], workspace: Path) -> None:
    # Neovim-style: initializationOptions outrank the settings the client sends.
    async with lsp_session(server_env, workspace, client_name="neovim@v0.7.0",
                           initialization_options={"severity": {"date": "hint"}}) as s:
        s.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"factlint": {"severity": {"date": "error"}, "disable": []}}))
        uri = s.open("draft.md")
        date = by_code(await s.diagnostics(uri, version=1), "date")
        assert date.severity == types.DiagnosticSeverity.Hint

    # VS Code-style: the same settings arrive as initializationOptions and through
    # workspace/configuration; a value changed while the server runs takes effect.
    settings = {"disable": [], "severity": {}, "debounceMs": None}
    async with lsp_session(server_env, workspace, initialization_options=settings,
                           configuration=settings) as s:
        uri = s.open("draft.md")
        assert "date" in {d.code for d in await s.diagnostics(uri, version=1)}
        s.client.set_configuration({**settings, "disable": ["date"]}, section="factlint")
        s.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=None))
        after = await s.diagnostics(uri, predicate=lambda ds: "date" not in {d.code
                                                                             for d in ds})
        assert {d.code for d in after} == {"quote-speaker"}


async def test_tcp_transport(server_env: dict[str, str], workspace: Path) -> None:
    """``factlint serve --tcp HOST:PORT`` speaks the same protocol over a socket."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "factlint", "serve", "--tcp", f"127.0.0.1:{port}",
        env=server_env, stdin=asyncio.subprocess.DEVNULL)
    try:
        recorder_client = make_client(recorder := Recorder())
        for _ in range(200):  # the server needs a moment to import and listen
            try:
                await recorder_client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("the TCP server never listened")
        await recorder_client.initialize_session(types.InitializeParams(
            capabilities=capabilities_for("neovim@v0.7.0"),
            root_uri=from_fs_path(str(workspace))))
        uri = from_fs_path(str(workspace / "draft.md")) or ""
        recorder_client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                                 text=DRAFT)))
        for _ in range(600):
            if any(p.uri == uri for p in recorder.published):
                break
            await asyncio.sleep(0.1)
        published = [p for p in recorder.published if p.uri == uri]
        assert published and {str(d.code) for d in published[-1].diagnostics} == {
            "quote-speaker", "date"}
        await recorder_client.shutdown_session()
        await recorder_client.stop()
    finally:
        if proc.returncode is None:
            proc.terminate()
        await asyncio.wait_for(proc.wait(), 20)


@pytest.mark.parametrize("client_name", CLIENTS)
async def test_project_file_change_applies(client_name: str, server_env: dict[str, str],
                                           workspace: Path) -> None:
    project = workspace / "factlint.toml"
    project.write_text("disable = []\n", encoding="utf-8")
    async with lsp_session(server_env, workspace, client_name=client_name) as s:
        uri = s.open("draft.md")
        assert "date" in {d.code for d in await s.diagnostics(uri, version=1)}
        await s.ready()  # the project file is watched from then on
        project.write_text('disable = ["date"]\n', encoding="utf-8")
        caps = s.capabilities.workspace
        if caps and caps.did_change_watched_files and \
                caps.did_change_watched_files.dynamic_registration:
            s.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=from_fs_path(str(project)) or "",
                                         type=types.FileChangeType.Changed)]))
        # else: Neovim 0.7 cannot watch files; the server polls the project file too
        after = await s.diagnostics(
            uri, predicate=lambda ds: "date" not in {d.code for d in ds}, timeout=30)
        assert {d.code for d in after} == {"quote-speaker"}
