"""Bounds on work (issue 24): markup placement and stripping linear in a sentence's marks,
close memory lookups that score a bounded number of candidates and only offer texts that
share the query's content words.

No test here times anything (timings are ``benchmarks/bench_text.py`` and
``benchmarks/bench_memory.py``): work is counted instead, as the lines of translatio's
text modules Python runs plus the characters its regular expressions are handed to scan,
at n and 2n; linear work doubles, quadratic work quadruples.
"""

from __future__ import annotations

import math
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest
from rapidfuzz import fuzz

import translatio.text.inline
import translatio.text.placement
from translatio.text.inline import strip
from translatio.text.placement import check_carried, lower_made_capitals, place
from translatio.tm.lookup import CONTENT_SHARE, WORD_SHARE, Matcher, _tokens

# -- counting work ------------------------------------------------------------------------


class _CountingRe:
    """The ``re`` module as a text module sees it, counting the characters handed to scan."""

    def __init__(self, counter: list[int]) -> None:
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def compile(self, pattern: str, flags: int = 0) -> _CountingPattern:
        return _CountingPattern(re.compile(pattern, flags), self._counter)

    def finditer(self, pattern: str, text: str, flags: int = 0) -> Iterator[re.Match[str]]:
        self._counter[0] += len(text)
        return re.finditer(pattern, text, flags)

    def search(self, pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
        self._counter[0] += len(text)
        return re.search(pattern, text, flags)

    def findall(self, pattern: str, text: str, flags: int = 0) -> list[Any]:
        self._counter[0] += len(text)
        return re.findall(pattern, text, flags)


class _CountingPattern:
    def __init__(self, pattern: re.Pattern[str], counter: list[int]) -> None:
        self._pattern = pattern
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)

    def _scan(self, method: str, text: str, position: int = 0, *rest: int) -> Any:
        self._counter[0] += max(0, len(text) - position)
        return getattr(self._pattern, method)(text, position, *rest)

    def search(self, text: str, position: int = 0, *rest: int) -> re.Match[str] | None:
        return self._scan("search", text, position, *rest)  # type: ignore[no-any-return]

    def findall(self, text: str, position: int = 0, *rest: int) -> list[Any]:
        return self._scan("findall", text, position, *rest)  # type: ignore[no-any-return]

    def finditer(self, text: str, position: int = 0, *rest: int) -> Iterator[re.Match[str]]:
        return self._scan("finditer", text, position, *rest)  # type: ignore[no-any-return]


