"""Whole articles that must stay silent: precision on real-looking prose.

The seeds themselves (checked as drafts against themselves) and an article about *other*
events of the same kinds (another strike, another exchange, other meetings and quotes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factlint.resources import bundled_seeds

ARTICLES = sorted((Path(__file__).parent / "articles").glob("*.md"))
SEEDS = sorted(bundled_seeds().glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS + ARTICLES, ids=lambda p: p.name)
def test_article_has_no_findings(engine, path: Path) -> None:
    diags = engine.check_text(path.read_text(encoding="utf-8"), str(path))
    assert [(d.range.start.line + 1, d.code, d.message) for d in diags] == []


def test_other_events_article_is_really_compared(engine) -> None:
    """Silence must come from comparison, not from extracting nothing."""
    support: list = []
    path = Path(__file__).parent / "articles" / "other_events.md"
    engine.check_text(path.read_text(encoding="utf-8"), "a.md", support=support)
    kinds = [claim.kind for claim, facts in support if facts]
    assert kinds.count("role") >= 3  # Zelensky, Peskov, Lavrov, Kallas titles agree
