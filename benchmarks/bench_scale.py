"""Scale-out: ``--executor local`` against ``--executor ray`` on a corpus of articles.

Builds three random-weight packages of Argos size (en→zh, en→de, en→fr; 6+6 layers,
d_model 512, 8,000-piece vocabulary, int8, ``</s>`` raised so that decoding ends by
itself) and a corpus of ``--documents`` articles in subfolders (two short paragraphs each,
every sentence distinct), then translates it into the three languages twice, each run in
its own process with an empty translation memory:

* ``local``: in-process, one CTranslate2 translator per model with two threads;
* ``ray``: a local Ray instance with two CPUs, so two one-CPU actors decode at a time.

Reports wall time, Ray's start-up cost, throughput (sentences × languages per second;
the goal is Ray ≥ 0.9 × local once started), model bytes put into the object store, the
peak RSS of the driver and of every decoding process (sampled from ``/proc``), and
whether both runs wrote byte-identical catalogs.

Run:  uv run python benchmarks/bench_scale.py [--documents 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"zh_CN": "zh", "de": "de", "fr": "fr"}
WORDS = [
    "the",
    "government",
    "lied",
    "about",
    "virus",
    "doctors",
    "warned",
    "city",
    "officials",
    "silenced",
    "truth",
    "whistleblowers",
    "report",
    "outbreak",
    "spread",
    "hospitals",
    "patients",
    "families",
    "waited",
    "news",
    "journalists",
    "wrote",
    "letters",
    "court",
    "ruled",
    "law",
    "freedom",
    "press",
    "people",
    "asked",
    "answers",
]


def corpus(documents: int, rng: random.Random) -> dict[str, str]:
    """``documents`` articles in subfolders, two paragraphs of distinct sentences each."""
    articles = {}
    for number in range(documents):
        paragraphs = []
        for paragraph in range(2):
            words = rng.sample(WORDS, 7)
            sentence = " ".join(words).capitalize()
            paragraphs.append(f"{sentence} number {number}-{paragraph}.")
        articles[f"section{number % 10}/article{number:04d}.md"] = "\n\n".join(paragraphs) + "\n"
    return articles


def build_packages(directory: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from tests.argos_fixture import ARGOS_SIZE, build_package

    text = "\n".join(corpus(400, random.Random(1)).values())
    return [
        build_package(
            directory / code, "en", code, shape=ARGOS_SIZE, seed=7, text=text, eos_bias=1.4
        )
        for code in LANGUAGES.values()
    ]


class Sampler:
    """Peak RSS per process of this one and of Ray's decoding actors, from ``/proc``."""

    def __init__(self) -> None:
        self.peaks: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        own = os.getpid()
        while not self._stop.is_set():
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    status = (entry / "status").read_text()
                except OSError:
                    continue
                pid = int(entry.name)
                if pid != own and ("_DecodeActor" not in command or not _descends(pid, own)):
                    continue
                kind = "driver" if pid == own else "actor"
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        peak = int(line.split()[1]) / 1024
                        previous = self.peaks.get(pid, (kind, 0.0))[1]
                        self.peaks[pid] = (kind, max(previous, peak))
            self._stop.wait(0.2)


def _descends(pid: int, ancestor: int) -> bool:
    """Whether ``pid`` is a descendant of ``ancestor`` (Ray's actors of this run only)."""
    for _ in range(16):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
    return False


