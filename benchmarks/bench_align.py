"""The sentence aligner (``translatio.text.align``) on a real human translation.

Data: the Debian Reference in English and Spanish, paragraphs aligned one to one exactly
as ``bench_quality.py`` aligns them (po4a keeps the blocks in order; the same drop rules).
Each paragraph, with its inline Markdown, is cut into sentences as translatio cuts it
(``catalog.plan.plan_text``, the language's rules). Paragraphs where both sides have the
same number of sentences, at least two, are the test set: their truth is the pairing in
order (po4a translators translate sentence by sentence; a few merge and split, so the
truth is itself a little noisy, which makes precision a lower bound). The glosses are
Apertium's translations of the English sentences (``ApertiumEngine``, plain text).

Rows, each on the test set, the targets in their order and shuffled (one fixed random
permutation per paragraph, seed 7, never the identity):

- gloss rule (``align(sources, targets, glosses)``): pairs given, pairs right, precision
  (right / given) and recall (right / sentences);
- gloss rule, the first two target sentences merged into one (the truth: the first two
  source sentences have no pair, the others move up by one);
- order-and-length rule (``align(sources, targets)``): the same.

Also reported: for paragraphs whose sides have different sentence counts, how many pairs
the gloss rule gives (no truth there; a merged or split sentence must give no pair).

    uv run python benchmarks/bench_align.py [--chapters ch01 ch02 …] [--json]

Needs the Debian packages ``debian-reference-en``, ``debian-reference-es``,
``apertium-eng-spa`` (``bench_quality.py --install`` installs them).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_quality import DEFAULT_CHAPTERS, align, markdown_for, missing_requirements

from translatio.catalog.plan import plan_text
from translatio.engines.apertium import ApertiumEngine
from translatio.languages import Language
from translatio.progress import NullProgress
from translatio.text.align import align as align_sentences
from translatio.text.inline import strip

ENGLISH, SPANISH = Language("en"), Language("es")


def sentences(text: str, language: Language) -> list[str]:
    return [s for piece in plan_text(text, source=language) for s in piece.sentences]


def shuffled(count: int, rng: random.Random) -> list[int]:
    """A permutation of ``range(count)`` that is not the identity (count ≥ 2)."""
    order = list(range(count))
    while order == sorted(order):
        rng.shuffle(order)
    return order


def rate(given: int, right: int, total: int) -> dict[str, Any]:
    return {
        "pairs": given,
        "right": right,
        "precision": round(right / given, 4) if given else None,
        "recall": round(right / total, 4) if total else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="+", default=list(DEFAULT_CHAPTERS))
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args(argv)
    missing = missing_requirements("es")
    if missing:
        print("missing: " + ", ".join(missing) + " (apt-get install -y …)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    paragraphs = []
    for pair in align(arguments.chapters, "es").pairs:
        reference = markdown_for(pair.reference)
        if reference is None:
            continue
        paragraphs.append((sentences(pair.markdown, ENGLISH), sentences(reference, SPANISH)))
    english = list(dict.fromkeys(s for source, _ in paragraphs for s in source))
    engine = ApertiumEngine()
    engine.prepare(ENGLISH, [SPANISH], NullProgress())
    plain = [strip(s).plain for s in english]
    glossed = engine.translate(plain, source=ENGLISH, target=SPANISH)
    gloss = {s: t.text for s, t in zip(english, glossed, strict=True)}
    engine.close()

    rng = random.Random(7)
    counts = {
        key: [0, 0, 0]
        for key in ("gloss", "gloss shuffled", "gloss merged", "order", "order shuffled")
    }
    uneven_pairs = uneven = test_set = 0
    for source, target in paragraphs:
        glosses = [gloss[s] for s in source]
        if len(source) != len(target) or len(source) < 2:
            if len(source) >= 1 and len(target) >= 1 and len(source) != len(target):
                uneven += 1
                uneven_pairs += len(align_sentences(source, target, glosses))
            continue
        test_set += 1
        order = shuffled(len(target), rng)
        moved = [target[k] for k in order]  # moved[m] is target[order[m]]
        merged = [f"{target[0]} {target[1]}", *target[2:]]  # the first two made one
        for key, targets, truth in (
            ("gloss", target, list(range(len(target)))),
            ("gloss merged", merged, [-1, -1, *range(1, len(target) - 1)]),
            ("gloss shuffled", moved, [order.index(i) for i in range(len(target))]),
            ("order", target, list(range(len(target)))),
            ("order shuffled", moved, [order.index(i) for i in range(len(target))]),
        ):
            found = align_sentences(source, targets, glosses if key.startswith("gloss") else None)
            counts[key][0] += len(found)
            counts[key][1] += sum(1 for p in found if truth[p.source] == p.target)
            counts[key][2] += len(source)
    report = {
        "command": "uv run python benchmarks/bench_align.py"
        + (" " + " ".join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ""),
        "paragraphs": len(paragraphs),
        "test set (same count, >= 2 sentences)": test_set,
        "rows": {key: rate(*values) for key, values in counts.items()},
        "uneven paragraphs": uneven,
        "pairs given on uneven paragraphs": uneven_pairs,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if arguments.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['command']}")
        print(f"paragraphs {report['paragraphs']}, test set {test_set} (truth: in order)")
        for key, row in report["rows"].items():
            print(
                f"  {key:<16} pairs {row['pairs']:>5}  right {row['right']:>5}  "
                f"precision {row['precision']}  recall {row['recall']}"
            )
        print(f"uneven paragraphs {uneven}: gloss rule gave {uneven_pairs} pairs")
        print(f"{report['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
