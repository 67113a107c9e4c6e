"""Start fast with a new draft: while the server loads spaCy, its early checker (a second
process, factlint.early_checker) checks a draft the result cache does not know, and the
server publishes that result before its own engine is ready. The engine is held back here
(a test hook) so that "before" cannot be a race."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_harness import CLIENTS, DRAFT, OK_LINE, codes_by_line, lsp_session, make_env
from lsprotocol import types
from pytest_lsp import client_capabilities

from factlint.early_checker import DISABLE_ENV
from factlint.lsp.constants import TEST_ENGINE_DELAY_ENV

pytestmark = pytest.mark.asyncio(loop_scope="function")

NEW = DRAFT.replace("# Notes", "# Notes on the talks")  # no session checked it


def _published_before_ready(events: list[str], uri: str) -> bool:
    ready = events.index("status ready") if "status ready" in events else len(events)
    return f"publish {uri}" in events[:ready]


async def _expected(env: dict[str, str], root: Path, client: str) -> dict[int, set[str]]:
    """Warm the index, and learn NEW's findings from the engine itself (from a text that
    differs by a final newline: the result cache does not know NEW)."""
    async with lsp_session(env, root, client_name=client,
                           initialization_options={"debounceMs": 0}) as s:
        return codes_by_line(await s.diagnostics(s.open("warm.md", NEW + "\n"), version=1))


@pytest.mark.parametrize("client", CLIENTS)
async def test_a_new_draft_is_published_before_the_engine_is_ready(
        client: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    env = make_env(tmp_path_factory.mktemp("early-cache"))
    expected = await _expected(env, tmp_path, client)
    assert expected
    held = {**env, TEST_ENGINE_DELAY_ENV: "120"}
    async with lsp_session(held, tmp_path, client_name=client,
                           initialization_options={"debounceMs": 0}) as s:
        uri = s.open("new.md", NEW)
        early = await s.diagnostics(uri, version=1)
        assert _published_before_ready(s.recorder.events, uri), s.recorder.events
        assert codes_by_line(early) == expected


async def test_turned_off_a_new_draft_waits_for_the_engine(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    env = make_env(tmp_path_factory.mktemp("early-off-cache"))
    expected = await _expected(env, tmp_path, CLIENTS[0])
    held = {**env, TEST_ENGINE_DELAY_ENV: "3", DISABLE_ENV: "0"}
    async with lsp_session(held, tmp_path, initialization_options={"debounceMs": 0}) as s:
        uri = s.open("new.md", NEW)
        diags = await s.diagnostics(uri, version=1)
        assert not _published_before_ready(s.recorder.events, uri), s.recorder.events
        assert codes_by_line(diags) == expected



async def test_a_pull_client_gets_the_early_result_and_then_its_inlay_hints(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    env = make_env(tmp_path_factory.mktemp("early-pull-cache"))
    expected = await _expected(env, tmp_path, CLIENTS[0])
    caps = client_capabilities("neovim@v0.11.0")  # pull diagnostics and inlay hints
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True)
    opts = {"debounceMs": 0, "showSupported": True}
    async with lsp_session({**env, TEST_ENGINE_DELAY_ENV: "120"}, tmp_path, capabilities=caps,
                           initialization_options=opts) as s:
        uri = s.open("new.md", NEW)
        report = await s.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert codes_by_line(list(report.items)) == expected
        # the hints asked for at the open found nothing yet: the client is asked again
        await s.wait_for(lambda: "inlay refresh" in s.recorder.events, what="a refresh")
        hints = await s.client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0),
                              end=types.Position(line=100, character=0))))
        assert [h.position.line for h in hints or []] == [OK_LINE]
        assert "status ready" not in s.recorder.events