@contextmanager
def _counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts, in ``[0]``, the lines run in the placement and inline modules and the
    characters their run-time regular expressions are handed."""
    counter = [0]
    files = {translatio.text.placement.__file__, translatio.text.inline.__file__}
    for module in (translatio.text.placement, translatio.text.inline):
        monkeypatch.setattr(module, "re", _CountingRe(counter))

    def trace(frame: FrameType, event: str, argument: object) -> Any:
        if frame.f_code.co_filename not in files:
            return None
        if event == "line":
            counter[0] += 1
        return trace

    sys.settrace(trace)
    try:
        yield counter
    finally:
        sys.settrace(None)


def _growth(monkeypatch: pytest.MonkeyPatch, work: Callable[[int], object], n: int) -> float:
    """How much the counted work grows from n to 2n (2: linear, 4: quadratic)."""
    counts = []
    for size in (n, 2 * n):
        with _counted(monkeypatch) as counter:
            work(size)
        counts.append(counter[0])
    return counts[1] / counts[0]


def _links(count: int) -> str:
    return " ".join(f"[w](https://e.org/{n})" for n in range(count))


# -- item 10: thousands of links in one paragraph -------------------------------------------


def test_links_placed_by_an_alignment_take_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def work(count: int) -> None:
        stripped = strip(_links(count))
        placed = place(stripped, stripped.plain, [(n, n) for n in range(count)])
        assert placed.sure and placed.text == _links(count)

    assert _growth(monkeypatch, work, 400) < 2.5


def test_urls_placed_safely_take_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def work(count: int) -> None:
        sentence = " ".join(f"see https://e.org/{n} and `c{n}`" for n in range(count))
        stripped = strip(sentence)
        placed = place(stripped, stripped.plain)  # no alignment: the safe placement
        assert placed.text == sentence and placed.sure

    assert _growth(monkeypatch, work, 300) < 2.5


def test_checking_carried_links_takes_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def work(count: int) -> None:
        sentence = _links(count)
        assert check_carried(sentence, sentence)
        assert lower_made_capitals(sentence, sentence) == sentence

    assert _growth(monkeypatch, work, 400) < 2.5


@pytest.mark.parametrize("opener", ["[", "<b>", "!["])
def test_unclosed_openers_are_stripped_in_linear_work(
    monkeypatch: pytest.MonkeyPatch, opener: str
) -> None:
    def work(count: int) -> None:
        sentence = " ".join(f"{opener}w{n}" for n in range(count))
        stripped = strip(sentence)
        assert stripped.plain == sentence  # an opener never closed stands for itself

    assert _growth(monkeypatch, work, 400) < 2.5


def test_placement_keeps_its_results_on_nested_and_crossed_markup() -> None:
    stripped = strip("Read *the [new](https://e.org) `guide`* now.")
    assert stripped.plain == "Read the new guide now."
    alignment = [(0, 0), (1, 1), (2, 2), (3, 3)]
    aligned = place(stripped, "Lisez le nouveau guide maintenant.", alignment)
    assert aligned.text == "Lisez *le [nouveau](https://e.org) `guide`* maintenant."
    crossed = place(stripped, "Lisez le nouveau guide.", [(1, 0), (2, 3), (3, 1), (0, 2)])
    assert crossed.text.count("https://e.org") == 1 and "`guide`" in crossed.text
    # ``x`` after a code span that stood where ``x`` was: found, as before the change
    atoms = strip("`a` `a`")
    assert place(atoms, "a a").text == "`a` `a`"


# -- item 11: close lookups in a memory that shares a common vocabulary ---------------------

_SENTENCES = [
    "The package is installed in the system by the administrator.",
    "Run the command as root to update the list of packages.",
    "This file is read by the shell when it starts.",
    "The system keeps a log of every change to the configuration.",
    "A user can change the settings of the desktop from the menu.",
    "The archive holds the source of every package in the distribution.",
    "Use the following command to list the files of a package.",
    "The kernel loads the modules that the hardware needs at boot.",
    "Every user has a home directory and a shell.",
    "The network is configured by the files in this directory.",
    "It is the default for new installations of the system.",
    "You can check the status of the service with this command.",
]


def _paragraphs(count: int, seed: int = 5) -> list[str]:
    """``count`` distinct paragraphs of three to six of the same dozen sentences."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        found[" ".join(rng.sample(_SENTENCES, rng.randint(3, 6)))] = None
    return list(found)


def test_a_close_lookup_scores_a_bounded_number_of_candidates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rapidfuzz import process

    scored: list[int] = []
    extract_one = process.extractOne

    def counting(query: str, choices: list[str], **options: Any) -> Any:
        scored.append(len(choices))
        return extract_one(query, choices, **options)

    monkeypatch.setattr(process, "extractOne", counting)
    paragraphs = _paragraphs(3000)
    matcher = Matcher.of_keys(paragraphs)
    rng = random.Random(2)
    for stored in rng.sample(paragraphs, 20):
        words = stored.split()
        words[rng.randrange(len(words))] = "changed"
        found = matcher.close(" ".join(words), threshold=80)
        assert found is not None and found[1] >= 80
    # the memory's paragraphs all share the query's words: without a bound, thousands
    assert scored and max(scored) <= 128


def test_a_text_sharing_only_frequent_words_is_not_offered() -> None:
    frame = "Paragraph {} says that the library opens at nine on weekdays."
    matcher = Matcher.of_keys(frame.format(number) for number in range(2000))
    # what the query is about, its number, is in no paragraph: the rest is in all of them
    assert matcher.close(frame.format(99999), threshold=80) is None
    # a paragraph that shares its content words is still offered, with one word changed
    found = matcher.close(frame.format(1234).replace(" on weekdays", ""), threshold=80)
    assert found is not None and found[0] == frame.format(1234)


