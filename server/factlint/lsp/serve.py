"""The entry point of ``factlint serve``: build the server with every feature, then serve
stdio or TCP."""

from __future__ import annotations

import logging
import os
import sys
import time

from factlint.early_checker import EarlyChecker
from factlint.errors import FactlintError
from factlint.lsp.constants import log
from factlint.lsp.features import FEATURES
from factlint.lsp.server import FactlintLanguageServer
from factlint.lsp.stdio import serve_stdio


def build_server() -> FactlintLanguageServer:
    """A server with every feature registered."""
    server = FactlintLanguageServer()
    for feature in FEATURES:
        feature.register(server)
    return server


def _preload() -> None:
    start = time.perf_counter()
    try:
        import spacy  # noqa: F401

        import factlint.check  # noqa: F401
        import factlint.corpus  # noqa: F401
    except Exception:  # the engine reports real import problems when it needs them
        log.debug("preloading failed", exc_info=True)
    log.debug("preloaded spaCy and the engine in %.0f ms", (time.perf_counter() - start) * 1000)


def run_server(tcp: str | None = None, early: EarlyChecker | None = None) -> None:
    """Serve LSP on stdio, or on TCP ``HOST:PORT`` when ``tcp`` is given; ``early``, the
    process that checks new drafts while this one loads spaCy (started before pygls was
    imported: :mod:`factlint.early_checker`)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="factlint-server %(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("factlint").setLevel(
        os.environ.get("FACTLINT_LOG_LEVEL", "WARNING").upper())
    # Importing spaCy is the slowest part of start-up: start it now, while the client and
    # server shake hands. It runs on the index thread, so the engine build queued behind it
    # never imports the same modules concurrently (concurrent imports of spaCy race).
    server = build_server()
    server.early_checker = early
    server._index_executor.submit(_preload)
    if tcp:
        host, sep, port = tcp.rpartition(":")
        if not sep or not port.isdigit():
            raise FactlintError(f"--tcp expects HOST:PORT, got {tcp!r}")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        serve_stdio(server)
