"""Shared helpers of the robustness tests (a module of its own: ``conftest`` is ambiguous
when several test folders have one)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LSP_TESTS = REPO / "tests" / "lsp"

# Real seed-derived sentences that fire (so the invariants are checked on real findings).
QUOTE = '"We aim to establish a beginning to the end of the war," Kallas said.'
DATE = "Moscow illegally annexed the Crimean peninsula in 2015."
FIRING = (QUOTE, DATE)
# ... and sentences that agree with the corpus or have nothing to compare.
QUIET = (
    "Russia invaded Ukraine in February 2022.",
    "The talks in Istanbul ended without a deal.",
    "Zelensky said the meeting should happen soon.",
)


def clean_env(cache_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("FACTLINT_TEST_FAIL_CODE", "FACTLINT_MAX_DRAFT_BYTES"):
        env.pop(key, None)
    env["FACTLINT_CACHE_DIR"] = str(cache_dir)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "server"), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


_LAUNCH = (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\n@maxrss_kb=%d\\n' % "
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "from factlint.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def start_cli(args: list[str], cwd: Path, env: dict[str, str],
              **popen: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _LAUNCH, *args], cwd=cwd, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **popen)


def run_cli(args: list[str], cwd: Path, env: dict[str, str], *, stdin: bytes | None = None,
            timeout: float = 180, **popen: object) -> Run:
    """The CLI (``factlint ARGS``) with its wall time and its own peak resident memory."""
    started = time.monotonic()
    proc = start_cli(args, cwd, env, **popen)
    return finish_cli(proc, args, started, stdin=stdin, timeout=timeout)


def finish_cli(proc: subprocess.Popen, args: list[str], started: float, *,
               stdin: bytes | None = None, timeout: float = 180) -> Run:
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"factlint {' '.join(args)} ran over {timeout}s") from None
    seconds = time.monotonic() - started
    text = err.decode("utf-8", "replace")
    rss = 0.0
    head, sep, tail = text.rpartition("\n@maxrss_kb=")
    if sep:
        rss = int(tail.strip()) / 1024
        text = head
    return Run(proc.returncode, out.decode("utf-8", "replace"), text.strip("\n"), seconds, rss)


class RawServer:
    """``factlint serve`` driven by hand-written JSON-RPC, for what a well-behaved client
    library refuses to send (malformed requests)."""

    def __init__(self, env: dict[str, str]) -> None:
        import threading

        self.proc = subprocess.Popen([sys.executable, "-m", "factlint", "serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        self.messages: list[dict] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        import json

        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
                if line in (b"\r\n", b"\n"):
                    break
            body = stream.read(length or 0)
            with self._lock:
                self.messages.append(json.loads(body))

    def send(self, message: dict | bytes) -> None:
        import json

        body = message if isinstance(message, bytes) else json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def response(self, msg_id: int, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for m in self.messages:
                    if m.get("id") == msg_id and ("result" in m or "error" in m):
                        return m
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited ({self.proc.returncode})")
            time.sleep(0.02)
        raise AssertionError(f"no response to request {msg_id} within {timeout}s")

    def request(self, msg_id: int, method: str, params: object = None,
                timeout: float = 30) -> dict:
        message: dict = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.response(msg_id, timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
