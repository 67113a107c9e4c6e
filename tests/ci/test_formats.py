"""--format sarif | github | rdjson | rdjsonl, --min-severity and --exit-zero."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from ci_helpers import CONSISTENT, CRIMEA, KALLAS, SCHEMA, write

from factlint.diagnostics import Diagnostic, Position, Range
from factlint.output import github_escape_data, github_line

# the line before the quotation has astral characters: UTF-16 columns differ from code points
# and UTF-8 byte columns differ from both
DRAFT = f"# Notes\n\nTalks resumed 🙂🙂 in Istanbul. {KALLAS}\n\n{CRIMEA}\n\n{CONSISTENT}\n"


def utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@pytest.fixture
def draft(work: Path) -> Path:
    return write(work / "drafts" / "war.md", DRAFT)


def findings(run, draft: Path) -> list[dict]:
    code, data = run.json("check", draft)
    assert code == 1
    return data["files"][0]["diagnostics"]


def test_sarif_validates_against_the_schema(run, draft: Path) -> None:
    import jsonschema

    if not SCHEMA.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"SARIF schema missing at {SCHEMA.resolve()}")
        pytest.skip("SARIF schema not available outside CI")
    code, out, err = run("check", draft, "--format", "sarif")
    assert code == 1, err
    log = json.loads(out)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_rules_results_related_locations_and_fixes(run, draft: Path, work: Path) -> None:
    from factlint.engine import Engine

    code, out, _ = run("check", "drafts/war.md", "--format", "sarif")
    assert code == 1
    sarif_run = json.loads(out)["runs"][0]
    assert sarif_run["columnKind"] == "utf16CodeUnits"
    rules = sarif_run["tool"]["driver"]["rules"]
    checks = Engine().rules.checks
    assert [r["id"] for r in rules] == sorted(checks)
    for r in rules:
        assert r["shortDescription"]["text"] == checks[r["id"]].description
        assert r["helpUri"] == checks[r["id"]].link

    results = {r["ruleId"]: r for r in sarif_run["results"]}
    assert set(results) == {"quote-speaker", "date"}
    for r in results.values():
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "drafts/war.md", "uriBaseId": "%SRCROOT%"}
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == work.resolve().as_uri() + "/"

    line3 = DRAFT.splitlines()[2]
    quote = results["quote-speaker"]
    region = quote["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 3
    assert region["startColumn"] == utf16(line3[:line3.index('"We aim')]) + 1
    related = quote["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "002_25c4805a9411152e.txt")
    assert related["physicalLocation"]["region"]["startLine"] == 19
    assert "Zelensky" in related["physicalLocation"]["region"]["snippet"]["text"]
    change = quote["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "drafts/war.md"
    replacement = change["replacements"][0]
    kallas_col = utf16(line3[:line3.index("Kallas said")]) + 1
    assert replacement["deletedRegion"] == {"startLine": 3, "startColumn": kallas_col,
                                            "endLine": 3, "endColumn": kallas_col + 6}
    assert replacement["insertedContent"] == {"text": "Zelensky"}

    date = results["date"]
    assert date["level"] == "error"
    assert date["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert date["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {
        "text": "2014"}


GITHUB_RE = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(s: str) -> str:
    return (s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def parse_github(line: str) -> tuple[str, dict[str, str], str]:
    m = GITHUB_RE.match(line)
    assert m, line
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    return m.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(m.group(3))


def test_github_lines_parse_back_to_the_findings(run, draft: Path) -> None:
    expected = findings(run, draft)
    code, out, _ = run("check", draft, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == len(expected) == 2
    for line, d in zip(lines, expected, strict=True):
        level, props, message = parse_github(line)
        assert level == {"error": "error", "warning": "warning"}[d["severity"]]
        assert props["file"] == str(draft)
        assert props["title"] == f"factlint {d['code']}"
        assert int(props["line"]) == d["range"]["start"]["line"] + 1
        assert int(props["col"]) == d["range"]["start"]["character"] + 1
        assert int(props["endLine"]) == d["range"]["end"]["line"] + 1
        assert int(props["endColumn"]) == d["range"]["end"]["character"] + 1
        assert message == d["message"]


def test_github_escaping_and_levels() -> None:
    rng = Range(Position(0, 0), Position(0, 4))
    d = Diagnostic("date", "info", "50% said:\r\nno, really", rng)
    line = github_line("a,b:c.md", d)
    assert line.startswith("::notice file=a%2Cb%3Ac.md,line=1,col=1,endLine=1,endColumn=5,"
                           "title=factlint date::")
    assert line.endswith("::50%25 said:%0D%0Ano, really")
    assert "\n" not in line and "\r" not in line
    assert parse_github(line)[2] == d.message
    assert github_escape_data("%0A") == "%250A"  # a literal escape stays literal
    hint = github_line("x.md", Diagnostic("date", "hint", "m", rng))
    assert hint.startswith("::notice ")
    # a finding over two lines: the runner drops columns then, so none are written
    multi = github_line("x.md", Diagnostic("date", "warning", "m",
                                           Range(Position(1, 3), Position(2, 5))))
    assert parse_github(multi)[1] == {"file": "x.md", "line": "2", "endLine": "3",
                                      "title": "factlint date"}


def test_rdjson_structure_and_byte_columns(run, draft: Path) -> None:
    code, out, _ = run("check", draft, "--format", "rdjson")
    assert code == 1
    data = json.loads(out)
    assert data["source"] == {"name": "factlint"}
    by_code = {d["code"]["value"]: d for d in data["diagnostics"]}
    assert set(by_code) == {"quote-speaker", "date"}
    line3 = DRAFT.splitlines()[2]
    quote = by_code["quote-speaker"]
    assert quote["severity"] == "ERROR"
    assert quote["location"]["path"] == str(draft)
    assert quote["code"]["url"].endswith("rules.md#quote-speaker")
    start = quote["location"]["range"]["start"]
    assert start == {"line": 3,
                     "column": len(line3[:line3.index('"We aim')].encode("utf-8")) + 1}
    suggestion = quote["suggestions"][0]
    col = len(line3[:line3.index("Kallas said")].encode("utf-8")) + 1
    assert suggestion == {"range": {"start": {"line": 3, "column": col},
                                    "end": {"line": 3, "column": col + 6}},
                          "text": "Zelensky"}
    assert by_code["date"]["location"]["range"]["start"] == {"line": 5, "column": 1}
    assert by_code["date"]["message"].startswith("The annexation")


def test_rdjsonl_is_one_diagnostic_per_line(run, draft: Path) -> None:
    code, out, _ = run("check", draft, "--format", "rdjsonl")
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["code"]["value"] for r in rows] == ["quote-speaker", "date"]
    assert all(r["location"]["path"] == str(draft) and r["message"] for r in rows)


def test_min_severity_and_exit_zero(run, draft: Path) -> None:
    # quote-speaker lowered to info: hidden at --min-severity warning, date (error) stays
    code, out, _ = run("check", draft, "--severity", "quote-speaker=info",
                       "--min-severity", "warning")
    assert code == 1
    assert "date" in out and "quote-speaker" not in out
    code, out, _ = run("check", draft, "--severity", "quote-speaker=info",
                       "--min-severity", "info")
    assert code == 1 and "info quote-speaker" in out
    # only an info finding left above a warning floor: nothing shown, exit 0
    code, out, _ = run("check", draft, "--severity", "quote-speaker=info", "--disable", "date",
                       "--min-severity", "warning")
    assert (code, out) == (0, "")
    # hint is below info
    code, out, _ = run("check", draft, "--severity", "quote-speaker=hint", "--disable", "date",
                       "--min-severity", "info")
    assert (code, out) == (0, "")
    code, out, _ = run("check", draft, "--exit-zero")
    assert code == 0 and out.count("\n") == 2


def test_output_file(run, draft: Path, work: Path) -> None:
    code, out, _ = run("check", draft, "--format", "sarif", "--output", work / "out.sarif")
    assert code == 1 and out == ""
    assert json.loads((work / "out.sarif").read_text())["runs"][0]["results"]


def test_bad_flags_are_usage_errors(run, draft: Path) -> None:
    code, _, err = run("check", draft, "--format", "xml")
    assert code == 2 and err.startswith("factlint: error: usage:") and err.count("\n") == 1
    code, _, err = run("check", draft, "--severity", "nonsense=error")
    assert code == 2 and "unknown check code 'nonsense'" in err
    code, _, err = run("check", draft, "--severity", "date")
    assert code == 2 and "CODE=LEVEL" in err
    code, _, err = run("check", draft, "--min-severity", "fatal")
    assert code == 2
