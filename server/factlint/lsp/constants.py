"""Names and timings the LSP layer shares."""

from __future__ import annotations

import logging

from lsprotocol import types

log = logging.getLogger("factlint.server")

SOURCE = "factlint"
STATUS_NOTIFICATION = "factlint/status"
REINDEX_COMMAND = "factlint.reindex"
OPEN_EVIDENCE_COMMAND = "factlint.openEvidence"
REINDEX_DELAY_S = 0.25
TEST_FAIL_ENV = "FACTLINT_TEST_FAIL_CODE"  # test hook: converting this code raises
TEST_ENGINE_DELAY_ENV = "FACTLINT_TEST_ENGINE_DELAY_S"  # test hook: the engine is this late

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
DRAFT_LANGUAGES = {"markdown", "plaintext", "text", "txt"}
