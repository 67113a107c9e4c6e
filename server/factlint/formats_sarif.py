"""SARIF 2.1.0 output, for GitHub code scanning (``github/codeql-action/upload-sarif``).

One run; ``tool.driver.rules`` lists every check code with its description, default level and
help URI (the rule's link). Regions are 1-based with UTF-16 columns (``run.columnKind``), the
end column exclusive. Draft paths are relative to ``%SRCROOT%`` (the working directory) when
they are under it; corpus files outside it are absolute ``file:`` URIs. Evidence sentences
are ``relatedLocations``; a suggested replacement is a ``fix``. ``partialFingerprints`` carry
the same identity as a baseline entry (code, path, normalized claim), so code scanning keeps
an alert matched when lines move.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from factlint import __version__
from factlint.baseline import normalize_claim
from factlint.diagnostics import Diagnostic, FileReport, Range
from factlint.output import RenderContext

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}
SRCROOT = "%SRCROOT%"


def _artifact(path: str, root: Path) -> dict[str, str]:
    if path == "-":
        return {"uri": "stdin"}
    p = Path(path)
    absolute = (p if p.is_absolute() else root / p).resolve()
    try:
        rel = absolute.relative_to(root.resolve())
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(rel.as_posix()), "uriBaseId": SRCROOT}


def _region(r: Range, snippet: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "startLine": r.start.line + 1,
        "startColumn": r.start.character + 1,
        "endLine": r.end.line + 1,
        "endColumn": r.end.character + 1,
    }
    if (out["endLine"], out["endColumn"]) < (out["startLine"], out["startColumn"]):
        out["endLine"], out["endColumn"] = out["startLine"], out["startColumn"]
    if snippet:
        out["snippet"] = {"text": snippet}
    return out


def fingerprint(code: str, path: str, claim: str) -> str:
    data = "\0".join((code, path, normalize_claim(claim))).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def _rule(code: str, ctx: RenderContext) -> dict[str, Any]:
    rule = ctx.rules[code]
    level = ctx.severity.get(code, rule.level)
    out: dict[str, Any] = {
        "id": code,
        "name": "".join(part.capitalize() for part in code.split("-")),
        "shortDescription": {"text": rule.description or code},
        "fullDescription": {"text": rule.description or code},
        "defaultConfiguration": {"level": SARIF_LEVELS.get(level, "warning"),
                                 **({"enabled": False} if code in ctx.disabled else {})},
        "properties": {"tags": ["factlint", "consistency"], "factlintLevel": level},
    }
    if rule.link:
        out["helpUri"] = rule.link
        out["help"] = {"text": f"{rule.description} See {rule.link}",
                       "markdown": f"{rule.description} [Documentation]({rule.link})"}
    return out


def _result(path: str, d: Diagnostic, ctx: RenderContext,
            rule_index: dict[str, int]) -> dict[str, Any]:
    artifact = _artifact(path, ctx.root)
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": SARIF_LEVELS.get(d.severity, "warning"),
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                            "region": _region(d.range, d.claim or None)}}],
        "partialFingerprints": {"factlintClaim/v1": fingerprint(d.code, artifact["uri"],
                                                                d.claim)},
        "properties": {"factlintSeverity": d.severity},
    }
    if d.code in rule_index:
        result["ruleIndex"] = rule_index[d.code]
    if d.evidence:
        result["relatedLocations"] = [
            {"id": n,
             "message": {"text": f"{e.fact} ({e.source}:{e.line})"},
             "physicalLocation": {"artifactLocation": _artifact(e.path, ctx.root),
                                  "region": _region(e.range, e.text)}}
            for n, e in enumerate(d.evidence, 1)]
    if d.fix is not None:
        result["fixes"] = [{
            "description": {"text": f"Replace with \u201c{d.fix.new_text}\u201d"},
            "artifactChanges": [{
                "artifactLocation": artifact,
                "replacements": [{"deletedRegion": _region(d.fix.range),
                                  "insertedContent": {"text": d.fix.new_text}}],
            }],
        }]
    return result


def sarif_log(reports: list[FileReport], ctx: RenderContext) -> dict[str, Any]:
    codes = sorted(ctx.rules)
    rule_index = {code: i for i, code in enumerate(codes)}
    results = [_result(r.path, d, ctx, rule_index) for r in reports for d in r.diagnostics]
    root_uri = ctx.root.resolve().as_uri()
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "factlint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(code, ctx) for code in codes],
            }},
            "originalUriBaseIds": {SRCROOT: {"uri": root_uri.rstrip("/") + "/"}},
            "columnKind": "utf16CodeUnits",
            "invocations": [{"executionSuccessful": True}],
            "results": results,
        }],
    }


def format_sarif(reports: list[FileReport], ctx: RenderContext) -> str:
    import json

    return json.dumps(sarif_log(reports, ctx), indent=2, ensure_ascii=False) + "\n"