def test_a_template_with_another_content_word_is_not_offered() -> None:
    paragraphs = [f"Run **{name}** script" for name in ("prerm", "postrm", "preinst")]
    paragraphs += [f"Run the {name} script of the package." for name in range(300)]
    paragraphs += [f"The {name} script is run by the package manager." for name in range(300)]
    matcher = Matcher.of_keys(paragraphs)
    assert matcher.close("Run **postinst** script", threshold=80) is None
    assert matcher.close("Run **prerm** scripts", threshold=80) == ("Run **prerm** script", 97)


def _weighted_oracle(
    keys: dict[str, set[str]], query: str, threshold: float
) -> tuple[str, int] | None:
    """Brute force over every key the documented filter admits: a share of the query's
    words, and a share of their weight by rarity (``log((N + 100) / (df + 1))``)."""
    frequency = Counter(token for tokens in keys.values() for token in tokens)

    def weight(token: str) -> float:  # a word no key has weighs as one a key has
        return math.log((len(keys) + 100) / (max(frequency[token], 1) + 1))

    words = _tokens(query)
    total = sum(map(weight, words))
    best: tuple[float, str] | None = None
    for key, tokens in sorted(keys.items()):
        shared = words & tokens
        if key == query or len(shared) < math.ceil(WORD_SHARE * len(words)):
            continue
        if sum(map(weight, shared)) < CONTENT_SHARE * total * (1 - 1e-9):
            continue
        score = fuzz.ratio(query, key)
        if score >= threshold and (best is None or score > best[0]):
            best = (score, key)
    return None if best is None else (best[1], min(99, math.floor(best[0])))


@pytest.mark.parametrize(("seed", "size"), [(11, 300), (6, 40)])
def test_close_lookup_agrees_with_the_weighted_brute_force(seed: int, size: int) -> None:
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(size)
    ]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    keys = sorted(
        {" ".join(rng.choices(vocabulary, weights, k=rng.randint(3, 30))) for _ in range(2000)}
    )
    matcher = Matcher.of_keys(keys)
    tokens = {key: _tokens(key) for key in keys}
    found = 0
    for _ in range(150):
        words = rng.choice(keys).split()
        for _ in range(rng.randint(0, 3)):  # a few words replaced, inserted or dropped
            position = rng.randrange(len(words))
            action = rng.choice(("replace", "insert", "drop"))
            if action == "replace":
                words[position] = rng.choice(vocabulary)
            elif action == "insert":
                words.insert(position, rng.choice(vocabulary))
            elif len(words) > 1:
                del words[position]
        query = " ".join(words)
        expected = _weighted_oracle(tokens, query, 80)
        got = matcher.close(query, threshold=80)
        if expected is None:
            assert got is None, query  # nothing the filter refuses is offered
            continue
        found += 1
        assert got is not None and got[1] == expected[1], query  # the best score
    assert found > 80


def test_the_editions_link_guard_takes_linear_work() -> None:
    """Every link of a translation is checked against the source's targets without a scan
    of them all per link (the lines the guard runs, generator steps included, are counted)."""
    import translatio.publish.edition as edition

    def lines(count: int) -> int:
        source = _links(count)
        translation = " ".join(f"[m](https://e.org/{n})" for n in reversed(range(count)))
        counter = [0]

        def trace(frame: FrameType, event: str, argument: object) -> Any:
            if frame.f_code.co_filename != edition.__file__:
                return None
            if event == "line":
                counter[0] += 1
            return trace

        sys.settrace(trace)
        try:
            guarded = edition._escape_foreign_markup(translation, source)
        finally:
            sys.settrace(None)
        assert guarded == translation  # every target is the source's: nothing escaped
        return counter[0]

    assert lines(800) / lines(400) < 2.5
