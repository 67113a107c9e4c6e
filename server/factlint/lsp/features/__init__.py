"""The LSP features, one module each; every module's ``register`` attaches its handlers."""

from __future__ import annotations

from factlint.lsp.features import (
    code_actions,
    configuration,
    corpus,
    definition,
    diagnostics,
    documents,
    hover,
    lifecycle,
    supported,
)

FEATURES = (lifecycle, documents, diagnostics, configuration, corpus, hover, code_actions,
            definition, supported)
