"""Quick fixes: the corpus value (preferred), ignore the claim here, ignore the code in the
file."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from factlint.lsp.constants import SOURCE
from factlint.lsp.model import Finding
from factlint.lsp.positions import ranges_overlap, same_range
from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


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


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]))(code_action)
