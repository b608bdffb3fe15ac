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

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

    def __init__(self, units: Iterable[MemoryUnit]) -> None:
        by_key: dict[str, list[MemoryUnit]] = defaultdict(list)
        for unit in units:
            by_key[normalise(unit.source)].append(unit)
        self._by_key = dict(by_key)
        self._keys = sorted(self._by_key)
        self._index: _WordIndex | None = None

    def __len__(self) -> int:
        return len(self._keys)

    def exact(self, text: str) -> list[MemoryUnit]:
        """Every unit whose normalised source is ``text``'s (in the order they were given)."""
        return self._by_key.get(normalise(text), [])

    def close(self, text: str, *, threshold: float) -> tuple[str, int] | None:
        """The most similar other key at or above ``threshold`` percent, with its score."""
        key = normalise(text)
        if not key or not self._keys:
            return None
        if self._index is None:
            self._index = _WordIndex(self._keys)
        candidates = self._index.candidates(key, threshold)
        candidates = [candidate for candidate in candidates if candidate != key]
        if not candidates:
            return None
        from rapidfuzz import fuzz, process

        found = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=threshold)
        if found is None:
            return None
        matched, score, _ = found
        return matched, min(99, math.floor(score))

    def units(self, key: str) -> list[MemoryUnit]:
        """The units stored under a normalised key."""
        return self._by_key.get(key, [])


class _WordIndex:
    """Which keys hold which words, and the key lengths, for the candidate filter."""

    def __init__(self, keys: Sequence[str]) -> None:
        import numpy

        postings: dict[str, list[int]] = defaultdict(list)
        for number, key in enumerate(keys):
            for token in _tokens(key):
                postings[token].append(number)
        self._keys = keys
        self._postings = {
            token: numpy.array(numbers, dtype=numpy.int32) for token, numbers in postings.items()
        }
        self._lengths: numpy.ndarray[Any, Any] = numpy.array(
            [len(key) for key in keys], dtype=numpy.int32
        )

    def candidates(self, key: str, threshold: float) -> list[str]:
        """Keys that may be within ``threshold`` percent of ``key``, in sorted order."""
        import numpy

        tokens = sorted(_tokens(key), key=lambda token: (self._frequency(token), token))
        if not tokens:
            return []
        may_lack = len(tokens) - math.ceil(WORD_SHARE * len(tokens))
        lists: list[numpy.ndarray[Any, Any]] = []
        counted = total = 0
        for token in tokens:
            found = self._postings.get(token)
            size = 0 if found is None else len(found)
            if counted > may_lack and total + size > _POSTING_BUDGET:
                break
            if found is not None:
                lists.append(found)
                total += size
            counted += 1
        if not lists:
            return []
        counts = numpy.bincount(numpy.concatenate(lists))
        chosen = numpy.nonzero(counts >= counted - may_lack)[0]
        share = max(1.0, min(threshold, 100.0)) / 100.0
        shortest = len(key) * share / (2.0 - share)
        longest = len(key) * (2.0 - share) / share
        lengths = self._lengths[chosen]
        chosen = chosen[(lengths >= shortest) & (lengths <= longest)]
        return [self._keys[number] for number in chosen.tolist()]

    def _frequency(self, token: str) -> int:
        found = self._postings.get(token)
        return 0 if found is None else len(found)


def _tokens(key: str) -> set[str]:
    """The distinct words of a key, lower-cased; Chinese and Japanese runs as character pairs."""
    tokens: set[str] = set()
    for word in _WORD.findall(key.lower()):
        if _CJK.search(word) and len(word) > 1:
            tokens.update(word[start : start + 2] for start in range(len(word) - 1))
        else:
            tokens.add(word)
    return tokens
