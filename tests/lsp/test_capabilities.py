"""What a diagnostic may carry, read from what the client declared."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import client_capabilities

from factlint.lsp.model import Capabilities


@pytest.mark.parametrize(("client", "related", "link", "data"), [
    ("visual-studio-code", True, True, True),
    ("neovim@v0.7.0", True, False, False),
    ("neovim@v0.11.0", True, False, True),
    ("emacs@v29.1", False, False, False),
])
def test_diagnostic_fields_by_client(client: str, related: bool, link: bool,
                                     data: bool) -> None:
    caps = Capabilities.from_client(client_capabilities(client))
    assert (caps.related_information, caps.code_description, caps.diagnostic_data) == (
        related, link, data)


def test_fields_declared_for_pulled_diagnostics_count_too() -> None:
    declared = types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
        diagnostic=types.DiagnosticClientCapabilities(related_information=True,
                                                      code_description_support=True)))
    caps = Capabilities.from_client(declared)
    assert caps.related_information and caps.code_description
    assert not caps.diagnostic_data


def test_a_client_that_declares_nothing_gets_bare_diagnostics() -> None:
    caps = Capabilities.from_client(types.ClientCapabilities())
    assert not (caps.related_information or caps.code_description or caps.diagnostic_data)
