"""Sentence segmenters compared: fixture cases passed per language, and time on long input.

Scores every segmenter on ``tests/fixtures/text-processing/sentence-cases.json`` (the
Golden Rules of the Pragmatic Segmenter for English, plus German, French, Spanish,
Russian, Chinese and Japanese cases), then times each on one paragraph of about N and
2N kilobytes (no newline in it) to show whether it is linear. Prints a Markdown table.

Segmenters: translatio's own (``translatio.text.sentences``), the hand-written splitter it
replaced (read from git, ``--baseline``), pysbd, sentencex, syntok, blingfire and ICU's
BreakIterator (PyICU). Libraries that are not installed are left out; to run them all:

    uv run --with pysbd --with sentencex --with syntok --with blingfire \\
        --with icukit-pyicu python benchmarks/bench_segmenters.py

(``icukit-pyicu`` is a wheel of PyICU with ICU bundled; ``pyicu`` itself has no wheels.)
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import subprocess
import time
import types
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "fixtures" / "text-processing" / "sentence-cases.json"
LANGUAGES = ["en", "de", "fr", "es", "ru", "zh", "ja"]

Splitter = Callable[[str, str], list[str]]
"""(language, text) -> pieces whose concatenation is ``text``."""


def _pieces(text: str, starts: Iterable[int]) -> list[str]:
    cuts = sorted({start for start in starts if 0 < start < len(text)})
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if a < b]


def _translatio() -> Splitter:
    from translatio.text.sentences import split_sentences

    return lambda language, text: split_sentences(text, language)


def _baseline(commit: str) -> Splitter:
    source = subprocess.run(
        ["git", "show", f"{commit}:src/translatio/sentences.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("baseline_sentences")
    exec(compile(source, f"{commit}:sentences.py", "exec"), module.__dict__)
    split = module.split_sentences
    return lambda language, text: list(split(text))


def _pysbd() -> Splitter:
    import pysbd

    segmenters: dict[str, pysbd.Segmenter] = {}

    def split(language: str, text: str) -> list[str]:
        if language not in segmenters:
            segmenters[language] = pysbd.Segmenter(language=language, clean=False, char_span=True)
        return _pieces(text, (span.start for span in segmenters[language].segment(text)))

    return split


def _sentencex() -> Splitter:
    import sentencex

    def split(language: str, text: str) -> list[str]:
        boundaries = sentencex.get_sentence_boundaries(language, text)
        return _pieces(text, (b["start_index"] for b in boundaries))

    return split


def _syntok() -> Splitter:
    from syntok import segmenter

    def split(language: str, text: str) -> list[str]:
        starts = (
            sentence[0].offset - len(sentence[0].spacing)
            for paragraph in segmenter.analyze(text)
            for sentence in paragraph
            if sentence
        )
        return _pieces(text, starts)

    return split


def _blingfire() -> Splitter:
    import blingfire

    def split(language: str, text: str) -> list[str]:
        _, offsets = blingfire.text_to_sentences_and_offsets(text)
        return _pieces(text, (start for start, _ in offsets))

    return split


def _icu() -> Splitter:
    import icu

    def split(language: str, text: str) -> list[str]:
        # ss=standard: ICU's abbreviation suppressions (Mr., e.g.) where CLDR has them.
        iterator = icu.BreakIterator.createSentenceInstance(icu.Locale(f"{language}@ss=standard"))
        iterator.setText(text)
        utf16 = [
            unit
            for index, char in enumerate(text)
            for unit in [index] * (len(char.encode("utf-16-le")) // 2)
        ]
        utf16.append(len(text))
        return _pieces(text, (utf16[boundary] for boundary in iterator))

    return split


def _load(names: list[str], baseline: str) -> dict[str, Splitter]:
    makers: dict[str, Callable[[], Splitter]] = {
        "translatio": _translatio,
        "hand-written": lambda: _baseline(baseline),
        "pysbd": _pysbd,
        "sentencex": _sentencex,
        "syntok": _syntok,
        "blingfire": _blingfire,
        "icu": _icu,
    }
    loaded = {}
    for name in names:
        try:
            loaded[name] = makers[name]()
        except (ImportError, subprocess.CalledProcessError) as error:
            print(f"skipped {name}: {error}")
    return loaded


def score(split: Splitter, cases: list[list[object]], *, verbose: bool) -> dict[str, list[int]]:
    """language -> [passed, total]."""
    results = {language: [0, 0] for language in LANGUAGES}
    for language, text, expected in cases:
        assert isinstance(language, str) and isinstance(text, str)
        try:
            pieces = split(language, text)
            got = [piece.strip() for piece in pieces if piece.strip()]
            ok = "".join(pieces) == text and got == expected
        except Exception as error:  # a library crashing on a case fails that case
            got, ok = [f"{type(error).__name__}: {error}"], False
        results[language][1] += 1
        results[language][0] += ok
        if verbose and not ok:
            print(f"  FAIL [{language}] {text!r}\n    got {got!r}")
    return results


def long_paragraph(size: int, cases: list[list[object]], language: str) -> str:
    """One paragraph of about ``size`` characters: the language's cases, repeated."""
    texts = [str(text) for lang, text, _ in cases if lang == language]
    joiner = "" if language in ("zh", "ja") else " "
    unit = joiner.join(texts)
    return (unit + joiner) * (size // (len(unit) + 1)) + unit[: size % (len(unit) + 1)]


def _timed(
    name: str, baseline: str, language: str, text: str, queue: multiprocessing.Queue
) -> None:  # type: ignore[type-arg]
    split = _load([name], baseline)[name]
    split(language, "Warm up. Done.")
    start = time.perf_counter()
    split(language, text)
    queue.put(time.perf_counter() - start)


def timing(name: str, baseline: str, language: str, text: str, limit: float) -> float | None:
    """Seconds to split ``text``, or None past ``limit`` (run in a child process)."""
    queue: multiprocessing.Queue[float] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_timed, args=(name, baseline, language, text, queue))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return queue.get() if not queue.empty() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="segmenters to run")
    parser.add_argument("--baseline", default="c7a0e15", help="commit of the hand-written splitter")
    parser.add_argument("--kb", type=int, default=200, help="size N of the long paragraph")
    parser.add_argument(
        "--limit", type=float, default=120.0, help="seconds before a timing gives up"
    )
    parser.add_argument("--timing-language", default="en")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="print failing cases")
    args = parser.parse_args(argv)
    names = args.only or [
        "translatio",
        "hand-written",
        "pysbd",
        "sentencex",
        "syntok",
        "blingfire",
        "icu",
    ]
    cases = json.loads(CASES.read_text("utf-8"))
    splitters = _load(names, args.baseline)
    n = args.kb * 1000
    short, double = (long_paragraph(size, cases, args.timing_language) for size in (n, 2 * n))
    header = [*LANGUAGES, "all"]
    if not args.no_timing:
        header += [f"{args.kb} KB s", f"{2 * args.kb} KB s", "2N/N"]
    print("| segmenter | " + " | ".join(header) + " |")
    print("|---" * (len(header) + 1) + "|")
    for name, split in splitters.items():
        if args.verbose:
            print(f"{name}:")
        results = score(split, cases, verbose=args.verbose)
        cells = [f"{passed}/{total}" for passed, total in results.values()]
        cells.append(f"{sum(p for p, _ in results.values())}/{len(cases)}")
        if not args.no_timing:
            first = timing(name, args.baseline, args.timing_language, short, args.limit)
            second = (
                timing(name, args.baseline, args.timing_language, double, args.limit)
                if first is not None
                else None
            )
            cells += [
                f"{first:.2f}" if first is not None else f">{args.limit:.0f}",
                f"{second:.2f}" if second is not None else f">{args.limit:.0f}",
                f"{second / first:.2f}" if first and second else "–",
            ]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
