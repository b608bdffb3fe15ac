"""The local executor: batches decoded in this process, a few at a time.

One CTranslate2 translator per model, loaded from its directory when its batches come and
unloaded after them (one model in memory at a time), with one translation thread per
core. At most one batch per thread is in flight (the next is submitted as the oldest
returns), so at most that many batches' activations are alive at once: memory stays the
model's size plus a bounded working set whatever the corpus size.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from translatio.engines.argos.executors import ExecutorStats, ModelWork, OnBatch
from translatio.engines.argos.executors.batching import Batch
from translatio.engines.argos.executors.worker import ModelWorker

__all__ = ["LocalExecutor"]


class LocalExecutor:
    """Decodes in-process (``--executor local``)."""

    name = "local"

    def __init__(self, threads: int, *, keep_models: bool = False) -> None:
        self.threads = max(1, threads)
        """CTranslate2 translation threads (batches decoded in parallel)."""
        self.keep_models = keep_models
        """Keep each model loaded after its batches (else unload it: bounded memory)."""
        self.stats = ExecutorStats()
        """What it did so far."""
        self._workers: dict[str, ModelWorker] = {}

    def decode(self, work: Mapping[str, ModelWork], on_batch: OnBatch) -> None:
        """Each model's batches in order, at most one per thread in flight."""
        for key, model in work.items():
            worker = self._workers.get(key)
            if worker is None:
                worker = self._workers[key] = ModelWorker(
                    model.spec, model.directory, threads=self.threads
                )
                self.stats.model_loads += 1
                self.stats.workers[key] = 1
            in_flight: deque[tuple[Batch, Any]] = deque()
            for batch in model.batches:
                if len(in_flight) == self.threads:
                    self._arrived(worker, *in_flight.popleft(), on_batch)
                in_flight.append((batch, worker.submit(batch)))
            while in_flight:
                self._arrived(worker, *in_flight.popleft(), on_batch)
            if not self.keep_models:
                del self._workers[key]  # one model in memory at a time

    def _arrived(self, worker: ModelWorker, batch: Batch, futures: Any, on_batch: OnBatch) -> None:
        decoded = worker.collect(batch, futures)
        self.stats.batches += 1
        on_batch(batch, decoded)

    def close(self) -> None:
        """Unload the models."""
        self._workers.clear()
