"""The translation memory: lookups at 100,000 segments, and the MT work a memory saves.

Part 1 builds a memory of N generated paragraphs (a Zipf vocabulary of 20,000 words,
1-4 sentences each) in a SQLite index, loads its keys and builds the word index (what
recall does once per run, when a text has no exact match), and times per query:

* exact lookup: through the SQLite index's 64-bit key hash (what recall and
  sentence-level reuse use) and a dictionary in memory, on stored paragraphs with their
  whitespace changed;
* close lookup (threshold 80 %): stored paragraphs with one to three words replaced,
  inserted or dropped, and new paragraphs (which must find nothing).

Part 2 does the same on real text, where paragraphs share a common vocabulary: the
sentences of the Debian Reference (``/usr/share/debian-reference/*.en.html``, read as
``bench_quality.py`` reads them, inline markup as Markdown, split by translatio's
splitter; package ``debian-reference-en``) are combined into N distinct paragraphs of
one to eight sentences, a tenth of the sentences held out (so every sentence is in
dozens of paragraphs, and a long paragraph's rarest words are common ones). It times
close lookups of stored paragraphs with one to three words replaced (by words of other
sentences), inserted or dropped, which must be found, and of new paragraphs of one to
eight held-out sentences and of each held-out sentence alone, and counts the wrong
proposals: a proposal is wrong when it shares
none of the query's content words (words found in under 1 % of the sentences), so
that what the two texts share is frequent words and markup only (``[MATE](…) desktop
environment`` offered for ``[GNOME](…) desktop environment``).

Part 3 is the reuse the issue asks for: a first article of 40 paragraphs is reviewed,
then a second article shares 30 % of its paragraphs with it (12 exact), has 4 close
to one of them, 4 made of one reviewed sentence and one new one, and 20 new paragraphs.
It is translated twice with a counting stand-in engine, without and with the memory,
and the sentences the engine received are counted.

Run:  uv run python benchmarks/bench_memory.py [--segments N] [--queries N]
          [--real-segments N] [--only synthetic|real|reuse]
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from translatio.engines.scripted import ScriptedEngine
from translatio.languages import Language
from translatio.project import Project
from translatio.tm.index import Level, MemoryIndex
from translatio.tm.lookup import Matcher
from translatio.tm.units import MemoryUnit, normalise

REFERENCE = Path("/usr/share/debian-reference")


class _Text:
    """Generated English-like sentences over a Zipf vocabulary."""

    def __init__(self, seed: int, vocabulary: int = 20_000) -> None:
        self.rng = random.Random(seed)
        letters = "abcdefghijklmnopqrstuvwxyz"
        self.words = [
            "".join(self.rng.choice(letters) for _ in range(self.rng.randint(2, 10)))
            for _ in range(vocabulary)
        ]
        self.weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(vocabulary)))

    def sentence(self) -> str:
        count = self.rng.randint(5, 22)
        return (
            " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=count)).capitalize()
            + "."
        )

    def paragraph(self, sentences: int | None = None) -> str:
        return " ".join(self.sentence() for _ in range(sentences or self.rng.randint(1, 4)))

    def edited(self, paragraph: str) -> str:
        words = paragraph.split()
        for _ in range(self.rng.randint(1, 3)):
            position = self.rng.randrange(len(words))
            action = self.rng.choice(("replace", "insert", "drop"))
            if action == "replace":
                words[position] = self.rng.choice(self.words[:5000])
            elif action == "insert":
                words.insert(position, self.rng.choice(self.words[:5000]))
            elif len(words) > 4:
                del words[position]
        return " ".join(words)


def _timed(
    function: Callable[[str], object], queries: Sequence[str], *, tail: bool = False
) -> tuple[float, ...]:
    """Median and 95th percentile of one call in milliseconds: CPU time, then wall time;
    with ``tail``, the 99th percentile and the slowest call's CPU time after them.

    CPU time is the query's own cost; wall time also counts the moments another process
    had the core (the CI machine is shared), so its tail is noisier.
    """
    cpu, wall = [], []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.thread_time()
        function(query)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    cpu.sort()
    wall.sort()
    p95 = int(len(queries) * 0.95) - 1
    figures = (statistics.median(cpu), cpu[p95], statistics.median(wall), wall[p95])
    return (*figures, cpu[int(len(queries) * 0.99) - 1], cpu[-1]) if tail else figures


def lookups(segments: int, queries: int) -> None:
    """Part 1: build, load and query a memory of ``segments`` paragraphs."""
    text = _Text(1)
    paragraphs = list(dict.fromkeys(text.paragraph() for _ in range(segments)))
    units = [MemoryUnit(p, f"«{p}»", f"doc:{n}", "doc") for n, p in enumerate(paragraphs)]
    with tempfile.TemporaryDirectory() as folder:
        index = MemoryIndex(Path(folder), path=Path(folder) / "index.sqlite3")
        start = time.perf_counter()
        index.replace_file(
            "doc.po", "fr", "digest", ((Level.PARAGRAPH, u.source, u) for u in units)
        )
        stored = time.perf_counter() - start
        start = time.perf_counter()
        matcher = Matcher.of_keys(index.keys("fr", Level.PARAGRAPH))  # what recall loads
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        matcher.close(text.paragraph(), threshold=80)
        indexed = time.perf_counter() - start
        in_memory = Matcher(index.units("fr", Level.PARAGRAPH))  # every unit, by key
        chosen = text.rng.sample(paragraphs, queries)
        spaced = [p.replace(" ", "  ", 2) for p in chosen]
        edited = [text.edited(p) for p in chosen]
        new = [text.paragraph() for _ in range(queries)]
        found = sum(matcher.close(q, threshold=80) is not None for q in edited)
        false = sum(matcher.close(q, threshold=80) is not None for q in new)
        rows = [
            (
                "exact, SQLite hash index (recall, sentences)",
                _timed(lambda q: index.lookup("fr", Level.PARAGRAPH, [q]), spaced),
            ),
            ("exact, dictionary in memory", _timed(in_memory.exact, spaced)),
            (
                "close ≥ 80 %, edited paragraph",
                _timed(lambda q: matcher.close(q, threshold=80), edited),
            ),
            ("close ≥ 80 %, new paragraph", _timed(lambda q: matcher.close(q, threshold=80), new)),
        ]
        index.close()
    print(
        f"memory: {len(units):,} paragraphs, {sum(map(len, paragraphs)) / len(paragraphs):.0f} "
        f"characters on average; {queries:,} queries of each kind"
    )
    print(
        f"stored in SQLite {stored:.2f} s, keys loaded {loaded:.2f} s, "
        f"word index built {indexed:.2f} s"
    )
    print()
    print("| lookup | CPU median ms | CPU p95 ms | wall median ms | wall p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for label, figures in rows:
        print(f"| {label} | " + " | ".join(f"{figure:.3f}" for figure in figures) + " |")
    print()
    print(
        f"edited paragraphs found: {found}/{queries}; "
        f"new paragraphs matched anyway (a stored one is that alike): {false}/{queries}"
    )


def _reference_sentences() -> list[str]:
    """The distinct sentences of three words or more of the Debian Reference, in order."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_quality import read_blocks, to_markdown

    from translatio.text.sentences import split_sentences

    sentences: dict[str, None] = {}
    for path in sorted(REFERENCE.glob("*.en.html")):
        for _, nodes in read_blocks(path):
            text = " ".join(to_markdown(nodes).split())
            for sentence in split_sentences(text, "en") if text else ():
                if len(sentence.split()) >= 3:
                    sentences[sentence] = None
    return list(sentences)


