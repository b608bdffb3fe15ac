"""Which model each worker serves and which batch it decodes next: pure bookkeeping.

The Ray executor drives a ``Dispatcher`` with real actors; ``benchmarks/simulate_cluster.py``
drives the same class with simulated workers. Workers start in one pool per model, pools
sized from the work (padded tokens), at least one worker per model while slots last. A
worker takes its model's batches in the driver's order; when its model has none left it
retires, and its slot goes to the model with the most work left per worker (a new
worker, which loads that model). A failed batch goes back to the front of its queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

from translatio.engines.argos.executors.batching import Batch

__all__ = ["Dispatcher", "pool_sizes"]


def pool_sizes(work: Mapping[str, int], limits: Mapping[str, int], slots: int) -> dict[str, int]:
    """Workers per model: proportional to ``work``, at most ``limits``, ``slots`` in all.

    Every model with work gets one worker first (the heaviest first when slots are
    fewer than models); the rest go by largest share of the work, ties by model key.
    """
    models = sorted((key for key in work if limits.get(key, 0) > 0), key=lambda k: (-work[k], k))
    sizes = {key: 0 for key in models}
    for key in models[:slots]:
        sizes[key] = 1
    free = slots - sum(sizes.values())
    total = sum(work[key] for key in models) or 1
    while free > 0:
        open_models = [key for key in models if sizes[key] < limits[key]]
        if not open_models:
            break
        key = max(open_models, key=lambda k: (work[k] / total - sizes[k] / slots, -models.index(k)))
        sizes[key] += 1
        free -= 1
    return {key: size for key, size in sizes.items() if size}


class Dispatcher:
    """Batches per model handed to workers; worker ids are never reused."""

    def __init__(self, batches: Mapping[str, Sequence[Batch]], slots: int) -> None:
        self.slots = max(1, slots)
        """How many workers may run at once."""
        self.workers: dict[int, str] = {}
        """Running workers and the model each serves."""
        self.loads: list[str] = []
        """The model of every worker started, in order (each is one model load)."""
        self._queues = {key: deque(items) for key, items in batches.items() if items}
        self._left = {key: sum(b.tokens for b in items) for key, items in self._queues.items()}
        self._next = 0

    def start(self) -> list[tuple[int, str]]:
        """The first workers: one pool per model, sized from the work."""
        limits = {key: len(queue) for key, queue in self._queues.items()}
        sizes = pool_sizes(self._left, limits, self.slots)
        return [self._new(key) for key in sorted(sizes) for _ in range(sizes[key])]

    def next_batch(self, worker: int) -> Batch | None:
        """The next batch of the worker's model, or ``None`` when its queue is empty."""
        queue = self._queues.get(self.workers[worker])
        return queue.popleft() if queue else None

    def queued(self) -> int:
        """Batches not yet handed to any worker."""
        return sum(len(queue) for queue in self._queues.values())

    def done(self, batch: Batch) -> None:
        """A batch's output arrived."""
        self._left[batch.model] -= batch.tokens

    def failed(self, batch: Batch) -> None:
        """A batch's worker died: the batch is decoded again, before any other."""
        self._queues.setdefault(batch.model, deque()).appendleft(batch)

    def retire(self, worker: int) -> tuple[int, str] | None:
        """An idle worker with nothing left leaves; a new one takes its slot if work waits."""
        del self.workers[worker]
        return self.assign()

    def lose(self, worker: int) -> None:
        """A worker vanished with its node (its batches are returned with ``failed``)."""
        self.workers.pop(worker, None)

    def assign(self) -> tuple[int, str] | None:
        """A new worker for a free slot: the model with the most batches left per worker.

        ``None`` when every batch left already has a worker that will take it.
        """
        waiting = [key for key, queue in self._queues.items() if queue]
        if not waiting:
            return None
        serving = {key: 0 for key in waiting}
        for key in self.workers.values():
            if key in serving:
                serving[key] += 1
        key = max(sorted(waiting), key=lambda k: len(self._queues[k]) / (1 + serving[k]))
        if serving[key] >= len(self._queues[key]):
            return None
        return self._new(key)

    def replace(self, worker: int) -> tuple[int, str]:
        """A worker that keeps dying is given up; a new one serves its model."""
        key = self.workers.pop(worker)
        return self._new(key)

    def _new(self, key: str) -> tuple[int, str]:
        worker = self._next
        self._next += 1
        self.workers[worker] = key
        self.loads.append(key)
        return worker, key
