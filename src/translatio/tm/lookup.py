"""Finding reviewed text for a source: exact matches by key, close matches by similarity.

Exact lookup is one dictionary access on the normalised source. Close matches use
rapidfuzz's Indel ratio (``fuzz.ratio``, the measure of gettext's ``fstrcmp`` and of the
merge), but only on a few candidates, so a query stays well under 5 ms at 100,000
segments (``benchmarks/bench_memory.py``):

1. a word index: a source within the threshold of the query shares most of its words
   (at least ``WORD_SHARE`` of the distinct ones); by the pigeonhole rule, among the
   query's ``r`` rarest words it then holds at least ``r - (words it may lack)``, which
   is counted over the rarest words' posting lists (numpy);
2. a length window: a ratio of ``t`` % needs the shorter text to be at least
   ``t / (200 - t)`` of the longer one;
3. rapidfuzz on what is left, best score first, ties to the first key in sorted order.

The word rule is a filter, not the definition: a paragraph whose every word changed a
little (a spelling reform) is not offered, which is also what a reviewer would want.
Chinese and Japanese runs are indexed by character pairs instead of words.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from translatio.tm.index import preferred
from translatio.tm.units import MemoryUnit, normalise

if TYPE_CHECKING:
    import numpy

__all__ = ["WORD_SHARE", "Match", "Matcher"]

WORD_SHARE = 0.6
"""Share of the query's distinct words a close match must have (the candidate filter)."""
_POSTING_BUDGET = 40_000
"""Posting-list entries counted per query beyond the ones the filter needs."""
_WORD = re.compile(r"\w+")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Match:
    """A unit offered for a source text, and how alike the two sources are."""

    unit: MemoryUnit
    """The reviewed translation offered."""
    score: int
    """Similarity of the sources in percent, rounded down; 100 only for an exact match."""

    @property
    def exact(self) -> bool:
        """Whether the normalised sources are the same."""
        return self.score == 100


class Matcher:
    """The paragraph units of one language, ready for exact and close lookups."""

    def __init__(self, entries: Iterable[tuple[str, MemoryUnit]]) -> None:
        by_key: dict[str, list[MemoryUnit]] = defaultdict(list)
        for key, unit in entries:
            by_key[key].append(unit)
        for units in by_key.values():
            if len(units) > 1:
                units.sort(key=preferred)
        self._by_key = dict(by_key)
        self._keys = sorted(self._by_key)
        self._index: _WordIndex | None = None

    @classmethod
    def of(cls, units: Iterable[MemoryUnit]) -> Matcher:
        """A matcher of units whose keys are still to be computed."""
        return cls((normalise(unit.source), unit) for unit in units)

    @classmethod
    def of_keys(cls, keys: Iterable[str]) -> Matcher:
        """A matcher for close lookups only: keys without their units (the index has those)."""
        matcher = cls(())
        matcher._keys = sorted(set(keys))
        return matcher

    def __len__(self) -> int:
        return len(self._keys)

    def exact(self, text: str) -> list[MemoryUnit]:
        """Every unit whose normalised source is ``text``'s, best first (``preferred``)."""
        return self._by_key.get(normalise(text), [])

    def close(self, text: str, *, threshold: float) -> tuple[str, int] | None:
        """The most similar other key at or above ``threshold`` percent, with its score."""
        key = normalise(text)
        if not key or not self._keys:
            return None
        if self._index is None:
            self._index = _WordIndex(self._keys)
        candidates = [c for c in self._index.candidates(key, threshold) if c != key]
        if not candidates:
            return None
        from rapidfuzz import fuzz, process

        found = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=threshold)
        if found is None:
            return None
        matched, score, _ = found
        return matched, min(99, math.floor(score))

    def units(self, key: str) -> list[MemoryUnit]:
        """The units stored under a normalised key, best first."""
        return self._by_key.get(key, [])


class _WordIndex:
    """Which keys hold which words (compressed posting lists), and the key lengths."""

    def __init__(self, keys: Sequence[str]) -> None:
        import numpy

        vocabulary: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        token_numbers: list[int] = []
        per_key: list[int] = []
        for key in keys:
            found = [vocabulary[token] for token in _tokens(key)]
            token_numbers += found
            per_key.append(len(found))
        tokens = numpy.array(token_numbers, dtype=numpy.int32)
        owners = numpy.repeat(numpy.arange(len(keys), dtype=numpy.int32), per_key)
        order = numpy.argsort(tokens, kind="stable")  # keys stay ascending within a token
        self._keys = keys
        self._vocabulary = dict(vocabulary)
        self._postings = owners[order]
        counts = numpy.bincount(tokens, minlength=len(vocabulary))
        self._starts = numpy.concatenate(([0], numpy.cumsum(counts))).tolist()
        self._lengths: numpy.ndarray[Any, Any] = numpy.array(
            [len(key) for key in keys], dtype=numpy.int32
        )

    def candidates(self, key: str, threshold: float) -> list[str]:
        """Keys that may be within ``threshold`` percent of ``key``, in sorted order."""
        import numpy

        spans = sorted(self._span(token) for token in _tokens(key))  # rarest first
        if not spans:
            return []
        may_lack = len(spans) - math.ceil(WORD_SHARE * len(spans))
        lists = []
        counted = total = 0
        for size, start in spans:
            if counted > may_lack and total + size > _POSTING_BUDGET:
                break
            if size:
                lists.append(self._postings[start : start + size])
                total += size
            counted += 1
        if not lists:
            return []
        counts = numpy.bincount(numpy.concatenate(lists))
        chosen = numpy.nonzero(counts >= counted - may_lack)[0]
        share = max(1.0, min(threshold, 100.0)) / 100.0
        lengths = self._lengths[chosen]
        chosen = chosen[
            (lengths >= len(key) * share / (2.0 - share))
            & (lengths <= len(key) * (2.0 - share) / share)
        ]
        return [self._keys[number] for number in chosen.tolist()]

    def _span(self, token: str) -> tuple[int, int]:
        """(size, start) of a token's posting list; (0, 0) for a word no key has."""
        number = self._vocabulary.get(token)
        if number is None:
            return 0, 0
        start = self._starts[number]
        return self._starts[number + 1] - start, start


def _tokens(key: str) -> set[str]:
    """The distinct words of a key, lower-cased; Chinese and Japanese runs as character pairs."""
    words = _WORD.findall(key.lower())
    if _CJK.search(key) is None:
        return set(words)
    tokens: set[str] = set()
    for word in words:
        if _CJK.search(word) and len(word) > 1:
            tokens.update(word[start : start + 2] for start in range(len(word) - 1))
        else:
            tokens.add(word)
    return tokens
