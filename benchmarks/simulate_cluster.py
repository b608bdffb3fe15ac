"""A discrete-event simulation of a newsroom's archive translated on 1, 10 and 100 nodes.

It drives translatio's real planner (``executors.batching.cut_batches``: the driver's
token-budget batches) and real scheduler (``executors.scheduler.Dispatcher``: one pool per
model sized from the work, idle workers moved to the model with most work left, failed
batches first in line) with simulated workers. Only the decoding is simulated; its speed
and a model's load time are measured on this machine first, with a random-weight model
of Argos size (``--measured-speed`` and ``--measured-load`` skip the measurement).

A new worker first fetches the model's bytes from the object store (``--bandwidth``).

Workload: ``--articles`` articles × ``--languages`` languages, 20 sentences per article,
sentence lengths drawn from the article's own distribution. Nodes have ``--cores`` cores,
one single-CPU worker per core. Preemptions: each node is lost at random (exponential,
mean ``--preempt-every`` seconds of node time); its workers' batches in flight go back to
the queue, and the node comes back after ``--preempt-down`` seconds, with every model to
be loaded again.

Reports predicted wall time, scaling efficiency against one node (T1 / (N × TN); goal ≥ 0.85
at 100 nodes), worker utilisation (decoding time / (workers × wall time), which preemption
noise in the one-node baseline does not blur), model loads per node, preemptions, and
checks that every sentence was translated exactly once.

Run:  uv run python benchmarks/simulate_cluster.py [--articles 10000] [--languages 20]
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from translatio.engines.argos.decoding import DecodingSettings  # noqa: E402
from translatio.engines.argos.executors.batching import Batch, cut_batches  # noqa: E402
from translatio.engines.argos.executors.scheduler import Dispatcher  # noqa: E402

SENTENCES_PER_ARTICLE = 20


@dataclass(frozen=True)
class Speed:
    """What one single-CPU worker does, measured on this machine."""

    tokens_per_second: float
    """Padded input tokens of a batch decoded per second."""
    load_seconds: float
    """Time to load a model from memory."""
    model_bytes: int = 0
    """Size of the model's files (fetched from the object store by each new worker)."""


