"""The meaning check (``translatio.qa.meaning``) on real human translations: the Debian Reference.

Data: the Debian Reference in English and in es, fr, de, zh-cn and zh-tw (Debian packages
``debian-reference-LANG``), paragraphs aligned one to one exactly as ``bench_quality.py``
aligns them (po4a keeps the blocks in order; the same drop rules; a chapter whose blocks
do not line up is dropped whole: ``apa`` for fr, de and Chinese). The English paragraph is
its Markdown (``markdown_for``), the translation its nodes as Markdown (``to_markdown``),
and both go through the check's own preparation: ``judged_text`` (code spans, URLs, HTML
and tokens of code out), ``skip_reason`` (pairs the check would not judge are counted
per reason, not scored) and ``prepared`` (zh-tw converted to Simplified with OpenCC).

Per language, on the pairs the check judges, each score being the encoder's cosine:

- ``>shuffled``: the share of paragraphs whose right translation scores higher than a
  shuffled one (another paragraph's translation, one fixed random permutation with no
  paragraph keeping its own, seed 7). The goal: at least 99 %.
- near misses, each as the share the right translation beats and the share flagged
  (below ``THRESHOLD``):
  ``neighbour``, the next judged paragraph's translation in the same chapter (with
  ``--limit``, the next one measured);
  ``dropped``, the translation without its last sentence (``split_sentences`` in the
  translation's language; paragraphs with two or more sentences);
  ``negated``, the translation with its first negation removed, which flips what it
  says (paragraphs that have one): es ``no``; fr ``ne``/``n'`` … ``pas|plus|jamais``
  (both go); de ``nicht`` (goes) or ``kein…`` (becomes ``ein…``); Chinese ``没有``/``沒有``
  (becomes ``有``) or ``不`` before 能是会會要可用需必应應 (goes).
- ``false flags``: the share of correct pairs below ``THRESHOLD``; ``shuffled flagged``:
  the share of shuffled pairs below it.
- speed: paragraphs (source and translation texts, of the first 500 judged pairs)
  encoded per second, the encoder loaded and warm, one batch, the best of three runs,
  with one BLAS thread (what ``load_encoder`` gives) and with two, taken in turn.

Also: ``zh-tw as written`` (the same pairs without OpenCC, to show why it is used); a
threshold sweep over all languages; false flags by the English paragraph's length in
words (short paragraphs included, to show why ``MIN_WORDS``); and the alternative, a
non-neural baseline scoring each pair by its shared names and numbers (ASCII tokens with
a capital letter or a digit, Jaccard) and its length ratio (characters, against the
language's median), averaged: the same ``>shuffled``, ``>neighbour`` and ``>dropped``
shares, and the shuffled pairs each scorer flags at the threshold that flags 1 % of
correct pairs.

    uv run python benchmarks/bench_meaning.py [--languages es fr de zh-cn zh-tw]
        [--chapters ch01 ch02 …] [--limit N] [--json]

Needs the Debian packages named above and the ``qe`` extra (in the dev group). About
75 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy
from bench_quality import DEFAULT_CHAPTERS, DOC_DIR, align, sample, to_markdown

from translatio.languages import Language, parse_language
from translatio.qa.meaning import (
    MIN_WORDS,
    THRESHOLD,
    Encoder,
    judged_text,
    load_encoder,
    prepared,
    similarities,
    skip_reason,
    word_count,
)
from translatio.text.sentences import split_sentences

ENGLISH = Language("en")
LANGUAGES = ("es", "fr", "de", "zh-cn", "zh-tw")
SEED = 7
SPEED_PAIRS = 500
"""Pairs per language whose texts are timed (the first ones; best of three runs)."""
SWEEP = (0.30, 0.35, 0.40, 0.45, 0.50)
LENGTHS = ((1, 3), (4, 5), (6, 7), (8, 9), (10, 14), (15, 10**6))
_NEGATIONS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "es": ((re.compile(r"\b[Nn]o\s+"), ""),),
    "fr": (
        (
            re.compile(r"\b(?:[Nn]e\s+|[Nn][’'])(\S+(?:\s+\S+)?)\s+(?:pas|plus|jamais)\b"),
            r"\1",
        ),
    ),
    "de": ((re.compile(r"\bnicht\s+"), ""), (re.compile(r"\b([Kk])ein"), r"\1ein")),
    "zh": ((re.compile("[没沒]有"), "有"), (re.compile("不(?=[能是会會要可用需必应應])"), "")),
}


@dataclass(frozen=True, slots=True)
class Judged:
    """One aligned pair the check judges, as the encoder reads it."""

    chapter: str
    """The chapter file's stem (``ch02``)."""
    source: str
    """The English judged text (``judged_text``: markup out)."""
    translation: str
    """The translation's judged text, before ``prepared``."""
    words: int
    """The English text's words (``word_count``)."""


