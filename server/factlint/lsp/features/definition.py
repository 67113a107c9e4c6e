"""Go to definition: the corpus sentence of a finding, or of the quotation under the cursor."""

from __future__ import annotations

import re

from lsprotocol import types
from pygls.uris import from_fs_path

from factlint.diagnostics import Position as EnginePosition
from factlint.diagnostics import Range as EngineRange
from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints

_QUOTE_RE = re.compile(r"[\"“”«»„]([^\"“”«»„\n]{3,}?)[\"“”«»„]")


def definition(ls: FactlintLanguageServer, params: types.DefinitionParams
               ) -> list[types.Location] | None:
    uri = params.text_document.uri
    locations: list[types.Location] = []
    for f in ls.findings_at(uri, params.position):
        for ev in f.evidence:
            loc = types.Location(uri=ev.uri, range=ev.range)
            if loc not in locations:
                locations.append(loc)
    if locations:
        return locations
    return quote_locations(ls, uri, params.position) or None


def quote_locations(ls: FactlintLanguageServer, uri: str,
                    position: types.Position) -> list[types.Location]:
    """Go to the corpus sentence of the quote under the cursor (flagged or not)."""
    engine = ls.engine
    if engine is None or uri not in ls.docs:
        return []
    doc = ls.workspace.get_text_document(uri)
    lines = doc.lines
    if position.line >= len(lines):
        return []
    col = doc.position_from_client_units(
        types.Position(line=position.line, character=position.character)).character
    line = lines[position.line]
    quote = next((m.group(1) for m in _QUOTE_RE.finditer(line)
                  if m.start() <= col <= m.end()), None)
    if quote is None:
        return []
    wanted = _norm_quote(quote)
    if len(wanted) < 8:
        return []
    out: list[types.Location] = []
    for fact in engine.facts():
        if fact.kind != "quote" or fact.prov is None:
            continue
        said = _norm_quote(str(fact.value.get("text", "")))
        if not said or not (wanted in said or said in wanted):
            continue
        l1, c1, l2, c2 = fact.prov.lsp
        rng = EngineRange(EnginePosition(l1, c1), EnginePosition(l2, c2))
        lsp_range = ls._positions.range(
            rng, None if ls._positions.identity else ls._corpus_lines(fact.prov.path))
        loc = types.Location(uri=from_fs_path(fact.prov.path) or fact.prov.path,
                             range=lsp_range)
        if loc not in out:
            out.append(loc)
    return out


def _norm_quote(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def register(server: FactlintLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DEFINITION)(definition)