_WORDS = re.compile(r"\w+")


def real_lookups(segments: int, queries: int) -> None:
    """Part 2: close lookups in a memory of ``segments`` paragraphs of real sentences."""
    if not any(REFERENCE.glob("*.en.html")):
        print(f"part 2 skipped: no Debian Reference in {REFERENCE} (debian-reference-en)")
        return
    rng = random.Random(3)
    sentences = _reference_sentences()
    held_out = set(rng.sample(range(len(sentences)), len(sentences) // 10))
    kept = [s for n, s in enumerate(sentences) if n not in held_out]
    new_sentences = [s for n, s in enumerate(sentences) if n in held_out]
    stored: dict[str, None] = {}
    while len(stored) < segments:
        stored[normalise(" ".join(rng.sample(kept, rng.randint(1, 8))))] = None
    paragraphs = list(stored)
    start = time.perf_counter()
    matcher = Matcher.of_keys(paragraphs)
    matcher.close(paragraphs[0] + " x", threshold=80)
    indexed = time.perf_counter() - start

    def edited(paragraph: str) -> str:
        words = paragraph.split()
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(words))
            action = rng.choice(("replace", "insert", "drop"))
            other = rng.choice(rng.choice(kept).split())
            if action == "replace":
                words[position] = other
            elif action == "insert":
                words.insert(position, other)
            elif len(words) > 4:
                del words[position]
        return " ".join(words)

    frequency = Counter(w for s in sentences for w in set(_WORDS.findall(s.lower())))

    def renamed(sentence: str) -> str:
        """The sentence with its rarest word (fewest sentences) replaced by a new word."""
        rarest = min(_WORDS.findall(sentence), key=lambda w: (frequency[w.lower()], w))
        new = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(max(3, len(rarest))))
        return re.sub(rf"\b{re.escape(rarest)}\b", new, sentence)

    sources = rng.sample(paragraphs, queries)
    edits = [edited(p) for p in sources]
    news = [" ".join(rng.sample(new_sentences, rng.randint(1, 8))) for _ in range(queries)]
    others = [renamed(s) for s in rng.sample(kept, queries)]
    answers: dict[str, tuple[str, int] | None] = {}

    def close(query: str) -> None:
        answers[query] = matcher.close(query, threshold=80)

    rows = [
        ("close ≥ 80 %, edited paragraph", _timed(close, edits, tail=True)),
        ("close ≥ 80 %, new paragraph", _timed(close, news, tail=True)),
        ("close ≥ 80 %, new sentence alone", _timed(close, new_sentences, tail=True)),
        ("close ≥ 80 %, stored sentence, rarest word new", _timed(close, others, tail=True)),
    ]
    from rapidfuzz import fuzz

    found = sum(
        (answer := answers[q]) is not None and answer[1] >= math.floor(fuzz.ratio(q, source))
        for q, source in zip(edits, sources, strict=True)
        if normalise(q) != source
    )
    rare = len(sentences) / 100  # over sentences: each sentence is in many paragraphs

    def wrong(query: str, match: str) -> bool:
        content = {w for w in _WORDS.findall(query.lower()) if frequency[w] < rare}
        return bool(content) and not content & set(_WORDS.findall(match.lower()))

    proposals = [(q, a[0]) for q in news + new_sentences if (a := answers[q]) is not None]
    wrongs = [(q, m) for q, m in proposals if wrong(q, m)]
    other_proposals = [(q, a[0]) for q in others if (a := answers[q]) is not None]
    other_wrongs = [(q, m) for q, m in other_proposals if wrong(q, m)]
    edit_wrongs = sum(wrong(q, a[0]) for q in edits if (a := answers[q]) is not None)
    print(
        f"memory: {len(paragraphs):,} paragraphs of {len(kept):,} Debian Reference sentences "
        f"({len(new_sentences):,} held out), {statistics.mean(map(len, paragraphs)):.0f} "
        f"characters on average; word index built {indexed:.2f} s; {queries:,} queries "
        "of each kind"
    )
    print()
    print(
        "| lookup | CPU median ms | CPU p95 ms | wall median ms | wall p95 ms | CPU p99 ms "
        "| CPU max ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, figures in rows:
        print(f"| {label} | " + " | ".join(f"{figure:.3f}" for figure in figures) + " |")
    print()
    print(
        f"edited paragraphs found (their source or one as close): {found}/{queries}, "
        f"wrong proposals among them: {edit_wrongs}"
    )
    print(
        f"new paragraphs and sentences: {len(proposals)} proposals, {len(wrongs)} wrong "
        f"({100 * len(wrongs) / max(1, len(proposals)):.0f} % of the proposals): sharing "
        "none of the query's content words"
    )
    for query, match in wrongs[:4]:
        print(f"  {query[:70]!r}\n    → {match[:70]!r}")
    print(
        f"stored sentences with their rarest word new: {len(other_proposals)} proposals, "
        f"{len(other_wrongs)} wrong "
        f"({100 * len(other_wrongs) / max(1, len(other_proposals)):.0f} % of the proposals)"
    )
    for query, match in other_wrongs[:4]:
        print(f"  {query[:70]!r}\n    → {match[:70]!r}")


def reuse() -> None:
    """Part 3: a second article sharing 30 % of its paragraphs with a reviewed first one."""
    text = _Text(2, vocabulary=3000)
    first = [text.paragraph(2) for _ in range(40)]
    shared = first[:12]
    close = [text.edited(p) for p in first[12:16]]
    mixed = [f"{p.split('. ')[0]}. {text.sentence()}" for p in first[16:20]]
    new = [text.paragraph(2) for _ in range(20)]
    second = shared + close + mixed + new
    text.rng.shuffle(second)
    results = {}
    for memory in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            os.environ["TRANSLATIO_CACHE_DIR"] = str(Path(folder) / "cache")
            root = Path(folder) / "project"
            (root / "source").mkdir(parents=True)
            (root / "translatio.toml").write_text('languages = ["fr"]\n', "utf-8")
            (root / "source" / "first.md").write_text("\n\n".join(first) + "\n", "utf-8")
            (root / "source" / "second.md").write_text("\n\n".join(second) + "\n", "utf-8")
            project = Project.open(root)
            project.extract()
            path = project.workspace.catalog_path("first", Language("fr"))
            catalog = project.workspace.read_catalog(path)
            assert catalog is not None
            for entry in catalog:  # a reviewer's translation, sentence for sentence
                if entry.msgid:
                    entry.msgstr = " ".join(
                        s.rstrip(".").upper() + "." for s in entry.msgid.split(". ")
                    )
            from translatio.catalog.values import serialize

            path.write_bytes(serialize(catalog))
            engine = ScriptedEngine(lambda text: f"[{text}]", name="counting")
            recalled: list[object] = []
            project.translate(engine=engine, memory=memory, on_recall=recalled.extend)
            exact = sum(u.report.exact for u in recalled)  # type: ignore[attr-defined]
            near = sum(u.report.close for u in recalled)  # type: ignore[attr-defined]
            results[memory] = (len(engine.asked()), exact, near)
    sentences = sum(len(p.split(". ")) for p in second)
    without, with_memory = results[False][0], results[True][0]
    _, exact, near = results[True]
    print(
        f"second article: {len(second)} paragraphs, {sentences} sentences "
        f"(12 shared exactly = 30 %, 4 close, 4 with one reviewed sentence, 20 new)"
    )
    print()
    print("| | sentences sent to the engine | paragraphs from memory (exact + close) |")
    print("|---|---:|---:|")
    print(f"| without the memory | {without} | 0 |")
    print(f"| with the memory | {with_memory} | {exact} + {near} |")
    print()
    saved = without - with_memory
    print(f"not sent to the engine: {saved} of {without} sentences ({100 * saved / without:.0f} %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--real-segments", type=int, default=100_000)
    parser.add_argument("--only", choices=("synthetic", "real", "reuse"), action="append")
    arguments = parser.parse_args()
    parts = arguments.only or ("synthetic", "real", "reuse")
    if "synthetic" in parts:
        lookups(arguments.segments, arguments.queries)
        print()
    if "real" in parts:
        real_lookups(arguments.real_segments, arguments.queries)
        print()
    if "reuse" in parts:
        reuse()


if __name__ == "__main__":
    main()