def negated(text: str, language: Language) -> str | None:
    """``text`` with its first negation removed, or None when it has none we know."""
    rules = _NEGATIONS.get(language.code) or _NEGATIONS.get(language.primary, ())
    for pattern, replacement in rules:
        flipped, count = pattern.subn(replacement, text, count=1)
        if count:
            return flipped
    return None


def dropped(text: str, language: Language) -> str | None:
    """``text`` without its last sentence, or None when it has only one."""
    sentences = [s for s in split_sentences(text, language) if s.strip()]
    if len(sentences) < 2:
        return None
    return "".join(sentences[:-1]).strip()


def derangement(count: int, texts: Sequence[str], rng: random.Random) -> list[int]:
    """A permutation where no index keeps its place nor lands on an identical text."""
    order = list(range(count))
    rng.shuffle(order)
    for _ in range(1000):
        wrong = [i for i in range(count) if order[i] == i or texts[order[i]] == texts[i]]
        if not wrong:
            return order
        for index in wrong:
            other = rng.randrange(count)
            order[index], order[other] = order[other], order[index]
    raise RuntimeError("no derangement found: too many identical translations")


_ANCHOR = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]*")


def anchor_score(source: str, translation: str, ratio: float) -> float:
    """The baseline: shared names and numbers (Jaccard) and the length ratio, averaged."""
    first = {t for t in _ANCHOR.findall(source) if re.search(r"[A-Z0-9]", t)}
    second = {t for t in _ANCHOR.findall(translation) if re.search(r"[A-Z0-9]", t)}
    shared = len(first & second) / len(first | second) if first | second else 0.0
    relative = (len(translation) / max(len(source), 1)) / ratio
    length = min(relative, 1 / relative) if relative > 0 else 0.0
    return (shared + length) / 2


