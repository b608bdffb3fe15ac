"""Which sentence of a human translation answers which source sentence: one aligner.

A reviewed paragraph's sentences are reused one by one, and highlighted side by side on
the review page, only where this aligner pairs them. It pairs 1 with 1 and leaves every
other sentence unpaired: a translator who merged two sentences or split one gives no
pair there, and nothing is ever paired by position alone when a better rule can tell.

With the engine's translation of each source sentence (its *gloss*), the rule is
Bleualign's idea (Sennrich and Volk, 2010: compare a machine translation of the source
with the human target, so that sentences need not be in the same order), made strict:

* similarity is chrF's character n-gram F-score (n = 1…4, β = 1; words only, markup
  and case set aside) between a gloss and a target sentence;
* source *i* and target *j* are a pair when each is the other's most similar, the
  similarity is at least ``FLOOR``, it beats every other sentence of the row and the
  column by ``MARGIN``, the two keep the same anchors (numbers, code spans, URLs, link
  targets), the target's length is within a factor of ``LENGTH_FACTOR`` of the gloss's,
  and neither side is a merge or a split (the target is not about as much like the
  gloss joined with a neighbouring gloss, nor the gloss like the target joined with a
  neighbouring target: within ``JOIN_TOLERANCE``). Anything else is *unsure*: no pair,
  no reuse, no highlight.

Without glosses only the order and the lengths can speak (Gale and Church, 1993): the
sentences are paired in order when both sides have the same number, every pair keeps its
anchors, and every pair's length ratio is within a factor of ``LENGTH_FACTOR`` of the
paragraph's; else nothing is paired. Reordered sentences of alike lengths and anchors
are what this cannot see, so the memory never reuses a sentence on this rule alone.

``benchmarks/bench_align.py`` measures both rules on the Debian Reference's human Spanish
(Apertium's glosses, 507 paragraphs of 2 or more sentences on each side): the gloss rule
gives 910 pairs, all right (recall 0.75), the same with the target sentences shuffled,
and 2 wrong of 155 with two target sentences merged; the order rule is right in order
(recall 0.65) but 121 of its 135 pairs are wrong once the sentences are shuffled.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from translatio.text.inline import Kind, strip, words_only

__all__ = [
    "FLOOR",
    "JOIN_TOLERANCE",
    "LENGTH_FACTOR",
    "MARGIN",
    "Pair",
    "align",
    "anchors",
    "similarity",
]

FLOOR = 0.25
"""The least chrF (0…1) a gloss and its target sentence must share to be paired."""
MARGIN = 0.05
"""How much more alike a pair must be than any rival in its row and its column."""
JOIN_TOLERANCE = 0.01
"""A pair is a merge or a split when joining a neighbour comes this close to its chrF."""
LENGTH_FACTOR = 2.0
"""How far a target's length may be from its gloss's (or from the paragraph's ratio)."""
_ORDER = 4
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Pair:
    """A source sentence and the target sentence that translates it (indices)."""

    source: int
    target: int


def anchors(sentence: str) -> tuple[list[str], list[str], list[str]]:
    """What a translation keeps of a sentence: digits, atoms (code, URLs), link targets."""
    stripped = strip(sentence)
    return (
        sorted(re.findall(r"\d+", words_only(sentence))),
        sorted(m.markup for m in stripped.marks if m.kind is Kind.ATOM),
        sorted(m.markup for m in stripped.marks if m.markup.startswith("]")),
    )


def _grams(text: str) -> list[Counter[str]]:
    """Character n-grams (n = 1…4) of ``text``'s words, lowercased, spaces removed."""
    letters = _NOT_WORD.sub("", words_only(text).lower())
    return [
        Counter(letters[i : i + n] for i in range(len(letters) - n + 1))
        for n in range(1, _ORDER + 1)
    ]


def _chrf(one: list[Counter[str]], other: list[Counter[str]]) -> float:
    scores = []
    for mine, theirs in zip(one, other, strict=True):
        if not mine or not theirs:
            continue
        common = sum((mine & theirs).values())
        precision, recall = common / sum(theirs.values()), common / sum(mine.values())
        scores.append(0.0 if not common else 2 * precision * recall / (precision + recall))
    return sum(scores) / _ORDER


def similarity(gloss: str, target: str) -> float:
    """chrF (β = 1, n = 1…4, 0…1) of two texts' words: how alike a gloss and a target are."""
    return _chrf(_grams(gloss), _grams(target))


def align(
    sources: Sequence[str], targets: Sequence[str], glosses: Sequence[str] | None = None
) -> list[Pair]:
    """The sure 1-to-1 pairs of ``sources`` and ``targets``, by source index.

    ``glosses`` (one engine translation per source sentence) turns on the gloss rule;
    without it, the order-and-length rule is used (see the module's description).
    """
    if not sources or not targets:
        return []
    if glosses is None:
        return _in_order(sources, targets)
    if len(glosses) != len(sources):
        raise ValueError(f"{len(glosses)} glosses for {len(sources)} sentences")
    target_grams = [_grams(target) for target in targets]
    scores = [[_chrf(_grams(gloss), grams) for grams in target_grams] for gloss in glosses]
    pairs = []
    for i, row in enumerate(scores):
        j = max(range(len(targets)), key=row.__getitem__)
        column = [scores[k][j] for k in range(len(sources))]
        best = row[j]
        rivals = [s for k, s in enumerate(row) if k != j] + [
            s for k, s in enumerate(column) if k != i
        ]
        if (
            best >= FLOOR
            and all(best - rival >= MARGIN for rival in rivals)
            and anchors(sources[i]) == anchors(targets[j])
            and _within(len(targets[j]), len(glosses[i]))
            and not _merged_or_split(i, j, glosses, targets, best)
        ):
            pairs.append(Pair(i, j))
    return pairs


def _merged_or_split(
    i: int, j: int, glosses: Sequence[str], targets: Sequence[str], alone: float
) -> bool:
    """Whether target ``j`` also translates a neighbour of source ``i``, or the reverse.

    A translator who merged two sentences gives a target that is about as much or more
    like the two glosses together as like either; one who split a sentence gives two
    targets that together are that like its gloss. Either way the pair is unsure.
    Measured on the Debian Reference (``bench_align.py``'s data, pairs merged or split
    by hand): ``JOIN_TOLERANCE`` catches 99.6 % of merges and 97.7 % of splits, and
    leaves about 4 % of right pairs unpaired.
    """
    least = alone - JOIN_TOLERANCE
    joined_glosses = [
        f"{glosses[before]} {glosses[before + 1]}"
        for before in (i - 1, i)
        if before >= 0 and before + 1 < len(glosses)
    ]
    joined_targets = [
        f"{targets[before]} {targets[before + 1]}"
        for before in (j - 1, j)
        if before >= 0 and before + 1 < len(targets)
    ]
    return any(similarity(joined, targets[j]) > least for joined in joined_glosses) or any(
        similarity(glosses[i], joined) > least for joined in joined_targets
    )


def _within(length: float, expected: float) -> bool:
    expected = max(1.0, expected)
    return 1 / LENGTH_FACTOR <= length / expected <= LENGTH_FACTOR


def _in_order(sources: Sequence[str], targets: Sequence[str]) -> list[Pair]:
    """The order-and-length rule: all pairs in order, or none."""
    if len(sources) != len(targets):
        return []
    overall = sum(map(len, targets)) / max(1, sum(map(len, sources)))
    for source, target in zip(sources, targets, strict=True):
        if anchors(source) != anchors(target):
            return []
        if len(sources) > 1 and not _within(len(target) / max(1, len(source)), overall):
            return []
    return [Pair(i, i) for i in range(len(sources))]
