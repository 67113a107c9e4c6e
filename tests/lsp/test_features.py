"""Diagnostics, hover, code actions and definition, as VS Code and as Neovim 0.7.

These tests only read from the server or edit their own document, so each client shares one
server per module (every test opens a document of its own); tests that change settings,
the corpus or the environment start their own server in test_server.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from lsp_harness import (
    CLIENTS,
    DATE_LINE,
    DRAFT,
    EVIDENCE_FILE,
    OK_LINE,
    QUOTE_LINE,
    SEEDS,
    Session,
    apply_edit,
    by_code,
    codes_by_line,
    lsp_session,
    make_env,
    position_in,
)
from lsprotocol import types
from pytest_lsp import LspSpecificationWarning

QUOTE_EVIDENCE_LINE = 18  # 0-based: line 19 of the seed holds Zelensky's quote
DATE_EVIDENCE_LINE = 5  # 0-based: line 6 holds "... since December 2019."

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("error", category=LspSpecificationWarning),
]


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=CLIENTS)
async def s(request: pytest.FixtureRequest, cache_dir: Path,
            tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Session]:
    root = tmp_path_factory.mktemp("shared-workspace")
    async with lsp_session(make_env(cache_dir), root, client_name=request.param,
                           initialization_options={"debounceMs": 0}) as session:
        yield session


async def _actions(s: Session, uri: str, diag: types.Diagnostic) -> list[types.CodeAction]:
    result = await s.client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))
    assert result, "no code actions"
    return [a for a in result if isinstance(a, types.CodeAction)]


async def test_diagnostics_for_a_draft(s: Session) -> None:
    assert s.push_only  # neither client can pull diagnostics
    uri = s.open("draft.md", DRAFT)
    diags = await s.diagnostics(uri, version=1)
    declared = s.capabilities.text_document.publish_diagnostics
    # VS Code declares links and data; Neovim 0.7 neither: each is sent only where declared
    links, data = bool(declared.code_description_support), bool(declared.data_support)
    assert declared.related_information

    assert codes_by_line(diags) == {QUOTE_LINE: {"quote-speaker"}, DATE_LINE: {"date"}}
    assert OK_LINE not in codes_by_line(diags)
    for d in diags:
        assert d.source == "factlint"
        assert d.severity in (types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning,
                              types.DiagnosticSeverity.Information,
                              types.DiagnosticSeverity.Hint)
        assert d.related_information, d
        # the rule's link (the bundled rules link to docs/rules.md#<code>)
        if links:
            assert d.code_description is not None
            assert d.code_description.href.startswith(("http://", "https://", "file:"))
            assert d.code_description.href.endswith(f"#{d.code}")
        else:
            assert d.code_description is None
        assert (isinstance(d.data, dict) and "fix" in d.data) if data else d.data is None

    quote = by_code(diags, "quote-speaker")
    rel = quote.related_information[0]
    assert rel.location.uri.endswith(EVIDENCE_FILE)
    assert rel.location.range.start.line == QUOTE_EVIDENCE_LINE
    assert "beginning to the end of the war" in rel.message
    if data:
        fix = quote.data["fix"]
        assert fix["newText"] == "Zelensky" and fix["oldText"] == "Kallas"

    date = by_code(diags, "date")
    assert date.related_information[0].location.range.start.line == DATE_EVIDENCE_LINE
    assert date.range.start.line == DATE_LINE

    # PublishDiagnosticsParams carries the version the result was computed for.
    assert s.publications(uri)[-1].version == 1

    # The indexing status reached the client: indexing first, then ready with facts.
    await s.wait_for(lambda: any(st.get("state") == "ready" for st in s.recorder.status),
                     what="factlint/status ready")
    states = [st["state"] for st in s.recorder.status]
    assert states[0] == "indexing"
    ready = [st for st in s.recorder.status if st["state"] == "ready"][-1]
    assert ready["facts"] > 0 and isinstance(ready["message"], str)
    # ...and, as both clients support it, work-done progress begin ... end.
    kinds = [type(v).__name__ for reports in s.client.progress_reports.values()
             for v in reports]
    assert kinds and kinds[0] == "WorkDoneProgressBegin"
    assert kinds[-1] == "WorkDoneProgressEnd"


async def test_hover_shows_evidence(s: Session) -> None:
    uri = s.open("hover.md", DRAFT)
    diags = await s.diagnostics(uri, version=1)
    quote = by_code(diags, "quote-speaker")
    hover = await s.client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position_in(quote)))
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    text = hover.contents.value
    assert "beginning to the end of the war" in text  # the evidence sentence
    assert f"{EVIDENCE_FILE}:{QUOTE_EVIDENCE_LINE + 1}" in text  # its file:line
    assert "Zelensky" in text  # the fact
    assert "quote-speaker" in text

    # Off any flagged span there is nothing to say.
    nothing = await s.client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=OK_LINE, character=3)))
    assert nothing is None


async def test_quick_fix_removes_its_diagnostic(s: Session) -> None:
    uri = s.open("fix.md", DRAFT)
    diags = await s.diagnostics(uri, version=1)
    quote = by_code(diags, "quote-speaker")
    actions = await _actions(s, uri, quote)
    titles = [a.title for a in actions]
    preferred = [a for a in actions if a.is_preferred]
    assert len(preferred) == 1, titles
    fix = preferred[0]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert "Zelensky" in fix.title
    assert "Ignore this claim here" in titles
    assert "Ignore quote-speaker in this file" in titles

    new_text = apply_edit(DRAFT, fix.edit, uri)
    assert "Zelensky said at a press conference" in new_text
    version = s.change(uri, new_text)
    after = await s.diagnostics(uri, version=version)
    assert codes_by_line(after) == {DATE_LINE: {"date"}}

    # The date claim has a fix too (December 2018 -> December 2019).
    date = by_code(after, "date")
    date_fix = [a for a in await _actions(s, uri, date) if a.is_preferred]
    assert date_fix
    assert "December 2019" in apply_edit(new_text, date_fix[0].edit, uri).splitlines()[
        DATE_LINE]


async def test_no_replacement_without_a_fix_or_once_the_text_moved(s: Session) -> None:
    uri = s.open("moved.md", DRAFT)
    diags = await s.diagnostics(uri, version=1)
    quote = by_code(diags, "quote-speaker")
    # Edit the claim without re-checking yet (same version published): the stored fix no
    # longer matches the text under its range, so it is not offered; the ignores still are.
    s.client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=QUOTE_LINE, character=57),
                              end=types.Position(line=QUOTE_LINE, character=63)),
            text="Someone")]))
    s.versions[uri] = 2
    actions = await _actions(s, uri, quote)
    assert not [a for a in actions if a.is_preferred]
    assert "Ignore this claim here" in [a.title for a in actions]


async def test_ignore_actions_suppress(s: Session) -> None:
    uri = s.open("ignore.md", DRAFT)
    diags = await s.diagnostics(uri, version=1)

    here = next(a for a in await _actions(s, uri, by_code(diags, "quote-speaker"))
                if a.title == "Ignore this claim here")
    text = apply_edit(DRAFT, here.edit, uri)
    lines = text.splitlines()
    assert lines[QUOTE_LINE] == "<!-- factlint-disable-next-line quote-speaker -->"
    assert lines[QUOTE_LINE + 1].startswith('"We aim')
    version = s.change(uri, text)
    after = await s.diagnostics(uri, version=version)
    assert {str(d.code) for d in after} == {"date"}

    in_file = next(a for a in await _actions(s, uri, by_code(after, "date"))
                   if a.title == "Ignore date in this file")
    text = apply_edit(text, in_file.edit, uri)
    assert text.splitlines()[0] == "<!-- factlint-disable date -->"
    version = s.change(uri, text)
    assert await s.diagnostics(uri, version=version) == []


async def test_definition_lands_on_evidence(s: Session) -> None:
    uri = s.open("definition.md", DRAFT)
    diags = await s.diagnostics(uri, version=1)
    date = by_code(diags, "date")
    result = await s.client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position_in(date)))
    assert isinstance(result, list) and result
    loc = result[0]
    assert isinstance(loc, types.Location)
    assert loc.uri.endswith(EVIDENCE_FILE)
    assert loc.range.start.line == DATE_EVIDENCE_LINE
    evidence_line = (SEEDS / EVIDENCE_FILE).read_text(encoding="utf-8").splitlines()[
        loc.range.start.line]
    assert "December 2019" in evidence_line

    # On a quote that is not flagged, definition still opens its source sentence.
    ok = s.open("quote.md", '"We aim to establish a beginning to the end of the war,"'
                            " Zelensky said.\n")
    assert await s.diagnostics(ok, version=1) == []
    result = await s.client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=ok),
        position=types.Position(line=0, character=10)))
    assert result and isinstance(result[0], types.Location)
    assert result[0].uri.endswith(EVIDENCE_FILE)
    assert result[0].range.start.line == QUOTE_EVIDENCE_LINE
    # Outside any claim or quote there is no definition.
    nothing = await s.client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=0, character=2)))
    assert not nothing
