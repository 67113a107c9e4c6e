"""What a draft case of a cases file asserts, shared by tests/engine and tests/domains."""

from __future__ import annotations

from typing import Any


def assert_flagged(engine: Any, case: dict[str, Any]) -> None:
    """A contradiction case: exactly the expected codes, on the case's last line, each citing
    the corpus, and the expected replacement first when the case names one."""
    text = case["text"] + "\n"
    diags = engine.check_text(text, "case.md")
    assert sorted({d.code for d in diags}) == sorted(case["expect"])
    last_line = text.rstrip("\n").count("\n")
    for d in diags:
        assert d.range.start.line == last_line
        assert d.evidence, "every finding cites the corpus"
    if "fix" in case:
        fixes = [d.fix for d in diags if d.fix is not None]
        assert fixes, "a replacement is offered"
        assert fixes[0].new_text == case["fix"]
