"""Command line: ``factlint check``, ``baseline``, ``audit``, ``facts``, ``serve``.

Exit codes: 0 no findings, 1 findings, 2 usage or input error (one line, no traceback).

Settings come from the project config (``factlint.toml`` or ``[tool.factlint]`` in
``pyproject.toml``, found upward from the working directory — the file the language server
reads) and command-line flags, which override it: ``--corpus``/``--rules`` replace the
config's lists, ``--severity CODE=LEVEL`` overrides one code, ``--disable CODE`` adds to the
disabled codes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factlint import __version__
from factlint.changed_lines import ALL_LINES, ChangedLines, touches
from factlint.config import EngineConfig, effective_jobs
from factlint.diagnostics import SEVERITIES, FileReport
from factlint.errors import FactlintError
from factlint.limits import read_within_limit
from factlint.project_config import (
    ProjectConfig,
    load_config_file,
    load_project_config,
    path_selected,
    validate_codes,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from factlint.diagnostics import Diagnostic
    from factlint.engine import Engine

DRAFT_SUFFIXES = (".md", ".markdown", ".txt")
MARKDOWN_SUFFIXES = (".md", ".markdown")
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})  # never drafts, when searching
CHECK_FORMATS = ("text", "json", "sarif", "github", "rdjson", "rdjsonl")
LEVEL_ORDER = {"hint": 0, "info": 1, "warning": 2, "error": 3}


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, measuring the terminal as ``shutil.get_terminal_size`` does
    but without importing shutil (with bz2 and lzma): every parser makes one."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _columns() - 2 if width is None else width)


def _columns() -> int:
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise FactlintError(f"usage: {message}")


def _build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line. With ``command`` (the first argument, when it names a command) only
    that command's parser is built: the others cost every run ~6 ms of no use to it."""
    parser = _Parser(prog="factlint", description="Check drafts against a corpus of sources.")
    parser.add_argument("--version", action="version", version=f"factlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (help_text, add, _) in COMMANDS.items():
        if command in (None, name):
            add(sub.add_parser(name, help=help_text))
    return parser


def _add_check(check: argparse.ArgumentParser) -> None:
    check.add_argument("paths", nargs="*", default=[], metavar="PATH",
                       help="files, folders, or - (default: the project config's folder)")
    _common(check)
    _checking(check)
    check.add_argument("--format", choices=CHECK_FORMATS, default="text",
                       help="text | json | sarif | github | rdjson | rdjsonl (default: text)")
    check.add_argument("-o", "--output", type=Path, metavar="FILE",
                       help="write the report to FILE instead of standard output")
    check.add_argument("--min-severity", choices=SEVERITIES[::-1], default="hint",
                       help="show (and fail on) findings at or above this level")
    check.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when there are findings")
    check.add_argument("--baseline", type=Path, metavar="FILE",
                       help="leave out the findings recorded in FILE (see `factlint baseline`)")
    check.add_argument("--changed-since", metavar="REF",
                       help="only findings on lines changed since git revision REF")


def _add_baseline(base: argparse.ArgumentParser) -> None:
    base.add_argument("file", type=Path, metavar="FILE", help="the baseline file to write")
    base.add_argument("paths", nargs="*", default=[], metavar="PATH")
    _common(base)
    _checking(base)


def _add_audit(audit: argparse.ArgumentParser) -> None:
    _common(audit)
    _engine_flags(audit)
    audit.add_argument("--format", choices=["text", "json"], default="text")
    audit.add_argument("-o", "--output", type=Path, metavar="FILE")


def _add_facts(facts: argparse.ArgumentParser) -> None:
    _common(facts)
    facts.add_argument("--format", choices=["text", "json"], default="text")


def _add_index(index: argparse.ArgumentParser) -> None:
    _common(index)
    index.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                       help="parse in N processes (0: one per CPU)")
    index.add_argument("--rebuild", action="store_true",
                       help="build the index anew from every article (a store written by "
                            "another factlint version needs this)")
    index.add_argument("--dask", metavar="ADDRESS", default=None,
                       help="parse and extract on this dask.distributed scheduler "
                            "(tcp://host:8786); needs factlint[dask]")


def _add_serve(serve: argparse.ArgumentParser) -> None:
    transport = serve.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true",
                           help="speak LSP on standard input/output (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    for flag in UNSUPPORTED_TRANSPORTS:
        serve.add_argument(flag, nargs="?", action=_UnsupportedTransport, help=argparse.SUPPRESS)
    # vscode-languageclient may pass the editor's process id; the server ignores it.
    serve.add_argument("--clientProcessId", type=int, metavar="PID", help=argparse.SUPPRESS)
    serve.add_argument("--no-early-check", action="store_true",
                       help="do not start the second process that checks drafts opened while "
                            "the server is still loading spaCy (also FACTLINT_EARLY_CHECK=0)")


