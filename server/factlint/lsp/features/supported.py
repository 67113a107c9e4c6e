"""Show what checks out (setting ``showSupported``): after each claim the corpus confirms, an
inlay hint "✓ 2 sources" whose tooltip quotes them and whose label links to the first; for
clients without inlay hints, a code lens that opens the source."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from factlint.lsp.constants import OPEN_EVIDENCE_COMMAND
from factlint.lsp.model import Confirmed
from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


def label(c: Confirmed) -> str:
    n = len(c.evidence)
    return f"✓ {n} source" if n == 1 else f"✓ {n} sources"


def tooltip(c: Confirmed, markdown: bool) -> types.MarkupContent:
    if markdown:
        parts = ["**factlint**: the corpus agrees"] + [
            f"> {ev.text}\n\n[{ev.source}:{ev.line}]({ev.uri}#L{ev.line})" for ev in c.evidence]
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(parts))
    parts = ["factlint: the corpus agrees"] + [
        f"{ev.source}:{ev.line}: {ev.text}" for ev in c.evidence]
    return types.MarkupContent(kind=types.MarkupKind.PlainText, value="\n".join(parts))


def _inside(c: Confirmed, rng: types.Range) -> bool:
    return (rng.start.line, rng.start.character) <= (c.range.end.line, c.range.end.character) \
        <= (rng.end.line, rng.end.character)


def inlay_hints(ls: FactlintLanguageServer, params: types.InlayHintParams
                ) -> list[types.InlayHint] | None:
    confirmed = [c for c in ls.confirmed(params.text_document.uri) if _inside(c, params.range)]
    md = ls.caps.hover_markdown
    return [types.InlayHint(
        position=c.range.end,
        label=[types.InlayHintLabelPart(
            value=label(c), tooltip=tooltip(c, md),
            location=types.Location(uri=c.evidence[0].uri, range=c.evidence[0].range))],
        padding_left=True) for c in confirmed]


def code_lenses(ls: FactlintLanguageServer, params: types.CodeLensParams
                ) -> list[types.CodeLens] | None:
    if ls.caps.inlay_hints:
        return []  # the inlay hints say it already
    out = []
    for c in ls.confirmed(params.text_document.uri):
        first = c.evidence[0]
        title = f"{label(c)}: {first.source}:{first.line}"
        out.append(types.CodeLens(range=c.range, command=types.Command(
            title=title, command=OPEN_EVIDENCE_COMMAND,
            arguments=[first.uri, first.line - 1])))
    return out


async def open_evidence(ls: FactlintLanguageServer, *args: Any) -> bool:
    """Open a source sentence (the code lens's command): ``[uri, 0-based line]``."""
    params = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
    if len(params) < 2 or not isinstance(params[0], str) or not isinstance(params[1], int):
        return False
    line = types.Position(line=params[1], character=0)
    if not ls.caps.show_document:
        return False
    result = await ls.window_show_document_async(types.ShowDocumentParams(
        uri=params[0], take_focus=True, selection=types.Range(start=line, end=line)))
    return bool(result and result.success)


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_INLAY_HINT,
                   types.InlayHintOptions(resolve_provider=False))(inlay_hints)
    server.feature(types.TEXT_DOCUMENT_CODE_LENS,
                   types.CodeLensOptions(resolve_provider=False))(code_lenses)
    server.command(OPEN_EVIDENCE_COMMAND)(open_evidence)
