"""The local executor: batches decoded in this process, a few at a time.

One CTranslate2 translator per model, loaded from its directory once and kept for the
run, with one translation thread per core. Batches are submitted in windows of two per
thread, so at most that many batches' activations are alive at once: memory stays the
model's size plus a bounded working set whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Mapping

from translatio.executors import ExecutorStats, ModelWork, OnBatch
from translatio.executors.worker import ModelWorker

__all__ = ["LocalExecutor"]


class LocalExecutor:
    """Decodes in-process (``--executor local``)."""

    name = "local"

    def __init__(self, threads: int) -> None:
        self.threads = max(1, threads)
        """CTranslate2 translation threads (batches decoded in parallel)."""
        self.stats = ExecutorStats()
        """What it did so far."""
        self._workers: dict[str, ModelWorker] = {}

    def decode(self, work: Mapping[str, ModelWork], on_batch: OnBatch) -> None:
        """Each model's batches in order, ``2 × threads`` in flight at a time."""
        window = 2 * self.threads
        for key, model in work.items():
            worker = self._workers.get(key)
            if worker is None:
                worker = self._workers[key] = ModelWorker(
                    model.spec, model.directory, threads=self.threads
                )
                self.stats.model_loads += 1
                self.stats.workers[key] = 1
            for start in range(0, len(model.batches), window):
                chunk = model.batches[start : start + window]
                for batch, decoded in zip(chunk, worker.decode(chunk), strict=True):
                    self.stats.batches += 1
                    on_batch(batch, decoded)

    def close(self) -> None:
        """Unload the models."""
        self._workers.clear()