# LSP transport flags that language clients may append (vscode-languageclient adds
# ``--pipe=NAME`` / ``--socket=PORT`` for those transports); factlint serves stdio and TCP.
UNSUPPORTED_TRANSPORTS = ("--pipe", "--socket", "--node-ipc")


class _UnsupportedTransport(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        raise FactlintError(f"factlint serve does not support {option_string}: use stdio "
                            "(the default, or --stdio) or --tcp HOST:PORT")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", action="append", default=[], type=Path, metavar="DIR",
                   help="corpus folder or file (repeatable); replaces the config's corpus; "
                        "default: the bundled seeds")
    p.add_argument("--rules", action="append", default=[], type=Path, metavar="DIR",
                   help="extra rules folder (repeatable); replaces the config's rules")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path, metavar="FILE",
                       help="use this factlint.toml / pyproject.toml instead of searching")
    group.add_argument("--no-config", action="store_true",
                       help="ignore factlint.toml / pyproject.toml")
    p.add_argument("--cache-dir", type=Path, default=None, help=argparse.SUPPRESS)
    p.add_argument("--store", metavar="URL", default=None,
                   help="keep the fact index in this PostgreSQL store (postgresql://...), "
                        "shared by every process using it; default: $FACTLINT_STORE, else "
                        "a SQLite file in the user's cache")
    p.add_argument("--strict", action="store_true",
                   help="a binary, non-UTF-8, empty or oversized corpus file is an error "
                        "(default: skipped with a warning)")


def _engine_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--severity", action="append", default=[], metavar="CODE=LEVEL",
                   help="override one check's level (repeatable)")
    p.add_argument("--disable", action="append", default=[], metavar="CODE",
                   help="never report this check (repeatable)")


def _checking(p: argparse.ArgumentParser) -> None:
    _engine_flags(p)
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="check drafts in N processes (0: one per CPU)")


# ---------------------------------------------------------------------- settings
@dataclass
class Settings:
    project: ProjectConfig | None
    config: EngineConfig
    severity: dict[str, str] = field(default_factory=dict)
    disable: list[str] = field(default_factory=list)
    cli_severity: dict[str, str] = field(default_factory=dict)
    cli_disable: list[str] = field(default_factory=list)

    @property
    def include(self) -> list[str]:
        return list(self.project.include) if self.project else []

    @property
    def exclude(self) -> list[str]:
        return list(self.project.exclude) if self.project else []


def _project(args: argparse.Namespace) -> ProjectConfig | None:
    if getattr(args, "no_config", False):
        return None
    if getattr(args, "config", None) is not None:
        return load_config_file(args.config)
    return load_project_config(Path.cwd())


