"""No network access and no shell anywhere in the package: a static scan of its source, and a
full index build and check with every socket connection refused."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

import pytest
from robust_helpers import DATE, QUOTE, REPO

from factlint.config import EngineConfig
from factlint.engine import Engine

PACKAGE = REPO / "server" / "factlint"
# modules that reach the network (urllib.parse only splits strings: allowed)
NETWORK_MODULES = ("socket", "ssl", "http", "urllib", "requests", "httpx", "aiohttp",
                   "urllib3", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib",
                   "xmlrpc", "websockets", "asyncio.streams")
ALLOWED_IMPORTS = {"urllib.parse"}
SHELL_CALLS = {("os", "system"), ("os", "popen"), ("os", "spawnl"), ("os", "spawnlp"),
               ("os", "execl"), ("os", "execlp"), ("subprocess", "getoutput"),
               ("subprocess", "getstatusoutput"), ("pty", "spawn")}
# the one place a socket may be opened: `factlint serve --tcp` (pygls listens)
TCP_OPTION = ("serve.py", "start_tcp")


def _sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    return files


def _network(name: str) -> bool:
    return name not in ALLOWED_IMPORTS and any(
        name == m or name.startswith(m + ".") for m in NETWORK_MODULES)


def scan(source: str, name: str) -> list[str]:
    """Network imports, shells and dynamic code in one module's source."""
    problems: list[str] = []
    tree = ast.parse(source, name)
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            problems += [f"{where}: import {a.name}" for a in node.names if _network(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and _network(node.module):
            problems.append(f"{where}: from {node.module} import ...")
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant)
                                              and kw.value.value is False):
                    problems.append(f"{where}: shell= in a call")
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if (func.value.id, func.attr) in SHELL_CALLS:
                    problems.append(f"{where}: {func.value.id}.{func.attr}()")
                if func.attr == TCP_OPTION[1] and Path(name).name != TCP_OPTION[0]:
                    problems.append(f"{where}: a TCP listener outside `serve --tcp`")
            if isinstance(func, ast.Name) and func.id in ("eval", "exec", "__import__"):
                problems.append(f"{where}: {func.id}()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
                node.value.id == "socket"):
            problems.append(f"{where}: socket.{node.attr}")
    return problems


def test_no_network_imports_or_shell_in_the_package() -> None:
    problems = [p for path in _sources()
                for p in scan(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))]
    assert problems == []


def test_the_scan_finds_what_it_looks_for() -> None:
    bad = ("import socket\nimport urllib.request\nfrom http.client import HTTPConnection\n"
           "import requests\nfrom urllib.parse import quote\nimport subprocess, os\n"
           "subprocess.run('ls', shell=True)\nos.system('ls')\nos.popen('ls')\n"
           "eval('1')\nserver.start_tcp('0.0.0.0', 1)\n")
    found = scan(bad, "bad.py")
    assert len(found) == 9, found  # all but urllib.parse and the plain imports


def test_subprocesses_get_argument_lists() -> None:
    """The package's one subprocess (git, for --changed-since) gets a list, never a string
    a shell would split."""
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "subprocess" and node.args):
                assert not isinstance(node.args[0], ast.Constant | ast.JoinedStr), (
                    f"{path.name}:{node.lineno}: a command string")


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(self, address, *args, **kw):  # noqa: ANN001
        attempts.append(repr(address))
        raise OSError(f"network access attempted: {address!r}")

    def refuse_connection(address, *args, **kw):  # noqa: ANN001
        attempts.append(repr(address))
        raise OSError(f"network access attempted: {address!r}")

    def refuse_lookup(host, *args, **kw):  # noqa: ANN001
        attempts.append(f"getaddrinfo {host!r}")
        raise socket.gaierror(f"name lookup attempted: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse_connection)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_lookup)
    return attempts


def test_index_build_and_check_without_network(tmp_path: Path, no_sockets: list[str],
                                               engine) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_10bec7b2545cf40c.txt", "002_25c4805a9411152e.txt"):
        (corpus / name).write_bytes((REPO / "seeds" / name).read_bytes())
    e = Engine(EngineConfig(corpus=[corpus], cache_dir=tmp_path / "cache"))
    e._nlp = engine.nlp  # spaCy loaded once per session (it is loaded offline anyway)
    index = e.load_corpus()  # a full build: nothing is in this cache
    assert not index.from_cache and e.fact_count > 0
    codes = [d.code for d in e.check_text(f"{QUOTE}\n\n{DATE}\n", "d.md")]
    assert codes == ["quote-speaker", "date"]
    assert no_sockets == []


def test_model_loads_without_network(no_sockets: list[str]) -> None:
    from factlint.nlp import load_pipeline

    nlp = load_pipeline()
    assert nlp("Kallas said it.")[0].text == "Kallas"
    assert no_sockets == []
