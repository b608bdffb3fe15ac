"""Crash safety, shown: SIGKILL `translatio run` at random moments and check the damage.

A project with a long article (unique paragraphs), three languages and human
translations is set up. Then, many times over: the source is edited a little, `translatio
run` starts in a child process and is killed with SIGKILL after a random delay. After
every kill the script checks that

* every catalog and template parses with translatio's strict reader (so each file is
  either the old or the new version, never a half-written one), and
* every human translation ever written is still in its catalog: active, fuzzy or obsolete.

Finally one run without a kill must succeed. Exit status 1 if any check failed.

Run:  uv run python benchmarks/crash_kill.py [--kills 60]
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from translatio.catalog.po import parse_po
from translatio.catalog.values import serialize
from translatio.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("zh_CN", "fr", "de")


def make_project(root: Path, copies: int) -> None:
    article = (ROOT / "source" / "article.txt").read_text("utf-8")
    paragraphs = [p.strip() for p in article.split("\n\n") if p.strip()]
    text = "\n\n".join(
        f"Part {copy}. {paragraph}" for copy in range(copies) for paragraph in paragraphs
    )
    (root / "source").mkdir(parents=True)
    (root / "source" / "article.txt").write_text(text + "\n", "utf-8")
    listed = ", ".join(f'"{code}"' for code in LANGUAGES)
    (root / "translatio.toml").write_text(f'languages = [{listed}]\nengine = "pseudo"\n', "utf-8")


def run(root: Path, *arguments: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "translatio", *arguments, "--project", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def humans_translate(
    root: Path, rng: random.Random, share: float, human: set[tuple[str, str]]
) -> None:
    """A translator (re)writes some entries by hand; ``human`` tracks what people wrote."""
    for code in LANGUAGES:
        path = root / "locales" / code / "LC_MESSAGES" / "article.po"
        catalog = parse_po(path.read_bytes(), path=str(path))
        for entry in catalog:
            if entry.msgid and not entry.obsolete and rng.random() < share:
                human.discard((code, entry.msgstr))  # a person may replace their own text
                entry.msgstr = f"HUMAN {code} {rng.randrange(10**9)}"
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                human.add((code, entry.msgstr))
        path.write_bytes(serialize(catalog))


def check(root: Path, human: set[tuple[str, str]]) -> list[str]:
    problems = []
    found: set[tuple[str, str]] = set()
    for path in sorted((root / "locales").rglob("*.po*")):
        if path.name.startswith(".translatio-tmp-"):
            continue  # a killed write's temporary file; the next run removes it
        try:
            catalog = parse_po(path.read_bytes(), path=str(path))
        except CatalogError as error:
            problems.append(f"{path}: {error}")
            continue
        code = path.parent.parent.name
        found |= {(code, entry.msgstr) for entry in catalog if entry.msgstr}
    lost = human - found
    if lost:
        problems.append(f"{len(lost)} human translations lost, e.g. {sorted(lost)[:2]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261128)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        make_project(root, arguments.copies)
        started = time.perf_counter()
        first = run(root, "run")
        _, error = first.communicate()
        if first.returncode != 0:
            print(error.decode(), file=sys.stderr)
            return 1
        full = time.perf_counter() - started
        human: set[tuple[str, str]] = set()
        humans_translate(root, rng, 0.3, human)
        source = root / "source" / "article.txt"
        failures: list[str] = []
        killed_while_writing = 0
        for kill in range(1, arguments.kills + 1):
            text = source.read_text("utf-8")
            paragraphs = text.split("\n\n")
            index = rng.randrange(len(paragraphs))
            paragraphs[index] = paragraphs[index].rstrip("\n") + f" Edit {kill}."
            source.write_text("\n\n".join(paragraphs), "utf-8")
            process = run(root, "run", "--draft", "--keep", "0", "--wait", "30")
            time.sleep(rng.uniform(0, full * 1.2))
            process.send_signal(signal.SIGKILL)
            process.wait()
            if process.stderr is not None:
                process.stderr.close()
            killed_while_writing += any((root / "locales").rglob(".translatio-tmp-*"))
            for problem in check(root, human):
                failures.append(f"after kill {kill}: {problem}")
            humans_translate(root, rng, 0.02, human)
        final = run(root, "run", "--draft", "--keep", "0")
        _, error = final.communicate()
        if final.returncode != 0:
            failures.append(f"final run failed: {error.decode()[:200]}")
        failures += [f"after the final run: {p}" for p in check(root, human)]
        leftovers = list((root / "locales").rglob(".translatio-tmp-*"))
        if leftovers:
            failures.append(f"temporary files left after the final run: {leftovers[:2]}")
    print(
        f"one full run: {full:.2f} s; SIGKILLs: {arguments.kills}; "
        f"killed with a temporary file on disk: {killed_while_writing}; "
        f"human translations tracked: {len(human)}; failures: {len(failures)}"
    )
    for failure in failures[:20]:
        print("  " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