def _parse_severity_flags(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in values:
        code, sep, level = raw.partition("=")
        code, level = code.strip(), level.strip().lower()
        if not sep or not code:
            raise FactlintError(f"usage: --severity expects CODE=LEVEL, got {raw!r}")
        if level not in SEVERITIES:
            raise FactlintError(f"usage: --severity {code}: level must be one of "
                                f"{', '.join(SEVERITIES)}")
        out[code] = level
    return out


def settings_from_args(args: argparse.Namespace) -> Settings:
    project = _project(args)
    cli_sev = _parse_severity_flags(getattr(args, "severity", []) or [])
    cli_dis = list(getattr(args, "disable", []) or [])
    config = EngineConfig(
        corpus=list(args.corpus) or (list(project.corpus) if project else []),
        rules=list(args.rules) or (list(project.rules) if project else []),
        model=project.model if project else None,
        cache_dir=args.cache_dir,
        strict_corpus=bool(getattr(args, "strict", False)),
    )
    store = getattr(args, "store", None) or (project.store if project else None)
    if store is not None:
        if not re.match(r"^postgres(ql)?://", store):
            raise FactlintError(f"usage: --store must be a postgresql:// URL, got {store!r}")
        config.store = store
    if project is not None and project.max_draft_bytes is not None:
        config.max_draft_bytes = project.max_draft_bytes
    severity = {**(project.severity if project else {}), **cli_sev}
    disable = list(dict.fromkeys([*(project.disable if project else []), *cli_dis]))
    return Settings(project, config, severity, disable, cli_sev, cli_dis)


def build_engine(settings: Settings) -> Engine:
    """The engine, with config codes checked against the rules (file and line on error)."""
    from factlint.engine import Engine

    engine = Engine(settings.config)
    known = engine.checks
    if settings.project is not None:
        validate_codes(settings.project, known)
    for code in [*settings.cli_severity, *settings.cli_disable]:
        if code not in known:
            raise FactlintError(f"usage: unknown check code {code!r} "
                                f"(known: {', '.join(sorted(known))})")
    engine.configure(severity=settings.severity, disable=settings.disable)
    engine.on_error = lambda msg, exc: print(f"factlint: warning: {msg}: {exc}", file=sys.stderr)
    engine.enable_result_cache()  # unchanged drafts re-check without loading spaCy
    return engine


# ---------------------------------------------------------------------- drafts
def _display(path: Path) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def collect_drafts(paths: list[str], *, include: list[str] | None = None,
                   exclude: list[str] | None = None, base: Path | None = None,
                   skip: list[Path] | None = None) -> list[tuple[str, Path | None]]:
    """(display path, file) pairs; '-' is stdin (file None).

    Folders are searched for .md/.markdown/.txt files (hidden ones and those in node_modules
    left out); ``include`` and ``exclude`` globs apply to those, relative to ``base`` (the
    config's folder) when the file is under it, else to the folder searched. Files inside a
    ``skip`` folder (the corpus) that lies within the searched folder are left out. Files
    named explicitly are always checked.
    """
    out: list[tuple[str, Path | None]] = []
    seen: set[Path] = set()
    base = base.resolve() if base else None
    skip = [s.resolve() for s in skip or []]

    def add(display: str, file: Path) -> None:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            out.append((display, file))

    for raw in paths:
        if raw == "-":
            out.append(("-", None))
            continue
        p = Path(raw)
        if not p.exists():
            raise FactlintError("no such file or directory", raw)
        if not p.is_dir():
            add(raw, p)
            continue
        root = p.resolve()
        found = sorted(f for f in p.rglob("*") if f.is_file()
                       and f.suffix.lower() in DRAFT_SUFFIXES
                       and not any(part.startswith(".") or part in SKIPPED_FOLDERS
                                   for part in f.relative_to(p).parts))
        if not found:
            raise FactlintError("directory has no drafts (.md, .markdown, .txt)", raw)
        inner_skip = [s for s in skip if s != root and _inside(s, root)]
        for f in found:
            absolute = f.resolve()
            if any(_inside(absolute, s) for s in inner_skip):
                continue
            rel_root = base if base is not None and _inside(absolute, base) else root
            if path_selected(absolute.relative_to(rel_root).as_posix(), include or [],
                             exclude or []):
                add(str(f), f)
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


def _is_markdown(display: str) -> bool:
    return display == "-" or display.lower().endswith(MARKDOWN_SUFFIXES)


def _default_paths(args: argparse.Namespace, settings: Settings) -> list[str]:
    if args.paths:
        return list(args.paths)
    if settings.project is not None:
        return [_display(settings.project.path.parent)]
    raise FactlintError("usage: give at least one PATH (a file, a folder, or - for stdin)")


def run_checks(args: argparse.Namespace, settings: Settings,
               changed: ChangedLines | None = None
               ) -> tuple[Engine, list[FileReport], dict[str, str]]:
    """Check the drafts named on the command line: (engine, reports, texts by path).

    With ``changed``, only findings on changed lines are kept, and a draft without changed
    lines is not checked at all.
    """
    if args.jobs < 0:
        raise FactlintError("usage: --jobs must be 0 (one per CPU) or more")
    paths = _default_paths(args, settings)
    engine = build_engine(settings)
    drafts = collect_drafts(paths, include=settings.include, exclude=settings.exclude,
                            base=settings.project.path.parent if settings.project else None,
                            skip=list(engine.corpus_paths))
    texts, too_large = read_within_limit(drafts, engine.config.max_draft_bytes, read_draft)
    lines = {display: changed.lines(display) for display, _ in texts} if changed else {}
    tasks = [(display, text, _is_markdown(display)) for display, text in texts
             if lines.get(display, ALL_LINES) != set()]
    jobs = effective_jobs(args.jobs, len(tasks))
    if jobs > 1:
        from factlint.parallel import check_parallel

        engine.load_corpus()  # index once here; the workers read the warm index
        results = check_parallel(engine.config, tasks, jobs)
    else:
        results = _check_in_turn(engine, tasks)
    found = {display: diags for (display, _, _), diags in zip(tasks, results, strict=True)}
    reports = []
    for display, _ in texts:
        diags = found.get(display, [])
        only = lines.get(display, ALL_LINES)
        if only is not ALL_LINES:
            diags = [d for d in diags if touches(d, only)]
        reports.append(FileReport(display, diags))
    reports += [FileReport(display, [], skipped=reason) for display, reason in too_large]
    return engine, reports, dict(texts)


def _check_in_turn(engine: Engine, tasks: list[tuple[str, str, bool]]
                   ) -> list[list[Diagnostic]]:
    from factlint.memory import freeze_long_lived

    results: list[list[Diagnostic]] = []
    for n, (display, text, markdown) in enumerate(tasks):
        results.append(engine.check_text(text, display, markdown=markdown))
        if n == 0 and len(tasks) > 1:
            # what the first check loaded (the index, the pipeline) lives as long as this
            # one-shot process: out of the collector's way, garbage included
            freeze_long_lived(collect=False)
    return results


def _at_least(reports: list[FileReport], level: str) -> list[FileReport]:
    floor = LEVEL_ORDER[level]
    return [FileReport(r.path, [d for d in r.diagnostics
                                if LEVEL_ORDER.get(d.severity, 0) >= floor], r.skipped)
            for r in reports]


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FactlintError(f"cannot write output: {exc.strerror}", str(output)) from None


# ---------------------------------------------------------------------- commands
def cmd_check(args: argparse.Namespace) -> int:
    from factlint.output import FORMATTERS, RenderContext

    settings = settings_from_args(args)
    baseline = None
    if args.baseline is not None:
        from factlint.baseline import load_baseline

        baseline = load_baseline(args.baseline)
    changed = ChangedLines(args.changed_since) if args.changed_since is not None else None
    engine, reports, texts = run_checks(args, settings, changed)
    hidden = 0
    if baseline is not None:
        reports, hidden = baseline.filter(reports)
    reports = _at_least(reports, args.min_severity)
    ctx = RenderContext(rules=dict(engine.checks), severity=dict(engine.config.severity),
                        disabled=frozenset(engine.config.disable), texts=texts,
                        root=Path.cwd())
    _write(FORMATTERS[args.format](reports, ctx), args.output)
    if hidden:
        print(f"factlint: {hidden} known finding{'s' if hidden != 1 else ''} left out "
              f"(baseline {args.baseline})", file=sys.stderr)
    found = any(r.diagnostics for r in reports)
    return 1 if found and not args.exit_zero else 0


def cmd_baseline(args: argparse.Namespace) -> int:
    from factlint.baseline import build_baseline, write_baseline

    settings = settings_from_args(args)
    _, reports, _ = run_checks(args, settings)
    baseline = build_baseline(args.file, reports)
    write_baseline(baseline)
    total = sum(baseline.counts.values())
    print(f"factlint: recorded {total} finding{'s' if total != 1 else ''} in {args.file}",
          file=sys.stderr)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from factlint.audit import FORMATTERS as AUDIT_FORMATTERS
    from factlint.audit import audit_facts

    settings = settings_from_args(args)
    engine = build_engine(settings)
    index = engine.load_corpus()
    levels = {code: engine.config.severity.get(code, rule.level)
              for code, rule in engine.checks.items()}
    conflicts = audit_facts(index.facts_with_title_copies(), index.people, levels,
                            engine.config.disable)
    _write(AUDIT_FORMATTERS[args.format](conflicts), args.output)
    return 1 if conflicts else 0


def cmd_facts(args: argparse.Namespace) -> int:
    engine = build_engine(settings_from_args(args))
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


def cmd_index(args: argparse.Namespace) -> int:
    from factlint.index_cli import run_index

    return run_index(args)


def cmd_serve(args: argparse.Namespace) -> int:
    # started before pygls and the engine are imported: it loads spaCy on the other core
    from factlint.early_checker import EarlyChecker

    early = None if args.no_early_check else EarlyChecker.start()
    from factlint.lsp import run_server

    run_server(tcp=args.tcp, early=early)
    return 0


ONE_SHOT = ("check", "baseline", "audit", "facts", "index")


# each command: its help line, what adds its arguments, what runs it
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None],
                          Callable[[argparse.Namespace], int]]] = {
    "check": ("check drafts (files, folders, or - for stdin)", _add_check, cmd_check),
    "baseline": ("record today's findings in a baseline file", _add_baseline, cmd_baseline),
    "audit": ("check the corpus against itself", _add_audit, cmd_audit),
    "facts": ("list the facts extracted from the corpus", _add_facts, cmd_facts),
    "index": ("build the corpus fact index (in N processes)", _add_index, cmd_index),
    "serve": ("run the language server (stdio)", _add_serve, cmd_serve),
}


def run() -> None:
    """The console script: :func:`main`, then, for a one-shot command, exit at once once
    the output is flushed. Everything written is committed by then (indexes and caches are
    SQL transactions); tearing down spaCy's objects one by one only costs time (~0.1 s).

    OpenBLAS runs one thread unless ``OPENBLAS_NUM_THREADS`` says otherwise: spaCy's
    small matrices gain nothing from more, and its idle threads spin against the parse
    (8-10% slower on two CPUs); set before numpy is first imported."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    code = main()
    if len(sys.argv) > 1 and sys.argv[1] in ONE_SHOT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):
            pass
        os._exit(code)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    try:
        given = sys.argv[1:] if argv is None else argv
        first = given[0] if given else None
        args = _build_parser(first if first in COMMANDS else None).parse_args(given)
        return COMMANDS[args.command][2](args)
    except FactlintError as exc:
        print(f"factlint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
