"""What the server keeps per document and per client: findings in their LSP form, check
results, document state, and the client capabilities the server uses."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from lsprotocol import types
from pygls.capabilities import get_capability

from factlint.diagnostics import Diagnostic as EngineDiagnostic


@dataclass(frozen=True)
class EvidenceLink:
    uri: str
    range: types.Range  # in client units
    source: str
    line: int  # 1-based
    text: str
    fact: str


@dataclass(frozen=True)
class Finding:
    """One engine diagnostic and its LSP form, for one document version."""

    diag: EngineDiagnostic
    lsp: types.Diagnostic
    evidence: tuple[EvidenceLink, ...]
    fix_range: types.Range | None  # client units
    fix_old_text: str | None  # the draft text the fix replaces (in the checked snapshot)


@dataclass(frozen=True)
class Confirmed:
    """A claim the corpus confirms, in client units, with its agreeing sources."""

    code: str
    range: types.Range
    value: str
    evidence: tuple[EvidenceLink, ...]


@dataclass(frozen=True)
class CheckResult:
    version: int | None
    generation: int
    findings: tuple[Finding, ...]
    confirmed: tuple[Confirmed, ...] = ()  # only with showSupported

    @property
    def result_id(self) -> str:
        return f"{self.generation}:{self.version}"


@dataclass
class DocState:
    uri: str
    version: int | None = None
    pending: asyncio.Task[None] | None = None
    attempted: tuple[int | None, int] | None = None  # (version, generation) last checked
    result: CheckResult | None = None
    published: CheckResult | None = None
    remember: bool = True  # the next check reads/writes the result cache (open, save)


@dataclass
class Capabilities:
    """What the client said it supports, as the server uses it."""

    configuration: bool = False
    work_done_progress: bool = False
    watched_files_dynamic: bool = False
    watched_files_relative: bool = False
    did_change_configuration_dynamic: bool = False
    pull_diagnostics: bool = False
    document_changes: bool = False
    hover_markdown: bool = True
    inlay_hints: bool = False
    inlay_hint_refresh: bool = False
    code_lens: bool = False
    code_lens_refresh: bool = False
    show_document: bool = False
    # what a diagnostic may carry (publishDiagnostics' client capabilities): each is left out
    # for a client that did not declare it, as the protocol asks (and fewer bytes per edit)
    related_information: bool = True
    code_description: bool = True
    diagnostic_data: bool = True

    @staticmethod
    def from_client(caps: types.ClientCapabilities) -> Capabilities:
        def flag(path: str) -> bool:  # a capability the client set to true
            return bool(get_capability(caps, path, False))  # type: ignore[call-overload]

        def has(path: str) -> bool:  # a capability the client declared at all
            return get_capability(caps, path, None) is not None  # type: ignore[call-overload]

        hover_formats = get_capability(caps, "text_document.hover.content_format", None)
        pushed, pulled = "text_document.publish_diagnostics.", "text_document.diagnostic."
        return Capabilities(
            configuration=flag("workspace.configuration"),
            work_done_progress=flag("window.work_done_progress"),
            watched_files_dynamic=flag(
                "workspace.did_change_watched_files.dynamic_registration"),
            watched_files_relative=flag(
                "workspace.did_change_watched_files.relative_pattern_support"),
            did_change_configuration_dynamic=flag(
                "workspace.did_change_configuration.dynamic_registration"),
            pull_diagnostics=(has("text_document.diagnostic")
                              and flag("workspace.diagnostics.refresh_support")),
            document_changes=flag("workspace.workspace_edit.document_changes"),
            hover_markdown=(hover_formats is None
                            or types.MarkupKind.Markdown in hover_formats),
            inlay_hints=has("text_document.inlay_hint"),
            inlay_hint_refresh=flag("workspace.inlay_hint.refresh_support"),
            code_lens=has("text_document.code_lens"),
            code_lens_refresh=flag("workspace.code_lens.refresh_support"),
            show_document=flag("window.show_document.support"),
            # (declared for pushed diagnostics, or for pulled ones: a client that pulls may
            # say it only under ``textDocument.diagnostic``)
            related_information=flag(pushed + "related_information")
            or flag(pulled + "related_information"),
            code_description=flag(pushed + "code_description_support")
            or flag(pulled + "code_description_support"),
            diagnostic_data=flag(pushed + "data_support") or flag(pulled + "data_support"),
        )