class CachedEncoder:
    """The encoder, each distinct text encoded once (the near misses reuse most texts)."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, Any] = {}

    def encode(self, texts: list[str]) -> Any:
        new = [text for text in dict.fromkeys(texts) if text not in self.vectors]
        if new:
            self.vectors.update(zip(new, self.encoder.encode(new), strict=True))
        return numpy.stack([self.vectors[text] for text in texts])


def speed(encoders: Sequence[Encoder], texts: Sequence[str], runs: int = 3) -> list[int]:
    """Texts encoded per second by each encoder, the best of ``runs`` taken in turn (the
    machine is shared: a busy moment then hurts them alike)."""
    best = [float("inf")] * len(encoders)
    for _ in range(runs):
        for index, encoder in enumerate(encoders):
            began = time.perf_counter()
            encoder.encode(list(texts))
            best[index] = min(best[index], time.perf_counter() - began)
    return [round(len(texts) / seconds) for seconds in best]


def share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def judged_pairs(
    language: Language, code: str, chapters: Sequence[str], limit: int | None
) -> tuple[list[Judged], Counter[str], list[tuple[str, str, int]]]:
    """The pairs the check judges, the others counted by reason, and every scorable pair
    (short ones included) as (source, translation, words) for the length table."""
    alignment = align(chapters, code)
    judged, skipped, all_lengths = [], Counter[str](), []
    for pair in sample(alignment.pairs, limit):
        source = judged_text(pair.markdown)
        translation = judged_text(to_markdown(pair.reference))
        reason = skip_reason(source, ENGLISH, language)
        words = word_count(source)
        if words:
            all_lengths.append((source, translation, words))
        if reason is not None:
            skipped[reason.value] += 1
            continue
        judged.append(Judged(pair.chapter, source, translation, words))
    return judged, skipped, all_lengths


def measure(
    language: Language,
    pairs: Sequence[Judged],
    score: Callable[[Sequence[tuple[str, str]]], list[float]],
    prepare: Callable[[str], str],
) -> dict[str, Any]:
    """Right, shuffled and near-miss scores of ``pairs`` and what they make."""
    rng = random.Random(SEED)
    sources = [prepare_source(pair.source) for pair in pairs]
    translations = [prepare(pair.translation) for pair in pairs]
    right = score(list(zip(sources, translations, strict=True)))
    order = derangement(len(pairs), translations, rng)
    shuffled = score([(sources[i], translations[order[i]]) for i in range(len(pairs))])
    following = [i for i in range(len(pairs) - 1) if pairs[i].chapter == pairs[i + 1].chapter]
    neighbour = score([(sources[i], translations[i + 1]) for i in following])
    near: dict[str, tuple[list[int], list[float]]] = {"neighbour": (following, neighbour)}
    for name, change in (("dropped", dropped), ("negated", negated)):
        changed = [(i, change(pair.translation, language)) for i, pair in enumerate(pairs)]
        kept = [(i, text) for i, text in changed if text is not None]
        near[name] = (
            [i for i, _ in kept],
            score([(sources[i], prepare(text)) for i, text in kept]),
        )
    result: dict[str, Any] = {
        "pairs": len(pairs),
        ">shuffled": share([r > s for r, s in zip(right, shuffled, strict=True)]),
        "false_flags": share([r < THRESHOLD for r in right]),
        "shuffled_flagged": share([s < THRESHOLD for s in shuffled]),
        "median_right": round(statistics.median(right), 3) if right else None,
        "median_shuffled": round(statistics.median(shuffled), 3) if shuffled else None,
    }
    for name, (indices, scores) in near.items():
        result[name] = {
            "pairs": len(indices),
            "beaten": share([right[i] > s for i, s in zip(indices, scores, strict=True)]),
            "flagged": share([s < THRESHOLD for s in scores]),
            "mean_drop": round(
                statistics.fmean(right[i] - s for i, s in zip(indices, scores, strict=True)), 3
            )
            if indices
            else None,
        }
    cut = sorted(right)[max(0, len(right) // 100 - 1)] if right else 0.0
    result["shuffled_flagged_at_1pct"] = share([s < cut for s in shuffled])
    result["_right"], result["_shuffled"] = right, shuffled
    result["_neighbour"] = neighbour
    return result


def prepare_source(text: str) -> str:
    return prepared(text, ENGLISH)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES))
    parser.add_argument("--chapters", nargs="+", default=list(DEFAULT_CHAPTERS))
    parser.add_argument("--limit", type=int, default=None, help="pairs per language")
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args(argv)
    missing = [
        f"debian-reference-{code}"
        for code in ("en", *arguments.languages)
        if not (DOC_DIR / f"index.{code}.html").is_file()
    ]
    if missing:
        print(f"missing: apt-get install -y {' '.join(missing)}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    encoder = load_encoder()
    encoder.encode(["warm up"])
    load_seconds = time.perf_counter() - started
    two_threads = load_encoder(2)
    two_threads.encode(["warm up"])

    cached = CachedEncoder(encoder)

    def encoded(pairs: Sequence[tuple[str, str]]) -> list[float]:
        return similarities(cached, pairs)

    rows, baseline, sweep_right, sweep_shuffled, sweep_neighbour = [], [], [], [], []
    by_length: dict[str, list[bool]] = {
        f"{a}-{b}" if b < 10**6 else f"{a}+": [] for a, b in LENGTHS
    }
    for code in arguments.languages:
        language = parse_language(code)
        pairs, skipped, lengths = judged_pairs(language, code, arguments.chapters, arguments.limit)
        variants: list[tuple[str, Callable[[str], str]]] = [
            (code, lambda text, language=language: prepared(text, language))
        ]
        if language.code == "zh_TW":
            variants.append((f"{code} as written", lambda text: text))
        for name, prepare in variants:
            row = measure(language, pairs, encoded, prepare)
            row["language"], row["not_checked"] = name, dict(skipped)
            if name == code:
                sweep_right += row["_right"]
                sweep_shuffled += row["_shuffled"]
                sweep_neighbour += row["_neighbour"]
                timed = pairs[:SPEED_PAIRS]
                (
                    row["paragraphs_per_second"],
                    row["paragraphs_per_second_2_threads"],
                ) = speed(
                    [encoder, two_threads],
                    [prepare_source(p.source) for p in timed]
                    + [prepare(p.translation) for p in timed],
                )
                scores = encoded(
                    [
                        (prepare_source(source), prepare(translation))
                        for source, translation, _ in lengths
                    ]
                )
                for (_, _, words), value in zip(lengths, scores, strict=True):
                    for low, high in LENGTHS:
                        if low <= words <= high:
                            by_length[f"{low}-{high}" if high < 10**6 else f"{low}+"].append(
                                value < THRESHOLD
                            )
            rows.append(row)
        ratio = statistics.median(
            len(prepared(p.translation, language)) / max(len(p.source), 1) for p in pairs
        )

        def anchors(items: Sequence[tuple[str, str]], ratio: float = ratio) -> list[float]:
            return [anchor_score(source, translation, ratio) for source, translation in items]

        base = measure(
            language, pairs, anchors, lambda text, language=language: prepared(text, language)
        )
        timed_pairs = [(p.source, prepared(p.translation, language)) for p in pairs[:SPEED_PAIRS]]
        began = time.perf_counter()
        anchors(timed_pairs)
        base_seconds = time.perf_counter() - began
        baseline.append(
            {
                "language": code,
                ">shuffled": base[">shuffled"],
                ">neighbour": base["neighbour"]["beaten"],
                ">dropped": base["dropped"]["beaten"],
                "shuffled_flagged_at_1pct": base["shuffled_flagged_at_1pct"],
                "encoder_shuffled_flagged_at_1pct": rows[-len(variants)][
                    "shuffled_flagged_at_1pct"
                ],
                "pairs_per_second": round(len(timed_pairs) / base_seconds),
            }
        )
    sweep = [
        {
            "threshold": threshold,
            "false_flags": share([r < threshold for r in sweep_right]),
            "shuffled_flagged": share([s < threshold for s in sweep_shuffled]),
            "neighbour_flagged": share([s < threshold for s in sweep_neighbour]),
        }
        for threshold in SWEEP
    ]
    for row in rows:
        for key in [key for key in row if key.startswith("_")]:
            del row[key]
    report = {
        "threshold": THRESHOLD,
        "min_words": MIN_WORDS,
        "encoder_load_seconds": round(load_seconds, 2),
        "rows": rows,
        "sweep": sweep,
        "false_flags_by_length": {
            length: {"pairs": len(flags), "false_flags": share(flags)}
            for length, flags in by_length.items()
        },
        "baseline": baseline,
    }
    if arguments.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)
    return 0


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_report(report: dict[str, Any]) -> None:
    print(
        f"threshold {report['threshold']:.2f}, at least {report['min_words']} words; "
        f"encoder loaded in {report['encoder_load_seconds']} s\n"
    )
    header = (
        f"{'language':<18}{'pairs':>6}{'skipped':>8}{'>shuf':>8}{'>neigh':>8}{'>drop':>8}"
        f"{'>neg':>8}{'false':>7}{'shuf':>7}{'neigh':>7}{'drop':>7}{'neg':>7}{'median':>8}"
        f"{'para/s':>8}{'2 thr':>7}"
    )
    print("right translation beats (>) / flagged at the threshold:")
    print(header)
    for row in report["rows"]:
        print(
            f"{row['language']:<18}{row['pairs']:>6}{sum(row['not_checked'].values()):>8}"
            f"{_percent(row['>shuffled']):>8}{_percent(row['neighbour']['beaten']):>8}"
            f"{_percent(row['dropped']['beaten']):>8}{_percent(row['negated']['beaten']):>8}"
            f"{_percent(row['false_flags']):>7}{_percent(row['shuffled_flagged']):>7}"
            f"{_percent(row['neighbour']['flagged']):>7}{_percent(row['dropped']['flagged']):>7}"
            f"{_percent(row['negated']['flagged']):>7}{row['median_right']:>8}"
            f"{row.get('paragraphs_per_second', '-'):>8}"
            f"{row.get('paragraphs_per_second_2_threads', '-'):>7}"
        )
    print("\nnear misses (pairs, mean score drop):")
    for row in report["rows"]:
        print(
            f"  {row['language']:<18}"
            + "  ".join(
                f"{name} {row[name]['pairs']} ({row[name]['mean_drop']})"
                for name in ("neighbour", "dropped", "negated")
            )
        )
    print("\nthreshold sweep (all languages):")
    print(f"  {'threshold':>9}{'false':>8}{'shuffled':>10}{'neighbour':>11}")
    for line in report["sweep"]:
        print(
            f"  {line['threshold']:>9.2f}{_percent(line['false_flags']):>8}"
            f"{_percent(line['shuffled_flagged']):>10}{_percent(line['neighbour_flagged']):>11}"
        )
    print("\nfalse flags by English length in words (all languages):")
    for length, line in report["false_flags_by_length"].items():
        print(f"  {length:>7}{line['pairs']:>7}{_percent(line['false_flags']):>8}")
    print("\nalternative: names, numbers and length (no encoder):")
    print(
        f"  {'language':<10}{'>shuf':>8}{'>neigh':>8}{'>drop':>8}"
        f"{'shuf@1%':>9}{'encoder':>9}{'pairs/s':>9}"
    )
    for line in report["baseline"]:
        print(
            f"  {line['language']:<10}{_percent(line['>shuffled']):>8}"
            f"{_percent(line['>neighbour']):>8}{_percent(line['>dropped']):>8}"
            f"{_percent(line['shuffled_flagged_at_1pct']):>9}"
            f"{_percent(line['encoder_shuffled_flagged_at_1pct']):>9}{line['pairs_per_second']:>9}"
        )


if __name__ == "__main__":
    sys.exit(main())
