"""The site after corrections: is the path linear? A document of n and 2n paragraphs.

For each size a temporary project in one language (fr) gets a text document of n
distinct paragraphs, every one given a reviewed translation; then, each step timed
through ``translatio.project.Project``:

* ``publish``: the first reviewed build (manifest written);
* ``extract``: 20 paragraphs corrected, merged and recorded in the revisions file;
* ``notice``: the reviewed build that shows the earlier translations under a notice (the
  history looked up for every changed paragraph);
* ``log``: the build after the corrections are reviewed (corrections log of 20 lines).

Each size runs in a child process; the table gives seconds at n and 2n and their ratio
(linear: ~2, goal ≤ 2.3) and the peak memory of the larger size.

Run:  uv run python benchmarks/bench_site.py [--paragraphs 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ("publish", "extract", "notice", "log")
CORRECTIONS = 20
"""Paragraphs corrected, whatever the size: a correction touches a few paragraphs (the
merge's fuzzy search costs changed paragraphs × old paragraphs, msgmerge's rule)."""
GOAL = 2.3


def _source(count: int, changed: bool) -> str:
    lines = []
    for number in range(count):
        word = "Tuesday" if changed and number % (count // CORRECTIONS) == 0 else "Monday"
        lines.append(f"Paragraph {number} says the council met on {word} about item {number}.")
    return "\n\n".join(lines) + "\n"


def _review(root: Path) -> None:
    import polib

    path = root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr, entry.flags, entry.previous_msgid = "[fr] " + entry.msgid, [], None
    catalog.save(str(path))


def child(count: int) -> None:
    from translatio import Project

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "source").mkdir()
        (root / "source" / "doc.txt").write_text(_source(count, False), "utf-8")
        (root / "translatio.toml").write_text('languages = ["fr"]\nengine = "pseudo"\n')
        project = Project.open(root)
        project.extract()
        _review(root)

        def timed(step: str, action: object) -> None:
            started = time.perf_counter()
            action()  # type: ignore[operator]
            print(json.dumps({"step": step, "seconds": time.perf_counter() - started}))

        os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # published on 1 January 2026
        timed("publish", project.build)
        os.environ["SOURCE_DATE_EPOCH"] = "1767398400"  # corrected on 3 January
        (root / "source" / "doc.txt").write_text(_source(count, True), "utf-8")
        timed("extract", project.extract)
        timed("notice", project.build)
        page = (root / "editions" / "fr" / "doc.html").read_text("utf-8")
        assert "correction-notice" in page.split("<main>")[0].split("<body>")[1]
        _review(root)
        timed("log", project.build)
        page = (root / "editions" / "fr" / "doc.html").read_text("utf-8")
        log = page.split('<section class="corrections"')[1]
        assert log.count("<li>") == CORRECTIONS, "one log line per correction"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mib": peak}))


def measure(count: int) -> tuple[dict[str, float], float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(count)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seconds: dict[str, float] = {}
    peak = 0.0
    for line in output.splitlines():
        record = json.loads(line)
        if "step" in record:
            seconds[record["step"]] = record["seconds"]
        else:
            peak = record["peak_mib"]
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=20_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child)
        return
    n = arguments.paragraphs
    small, _ = measure(n)
    large, peak = measure(2 * n)
    print(f"{'step':<10} {'n=' + format(n, ','):>12} {'2n':>10} {'ratio':>7}")
    worst = 0.0
    for step in STEPS:
        ratio = large[step] / small[step] if small[step] else float("inf")
        worst = max(worst, ratio)
        print(f"{step:<10} {small[step]:>11.2f}s {large[step]:>9.2f}s {ratio:>7.2f}")
    print(f"peak memory at 2n: {peak:.0f} MiB; worst ratio {worst:.2f} (goal ≤ {GOAL})")


if __name__ == "__main__":
    main()
