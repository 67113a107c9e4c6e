"""The stdio transport (``factlint.lsp.stdio``): stdin read on the event loop when it is a
pipe, pygls's threaded reader otherwise, and stdout's pipe grown so a long publication is one
write."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from lsp_harness import TIMEOUT
from pygls.io_ import StdinAsyncReader
from pygls.uris import from_fs_path
from test_serve_flags import SERVE, StdioServer, _frame

from factlint.lsp.stdio import PipeReader, grow_pipe, is_pipe


def _read_all(reader: PipeReader) -> list[bytes]:
    """What pygls's read loop asks for: header lines up to the blank one, then the body."""
    async def go() -> list[bytes]:
        out: list[bytes] = []
        while header := await reader.readline():
            out.append(header)
            if header == b"\r\n":
                out.append(await reader.readexactly(int(out[-2].split(b":")[1])))
        return out
    return asyncio.run(go())


def _framed(*bodies: bytes) -> bytes:
    return b"".join(b"Content-Length: %d\r\n\r\n" % len(b) + b for b in bodies)


def _read_as_written(data: bytes, piece: int, pause: float = 0.0) -> tuple[list[bytes], Any]:
    """``data`` written into a pipe ``piece`` bytes at a time while the loop reads it;
    what was read, and which reader read it."""
    r, w = os.pipe()

    def feed() -> None:
        for k in range(0, len(data), piece):
            os.write(w, data[k:k + piece])
            time.sleep(pause)
        os.close(w)

    with os.fdopen(r, "rb", buffering=0) as stdin:
        reader = PipeReader(stdin)
        writer = threading.Thread(target=feed)
        writer.start()
        try:
            got = _read_all(reader)
        finally:
            writer.join()
        return got, reader._reader


def test_pipe_is_read_on_the_loop_in_fragments() -> None:
    data = _framed(b'{"a": 1}', b'{"b": "' + b"x" * 100_000 + b'"}')
    # header, body and the next header cut anywhere
    got, used = _read_as_written(data, 4093, pause=0.001)
    assert not isinstance(used, StdinAsyncReader)  # the loop's own reader
    assert got == [b"Content-Length: 8\r\n", b"\r\n", b'{"a": 1}',
                   b"Content-Length: 100009\r\n", b"\r\n", data[-100_009:]]


def test_stdin_closed_mid_message_gives_what_came() -> None:
    r, w = os.pipe()
    os.write(w, b"Content-Length: 50\r\n\r\n{\"partial\"")
    os.close(w)
    with os.fdopen(r, "rb", buffering=0) as stdin:
        assert _read_all(PipeReader(stdin)) == [b"Content-Length: 50\r\n", b"\r\n",
                                                b'{"partial"']


def test_a_file_on_stdin_is_read_by_a_thread(tmp_path: Path) -> None:
    path = tmp_path / "in.bin"
    path.write_bytes(_framed(b'{"x": 2}'))
    with path.open("rb") as stdin:
        assert not is_pipe(stdin)
        reader = PipeReader(stdin)
        assert _read_all(reader) == [b"Content-Length: 8\r\n", b"\r\n", b'{"x": 2}']
        assert isinstance(reader._reader, StdinAsyncReader)


@pytest.mark.skipif(sys.platform != "linux", reason="F_SETPIPE_SZ is Linux's")
def test_stdout_pipe_is_grown(tmp_path: Path) -> None:
    r, w = os.pipe()
    with os.fdopen(r, "rb") as rf, os.fdopen(w, "wb") as wf:
        size = grow_pipe(wf)
        assert size is not None and size >= 256 * 1024
        # a write of a long publication no longer waits for the reader
        wf.write(b"x" * 200_000)
        wf.flush()
        assert len(rf.read(200_000)) == 200_000
    with (tmp_path / "out").open("wb") as f:
        assert grow_pipe(f) is None  # not a pipe: left alone


def _session(root: str) -> list[dict[str, Any]]:
    return [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": root, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]


def test_server_with_a_file_on_stdin_answers(tmp_path: Path, server_env: dict[str, str],
                                             workspace: Path) -> None:
    """stdin redirected from a file (no pipe to watch): pygls's threaded reader serves."""
    script = tmp_path / "session.lsp"
    script.write_bytes(b"".join(_frame(m) for m in _session(from_fs_path(str(workspace))
                                                            or "")))
    with script.open("rb") as stdin:
        done = subprocess.run(SERVE, stdin=stdin, capture_output=True, env=server_env,
                              cwd=workspace, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    bodies = [json.loads(part.split(b"\r\n\r\n", 1)[1])
              for part in done.stdout.split(b"Content-Length: ")[1:]]
    answers = {b["id"]: b for b in bodies if "id" in b and "method" not in b}
    assert answers[1]["result"]["serverInfo"]["name"] == "factlint"
    assert answers[2]["result"] is None
    assert b"Traceback" not in done.stderr


def test_server_reads_a_message_that_arrives_in_pieces(server_env: dict[str, str],
                                                       workspace: Path) -> None:
    server = StdioServer([], server_env, workspace)
    try:
        frame = _frame(_session(from_fs_path(str(workspace)) or "")[0])
        assert server.proc.stdin is not None
        for piece in (frame[:7], frame[7:30], frame[30:-5], frame[-5:]):
            server.proc.stdin.write(piece)
            server.proc.stdin.flush()
            time.sleep(0.05)
        assert server.response(1)["result"]["serverInfo"]["name"] == "factlint"
        server.send({"method": "initialized", "params": {}})
        server.send({"id": 2, "method": "shutdown"})
        assert server.response(2).get("result") is None
        server.send({"method": "exit"})
        assert server.proc.wait(TIMEOUT) == 0, server.stderr()
    finally:
        server.close()


def test_a_long_junk_line_is_read_whole_and_the_next_message_follows() -> None:
    """pygls's reader takes a header line of any length (and skips one it cannot read):
    so does the loop's."""
    got, _used = _read_as_written(b"x" * 70_000 + b"\r\n" + _framed(b'{"ok": 1}'), 8192)
    assert len(got[0]) == 70_002
    assert got[1:] == [b"Content-Length: 9\r\n", b"\r\n", b'{"ok": 1}']


def test_the_loop_reads_only_a_pipe_of_its_own(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from factlint.lsp import stdio

    r, _w = os.pipe()  # stdin
    _r, w = os.pipe()  # stdout, another pipe (as an editor starts a server)
    fifo = tmp_path / "both"
    os.mkfifo(fifo)
    shared = os.open(fifo, os.O_RDWR)  # one file description read and written
    try:
        with os.fdopen(r, "rb", buffering=0) as stdin, \
                os.fdopen(w, "wb", buffering=0) as other, \
                os.fdopen(shared, "rb", buffering=0, closefd=False) as both_in, \
                os.fdopen(shared, "wb", buffering=0, closefd=False) as both_out:
            assert stdio.loop_can_read(stdin, other)
            assert not stdio.loop_can_read(both_in, both_out)
            monkeypatch.setattr(stdio.sys, "platform", "win32")
            assert not stdio.loop_can_read(stdin, other)
    finally:
        os.close(shared)
        os.close(_w)
        os.close(_r)


@pytest.mark.skipif(sys.platform != "linux", reason="F_SETPIPE_SZ is Linux's")
def test_a_bigger_pipe_is_not_shrunk() -> None:
    import fcntl

    r, w = os.pipe()
    try:
        fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 1 << 20)
        with os.fdopen(w, "wb", closefd=False) as wf:
            assert grow_pipe(wf, 1 << 16) == 1 << 20
    finally:
        os.close(r)
        os.close(w)
