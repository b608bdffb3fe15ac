"""Does every text path take linear time? Each step, on inputs of size n and 2n.

For each kind of input (one long prose paragraph, long runs of one character, a source
full of backslash-quotes, 100k paragraphs in .txt and .md, deep nesting, Chinese with an
unclosed bracket, one paragraph of thousands of links or URLs) a temporary project is
made with the source at size n, then 2n, and extract, translate (pseudo engine, into
zh_CN), check and build (draft) are timed one by one through
``translatio.project.Project``. The pseudo engine carries markup itself; the cases
"…, aligned engine" and "…, engine without alignment" translate with a stand-in engine
that gets the plain sentence and answers it unchanged, with a word alignment (markup
put back by the alignment) or without one (the safe placement), as Argos does. Each
size runs in a child process, so a quadratic step is cut off after ``--limit`` seconds
(180 s for the paragraph cases) and peak memory (max RSS) is that of one case. The
table gives seconds at n and 2n and their ratio: linear time gives ~2, the goal is at
most 2.3. Finally a 1 MB prose paragraph goes through ``run`` (extract, translate,
build); the goal is under 30 s.

Run:  uv run python benchmarks/bench_text.py [--quick] [--only NAME] [--limit SECONDS]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from translatio.errors import TranslatioError
from translatio.project import Project

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("extract", "translate", "check", "build")
GOAL = 2.3


def _prose(size: int) -> str:
    """Real English sentences from the article, repeated into one paragraph of ``size``."""
    article = (ROOT / "source" / "article.txt").read_text("utf-8")
    sentences = " ".join(article.split())
    text = sentences
    while len(text) < size:
        text += " " + sentences
    cut = text.rfind(". ", 0, size)
    return text[: cut + 1] if cut > 0 else text[:size]


def _run_of(character: str) -> Callable[[int], tuple[str, str]]:
    def make(size: int) -> tuple[str, str]:
        return "doc.md", f"A run begins here {character * size} and ends here.\n"

    return make


def _paragraphs(suffix: str) -> Callable[[int], tuple[str, str]]:
    def make(count: int) -> tuple[str, str]:
        body = "\n\n".join(f"Paragraph {i} says something new." for i in range(count))
        return f"doc{suffix}", body + "\n"

    return make


def _blockquotes(depth: int) -> tuple[str, str]:
    return "doc.md", "".join(f"{'> ' * level}Quote at level {level}.\n" for level in range(depth))


def _lists(depth: int) -> tuple[str, str]:
    return "doc.md", "".join(f"{'  ' * level}- Item at level {level}\n" for level in range(depth))


def _links(count: int) -> tuple[str, str]:
    return "doc.md", " ".join(f"[w](https://e.org/{n})" for n in range(count)) + "\n"


def _urls(count: int) -> tuple[str, str]:
    return "doc.md", " ".join(f"see https://e.org/{n}" for n in range(count)) + "\n"


def _chinese(bracket: str) -> Callable[[int], tuple[str, str]]:
    def make(size: int) -> tuple[str, str]:
        sentence = "这是一个很长的中文段落，没有结束的括号。"
        return "doc.md", bracket + sentence * (size // len(sentence)) + "\n"

    return make


# name: (make(n) -> (file name, text), n, n for --quick, what n counts). Sizes are chosen
# so that every step takes well over 0.2 s: below that, start-up noise makes ratios mean
# nothing.
CASES: dict[str, tuple[Callable[[int], tuple[str, str]], int, int, str]] = {
    "prose paragraph": (lambda n: ("doc.md", _prose(n) + "\n"), 1_000_000, 250_000, "chars"),
    "run of a": (_run_of("a"), 1_000_000, 250_000, "chars"),
    "run of .": (_run_of("."), 1_000_000, 250_000, "chars"),
    "run of -": (_run_of("-"), 1_000_000, 250_000, "chars"),
    "run of spaces": (_run_of(" "), 1_000_000, 250_000, "chars"),
    'run of \\"': (_run_of('\\"'), 50_000, 12_500, "pairs"),
    "paragraphs .txt": (_paragraphs(".txt"), 50_000, 10_000, "paragraphs"),
    "paragraphs .md": (_paragraphs(".md"), 50_000, 10_000, "paragraphs"),
    # markdown-it counts a list and its item as two levels; translatio refuses over 99
    "nested blockquotes": (_blockquotes, 45, 45, "levels"),
    "nested lists": (_lists, 22, 22, "levels"),
    "nested blockquotes, too deep": (_blockquotes, 500, 100, "levels"),
    "nested lists, too deep": (_lists, 500, 100, "levels"),
    "Chinese, unclosed （": (_chinese("（"), 1_000_000, 250_000, "chars"),
    "Chinese, unclosed 「": (_chinese("「"), 1_000_000, 250_000, "chars"),
    "links paragraph": (_links, 8_000, 2_000, "links"),
    "links paragraph, aligned engine": (_links, 8_000, 2_000, "links"),
    "URLs paragraph, engine without alignment": (_urls, 8_000, 2_000, "URLs"),
}


# 100k paragraphs take over a minute for all four steps even in linear time: each step
# gets a chance to finish, so that its ratio is measured rather than cut off.
MINIMUM_LIMITS = {"paragraphs .txt": 180.0, "paragraphs .md": 180.0}
"""Seconds per size for cases that need more than ``--limit``."""


STAND_IN = "stand-in"
"""The engine of the cases that end in "aligned engine" or "engine without alignment"."""


def _register_stand_in(case: str, text: str) -> str:
    """The engine for ``case``: ``pseudo``, or a stand-in registered for the text's
    paragraph (one sentence): it answers the plain sentence unchanged, word-aligned to
    it one to one when the case says "aligned"."""
    if not case.endswith(("aligned engine", "engine without alignment")):
        return "pseudo"
    from translatio.engines import register_engine
    from translatio.engines.scripted import ScriptedEngine
    from translatio.text.inline import strip

    plain = strip(text.strip()).plain
    pairs = [(n, n) for n in range(len(plain.split()))] if case.endswith("aligned engine") else []
    engine = ScriptedEngine(name=STAND_IN, alignments={plain: pairs} if pairs else None)
    register_engine(STAND_IN, lambda options: engine)
    return STAND_IN


def _project(root: Path, name: str, text: str, engine: str = "pseudo") -> Project:
    (root / "source").mkdir(parents=True)
    (root / "source" / name).write_text(text, "utf-8")
    settings = f'languages = ["zh_CN"]\nengine = "{engine}"\n'
    (root / "translatio.toml").write_text(settings, "utf-8")
    return Project.open(root)


def _steps(project: Project) -> dict[str, Callable[[], object]]:
    return {
        "extract": project.extract,
        "translate": project.translate,
        "check": project.check,
        "build": lambda: project.build(policy="draft", keep=0),
        "run": lambda: project.run(policy="draft", keep=0),
    }


def child(case: str, size: int, steps: list[str]) -> None:
    """Time ``steps`` on one case and size; print one JSON line per step as it ends.

    A line is ``{"step": ..., "seconds": ...}``, or ``{"refused": ...}`` when translatio
    refuses the input on purpose; the last line gives the peak memory.
    """
    name, text = CASES[case][0](size)
    engine = _register_stand_in(case, text)
    with tempfile.TemporaryDirectory() as scratch:
        actions = _steps(_project(Path(scratch) / "project", name, text, engine))
        for step in steps:
            started = time.perf_counter()
            try:
                actions[step]()
            except TranslatioError as error:  # refused on purpose (too deep, say)
                print(json.dumps({"refused": type(error).__name__, "step": step}), flush=True)
                return
            seconds = time.perf_counter() - started
            print(json.dumps({"step": step, "seconds": seconds}), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mib": peak}), flush=True)


def measure(case: str, size: int, steps: list[str], limit: float) -> dict[str, object]:
    """Seconds per step of one case and size; a step still running after ``limit``
    seconds (counted from the start of the first step) is left out and named in "cut"."""
    command = [sys.executable, __file__, "--child", case, str(size), ",".join(steps)]
    result: dict[str, object] = {"seconds": {}}
    try:
        finished = subprocess.run(
            command, capture_output=True, text=True, timeout=limit, check=True
        )
        output = finished.stdout
    except subprocess.TimeoutExpired as error:
        output = error.stdout.decode() if isinstance(error.stdout, bytes) else error.stdout or ""
        result["cut"] = True
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"{case} at {size} failed:\n{error.stderr}") from None
    seconds: dict[str, float] = {}
    for line in output.splitlines():
        if not line.startswith("{") or not line.endswith("}"):
            continue  # a line cut short by the timeout
        record = json.loads(line)
        if "refused" in record:
            result["refused"] = f"refused ({record['refused']}) at {record['step']}"
        elif "step" in record:
            seconds[record["step"]] = record["seconds"]
        elif "peak_mib" in record:
            result["peak_mib"] = record["peak_mib"]
    result["seconds"] = seconds
    return result


def _seconds(result: dict[str, object] | None, step: str) -> float | None:
    if result is None:
        return None
    times = result["seconds"]
    assert isinstance(times, dict)
    value = times.get(step)
    return float(value) if value is not None else None


def _shown(result: dict[str, object] | None, step: str, limit: float) -> str:
    """A step's seconds; ``>LIMIT`` for the step the time limit cut off, ``-`` after it."""
    seconds = _seconds(result, step)
    if seconds is not None:
        return f"{seconds:.3f}"
    if result is None:
        return "-"
    if "refused" in result:
        return str(result["refused"])
    times = result["seconds"]
    assert isinstance(times, dict)
    running = next((name for name in STEPS if name not in times), None)
    return f">{limit - sum(times.values()):.0f}" if step == running else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 4x)")
    parser.add_argument("--only", action="append", help="run only this case (repeatable)")
    parser.add_argument("--limit", type=float, default=60, help="seconds per case and size")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        case, size, steps = arguments.child
        child(case, int(size), steps.split(","))
        return 0
    print("| input | n | step | s(n) | s(2n) | ratio | peak MiB (2n) |")
    print("|---|---|---|---|---|---|---|")
    over = []
    for case, (_, full, quick, unit) in CASES.items():
        if arguments.only and case not in arguments.only:
            continue
        size = quick if arguments.quick else full
        limit = max(arguments.limit, MINIMUM_LIMITS.get(case, 0.0))
        single = measure(case, size, list(STEPS), limit)
        if "refused" in single:
            print(f"| {case} | {size:,} {unit} | all | {single['refused']} | | | |", flush=True)
            continue
        times = single["seconds"]
        double = measure(case, 2 * size, list(STEPS), limit) if times else None
        peak = f"{double['peak_mib']:.0f}" if double and "peak_mib" in double else "-"
        for step in STEPS:
            first, second = _seconds(single, step), _seconds(double, step)
            ratio = second / first if first and second else None
            if ratio is None or ratio > GOAL:
                over.append(f"{case} / {step}")
            print(
                f"| {case} | {size:,} {unit} | {step} | "
                f"{_shown(single, step, limit)} | "
                f"{_shown(double, step, limit)} | "
                + (f"{ratio:.2f}" if ratio is not None else "-")
                + f" | {peak} |",
                flush=True,
            )
    if not arguments.only or "prose paragraph" in arguments.only:
        megabyte = 250_000 if arguments.quick else 1_000_000
        result = measure("prose paragraph", megabyte, ["run"], max(arguments.limit, 120))
        seconds = _seconds(result, "run")
        limit = max(arguments.limit, 120)
        shown = f"{seconds:.1f} s" if seconds is not None else f"over {limit:.0f} s"
        peak = f", peak {result['peak_mib']:.0f} MiB" if "peak_mib" in result else ""
        print(f"\nrun (extract+translate+build) on a {megabyte:,}-char paragraph: {shown}{peak}")
    print(f"\nratio over {GOAL} (or cut off): {', '.join(over) if over else 'none'}")
    print("(ratios of steps under ~0.2 s are noise)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
