"""Finding reviewed text for a source: exact matches by key, close matches by similarity.

Exact lookup is one dictionary access on the normalised source. Close matches use
rapidfuzz's Indel ratio (``fuzz.ratio``, the measure of gettext's ``fstrcmp`` and of the
merge), but only on a few candidates, so a query stays well under 5 ms at 100,000
paragraphs that share a common vocabulary (``benchmarks/bench_memory.py``):

1. a word index: a source within the threshold of the query shares most of its words
   (at least ``WORD_SHARE`` of the distinct ones), and the words it shares must carry at
   least ``CONTENT_SHARE`` of the query's words weighted by rarity: their inverse
   document frequency, ``log((N + 100) / (df + 1))`` (a word in every paragraph weighs
   next to nothing; one no paragraph has weighs as one a single paragraph has; the
   hundred extra paragraphs weigh the words of a small memory alike). So a match shares
   the query's content words, not only its frequent ones: ``Run **postinst** script``
   is not offered ``Run **prerm** script`` where ``run`` and ``script`` are everywhere,
   nor ``Paragraph 99999 says so.`` a ``Paragraph 8 says so.``. By the pigeonhole rule
   both shares are counted over the posting lists of the query's rarest words only
   (numpy), words beyond a budget counted as if shared;
2. a length window: a ratio of ``t`` % needs the shorter text to be at least
   ``t / (200 - t)`` of the longer one;
3. rapidfuzz on the ``CANDIDATES`` that share the most weight (weighted Dice of the
   word sets: a text holding the query and much more ranks below the query itself),
   best score first, ties to the first key in sorted order.

The word rules are a filter, not the definition: a paragraph whose every word changed a
little (a spelling reform) is not offered, which is also what a reviewer would want.
Chinese and Japanese runs are indexed by character pairs instead of words. With a few
hundred paragraphs every weight is about the same, and the rules are a share of words.
A new word in a short text can outweigh the rest: ``Run **prerm** scripts`` finds
``Run **prerm** script`` (its words share 51 % of the weight) only just.
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

__all__ = ["CANDIDATES", "CONTENT_SHARE", "WORD_SHARE", "Match", "Matcher"]

WORD_SHARE = 0.6
"""Share of the query's distinct words a close match must have (the candidate filter)."""
CONTENT_SHARE = 0.5
"""Share of the query's word weight (by rarity) the words a close match shares must carry."""
CANDIDATES = 128
"""Most candidates scored with rapidfuzz per query: those sharing the most weight."""
_PRIOR = 100
"""Paragraphs added to the count in a word's weight: a small memory weighs words alike."""
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
    """Which keys hold which words (compressed posting lists), their weights, the key lengths."""

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
        self._weights: numpy.ndarray[Any, Any] = _word_weights(counts, len(keys))
        self._rarest_weight = float(_word_weights(numpy.ones(1), len(keys))[0])
        self._key_weights: numpy.ndarray[Any, Any] = numpy.bincount(
            owners, weights=self._weights[tokens], minlength=len(keys)
        )
        self._lengths: numpy.ndarray[Any, Any] = numpy.array(
            [len(key) for key in keys], dtype=numpy.int32
        )

    def candidates(self, key: str, threshold: float) -> list[str]:
        """Keys that may be within ``threshold`` percent of ``key``, in sorted order: at
        most ``CANDIDATES``, those that share the most of its weight."""
        import numpy

        words = sorted(self._word(token) for token in _tokens(key))  # rarest first
        if not words:
            return []
        needed_words = math.ceil(WORD_SHARE * len(words))
        total_weight = sum(weight for _, _, weight in words)
        needed_weight = CONTENT_SHARE * total_weight * (1 - 1e-9)  # rounding errors
        lists: list[tuple[numpy.ndarray[Any, Any], float]] = []
        uncounted_words, uncounted_weight = len(words), total_weight
        total = 0
        for size, start, weight in words:
            # A key in none of the lists counted so far lacks every word counted: once
            # the words left cannot make up either share, only keys in the lists qualify.
            enough = uncounted_words < needed_words or uncounted_weight < needed_weight
            if enough and total + size > _POSTING_BUDGET:
                break
            if size:
                lists.append((self._postings[start : start + size], weight))
                total += size
            uncounted_words -= 1
            uncounted_weight -= weight
        if not lists:
            return []
        # words past the budget may be in any key: counted as if they were
        owners = numpy.concatenate([postings for postings, _ in lists])
        counts = numpy.bincount(owners)
        chosen = numpy.nonzero(counts >= max(1, needed_words - uncounted_words))[0]
        share = max(1.0, min(threshold, 100.0)) / 100.0
        lengths = self._lengths[chosen]
        chosen = chosen[
            (lengths >= len(key) * share / (2.0 - share))
            & (lengths <= len(key) * (2.0 - share) / share)
        ]
        shared = uncounted_weight + self._shared_weight(lists, owners, chosen)
        kept = shared >= needed_weight
        chosen, shared = chosen[kept], shared[kept]
        if len(chosen) > CANDIDATES:
            # weighted Dice of the word sets: a key holding the query and much more is
            # further from it than the query's own near-copy
            similarity = shared / (total_weight + self._key_weights[chosen])
            best = numpy.argpartition(-similarity, CANDIDATES - 1)[:CANDIDATES]
            chosen = numpy.sort(chosen[best])
        return [self._keys[number] for number in chosen.tolist()]

    @staticmethod
    def _shared_weight(
        lists: list[tuple[numpy.ndarray[Any, Any], float]],
        owners: numpy.ndarray[Any, Any],
        chosen: numpy.ndarray[Any, Any],
    ) -> numpy.ndarray[Any, Any]:
        """The weight of the counted words each chosen key holds (``owners``: the lists
        joined): by looking each key up in every list (few keys), or in one pass over
        all the lists (many keys)."""
        import numpy

        if len(chosen) * len(lists) > len(owners):
            sizes = [len(postings) for postings, _ in lists]
            weights = numpy.repeat([weight for _, weight in lists], sizes)
            held: numpy.ndarray[Any, Any] = numpy.bincount(owners, weights=weights)[chosen]
            return held
        shared = numpy.zeros(len(chosen))
        for postings, weight in lists:  # each list is in ascending order
            places = numpy.minimum(numpy.searchsorted(postings, chosen), len(postings) - 1)
            shared += weight * (postings[places] == chosen)
        return shared

    def _word(self, token: str) -> tuple[int, int, float]:
        """(size, start, weight) of a token's posting list; for a word no key has,
        (0, 0, the weight of a word one key has): the memory cannot tell them apart."""
        number = self._vocabulary.get(token)
        if number is None:
            return 0, 0, self._rarest_weight
        start = self._starts[number]
        return self._starts[number + 1] - start, start, float(self._weights[number])


def _word_weights(counts: numpy.ndarray[Any, Any], keys: int) -> numpy.ndarray[Any, Any]:
    """The weight of words found in ``counts`` of ``keys`` paragraphs: their rarity.

    ``log((keys + 100) / (count + 1))``: an inverse document frequency whose hundred
    extra paragraphs keep the weights of a small memory close to each other.
    """
    import numpy

    return numpy.log((keys + _PRIOR) / (numpy.asarray(counts, dtype=numpy.float64) + 1.0))


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
