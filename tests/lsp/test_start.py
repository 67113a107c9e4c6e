"""Start fast: a draft an earlier session checked gets its findings from the result cache
before spaCy and the fact index are loaded; the real check follows and never publishes an
older result over a newer one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_harness import CLIENTS, DRAFT, capabilities_for, codes_by_line, lsp_session, make_env
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="function")


def _before_ready(events: list[str], uri: str) -> bool:
    ready = events.index("status ready") if "status ready" in events else len(events)
    return f"publish {uri}" in events[:ready]


@pytest.mark.parametrize("client", CLIENTS)
async def test_cached_draft_is_published_before_the_engine_is_ready(
        client: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    env = make_env(tmp_path_factory.mktemp("start-cache"))  # its own cache: nothing known
    opts = {"debounceMs": 0}
    async with lsp_session(env, tmp_path, client_name=client,
                           initialization_options=opts) as s:
        uri = s.open("draft.md", DRAFT)
        first = await s.diagnostics(uri, version=1)
        assert not _before_ready(s.recorder.events, uri)  # nothing cached yet
    expected = codes_by_line(first)
    assert expected

    async with lsp_session(env, tmp_path, client_name=client,
                           initialization_options=opts) as s:
        uri = s.open("draft.md", DRAFT)
        early = await s.diagnostics(uri, version=1)
        assert _before_ready(s.recorder.events, uri), s.recorder.events
        assert codes_by_line(early) == expected
        # the engine's own check follows, and agrees
        await s.wait_for(lambda: "status ready" in s.recorder.events, what="ready")
        await s.wait_for(lambda: len(s.publications(uri)) >= 2, what="the real check")
        assert codes_by_line(list(s.publications(uri)[-1].diagnostics)) == expected

        # an edited text is not in the cache: its findings come from the engine only
        other = s.open("other.md", DRAFT.replace("December 2018", "December 2017"))
        diags = await s.diagnostics(other, version=1)
        events = s.recorder.events
        assert events.index(f"publish {other}") > events.index("status ready")
        assert diags


async def test_pull_client_gets_the_cached_result_before_the_engine_is_ready(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    caps = capabilities_for("visual-studio-code")
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
        dynamic_registration=False, related_document_support=False)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True)
    env = make_env(tmp_path_factory.mktemp("start-cache-pull"))

    async def pull(s, uri: str) -> types.RelatedFullDocumentDiagnosticReport:  # noqa: ANN001
        report = await asyncio.wait_for(s.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri))), 60)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        return report

    async with lsp_session(env, tmp_path, capabilities=caps) as s:
        expected = codes_by_line(list((await pull(s, s.open("draft.md", DRAFT))).items))
    assert expected
    async with lsp_session(env, tmp_path, capabilities=caps) as s:
        report = await pull(s, s.open("draft.md", DRAFT))
        assert "status ready" not in s.recorder.events, "answered from the result cache"
        assert codes_by_line(list(report.items)) == expected
        # once the engine is ready the client is asked to pull again, and gets the same
        await s.wait_for(lambda: s.client.diagnostic_refresh_count > 0, 60, "refresh")
        assert codes_by_line(list((await pull(s, s.uri("draft.md"))).items)) == expected