def child(executor: str, root: Path, output: Path) -> None:
    """One run in this process: translate the project with ``executor``."""
    from translatio import Project
    from translatio.engines.argos import ArgosEngine
    from translatio.engines.argos.executors.cluster import RayExecutor
    from translatio.engines.argos.executors.local import LocalExecutor
    from translatio.engines.argos.sentence_cache import SentenceCache

    started = time.perf_counter()
    startup = 0.0
    runner: LocalExecutor | RayExecutor
    if executor == "ray":
        os.environ["RAY_ENABLE_UV_RUN_RUNTIME_ENV"] = "0"
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        startup = time.perf_counter() - started
        runner = RayExecutor()
    else:
        runner = LocalExecutor(2)
    engine = ArgosEngine(
        device="cpu", cache=SentenceCache(root / "sentences.sqlite3"), executor=runner
    )
    project = Project.open(root)
    project.extract()
    with Sampler() as sampler:
        began = time.perf_counter()
        updates = project.translate(engine=engine)
        work = time.perf_counter() - began
    runner.close()
    result = {
        "seconds": time.perf_counter() - started,
        "startup": startup,
        "work": work,
        "sentences": engine.stats.sentences_translated,
        "filled": sum(update.report.filled for update in updates),
        "shipped": runner.stats.shipped_bytes,
        "batches": runner.stats.batches,
        "workers": sum(runner.stats.workers.values()),
        "peaks": sorted(sampler.peaks.values(), key=lambda item: item[0]),
    }
    if executor == "ray":
        import ray

        ray.shutdown()
    output.write_text(json.dumps(result), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--child")
    parser.add_argument("--root")
    parser.add_argument("--output")
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, Path(arguments.root), Path(arguments.output))
        return
    from translatio.engines.argos.packages.archive import install_from_file

    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        began = time.perf_counter()
        archives = build_packages(base / "archives")
        packages = base / "packages"
        sizes = [install_from_file(archive, packages).size() for archive in archives]
        print(
            f"built 3 packages ({sizes[0] / 1e6:.0f} MB each) in "
            f"{time.perf_counter() - began:.0f} s; cores: {os.cpu_count()}"
        )
        articles = corpus(arguments.documents, random.Random(2))
        results = {}
        for executor in ("local", "ray"):
            root = base / executor
            for name, text in articles.items():
                path = root / "source" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, "utf-8")
            languages = ", ".join(f'"{code}"' for code in LANGUAGES)
            (root / "translatio.toml").write_text(
                f'languages = [{languages}]\nengine = "argos"\ndevice = "cpu"\n', "utf-8"
            )
            env = {
                **os.environ,
                "ARGOS_PACKAGES_DIR": str(packages),
                "TRANSLATIO_CACHE_DIR": str(root / "cache"),
                "SOURCE_DATE_EPOCH": "1767225600",
            }
            output = base / f"{executor}.json"
            command = [sys.executable, __file__, "--child", executor, "--root", str(root)]
            subprocess.run([*command, "--output", str(output)], check=True, env=env)
            results[executor] = json.loads(output.read_text("utf-8"))

        def catalogs(root: Path) -> dict[str, bytes]:
            locales = root / "locales"
            return {str(p.relative_to(locales)): p.read_bytes() for p in locales.rglob("*.po")}

        local, ray = catalogs(base / "local"), catalogs(base / "ray")
        units = results["local"]["filled"]
        print()
        print(f"{arguments.documents} documents × {len(LANGUAGES)} languages, {units} entries")
        print()
        print(
            "| executor | wall s | start-up s | translate s | entries/s | batches | "
            "workers started | model MB shipped | peak MB driver | peak MB per actor |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, result in results.items():
            driver = max((peak for kind, peak in result["peaks"] if kind == "driver"), default=0)
            actors = [peak for kind, peak in result["peaks"] if kind == "actor"]
            actor = f"{max(actors):.0f}" if actors else "—"
            print(
                f"| {name} | {result['seconds']:.1f} | {result['startup']:.1f} | "
                f"{result['work']:.1f} | {units / result['work']:.2f} | {result['batches']} | "
                f"{result['workers']} | {result['shipped'] / 1e6:.0f} | {driver:.0f} | {actor} |"
            )
        ratio = results["local"]["work"] / results["ray"]["work"]
        print()
        print(f"throughput ray / local once started: {ratio:.2f} (goal ≥ 0.9)")
        print(f"model size on disk: {sizes[0] / 1e6:.0f} MB per package")
        same = sum(local.get(name) == data for name, data in ray.items())
        print(f"identical catalogs: {same}/{len(local)} ({'yes' if local == ray else 'NO'})")


if __name__ == "__main__":
    main()
