"""Quick fixes: the corpus value (preferred), ignore the claim here, ignore the code in the
file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    targets = _targets(ls.current_findings(uri), params)
    if not targets:
        return None
    actions = [a for d, f in targets if f is not None
               for a in _fix_action(ls, doc, d, f)]
    actions += [_ignore_here(ls, doc, d) for d, _ in targets]
    actions += _ignore_in_file(ls, doc, [d for d, _ in targets])
    return actions


def _targets(cached: Sequence[Finding], params: types.CodeActionParams
             ) -> list[tuple[types.Diagnostic, Finding | None]]:
    """The findings asked about: the client's factlint diagnostics (a stale one, which the
    text has moved past, still gets its ignore actions, not a fix), else those under the
    range."""
    ours = [d for d in params.context.diagnostics if d.source == SOURCE]
    if not ours:
        return [(f.lsp, f) for f in cached if ranges_overlap(f.lsp.range, params.range)]
    out: list[tuple[types.Diagnostic, Finding | None]] = []
    seen: set[int] = set()
    for d in ours:
        match = next((f for f in cached if f.diag.code == d.code
                      and same_range(f.lsp.range, d.range)), None)
        if id(match or d) not in seen:
            seen.add(id(match or d))
            out.append((match.lsp if match else d, match))
    return out


def _fix_action(ls: FactlintLanguageServer, doc: Any, d: types.Diagnostic,
                f: Finding) -> list[types.CodeAction]:
    edit = ls.fix_edit(doc, f)
    if edit is None:
        return []
    return [types.CodeAction(
        title=f"Replace “{f.fix_old_text}” with “{edit.new_text}” (as in the corpus)",
        kind=types.CodeActionKind.QuickFix, diagnostics=[d], is_preferred=True,
        edit=ls.workspace_edit(doc, [edit]))]


def _ignore_here(ls: FactlintLanguageServer, doc: Any, d: types.Diagnostic
                 ) -> types.CodeAction:
    lines = doc.lines
    line = d.range.start.line
    text = lines[line] if line < len(lines) else ""
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    at = types.Position(line=line, character=0)
    return types.CodeAction(
        title="Ignore this claim here", kind=types.CodeActionKind.QuickFix, diagnostics=[d],
        edit=ls.workspace_edit(doc, [types.TextEdit(
            range=types.Range(start=at, end=at),
            new_text=f"{indent}<!-- factlint-disable-next-line {d.code} -->{newline}")]))


def _ignore_in_file(ls: FactlintLanguageServer, doc: Any, diags: list[types.Diagnostic]
                    ) -> list[types.CodeAction]:
    top = types.Position(line=_front_matter_end(doc.lines), character=0)
    codes = list(dict.fromkeys(str(d.code) for d in diags))
    return [types.CodeAction(
        title=f"Ignore {code} in this file", kind=types.CodeActionKind.QuickFix,
        diagnostics=[d for d in diags if d.code == code],
        edit=ls.workspace_edit(doc, [types.TextEdit(
            range=types.Range(start=top, end=top),
            new_text=f"<!-- factlint-disable {code} -->\n")])) for code in codes]


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
