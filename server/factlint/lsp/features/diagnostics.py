"""Pull diagnostics (textDocument/diagnostic), registered in ``initialize`` only for clients
that pull and can be asked to refresh; every other client gets pushed diagnostics."""

from __future__ import annotations

from lsprotocol import types

from factlint.lsp import config as sc
from factlint.lsp.model import CheckResult
from factlint.lsp.server import FactlintLanguageServer  # at run time: pygls reads the hints


async def pull_diagnostics(ls: FactlintLanguageServer, params: types.DocumentDiagnosticParams
                           ) -> types.DocumentDiagnosticReport:
    """textDocument/diagnostic (registered in ``initialize`` only for clients that pull)."""
    uri = params.text_document.uri
    state = ls.docs.get(uri)
    result: CheckResult | None = None
    if state is not None:
        cached = state.result
        current = cached is not None and not ls._is_stale(uri, cached.version,
                                                          cached.generation)
        if current or (cached is not None
                       and ls.settings.check_frequency is sc.CheckFrequency.SAVE
                       and cached.generation == ls.generation):
            result = cached
        elif not ls.engine_ready.is_set() and (early := await ls.cached_check(uri)):
            result = early  # spaCy still loading: what an earlier session found; the
            # refresh once the engine is ready brings the real check
        else:
            for _ in range(5):  # the document may change while we check: check again
                result = await ls.run_check(uri)
                state = ls.docs.get(uri)
                if result is not None or state is None:
                    break
                if state.attempted == (state.version, ls.generation):
                    break  # the current text was checked and the check failed
    if result is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id == result.result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
    return types.RelatedFullDocumentDiagnosticReport(
        items=[f.lsp for f in result.findings], result_id=result.result_id)


def register(server: FactlintLanguageServer) -> None:
    """Nothing at start: ``lifecycle.initialize`` registers ``pull_diagnostics`` once it
    knows the client pulls."""
