"""Shared by the engine tests: an engine over a small invented corpus, and a draft's findings
and compared-and-consistent values of one kind."""

from __future__ import annotations

from pathlib import Path

from factlint.config import EngineConfig
from factlint.engine import Engine

CODES = {"date": "date", "count": "number", "place": "place", "role": "role"}


def engine_over(tmp: Path, *articles: str) -> Engine:
    """An engine (its index built) over the articles, written to ``tmp/corpus``."""
    return engine_over_files(tmp, {f"a{n}.txt": text for n, text in enumerate(articles)})


def engine_over_files(tmp: Path, files: dict[str, str]) -> Engine:
    """The same, with the files' names (a ``.md`` article may carry front matter)."""
    corpus = tmp / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    engine = Engine(EngineConfig(corpus=[corpus], cache_dir=tmp / "cache"))
    engine.load_corpus()
    return engine


def findings_and_agreed(engine: Engine, draft: str, kind: str
                        ) -> tuple[list[str], list[str]]:
    """(messages of the kind's findings, the draft values of the kind found consistent)."""
    support: list = []
    diags = engine.check_text(draft + "\n", "d.md", support=support)
    return ([d.message for d in diags if d.code == CODES[kind]],
            [c.value["text"] for c, facts in support if c.kind == kind and facts])
