"""``factlint serve`` transport flags, as language clients pass them.

vscode-languageclient appends ``--stdio`` for its stdio transport (and ``--pipe=NAME`` /
``--socket=PORT`` / ``--node-ipc`` for the others, plus ``--clientProcessId=N`` for Node
modules). The server speaks stdio (also with ``--stdio``) and TCP, and refuses the others with
one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest
from lsp_harness import TIMEOUT
from pygls.uris import from_fs_path

SERVE = [sys.executable, "-m", "factlint", "serve"]


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_messages(stream: IO[bytes], out: queue.Queue[dict[str, Any] | None]) -> None:
    """Parse Content-Length framed JSON-RPC messages from ``stream`` into ``out``; None at EOF."""
    try:
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            out.put(json.loads(stream.read(int(headers["content-length"]))))
    finally:
        out.put(None)


class StdioServer:
    """``factlint serve ARGS`` with raw JSON-RPC over its stdin/stdout."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen([*SERVE, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=cwd)
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._stderr: list[bytes] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self._threads = [
            threading.Thread(target=_read_messages, args=(self.proc.stdout, self.messages),
                             daemon=True),
            # drained as it comes, so that a chatty server never blocks on a full pipe
            threading.Thread(target=self._stderr.extend, args=(self.proc.stderr,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(_frame({"jsonrpc": "2.0", **message}))
        self.proc.stdin.flush()

    def response(self, request_id: int) -> dict[str, Any]:
        """The response to ``request_id``, skipping the server's notifications and requests."""
        while True:
            try:
                message = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no response to request {request_id} "
                                     f"within {TIMEOUT}s") from None
            if message is None:
                raise AssertionError(f"the server closed stdout before answering request "
                                     f"{request_id} (exit code {self.proc.wait(10)}): "
                                     f"{self.stderr()}")
            if message.get("id") == request_id and "method" not in message:
                return message

    def stderr(self) -> str:
        """What the server wrote to stderr (all of it once it has exited)."""
        if self.proc.poll() is not None:
            self._threads[1].join(10)
        return b"".join(self._stderr).decode("utf-8", "replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize("args", [
    ["--stdio"],
    ["--stdio", f"--clientProcessId={os.getpid()}"],
    [f"--clientProcessId={os.getpid()}", "--stdio"],
    [],
], ids=["stdio", "stdio-clientProcessId", "clientProcessId-stdio", "default"])
def test_stdio_answers_initialize(args: list[str], server_env: dict[str, str],
                                  workspace: Path) -> None:
    server = StdioServer(args, server_env, workspace)
    try:
        root = from_fs_path(str(workspace))
        server.send({"id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": root, "capabilities": {},
            "workspaceFolders": [{"uri": root, "name": workspace.name}]}})
        init = server.response(1)
        assert "error" not in init, init
        assert init["result"]["serverInfo"]["name"] == "factlint"
        assert "textDocumentSync" in init["result"]["capabilities"]
        server.send({"method": "initialized", "params": {}})
        server.send({"id": 2, "method": "shutdown"})
        assert server.response(2).get("result") is None
        server.send({"method": "exit"})
        assert server.proc.wait(TIMEOUT) == 0, server.stderr()
        assert "Traceback" not in server.stderr()
    finally:
        server.close()


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SERVE, *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, env=env, timeout=TIMEOUT)


@pytest.mark.parametrize("args", [
    ["--pipe"], ["--pipe=/tmp/factlint.sock"], ["--pipe", "/tmp/factlint.sock"],
    ["--socket=2087"], ["--node-ipc"], ["--stdio", "--node-ipc"],
    ["--pipe=x", f"--clientProcessId={os.getpid()}"],
])
def test_unsupported_transport_is_one_line_exit_2(args: list[str],
                                                  server_env: dict[str, str]) -> None:
    done = _run(args, server_env)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    flag = args[0].split("=")[0] if args[0] != "--stdio" else args[1]
    assert lines == [f"factlint: error: factlint serve does not support {flag}: use stdio "
                     "(the default, or --stdio) or --tcp HOST:PORT"], done.stderr


@pytest.mark.parametrize("args, fragment", [
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--stdio", "--bogus=1"], "unrecognized arguments: --bogus=1"),
    (["--stdio", "--tcp", "127.0.0.1:2087"], "argument --tcp: not allowed with argument --stdio"),
    (["--clientProcessId=abc"], "argument --clientProcessId: invalid int value: 'abc'"),
])
def test_bad_flags_are_a_usage_line_exit_2(args: list[str], fragment: str,
                                           server_env: dict[str, str]) -> None:
    done = _run(args, server_env)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"factlint: error: usage: {fragment}"], done.stderr


def test_help_lists_stdio_and_tcp(server_env: dict[str, str]) -> None:
    done = _run(["--help"], server_env)
    assert done.returncode == 0
    assert "--stdio" in done.stdout and "--tcp HOST:PORT" in done.stdout
    assert "--pipe" not in done.stdout and "--clientProcessId" not in done.stdout


def _early_checkers_of(pid: int) -> list[int]:
    """The early-checker processes (factlint.early_checker) whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"factlint.early_checker" in cmdline:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # (exited; its parent has not reaped it)


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2,
                    reason="reads /proc; the early checker needs two CPUs")
@pytest.mark.parametrize("args, children", [([], 1), (["--no-early-check"], 0)])
def test_the_early_checker_starts_unless_told_not_to_and_dies_with_the_server(
        args: list[str], children: int, server_env: dict[str, str], workspace: Path) -> None:
    env = {k: v for k, v in server_env.items() if k != "FACTLINT_EARLY_CHECK"}
    server = StdioServer(["--stdio", *args], env, workspace)
    try:
        server.send({"id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": from_fs_path(str(workspace)),
            "capabilities": {}}})
        assert "error" not in server.response(1)
        early = _early_checkers_of(server.proc.pid)
        assert len(early) == children, early
        server.proc.kill()  # not even a shutdown: the child must not outlive it
        server.proc.wait(10)
        deadline = time.monotonic() + TIMEOUT
        while early and not _gone(early[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not early or _gone(early[0])
    finally:
        server.close()
