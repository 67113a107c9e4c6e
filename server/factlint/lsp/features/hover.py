"""Hover on a finding: its message, the corpus sentences that contradict it, the fix."""

from __future__ import annotations

from lsprotocol import types

from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


def hover(ls: FactlintLanguageServer, params: types.HoverParams) -> types.Hover | None:
    findings = ls.findings_at(params.text_document.uri, params.position)
    if not findings:
        return None
    md = ls.caps.hover_markdown
    parts: list[str] = []
    for f in findings:
        code = f"`{f.diag.code}`" if md else f.diag.code
        parts.append(f"**factlint** {code}: {f.diag.message}" if md
                     else f"factlint {code}: {f.diag.message}")
        for ev in f.evidence:
            where = f"[{ev.source}:{ev.line}]({ev.uri}#L{ev.line})" if md \
                else f"{ev.source}:{ev.line}"
            quoted = ev.text.replace("\n", " ")
            parts.append(f"> {quoted}\n\n{where} — fact: {ev.fact}" if md
                         else f"  \"{quoted}\"\n  {where}: {ev.fact}")
        if f.diag.fix is not None:
            parts.append(f"Suggested: `{f.diag.fix.new_text}`" if md
                         else f"Suggested: {f.diag.fix.new_text}")
    rng = findings[0].lsp.range
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown if md else types.MarkupKind.PlainText,
            value=("\n\n---\n\n" if md else "\n\n").join(parts)),
        range=rng)


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_HOVER)(hover)
