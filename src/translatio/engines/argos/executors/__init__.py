"""Executors: who decodes the driver's batches, in this process or on a Ray cluster.

The driver (``engines.argos.decoding``) plans: it cuts each model's sentences into
token-budget batches. An executor only runs them and hands each batch's output back as
it arrives, in any order; the driver stores it. ``local`` decodes in-process with one
CTranslate2 translator per model; ``ray`` decodes on Ray actors (``executors.cluster``),
an optional extra: ``pip install 'translatio[ray]'``. A Ray worker's failure reaches
the user as one line (``executors.failures``); joining a cluster sends the user's Ray
token (``executors.authentication``); Ray's own lines go to a log file
(``executors.ray_output``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from translatio.config import ExecutorKind
from translatio.engines.argos.executors.batching import Batch
from translatio.engines.argos.executors.worker import Decoded, ModelSpec

__all__ = [
    "Executor",
    "ExecutorKind",
    "ExecutorStats",
    "ModelWork",
    "create_executor",
]


@dataclass(frozen=True, slots=True)
class ModelWork:
    """One model's batches and what a worker needs to decode them."""

    spec: ModelSpec
    """Everything that changes the model's output."""
    directory: Path
    """The CTranslate2 model directory on the driver (remote workers get its bytes)."""
    batches: list[Batch]
    """The batches, in the driver's order."""


@dataclass
class ExecutorStats:
    """What an executor did (the benchmarks and tests read it)."""

    model_loads: int = 0
    """Models loaded by workers."""
    batches: int = 0
    """Batches decoded."""
    retried: int = 0
    """Batches decoded again because their worker died."""
    lost: int = 0
    """Workers that died mid-run (each said in one warning)."""
    shipped_bytes: int = 0
    """Model bytes put into the object store (0 in-process)."""
    workers: dict[str, int] = field(default_factory=dict)
    """Workers started per model."""


OnBatch = Callable[[Batch, Decoded], None]
"""Called on the driver with each batch's output, as it arrives."""


class Executor(Protocol):
    """Decodes batches; never writes anything."""

    name: str
    """``local`` or ``ray``."""
    stats: ExecutorStats
    """What it did so far."""

    def decode(self, work: Mapping[str, ModelWork], on_batch: OnBatch) -> None:
        """Decode every batch of ``work`` (keyed by model), calling ``on_batch`` for each."""
        ...

    def close(self) -> None:
        """Release workers (and a Ray instance this executor started)."""
        ...


def create_executor(
    kind: ExecutorKind | str,
    *,
    threads: int,
    address: str | None = None,
    device: str = "auto",
) -> Executor:
    """The executor called ``kind``; ``ray`` is created only when the extra is installed."""
    if ExecutorKind(kind) is ExecutorKind.LOCAL:
        from translatio.engines.argos.executors.local import LocalExecutor

        return LocalExecutor(threads)
    from translatio.engines.argos.executors.cluster import RayExecutor

    return RayExecutor(address=address, device=device)
