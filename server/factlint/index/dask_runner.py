"""``factlint index --dask ADDRESS``: the per-document stages on a dask.distributed cluster.

Batches of articles are mapped over the cluster's workers (each loads the spaCy pipeline on
its first batch and keeps it); the reduces run here, in corpus order, and the merged facts
are written to the store by the caller, so the index equals a serial build. Workers need
factlint and the model installed, and read nothing from disk: the articles travel in the
batches.
"""

from __future__ import annotations

from typing import Any

from factlint.errors import FactlintError
from factlint.index.runners import MappedRunner, batches, doc_size, task_in_worker
from factlint.rules import RuleSet


class DaskRunner(MappedRunner):
    def __init__(self, address: str, rules: RuleSet, model: str | None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise FactlintError("--dask needs dask.distributed: pip install "
                                "'factlint[dask]'") from None
        try:
            self.client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise FactlintError(f"cannot reach the Dask scheduler ({exc})", address) from None
        self.address, self.model = address, model
        self.where = f"on Dask at {address}"
        self.rules = self.client.scatter(rules, broadcast=True)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def _map(self, stage: str, state: dict[str, Any], items: list[Any]) -> list[Any]:
        if not items:
            return []
        parts = batches(items, self.workers * 2, doc_size)
        shared = self.client.scatter([state], broadcast=True)[0]  # (a dict is scattered by key)
        futures = self.client.map(task_in_worker, [stage] * len(parts), [shared] * len(parts),
                                  parts, rules=self.rules, model=self.model, pure=False)
        try:
            results = self.client.gather(futures)
        except Exception as exc:  # noqa: BLE001 - a worker's error, reported as one line
            raise FactlintError(f"a Dask worker failed ({type(exc).__name__}: {exc})",
                                self.address) from None
        return [r for part in results for r in part]

    def close(self) -> None:
        self.client.close()
