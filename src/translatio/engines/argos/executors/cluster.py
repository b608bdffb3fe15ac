"""The Ray executor: batches decoded by Ray actors, on this machine or a cluster.

* Without an address, a local Ray instance is started (no dashboard) and stopped at the
  end; with one (``--ray-address``, ``ray_address``), translatio joins that cluster.
* No shared filesystem: each model's files go into Ray's object store once; an actor gets
  them as bytes, checks their SHA-256 and loads CTranslate2 from memory.
* Actors are pure: token batches in, tokens and scores out (``worker.ModelWorker``). One
  pool per model, sized by the ``Dispatcher``; each actor asks for ``num_cpus`` (and
  ``num_gpus`` with ``--device cuda``).
* An actor that dies is restarted by Ray, and the batch it held is decoded again; since
  the driver cut the batches, the output is the same bytes. A worker that fails (its
  model does not load) is one line naming its node; the remote traceback goes to
  ``<cache>/logs/ray-workers.log`` (``failures``).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from typing import Any

from translatio.engines.argos.executors import ExecutorStats, ModelWork, OnBatch
from translatio.engines.argos.executors.batching import Batch
from translatio.engines.argos.executors.failures import worker_failure
from translatio.engines.argos.executors.scheduler import Dispatcher
from translatio.engines.argos.executors.worker import (
    ModelSpec,
    ModelWorker,
    files_checksum,
    read_model_files,
)
from translatio.errors import ExecutorError, ModelError

__all__ = ["RayExecutor"]

_IN_FLIGHT = 2
"""Batches queued per actor, so that it never waits for the driver."""
_GIVE_UP = 4
"""Failures after which an actor is replaced by a new one instead of restarted."""


class _DecodeActor:
    """A Ray actor around one ``ModelWorker`` (``ray.remote`` wraps it on first use)."""

    def __init__(self, spec: ModelSpec, files: Mapping[str, bytes], checksum: str) -> None:
        self._worker: ModelWorker | None = None
        self._error: ModelError | None = None
        try:
            self._worker = ModelWorker(spec, (files, checksum), threads=1)
        except ModelError as error:  # raised by the first call, so the driver can say why
            self._error = error

    def decode(self, batch: Batch) -> list[tuple[tuple[str, ...], float]]:
        """One batch's output."""
        if self._worker is None:
            assert self._error is not None
            raise self._error
        return self._worker.decode([batch])[0]

    def pid(self) -> int:
        """The actor's process (tests kill it)."""
        return os.getpid()


