"""Watching corpus and rule paths by polling, for clients that cannot watch files."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

POLL_INTERVAL_S = 2.0


class CorpusPoller:
    """Watches corpus/rules paths by scanning mtimes, for clients that cannot watch files."""

    def __init__(self, paths: Iterable[Path], on_change: Callable[[list[str]], None],
                 interval: float = POLL_INTERVAL_S) -> None:
        self.paths = list(paths)
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._previous: dict[str, tuple[int, int]] = {}
        self._thread = threading.Thread(target=self._run, name="factlint-poll", daemon=True)

    def start(self) -> None:
        """Watch from now: what is there now is the baseline (taken here, not on the thread,
        which may start late: a change made just after this returns is seen)."""
        self._previous = self.snapshot()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def snapshot(self) -> dict[str, tuple[int, int]]:
        seen: dict[str, tuple[int, int]] = {}
        for root in self.paths:
            candidates = [root] if root.is_file() else (
                p for p in root.rglob("*") if not any(part.startswith(".") for part in
                                                      p.relative_to(root).parts))
            for path in candidates:
                try:
                    st = path.stat()
                except OSError:
                    continue
                if path.is_file():
                    seen[str(path)] = (st.st_mtime_ns, st.st_size)
        return seen

    def _run(self) -> None:
        previous = self._previous
        while not self._stop.wait(self.interval):
            try:
                current = self.snapshot()
            except OSError:
                continue
            if current != previous:
                changed = sorted(k for k in current.keys() | previous.keys()
                                 if current.get(k) != previous.get(k))
                previous = current
                self.on_change(changed)
