"""The early checker: a second process that checks a just-opened draft while the language
server is still starting.

A server that has just started spends its first two seconds importing pygls and lsprotocol,
importing spaCy and loading the model, in one process whose threads share one GIL: a new
draft (one the result cache does not know) waits for all of it. ``factlint serve`` starts
this process first, before it imports pygls; it imports spaCy and loads the default model at
once, on the other core. When the server finds no cached result for a draft opened before
its engine is ready, it sends the draft here; this process checks it with an engine of the
same configuration and writes the result to the result cache (:mod:`factlint.result_cache`),
where the server then finds it, as it finds a draft an earlier session checked. Once the
server's own engine is ready the process is stopped.

It only checks against a corpus whose cached index is up to date: indexing is the server's
job (two processes would index the same corpus twice). Knows nothing of LSP.

Protocol: one JSON object per line each way, in order. A request holds the engine's
configuration (:func:`request_for`) and the draft (``path``, ``text``, ``markdown``); the
reply is ``{"ok": true}`` when the result is in the cache, else ``{"ok": false, "why": ...}``.
The process exits when its standard input closes.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factlint.config import EngineConfig
    from factlint.engine import Engine

DISABLE_ENV = "FACTLINT_EARLY_CHECK"  # "0": never start it
log = logging.getLogger("factlint.early")
STOP_WAIT_S = 10  # a stopped process that has not exited by then is killed


def wanted() -> bool:
    """Whether starting one can help: not disabled, and a second core to run it on."""
    if os.environ.get(DISABLE_ENV, "").strip().lower() in ("0", "no", "false", "off"):
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2


class EarlyChecker:
    """The server's handle on the process: :meth:`check` sends a draft and waits for the
    reply (call it off the event loop); :meth:`stop` ends it. Thread-safe; every failure
    (the process died, wrote nonsense) is a plain "not checked"."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        self._lock = threading.Lock()
        self._stopped = False
        self._busy = False

    @classmethod
    def start(cls) -> EarlyChecker | None:
        """Start the process, or None when it is not :func:`wanted` or cannot start."""
        if not wanted():
            return None
        try:
            proc = subprocess.Popen([sys.executable, "-m", "factlint.early_checker"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError:
            return None
        return cls(proc)

    @property
    def running(self) -> bool:
        return not self._stopped and self._proc.poll() is None

    def check(self, request: dict[str, Any]) -> bool:
        """Have the process check a draft; True when its result is now in the result cache."""
        with self._lock:
            if not self.running:
                return False
            self._busy = True
            try:
                return _exchange(self._proc, request)
            finally:
                self._busy = False

    def stop(self) -> None:
        """End the process: at once if it is loading or idle, after its reply if it is
        checking (its result is still good for the cache). Reaped on a thread."""
        if self._stopped:
            return
        self._stopped = True
        proc = self._proc
        if not self._busy:
            proc.terminate()
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
        threading.Thread(target=_reap, args=(proc,), name="factlint-early-reap",
                         daemon=True).start()


def _exchange(proc: subprocess.Popen[bytes], request: dict[str, Any]) -> bool:
    if proc.stdin is None or proc.stdout is None:
        return False
    try:
        proc.stdin.write(json.dumps(request).encode("ascii") + b"\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        reply = json.loads(line) if line else None
    except (OSError, ValueError):
        return False
    return isinstance(reply, dict) and reply.get("ok") is True


def _reap(proc: subprocess.Popen[bytes]) -> None:
    try:
        proc.wait(STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def request_for(config: EngineConfig, path: str, text: str,
                markdown: bool | None) -> dict[str, Any]:
    """The request for checking ``text`` with an engine of ``config`` (its severity and
    disabled codes do not matter: the cache keeps findings before they apply)."""
    return {"corpus": [str(p) for p in config.corpus], "rules": [str(p) for p in config.rules],
            "model": config.model, "max_draft_bytes": config.max_draft_bytes,
            "cache_dir": str(config.cache_dir) if config.cache_dir else None,
            "store": config.store, "path": path, "text": text, "markdown": markdown}


def config_of(request: dict[str, Any]) -> EngineConfig:
    from factlint.config import EngineConfig

    return EngineConfig(corpus=[Path(p) for p in request["corpus"]],
                        rules=[Path(p) for p in request["rules"]], model=request["model"],
                        max_draft_bytes=int(request["max_draft_bytes"]),
                        cache_dir=Path(request["cache_dir"]) if request["cache_dir"] else None,
                        store=request["store"])


# -- the process --------------------------------------------------------------------------
class Worker:
    """What the process does with each request: one engine per configuration (the last)."""

    def __init__(self) -> None:
        self._engine: tuple[str, Engine] | None = None

    def engine_for(self, request: dict[str, Any]) -> Engine:
        from factlint.engine import Engine

        key = json.dumps([request[k] for k in ("corpus", "rules", "model", "max_draft_bytes",
                                                "cache_dir", "store")])
        if self._engine is None or self._engine[0] != key:
            engine = Engine(config_of(request))
            engine.enable_result_cache()
            self._engine = (key, engine)
        return self._engine[1]

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        from factlint.errors import DraftTooLarge

        try:
            started = time.perf_counter()
            engine = self.engine_for(request)
            if not engine.index_known():
                return {"ok": False, "why": "the corpus index is not up to date"}
            errors: list[str] = []
            engine.on_error = lambda message, exc: errors.append(message)
            built = time.perf_counter()
            engine.check_text(request["text"], request["path"], markdown=request["markdown"],
                              use_cache=True)
            log.debug("checked %s in %.0f ms (engine %.0f ms)", request["path"],
                      (time.perf_counter() - started) * 1000, (built - started) * 1000)
        except DraftTooLarge as exc:
            return {"ok": False, "why": exc.reason}
        except Exception as exc:  # noqa: BLE001 - the server's own check reports it
            return {"ok": False, "why": repr(exc)}
        if errors:  # (a result with a failed check is not cached)
            return {"ok": False, "why": errors[0]}
        return {"ok": True}


def preload() -> None:
    """What every check needs, loaded before the first request comes: spaCy, the default
    model, the extractor and the index (a model or corpus of other settings loads then)."""
    try:
        from factlint.nlp import load_pipeline

        load_pipeline(None)
        import factlint.check  # noqa: F401
        import factlint.corpus  # noqa: F401
    except Exception:  # noqa: BLE001 - a request that needs them reports it
        pass


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    worker = Worker()
    for line in requests:
        try:
            request = json.loads(line)
            reply = worker.handle(request) if isinstance(request, dict) else None
        except ValueError:
            reply = None
        replies.write(json.dumps(reply or {"ok": False, "why": "bad request"}).encode() + b"\n")
        replies.flush()


def main() -> None:
    # Ctrl-C in the server's terminal reaches this process too: the server decides when it
    # ends (it closes the pipe). The replies keep the real standard output; anything a
    # library prints goes to standard error.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="factlint-early %(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(os.environ.get("FACTLINT_LOG_LEVEL", "WARNING").upper())
    started = time.perf_counter()
    preload()
    log.debug("preloaded spaCy and the engine in %.0f ms", (time.perf_counter() - started) * 1000)
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