class RayExecutor:
    """Decodes on Ray actors (``--executor ray``)."""

    name = "ray"

    def __init__(
        self, *, address: str | None = None, device: str = "auto", cpus_per_worker: float = 1.0
    ) -> None:
        self.address = address
        """The cluster to join (``None``: start a local Ray instance)."""
        self.device = device
        """``cuda`` asks each actor for one GPU."""
        self.cpus_per_worker = cpus_per_worker
        """CPUs each actor reserves."""
        self.stats = ExecutorStats()
        """What it did so far."""
        self.actors: dict[int, Any] = {}
        """Running actors by worker id (tests kill one)."""
        self._ray: Any = None
        self._started = False

    def ship(self, work: Mapping[str, ModelWork]) -> dict[str, tuple[Any, str]]:
        """Each model's files put into the object store once: (reference, checksum) by key."""
        self._connect()
        shipped = {}
        for key, model in work.items():
            files = read_model_files(model.directory)
            self.stats.shipped_bytes += sum(len(data) for data in files.values())
            shipped[key] = (self._ray.put(files), files_checksum(files))
        return shipped

    def decode(
        self,
        work: Mapping[str, ModelWork],
        on_batch: OnBatch,
        shipped: Mapping[str, tuple[Any, str]] | None = None,
    ) -> None:
        """Every batch of ``work`` through actor pools, outputs handed back as they arrive.

        Actors get the models from the object store only (``shipped``, else shipped now):
        no path of the driver reaches them.
        """
        ray = self._connect()
        shipped = shipped or self.ship(work)
        dispatcher = Dispatcher({key: model.batches for key, model in work.items()}, self._slots())
        actor_class = ray.remote(max_restarts=_GIVE_UP, max_task_retries=0)(_DecodeActor)
        gpus = 1 if self.device == "cuda" else 0
        pending: dict[Any, tuple[int, Batch]] = {}
        failures: dict[int, int] = {}

        def launch(worker: int, key: str) -> None:
            files, checksum = shipped[key]
            self.actors[worker] = actor_class.options(
                num_cpus=self.cpus_per_worker, num_gpus=gpus
            ).remote(work[key].spec, files, checksum)
            self.stats.model_loads += 1
            self.stats.workers[key] = self.stats.workers.get(key, 0) + 1
            for _ in range(_IN_FLIGHT):
                feed(worker)

        def feed(worker: int) -> None:
            batch = dispatcher.next_batch(worker)
            if batch is not None:
                pending[self.actors[worker].decode.remote(batch)] = (worker, batch)
            elif not any(owner == worker for owner, _ in pending.values()):
                self._stop(worker)
                successor = dispatcher.retire(worker)
                if successor is not None:
                    launch(*successor)

        for worker, key in dispatcher.start():
            launch(worker, key)
        while pending:
            [ready], _ = ray.wait(list(pending), num_returns=1)
            worker, batch = pending.pop(ready)
            try:
                decoded = ray.get(ready)
            except ray.exceptions.RayActorError as error:
                if error.actor_init_failed:  # one line; the remote traceback goes to a log
                    raise worker_failure(error) from None
                self.stats.retried += 1
                dispatcher.failed(batch)
                failures[worker] = failures.get(worker, 0) + 1
                if failures[worker] > _GIVE_UP and worker in dispatcher.workers:
                    self._stop(worker)
                    launch(*dispatcher.replace(worker))
                elif worker in dispatcher.workers:
                    feed(worker)
                continue
            except ray.exceptions.RayTaskError as error:
                raise worker_failure(error) from None
            dispatcher.done(batch)
            self.stats.batches += 1
            on_batch(batch, decoded)
            if worker in dispatcher.workers:
                feed(worker)

    def close(self) -> None:
        """Stop the actors, and the Ray instance if this executor started it."""
        for worker in list(self.actors):
            self._stop(worker)
        if self._started and self._ray is not None:
            self._ray.shutdown()
            self._started = False

    def _connect(self) -> Any:
        if self._ray is not None:
            return self._ray
        os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")  # workers use this Python
        try:
            import ray
        except ImportError:
            raise ExecutorError(
                "the ray executor needs Ray, which is not installed",
                hint="pip install 'translatio[ray]' (or use --executor local)",
            ) from None
        if not ray.is_initialized():
            self._check_reachable()
            try:
                ray.init(
                    address=self.address,
                    include_dashboard=False,
                    logging_level=logging.ERROR,
                    log_to_driver=False,
                )
            except (ConnectionError, RuntimeError, ValueError) as error:
                first = str(error).strip().splitlines()[0] if str(error).strip() else ""
                raise ExecutorError(
                    f"cannot connect to the Ray cluster at {self.address}: {first}",
                    hint="start one with `ray start --head`, or check --ray-address "
                    "(host:port of the head node, or ray://host:10001)",
                ) from None
            self._started = True
        self._ray = ray
        return ray

    def _check_reachable(self) -> None:
        """Fail at once on an address nothing listens at (Ray itself retries for minutes)."""
        if not self.address or self.address == "auto":
            return
        host, _, port = self.address.removeprefix("ray://").rpartition(":")
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=5):
                return
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise ExecutorError(
                f"cannot connect to the Ray cluster at {self.address}: {reason}",
                hint="start one with `ray start --head`, or check --ray-address "
                "(host:port of the head node, or ray://host:10001)",
            ) from None

    def _slots(self) -> int:
        resources = self._ray.cluster_resources()
        if self.device == "cuda":
            return max(1, int(resources.get("GPU", 0)))
        return max(1, int(resources.get("CPU", 1) // self.cpus_per_worker))

    def _stop(self, worker: int) -> None:
        actor = self.actors.pop(worker, None)
        if actor is not None:
            self._ray.kill(actor)
