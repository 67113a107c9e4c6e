"""Engine diagnostics -> LSP diagnostics, with their evidence and fix in client units."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path

from factlint.diagnostics import Diagnostic as EngineDiagnostic
from factlint.diagnostics import Support
from factlint.lsp.constants import SEVERITY, SOURCE, TEST_FAIL_ENV, log
from factlint.lsp.model import Confirmed, EvidenceLink, Finding
from factlint.lsp.positions import TextLines, valid_link


class ConversionMixin:
    """Mixed into the server: converts the engine's results for one document snapshot."""

    # -- engine results -> LSP ------------------------------------------------------------
    def convert(self, diags: Sequence[EngineDiagnostic], text: str,
                uri: str) -> tuple[Finding, ...]:
        """The LSP form of a check's findings. A finding the engine hands over again (the
        same object: its paragraph neither changed nor moved) keeps its converted form, so an
        edit converts only what it changed; with UTF-16 positions and the fix's old text
        known, no line index of the text is needed either."""
        lines: TextLines | None = None
        out: list[Finding] = []
        fail_code = os.environ.get(TEST_FAIL_ENV)
        before = self._converted.get(uri, {})
        kept: dict[int, Finding] = {}
        for diag in diags:
            known = before.get(id(diag)) if self._positions.identity else None
            # (other encodings: a column depends on the line's text before the paragraph,
            # which the paragraph cache does not see)
            if known is not None and known.diag is diag and not fail_code:
                out.append(known)
                kept[id(diag)] = known
                continue
            try:
                if fail_code and diag.code == fail_code:
                    raise RuntimeError(f"{TEST_FAIL_ENV}: conversion of {diag.code!r} failed")
                if lines is None and self._needs_lines(diag):
                    lines = TextLines(text)
                finding = self.convert_one(diag, text, lines)
            except Exception as exc:
                self.log(types.MessageType.Error,
                         f"skipped a {diag.code} diagnostic in {uri}: {exc}")
                log.exception("converting %s failed", diag.code)
                continue
            out.append(finding)
            kept[id(diag)] = finding
        self._converted[uri] = kept
        self._keep_json_of_current()
        return tuple(out)

    def install_json_cache(self) -> None:
        """Publishing turns every diagnostic into JSON again; a finding the editor already
        has (reused by :meth:`convert`) keeps its JSON data and its JSON text instead, so a
        publication after an edit serialises only the findings the edit changed."""
        converter = self.protocol._converter  # type: ignore[attr-defined]
        base = converter.get_unstructure_hook(types.Diagnostic)
        self._json: dict[int, tuple[types.Diagnostic, Any, str]] = {}

        self._unstructure_diagnostic = base
        self._live: set[int] = set()
        converter.register_unstructure_hook(types.Diagnostic,
                                            lambda d: self._diagnostic_json(d)[0])

    def _diagnostic_json(self, diag: types.Diagnostic) -> tuple[Any, str]:
        known = self._json.get(id(diag))
        if known is not None and known[0] is diag:
            return known[1], known[2]
        data = self._unstructure_diagnostic(diag)
        text = json.dumps(data)
        if id(diag) in self._live:
            self._json[id(diag)] = (diag, data, text)
        return data, text

    def diagnostics_json(self, diags: Sequence[types.Diagnostic]) -> list[str]:
        """The JSON text of each diagnostic, as the protocol would write it."""
        return [self._diagnostic_json(d)[1] for d in diags]

    def _keep_json_of_current(self) -> None:
        """Only the findings some open document shows keep their JSON."""
        self._live = {id(f.lsp) for kept in self._converted.values() for f in kept.values()}
        for key in [k for k in self._json if k not in self._live]:
            del self._json[key]

    def _needs_lines(self, diag: EngineDiagnostic) -> bool:
        return not self._positions.identity or (diag.fix is not None
                                                and diag.fix.old_text is None)

    def convert_confirmed(self, supported: Sequence[Support], text: str
                          ) -> tuple[Confirmed, ...]:
        """The claims the corpus confirms, in client units."""
        lines = TextLines(text)
        return tuple(Confirmed(c.code, self._positions.range(c.range, lines), c.value,
                               tuple(self.evidence_link(ev) for ev in c.evidence))
                     for c in supported if c.evidence)

    def convert_one(self, diag: EngineDiagnostic, text: str,
                    lines: TextLines | None) -> Finding:
        """One finding; ``lines`` may be None where :meth:`_needs_lines` says so."""
        rng = self._positions.range(diag.range, lines)
        evidence = tuple(self.evidence_link(ev) for ev in diag.evidence)
        caps = self.caps
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=ev.uri, range=ev.range),
                message=f"{ev.source}:{ev.line}: {ev.text}")
            for ev in evidence
        ] if caps.related_information else []
        fix_range = fix_old = None
        data: dict[str, Any] = {"fix": None}
        if diag.fix is not None:
            fix_range = self._positions.range(diag.fix.range, lines)
            if lines is None:
                fix_old = diag.fix.old_text
            else:
                fix_old = text[lines.offset(diag.fix.range.start):
                               lines.offset(diag.fix.range.end)]
            data["fix"] = {
                "range": {"start": {"line": fix_range.start.line,
                                    "character": fix_range.start.character},
                          "end": {"line": fix_range.end.line,
                                  "character": fix_range.end.character}},
                "newText": diag.fix.new_text,
                "oldText": fix_old,
            }
        href = valid_link(diag.link) if caps.code_description else None
        lsp = types.Diagnostic(
            range=rng,
            message=diag.message,
            severity=SEVERITY.get(diag.severity, types.DiagnosticSeverity.Warning),
            code=diag.code,
            code_description=types.CodeDescription(href=href) if href else None,
            source=SOURCE,
            related_information=related or None,
            # (the quick fixes come from the server's own findings: ``data`` is for clients
            # that keep it, to apply the fix themselves)
            data=data if caps.diagnostic_data else None,
        )
        return Finding(diag, lsp, evidence, fix_range, fix_old)

    def evidence_link(self, ev: Any) -> EvidenceLink:
        lines = None if self._positions.identity else self._corpus_lines(ev.path)
        lsp_range = self._positions.range(ev.range, lines)
        return EvidenceLink(uri=from_fs_path(ev.path) or ev.path, range=lsp_range,
                            source=ev.source, line=ev.line, text=ev.text, fact=ev.fact)

    def _corpus_lines(self, path: str) -> TextLines | None:
        """A corpus file's lines (cached while its mtime and size stay the same)."""
        try:
            st = os.stat(path)
            key = (st.st_mtime_ns, st.st_size)
            cached = self._corpus_text.get(path)
            if cached is not None and cached[0] == key:
                return cached[1]
            lines = TextLines(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
        self._corpus_text[path] = (key, lines)
        return lines
