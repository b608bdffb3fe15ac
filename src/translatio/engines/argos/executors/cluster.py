"""The Ray executor: batches decoded by Ray actors, on this machine or a cluster.

* Without an address, a local Ray instance is started (no dashboard) and stopped at the
  end; with one (``--ray-address``, ``ray_address``), translatio joins that cluster,
  sending the user's Ray token when there is one (``authentication``).
* No shared filesystem: each model's files go into Ray's object store once; an actor gets
  them as bytes, checks their SHA-256 and loads CTranslate2 from memory.
* Actors are pure: token batches in, tokens and scores out (``worker.ModelWorker``). One
  pool per model, sized by the ``Dispatcher``; each actor asks for ``num_cpus`` (and
  ``num_gpus`` with ``--device cuda``).
* An actor that dies is restarted by Ray, and the batches it held are decoded again;
  since the driver cut the batches, the output is the same bytes. Each loss is one
  warning, ``worker lost on NODE, N batches retried``. A worker that fails (its model
  does not load) is one line naming its node; the remote traceback goes to
  ``<cache>/logs/ray-workers.log`` (``failures``).
* Ray's own output goes to ``<cache>/logs/ray.log`` while the executor drives Ray
  (``ray_output``), never into the user's terminal.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Mapping
from typing import Any

from translatio.engines.argos.executors import ExecutorStats, ModelWork, OnBatch
from translatio.engines.argos.executors.authentication import authenticate
from translatio.engines.argos.executors.batching import Batch
from translatio.engines.argos.executors.failures import failed_node, worker_failure
from translatio.engines.argos.executors.ray_output import RayOutput
from translatio.engines.argos.executors.scheduler import Dispatcher
from translatio.engines.argos.executors.worker import (
    Decoded,
    ModelSpec,
    ModelWorker,
    files_checksum,
    read_model_files,
)
from translatio.errors import ExecutorError, ModelError

__all__ = ["RayExecutor"]

_logger = logging.getLogger("translatio")

_IN_FLIGHT = 2
"""Batches queued per actor, so that it never waits for the driver."""
_GIVE_UP = 4
"""Failures after which an actor is replaced by a new one instead of restarted; also the
replacements in a row, with no batch decoded between them, after which the run stops."""


class _DecodeActor:
    """A Ray actor around one ``ModelWorker`` (``ray.remote`` wraps it on first use)."""

    def __init__(self, spec: ModelSpec, files: Mapping[str, bytes], checksum: str) -> None:
        self._worker: ModelWorker | None = None
        self._error: ModelError | None = None
        try:
            self._worker = ModelWorker(spec, (files, checksum), threads=1)
        except ModelError as error:  # raised by the first call, so the driver can say why
            self._error = error

    def decode(self, batch: Batch) -> Decoded:
        """One batch's output."""
        if self._worker is None:
            assert self._error is not None
            raise self._error
        return self._worker.decode([batch])[0]

    def pid(self) -> int:
        """The actor's process (tests kill it)."""
        return os.getpid()

    def node(self) -> str:
        """The address of the node it runs on (named when it is lost)."""
        import ray

        util: Any = ray.util  # untyped
        return str(util.get_node_ip_address())


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
        self.output = RayOutput()
        """Where Ray's own lines go while this executor drives Ray (``ray_output``)."""
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
        replaced = 0  # actors replaced since the last batch that came back
        lost: dict[int, tuple[str | None, int]] = {}  # worker → (node, batches retried)
        nodes: dict[int, Any] = {}  # worker → its node, asked when it starts

        def node_of(worker: int, error: Exception) -> str | None:
            try:
                return str(ray.get(nodes[worker], timeout=0))
            except (KeyError, ray.exceptions.RayError):  # it died before it could say
                return failed_node(error)

        def report_loss(worker: int, *, restarted: bool = False) -> None:
            """One line per loss: the batches its death sent back, once they are known."""
            if worker in lost:
                node, retried = lost.pop(worker)
                self.stats.lost += 1
                plural = "batch" if retried == 1 else "batches"
                where = node or "an unknown node"
                _logger.warning("worker lost on %s, %d %s retried", where, retried, plural)
                if restarted:  # Ray may have restarted it elsewhere
                    nodes[worker] = self.actors[worker].node.remote()

        def launch(worker: int, key: str) -> None:
            files, checksum = shipped[key]
            self.actors[worker] = actor_class.options(
                num_cpus=self.cpus_per_worker, num_gpus=gpus
            ).remote(work[key].spec, files, checksum)
            nodes[worker] = self.actors[worker].node.remote()
            self.stats.model_loads += 1
            self.stats.workers[key] = self.stats.workers.get(key, 0) + 1
            for _ in range(_IN_FLIGHT):
                feed(worker)

        def feed(worker: int) -> None:
            batch = dispatcher.next_batch(worker)
            if batch is not None:
                pending[self.actors[worker].decode.remote(batch)] = (worker, batch)
            elif not any(owner == worker for owner, _ in pending.values()):
                report_loss(worker)
                self._stop(worker)
                successor = dispatcher.retire(worker)
                if successor is not None:
                    launch(*successor)

        for worker, key in dispatcher.start():
            launch(worker, key)
        try:
            while pending:
                [ready], _ = ray.wait(list(pending), num_returns=1)
                worker, batch = pending.pop(ready)
                try:
                    decoded = ray.get(ready)
                except ray.exceptions.RayActorError as error:
                    if error.actor_init_failed:  # one line; the remote traceback goes to a log
                        raise worker_failure(error) from None
                    self.stats.retried += 1
                    node, retried = lost.get(worker, (None, 0))
                    lost[worker] = (node or node_of(worker, error), retried + 1)
                    dispatcher.failed(batch)
                    failures[worker] = failures.get(worker, 0) + 1
                    if failures[worker] > _GIVE_UP and worker in dispatcher.workers:
                        report_loss(worker)
                        self._stop(worker)
                        replaced += 1
                        if replaced > _GIVE_UP:  # no actor lives long enough to decode
                            raise worker_failure(error) from None
                        launch(*dispatcher.replace(worker))
                    elif worker in dispatcher.workers:
                        feed(worker)
                    continue
                except ray.exceptions.RayTaskError as error:
                    raise worker_failure(error) from None
                # Its restarted actor answers: the loss is complete.
                report_loss(worker, restarted=worker in self.actors)
                replaced = 0
                dispatcher.done(batch)
                self.stats.batches += 1
                on_batch(batch, decoded)
                if worker in dispatcher.workers:
                    feed(worker)
        finally:
            for worker in list(lost):
                report_loss(worker)

    def close(self) -> None:
        """Stop the actors, and the Ray instance if this executor started it; Ray's output
        goes back where it was."""
        try:
            for worker in list(self.actors):
                self._stop(worker)
            if self._started and self._ray is not None:
                self._ray.shutdown()
                self._started = False
        finally:
            self.output.stop()

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
        joining = bool(self.address) and self.address != "auto"
        self.output.start(
            f"translatio joins the Ray cluster at {self.address}"
            if joining
            else "translatio drives Ray"
        )
        if not ray.is_initialized():
            try:
                if joining:
                    assert self.address is not None
                    self._check_reachable()
                    authenticate(ray, self.address)
                ray.init(
                    address=self.address,
                    include_dashboard=False,
                    logging_level=logging.ERROR,
                    log_to_driver=False,
                )
            except (ConnectionError, RuntimeError, ValueError, ray.exceptions.RayError) as error:
                logged = f"; Ray's own messages are in {self.output.log}"
                logged = logged if self.output.started else ""
                self.output.stop()
                first = str(error).strip().splitlines()[0] if str(error).strip() else ""
                raise ExecutorError(
                    f"cannot connect to the Ray cluster at {self.address}: {first}",
                    hint="start one with `ray start --head`, or check --ray-address "
                    f"(host:port of the head node, or ray://host:10001){logged}",
                ) from None
            except BaseException:
                self.output.stop()
                raise
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
            # One that never started, or is gone already, needs no killing.
            with contextlib.suppress(self._ray.exceptions.RayError):
                self._ray.kill(actor)
