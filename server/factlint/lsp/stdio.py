"""The stdio transport, tuned for an editor's pipes.

pygls reads stdin with a thread-pool call for every read: three thread hand-offs per message
(the ``Content-Length`` line, the blank line, the body), each ~0.1-0.2 ms on a busy 2-core
machine, on every keystroke's ``didChange``. When stdin is a pipe (how editors start a
server), it is read on the event loop itself instead (``connect_read_pipe``: epoll, no
thread). Anything else (a terminal, a socket, a file, a pipe stdout also writes to, Windows)
keeps pygls's reader: making a shared file description non-blocking would break stdout's
writes, and Windows's proactor loop cannot read a stdin pipe.

A publication of a long draft is bigger than Linux's default pipe buffer (64 KiB): its write
blocked until the editor had read the first part. stdout's pipe is grown to 1 MiB where the
kernel allows it (``F_SETPIPE_SZ``), so one write hands over the whole message.
"""

from __future__ import annotations

import asyncio
import os
import stat
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async
from pygls.lsp.server import LanguageServer

from factlint.lsp.constants import log

PIPE_BYTES = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size for unprivileged users
# a header line is short, but pygls's reader takes a line of any length (and skips one it
# cannot read): so does this one, up to a size no client sends
_LINE_LIMIT = 1 << 30


def is_pipe(stream: BinaryIO) -> bool:
    try:
        return stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def loop_can_read(stdin: BinaryIO, stdout: BinaryIO | None = None) -> bool:
    """Whether the event loop may read ``stdin``: a pipe of its own (not Windows, whose
    proactor loop cannot read a stdin pipe; not the file stdout writes to, which the loop's
    non-blocking mode would make drop a long write)."""
    if sys.platform == "win32" or not is_pipe(stdin):
        return False
    if stdout is None:
        return True
    try:
        a, b = os.fstat(stdin.fileno()), os.fstat(stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return True  # stdout is no file of its own (a test's buffer): nothing shared
    return (a.st_dev, a.st_ino) != (b.st_dev, b.st_ino)


def grow_pipe(stream: BinaryIO, size: int = PIPE_BYTES) -> int | None:
    """Grow the pipe behind ``stream`` to ``size`` bytes (Linux); its new size, or None where
    it is not a pipe or the kernel refuses."""
    if sys.platform != "linux" or not is_pipe(stream):
        return None
    import fcntl

    try:
        now = int(fcntl.fcntl(stream.fileno(), fcntl.F_GETPIPE_SZ))
        if now >= size:
            return now  # (never shrunk)
        return int(fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, size))
    except (OSError, AttributeError):
        return None


class PipeReader:
    """pygls's reader interface (``readline``, ``readexactly``) over stdin, read by the event
    loop when stdin is a pipe; otherwise (or if the loop cannot watch it) pygls's own."""

    def __init__(self, stdin: BinaryIO,
                 executor: Callable[[], ThreadPoolExecutor | None] = lambda: None,
                 stdout: BinaryIO | None = None) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.executor = executor  # asked only if a thread must read
        self._reader: asyncio.StreamReader | StdinAsyncReader | None = None

    async def _source(self) -> asyncio.StreamReader | StdinAsyncReader:
        if self._reader is None:
            self._reader = await self._open()
        return self._reader

    async def _open(self) -> asyncio.StreamReader | StdinAsyncReader:
        if loop_can_read(self.stdin, self.stdout):
            loop = asyncio.get_running_loop()
            reader = asyncio.StreamReader(limit=_LINE_LIMIT, loop=loop)
            try:
                await loop.connect_read_pipe(
                    lambda: asyncio.StreamReaderProtocol(reader, loop=loop), self.stdin)
                log.debug("stdin is read on the event loop")
                return reader
            except (OSError, ValueError, NotImplementedError) as exc:
                log.debug("stdin read by a thread: %s", exc)
        return StdinAsyncReader(self.stdin, self.executor())

    async def readline(self) -> bytes:
        source = await self._source()
        if isinstance(source, StdinAsyncReader):
            return await source.readline()
        try:
            return await source.readline()
        except ValueError:  # a line of a gigabyte: no LSP client, end the session
            log.error("a header line of more than %d bytes on stdin", _LINE_LIMIT)
            return b""

    async def readexactly(self, n: int) -> bytes:
        source = await self._source()
        if isinstance(source, StdinAsyncReader):
            return await source.readexactly(n)
        try:
            return await source.readexactly(n)
        except asyncio.IncompleteReadError as exc:  # stdin closed mid-message
            return exc.partial


def serve_stdio(server: LanguageServer, stdin: BinaryIO | None = None,
                stdout: BinaryIO | None = None) -> None:
    """Run ``server`` over stdio with the reader above (pygls's ``start_io``, otherwise)."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    grown = grow_pipe(stdout)
    if grown:
        log.debug("stdout pipe holds %d bytes", grown)
    server._stop_event = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))
    try:
        asyncio.run(run_async(stop_event=server._stop_event,
                              reader=PipeReader(stdin, lambda: server.thread_pool, stdout),
                              protocol=server.protocol, logger=log,
                              error_handler=server.report_server_error))
    except BrokenPipeError:
        log.error("connection to the client is lost: shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