def measure() -> Speed:
    """Decode the article ×4 with ``bench_mt``'s Argos-size model on one thread; time a load."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_mt import build, document
    from translatio.engines.argos import ArgosEngine
    from translatio.engines.argos.executors import ModelWork
    from translatio.engines.argos.executors.local import LocalExecutor
    from translatio.engines.argos.executors.worker import (
        ModelSpec,
        ModelWorker,
        files_checksum,
        read_model_files,
    )
    from translatio.engines.argos.packages.archive import install_from_file
    from translatio.text.sentences import split_sentences

    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        package = install_from_file(build(base / "archive"), base / "packages")
        engine = ArgosEngine(packages=base / "packages", device="cpu", cache=None)
        tokenizer = engine.decoder.tokenizer(package)
        text = document(4)
        sentences = [s for p in text.split("\n\n") for s in split_sentences(p.strip())]
        pieces = [tuple(tokenizer.encode(s, out_type=str))[:256] for s in sentences]
        spec = ModelSpec("bench", None, "cpu", "int8", 4, 0.2, 2.0, 8)
        batches = cut_batches("bench", pieces, DecodingSettings().batch_tokens)
        files = read_model_files(package.model_dir)
        began = time.perf_counter()
        ModelWorker(spec, (files, files_checksum(files)), threads=1)
        load = time.perf_counter() - began
        began = time.perf_counter()
        LocalExecutor(1).decode(
            {"bench": ModelWork(spec, package.model_dir, batches)}, lambda batch, out: None
        )
        elapsed = time.perf_counter() - began - load
        tokens = sum(batch.tokens for batch in batches)
        return Speed(tokens / max(elapsed, 1e-6), load, sum(map(len, files.values())))


def plan(articles: int, languages: int, rng: random.Random) -> dict[str, list[Batch]]:
    """The real planner over the simulated corpus: one model per language."""
    lengths = [max(4, min(256, int(rng.lognormvariate(3.2, 0.5)))) for _ in range(5000)]
    pieces = [
        (f"s{index}",) * rng.choice(lengths) for index in range(articles * SENTENCES_PER_ARTICLE)
    ]
    budget = DecodingSettings().batch_tokens
    template = cut_batches("model", pieces, budget)
    return {
        f"en-{number:02d}": [Batch(f"en-{number:02d}", b.number, b.pieces) for b in template]
        for number in range(languages)
    }


def simulate(
    work: dict[str, list[Batch]],
    nodes: int,
    cores: int,
    speed: Speed,
    preempt_every: float,
    preempt_down: float,
    rng: random.Random,
    bandwidth: float,
) -> dict[str, object]:
    """Run the real ``Dispatcher`` over simulated workers; return what happened."""
    slots = nodes * cores
    dispatcher = Dispatcher(work, slots)
    events: list[tuple[float, int, str, int]] = []  # (time, order, kind, worker or node)
    sequence = 0

    def push(at: float, kind: str, subject: int) -> None:
        nonlocal sequence
        heapq.heappush(events, (at, sequence, kind, subject))
        sequence += 1

    free_slots = list(range(slots))
    slot_of: dict[int, int] = {}
    holding: dict[int, Batch] = {}
    loads: Counter[int] = Counter()
    done: Counter[tuple[str, int]] = Counter()
    preemptions = 0
    busy = 0  # "ready" and "done" events still to come

    def start(worker: int, now: float) -> None:
        nonlocal busy
        slot = free_slots.pop()
        slot_of[worker] = slot
        loads[slot // cores] += 1
        push(now + speed.load_seconds + speed.model_bytes / bandwidth, "ready", worker)
        busy += 1

    def give_work(worker: int, now: float) -> None:
        nonlocal busy
        batch = dispatcher.next_batch(worker)
        if batch is None:
            free_slots.append(slot_of.pop(worker))
            successor = dispatcher.retire(worker)
            if successor is not None:
                start(successor[0], now)
            return
        holding[worker] = batch
        push(now + batch.tokens / speed.tokens_per_second, "done", worker)
        busy += 1

    for worker, _ in dispatcher.start():
        start(worker, 0.0)
    if preempt_every > 0:
        for node in range(nodes):
            push(rng.expovariate(1 / preempt_every), "preempt", node)
    now = 0.0
    while events and (busy or dispatcher.queued()):
        now, _, kind, subject = heapq.heappop(events)
        if kind == "preempt":
            preemptions += 1
            for worker, slot in list(slot_of.items()):
                if slot // cores == subject:
                    batch = holding.pop(worker, None)
                    if batch is not None:
                        dispatcher.failed(batch)
                    del slot_of[worker]
                    dispatcher.lose(worker)
            free_slots[:] = [slot for slot in free_slots if slot // cores != subject]
            push(now + preempt_down, "back", subject)
            continue
        if kind == "back":
            free_slots.extend(range(subject * cores, (subject + 1) * cores))
            for _ in range(cores):
                successor = dispatcher.assign()
                if successor is None:
                    break
                start(successor[0], now)
            if preempt_every > 0:
                push(now + rng.expovariate(1 / preempt_every), "preempt", subject)
            continue
        busy -= 1
        worker = subject
        if worker not in slot_of:
            continue  # its node was preempted meanwhile
        if kind == "done":
            batch = holding.pop(worker)
            dispatcher.done(batch)
            done[(batch.model, batch.number)] += 1
        give_work(worker, now)
    planned = {(key, batch.number) for key, batches in work.items() for batch in batches}
    exactly_once = set(done) == planned and all(count == 1 for count in done.values())
    busy_seconds = sum(b.tokens for items in work.values() for b in items) / speed.tokens_per_second
    return {
        "wall": now,
        "utilisation": busy_seconds / (slots * now) if now else 0.0,
        "loads": [loads[node] for node in range(nodes)],
        "preemptions": preemptions,
        "exactly_once": exactly_once,
        "batches": sum(done.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--languages", type=int, default=20)
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--cores", type=int, default=16)
    parser.add_argument("--preempt-every", type=float, default=4 * 3600.0)
    parser.add_argument("--preempt-down", type=float, default=120.0)
    parser.add_argument(
        "--bandwidth", type=float, default=1000, help="Mbit/s from the object store to a node"
    )
    parser.add_argument("--measured-speed", type=float)
    parser.add_argument("--measured-load", type=float)
    arguments = parser.parse_args()
    if arguments.measured_speed and arguments.measured_load:
        speed = Speed(arguments.measured_speed, arguments.measured_load, 100_000_000)
    else:
        speed = measure()
    print(
        f"measured on this machine: {speed.tokens_per_second:.0f} padded input tokens/s per "
        f"one-CPU worker, model load {speed.load_seconds:.2f} s from memory "
        f"+ {speed.model_bytes / 1e6:.0f} MB over {arguments.bandwidth:.0f} Mbit/s"
    )
    rng = random.Random(3)
    began = time.perf_counter()
    work = plan(arguments.articles, arguments.languages, rng)
    batches = sum(len(items) for items in work.values())
    print(
        f"planned {arguments.articles} articles × {arguments.languages} languages: "
        f"{batches} batches in {time.perf_counter() - began:.1f} s"
    )
    print()
    print(
        "| nodes | workers | predicted wall time | scaling efficiency | worker utilisation | "
        "model loads per node (mean / max) | preemptions | every sentence exactly once |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    base = None
    for nodes in arguments.nodes:
        result = simulate(
            work,
            nodes,
            arguments.cores,
            speed,
            arguments.preempt_every,
            arguments.preempt_down,
            random.Random(nodes),
            arguments.bandwidth * 1e6 / 8,
        )
        wall = float(result["wall"])  # type: ignore[arg-type]
        if base is None:
            base = wall * nodes
        efficiency = base / (wall * nodes)
        loads = result["loads"]
        assert isinstance(loads, list)
        print(
            f"| {nodes} | {nodes * arguments.cores} | {_duration(wall)} | {efficiency:.2f} | "
            f"{result['utilisation']:.2f} | "
            f"{sum(loads) / len(loads):.1f} / {max(loads)} | {result['preemptions']} | "
            f"{'yes' if result['exactly_once'] else 'NO'} ({result['batches']} batches) |"
        )


def _duration(seconds: float) -> str:
    return f"{seconds / 3600:.2f} h" if seconds >= 3600 else f"{seconds / 60:.1f} min"


if __name__ == "__main__":
    main()
