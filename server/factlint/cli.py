"""Command line: ``factlint check``, ``factlint facts``, ``factlint serve``.

Exit codes: 0 no findings, 1 findings, 2 usage or input error (one line, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from factlint import __version__
from factlint.config import EngineConfig
from factlint.diagnostics import FileReport
from factlint.errors import FactlintError

DRAFT_SUFFIXES = (".md", ".markdown", ".txt")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise FactlintError(f"usage: {message}")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factlint", description="Check drafts against a corpus of sources.")
    parser.add_argument("--version", action="version", version=f"factlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check drafts (files, folders, or - for stdin)")
    check.add_argument("paths", nargs="*", default=[], metavar="PATH")
    _common(check)
    check.add_argument("--format", default="text", help="text | json")

    facts = sub.add_parser("facts", help="list the facts extracted from the corpus")
    _common(facts)
    facts.add_argument("--format", choices=["text", "json"], default="text")

    serve = sub.add_parser("serve", help="run the language server (stdio)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", action="append", default=[], type=Path, metavar="DIR",
                   help="corpus folder or file (repeatable); default: the bundled seeds")
    p.add_argument("--rules", action="append", default=[], type=Path, metavar="DIR",
                   help="extra rules folder (repeatable)")
    p.add_argument("--cache-dir", type=Path, default=None, help=argparse.SUPPRESS)


def collect_drafts(paths: list[str]) -> list[tuple[str, Path | None]]:
    """(display path, file) pairs; '-' is stdin (file None)."""
    out: list[tuple[str, Path | None]] = []
    for raw in paths:
        if raw == "-":
            out.append(("-", None))
            continue
        p = Path(raw)
        if not p.exists():
            raise FactlintError("no such file or directory", raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file()
                           and f.suffix.lower() in DRAFT_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise FactlintError("directory has no drafts (.md, .markdown, .txt)", raw)
            out.extend((str(f), f) for f in found)
        else:
            out.append((raw, p))
    return out


def read_draft(display: str, path: Path | None) -> str:
    data = sys.stdin.buffer.read() if path is None else path.read_bytes()
    if b"\0" in data:
        raise FactlintError("binary file, not a text draft", display)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FactlintError("not valid UTF-8 text", display, line) from None


def _engine(args: argparse.Namespace):  # noqa: ANN202
    from factlint.engine import Engine

    return Engine(EngineConfig(corpus=list(args.corpus), rules=list(args.rules),
                               cache_dir=args.cache_dir))


def cmd_check(args: argparse.Namespace) -> int:
    from factlint.output import FORMATTERS

    if args.format not in FORMATTERS:
        raise FactlintError(f"unknown format {args.format!r} "
                            f"(choose from {', '.join(sorted(FORMATTERS))})")
    if not args.paths:
        raise FactlintError("usage: give at least one PATH (a file, a folder, or - for stdin)")
    drafts = collect_drafts(args.paths)
    texts = [(display, read_draft(display, path)) for display, path in drafts]
    engine = _engine(args)
    engine.on_error = lambda msg, exc: print(f"factlint: warning: {msg}: {exc}", file=sys.stderr)
    reports = []
    for display, text in texts:
        markdown = display == "-" or display.lower().endswith((".md", ".markdown"))
        reports.append(FileReport(display, engine.check_text(text, display, markdown=markdown)))
    sys.stdout.write(FORMATTERS[args.format](reports))
    return 1 if any(r.diagnostics for r in reports) else 0


def cmd_facts(args: argparse.Namespace) -> int:
    engine = _engine(args)
    index = engine.load_corpus()
    names = index.people.display_names()
    if args.format == "json":
        data = [{"kind": f.kind, "key": f.key, "value": f.value,
                 "source": f.prov.source if f.prov else None,
                 "line": f.prov.line if f.prov else None,
                 "span": [f.prov.start, f.prov.end] if f.prov else None,
                 "sentence": f.prov.text if f.prov else None,
                 "description": f.describe(names)} for f in index.facts]
        sys.stdout.write(json.dumps({"version": 1, "facts": data}, indent=2,
                                    ensure_ascii=False) + "\n")
    else:
        for f in index.facts:
            where = f"{f.prov.source}:{f.prov.line}" if f.prov else "?"
            sys.stdout.write(f"{where}: {f.kind}: {f.describe(names)}\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from factlint.server import run_server

    run_server(tcp=args.tcp)
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        args = _build_parser().parse_args(argv)
        handler = {"check": cmd_check, "facts": cmd_facts, "serve": cmd_serve}[args.command]
        return handler(args)
    except FactlintError as exc:
        print(f"factlint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
