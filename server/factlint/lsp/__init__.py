"""The factlint language server (``factlint serve``).

The engine knows nothing of LSP; this package only converts between the engine's results
(:mod:`factlint.diagnostics`) and :mod:`lsprotocol` types, and schedules work:

* ``server``: the server object, its state, and one mixin per concern — ``scheduling``
  (documents, checks on one worker thread, never publishing a stale result), ``conversion``
  (engine diagnostics to LSP), ``settings`` (the layered configuration), ``indexing`` (the
  engine's life cycle on the index thread), ``watching`` (file watchers or a poller);
* ``features``: one module per LSP feature, each registering its handlers;
* ``positions``, ``model``, ``polling``, ``protocol``, ``config``: what those share;
* ``serve``: ``build_server`` and ``run_server``, the entry point of ``factlint serve``.

Clients that support pull diagnostics *and* ``workspace/diagnostic/refresh`` get pull
diagnostics only (VS Code keeps pushed and pulled diagnostics in separate collections, doing
both would show every finding twice); every other client gets push diagnostics.
"""

from __future__ import annotations

from factlint.lsp.serve import build_server, run_server

__all__ = ["build_server", "run_server"]
