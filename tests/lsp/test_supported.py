"""Show what checks out (setting ``showSupported``): inlay hints after the claims the corpus
confirms, code lenses for clients without inlay hints, nothing where it does not confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_harness import DATE_LINE, DRAFT, OK_LINE, QUOTE_LINE, lsp_session, make_env
from lsprotocol import types
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.asyncio(loop_scope="function")

WHOLE = types.Range(start=types.Position(line=0, character=0),
                    end=types.Position(line=100, character=0))
VALUE = "February 2022"  # OK_LINE's date, which two seeds confirm


def _label(hint: types.InlayHint) -> str:
    return hint.label if isinstance(hint.label, str) else "".join(p.value for p in hint.label)


async def _hints(s, uri: str) -> list[types.InlayHint]:  # noqa: ANN001 - a Session
    return await s.client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=WHOLE)) or []


async def test_inlay_hint_after_a_confirmed_claim(cache_dir: Path, tmp_path: Path) -> None:
    async with lsp_session(make_env(cache_dir), tmp_path, client_name="neovim@v0.11.0",
                           initialization_options={"showSupported": True,
                                                   "debounceMs": 0}) as s:
        uri = s.open("draft.md", DRAFT)
        await s.diagnostics(uri, version=1)
        hints = []
        for _ in range(100):  # the hints follow the check; the client is asked to refresh
            hints = await _hints(s, uri)
            if hints:
                break
        [hint] = hints  # only the date the corpus confirms: not the two contradicted lines
        line = DRAFT.splitlines()[OK_LINE]
        assert hint.position == types.Position(line=OK_LINE,
                                               character=line.index(VALUE) + len(VALUE))
        assert _label(hint) == "✓ 2 sources"
        [part] = hint.label
        assert "seeds/001_" in part.tooltip.value and "seeds/004_" in part.tooltip.value
        assert part.location is not None and part.location.uri.endswith(".txt")
        assert {QUOTE_LINE, DATE_LINE}.isdisjoint({h.position.line for h in hints})

        # the date edited into a contradiction: no hint, a finding instead
        version = s.change(uri, DRAFT.replace(VALUE, "February 2021"))
        diags = await s.diagnostics(uri, version=version)
        assert OK_LINE in {d.range.start.line for d in diags}
        assert await _hints(s, uri) == []


async def test_no_hints_unless_asked_for(cache_dir: Path, tmp_path: Path) -> None:
    async with lsp_session(make_env(cache_dir), tmp_path, client_name="neovim@v0.11.0",
                           initialization_options={"debounceMs": 0}) as s:
        uri = s.open("draft.md", DRAFT)
        await s.diagnostics(uri, version=1)
        assert await _hints(s, uri) == []


async def test_code_lens_where_there_are_no_inlay_hints(cache_dir: Path,
                                                        tmp_path: Path) -> None:
    caps = client_capabilities("visual-studio-code")  # VS Code 1.65: no inlay hints yet
    assert caps.text_document.inlay_hint is None
    async with lsp_session(make_env(cache_dir), tmp_path, capabilities=caps,
                           initialization_options={"showSupported": True,
                                                   "debounceMs": 0}) as s:
        uri = s.open("draft.md", DRAFT)
        await s.diagnostics(uri, version=1)
        lenses: list[types.CodeLens] = []
        for _ in range(100):
            lenses = await s.client.text_document_code_lens_async(types.CodeLensParams(
                text_document=types.TextDocumentIdentifier(uri=uri))) or []
            if lenses:
                break
        [lens] = lenses
        assert lens.range.start.line == OK_LINE
        assert lens.command is not None and lens.command.title.startswith("✓ 2 sources: seeds/")
        assert lens.command.command == "factlint.openEvidence"
        assert lens.command.arguments[0].startswith("file://")
