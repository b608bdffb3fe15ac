"""Putting a sentence's inline markup back on an engine's translation of it.

The placement is sure in two cases: the engine carried the markup itself
(``check_carried``: Apertium's deformatter keeps inline markup as blanks; capitals it made
after a blank are made small again, ``lower_made_capitals``), or a word alignment says
which target words answer each wrapped source span (``place``). Otherwise the *safe
placement* is used: atoms found verbatim in the output are wrapped again and the others
appended; emphasis is dropped; the first link goes around the whole sentence and other
links are appended with their URL as text. Nothing is lost and no capital letter is made
by cutting, but the result is marked unsure, so QA flags it for the reviewer.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from translatio.text.inline import Kind, Mark, Stripped, classify, is_markup, strip
from translatio.text.markup import split_runs
from translatio.text.preview import unmarked

__all__ = ["Placed", "check_carried", "lower_made_capitals", "place"]

_WORD = re.compile(r"\S+")
_TRAILING_PUNCTUATION = re.compile(r"[.!?。！？…:;]+$")
_WORD_CHARACTER = re.compile(r"\w")
_SPACES = re.compile(r"\s*+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


@dataclass(frozen=True, slots=True)
class Placed:
    """A translation with the sentence's markup put back."""

    text: str
    """The translated sentence with its markup."""
    sure: bool
    """Whether every mark was placed by the engine or an alignment (else: safe placement)."""


def _words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _WORD.finditer(text)]


def place(
    stripped: Stripped,
    translation: str,
    alignment: Sequence[tuple[int, int]] = (),
) -> Placed:
    """``translation`` (of ``stripped.plain``) with the sentence's markup put back.

    With a word ``alignment`` ((source word, target word) pairs over whitespace-separated
    words), each wrapper goes around the target words aligned to the words it wraps and
    each atom onto the target word aligned to it; without one, or where it says nothing
    clear, the safe placement is used for the whole sentence.
    """
    if not stripped.marks:
        return Placed(translation, True)
    if alignment:
        aligned = _by_alignment(stripped, translation, alignment)
        if aligned is not None:
            return Placed(aligned, True)
    return Placed(_safely(stripped, translation), _atoms_found_once(stripped, translation))


def _atoms_found_once(stripped: Stripped, translation: str) -> bool:
    """Whether the safe placement is the placement: atoms only, each found exactly once.

    A sentence whose only markup is atoms (code spans, URLs, held glossary terms), each
    with text that occurs once in the sentence and once, as a whole word, in the output,
    has its markup back where the engine put the atom's text: nothing to guess.
    """
    if any(mark.kind is not Kind.ATOM or not mark.plain for mark in stripped.marks):
        return False
    plains = {mark.plain for mark in stripped.marks}
    in_translation = _occurrences(translation, plains)
    in_sentence = _occurrences(stripped.plain, plains)
    return all(
        _count(in_translation[plain], len(plain)) == 1
        and _count(in_sentence[plain], len(plain)) == 1
        for plain in plains
    )


def _occurrences(text: str, plains: Iterable[str]) -> dict[str, list[int]]:
    """Where each of ``plains`` starts in ``text`` as a whole word, in ascending order.

    A whole word is what ``(?<!\\w)PLAIN(?!\\w)`` matches; occurrences of one plain may
    overlap. One pass over ``text`` for all of them (a search per atom would make a
    sentence of thousands of atoms quadratic): only where a word can start with one of
    their first characters, one dictionary look-up per length those plains have.
    """
    found: dict[str, list[int]] = {plain: [] for plain in plains if plain}
    lengths: defaultdict[str, set[int]] = defaultdict(set)
    for plain in found:
        lengths[plain[0]].add(len(plain))
    if not found:
        return found
    first = "".join(re.escape(character) for character in lengths)
    for match in re.finditer(rf"(?<!\w)[{first}]", text):
        start = match.start()
        for length in lengths[match.group()]:
            spot = found.get(text[start : start + length])
            end = start + length
            if spot is not None and (end >= len(text) or not _is_word(text[end])):
                spot.append(start)
    return found


def _count(starts: list[int], length: int) -> int:
    """How many of the occurrences at ``starts`` ``re.findall`` counts (no overlaps)."""
    count, end = 0, -1
    for start in starts:
        if start >= end:
            count, end = count + 1, start + length
    return count


def _is_word(character: str) -> bool:
    return _WORD_CHARACTER.match(character) is not None


def _by_alignment(
    stripped: Stripped, translation: str, alignment: Sequence[tuple[int, int]]
) -> str | None:
    """The markup placed by the alignment, or ``None`` where it is not clear.

    In time linear in the sentence (times how deeply wrappers nest): a wrapper's source
    words are a range of word numbers, and each target word knows the lowest and highest
    source word aligned to it.
    """
    source_words = _words(stripped.plain)
    target_words = _words(translation)
    word_starts = [start for start, _ in source_words]
    word_ends = [end for _, end in source_words]
    targets_of: dict[int, set[int]] = {}
    lowest: dict[int, int] = {}  # target word → lowest source word aligned to it
    highest: dict[int, int] = {}
    for source, target in alignment:
        if 0 <= source < len(source_words) and 0 <= target < len(target_words):
            targets_of.setdefault(source, set()).add(target)
            lowest[target] = min(source, lowest.get(target, source))
            highest[target] = max(source, highest.get(target, source))
    before: dict[int, list[str]] = {}  # target word → markup put before it
    after: dict[int, list[str]] = {}  # target word → markup put after it, innermost last
    replaced: dict[int, Mark] = {}
    for mark in stripped.marks:
        if mark.kind is Kind.CLOSE:
            continue
        if mark.kind is Kind.ATOM:
            if not mark.plain:
                return None
            word = min(bisect_right(word_ends, mark.position), len(source_words) - 1)
            hits = [
                t
                for t in sorted(targets_of.get(word, ()))
                if mark.plain in translation[slice(*target_words[t])]
            ]
            if not hits or hits[0] in replaced:
                return None
            replaced[hits[0]] = mark
            continue
        closer = stripped.marks[mark.partner]
        inside = range(
            bisect_left(word_starts, mark.position), bisect_left(word_starts, closer.position)
        )
        targets = [t for word in inside for t in targets_of.get(word, ())]
        if not inside or not targets:
            return None
        first, last = min(targets), max(targets)
        if any(
            t in lowest and (lowest[t] < inside.start or highest[t] >= inside.stop)
            for t in range(first, last + 1)
        ):
            return None  # the span's words are not together in the translation
        before.setdefault(first, []).append(mark.markup)
        after.setdefault(last, []).append(closer.markup)
    pieces = []
    position = 0
    for index, (start, end) in enumerate(target_words):
        pieces.append(translation[position:start])
        text = translation[start:end]
        if index in replaced:
            atom = replaced[index]
            text = text.replace(atom.plain, atom.markup, 1)
        body, punctuation = _split_punctuation(text) if index in after else (text, "")
        closing = "".join(reversed(after.get(index, ())))
        pieces.append("".join(before.get(index, ())) + body + closing)
        pieces.append(punctuation)
        position = end
    pieces.append(translation[position:])
    return "".join(pieces)


def _split_punctuation(word: str) -> tuple[str, str]:
    """A word and the sentence punctuation after it (a closing marker goes before it)."""
    found = _TRAILING_PUNCTUATION.search(word)
    if found is None or found.start() == 0:
        return word, ""
    return word[: found.start()], word[found.start() :]


def _safely(stripped: Stripped, translation: str) -> str:
    """The safe placement: atoms kept, emphasis dropped, links around the sentence."""
    atoms = [mark for mark in stripped.marks if mark.kind is Kind.ATOM]
    spots = _occurrences(translation, (mark.plain for mark in atoms))
    pieces: list[str] = []
    appended: list[str] = []
    used = 0  # where the next atom is looked for in ``translation``
    last = ""  # the markup put just before ``used`` (it stands where its text was)
    for mark in atoms:
        found = _next_spot(translation, mark.plain, spots.get(mark.plain, []), used, last)
        if found < 0:
            appended.append(mark.markup)
            continue
        pieces += [translation[used:found], mark.markup]
        used, last = found + len(mark.plain), mark.markup
    text = "".join(pieces) + translation[used:]
    links = []
    for mark in stripped.marks:
        if mark.kind is not Kind.OPEN or mark.markup not in ("[", "!["):
            continue
        closer = stripped.marks[mark.partner]
        if mark.markup == "![":  # an image comes back whole, its alt text as it was
            alt = stripped.plain[mark.position : closer.position]
            appended.append(f"![{alt}{closer.markup}")
        else:
            links.append(closer.markup)
    if links:
        body, punctuation = _split_punctuation(text.rstrip())
        text = f"[{body}{links[0]}{punctuation}"
        for target in links[1:]:
            url = _link_url(target)
            appended.append(f"[{url}{target}" if url else f"[→{target}")
    return " ".join([text, *appended]) if appended else text


def _next_spot(translation: str, plain: str, starts: list[int], used: int, last: str) -> int:
    """The first whole-word occurrence of ``plain`` at or after ``used``, -1 if none.

    Right at ``used``, what precedes it is the markup ``last`` put there, not the text
    it replaced: the occurrence counts where that markup does not end in a letter.
    """
    if not plain:
        return -1
    if (
        last
        and translation.startswith(plain, used)
        and not _is_word(last[-1])
        and (used + len(plain) >= len(translation) or not _is_word(translation[used + len(plain)]))
    ):
        return used
    index = bisect_right(starts, used) if last else bisect_left(starts, used)
    return starts[index] if index < len(starts) else -1


def _link_url(target: str) -> str:
    """The URL of a link's closing half ``](url "title")``, or its label ``][label]``."""
    inner = target[2:-1].split()
    return inner[0].strip("<>") if inner else ""


def check_carried(sentence: str, output: str) -> bool:
    """Whether an engine that carried the markup itself put it back well.

    The output must hold the same atoms and wrappers, each wrapper still open before it
    closes around some words, and no more capital letters right after markup than the
    source had (a capital made by the engine at a markup boundary is a cut's mark). The
    preview marks around a pseudo-localised sentence (``text.preview``) are not its text.
    """
    source, target = strip(sentence), strip(unmarked(output, sentence))
    if sorted(m.markup for m in source.marks) != sorted(m.markup for m in target.marks):
        return False
    if [m.markup for m in source.marks if m.kind is Kind.ATOM] != [
        m.markup for m in target.marks if m.kind is Kind.ATOM
    ]:
        return False
    for mark in target.marks:
        if mark.kind is Kind.OPEN:
            end = target.marks[mark.partner].position
            if _LETTER_OR_DIGIT.search(target.plain, mark.position, end) is None:
                return False
    return _capitals_after_marks(target) <= _capitals_after_marks(source)


def lower_made_capitals(sentence: str, output: str) -> str:
    """``output`` with the capitals the engine made right after markup made small again.

    An engine that carries markup as blanks may take a blank for a sentence start
    (``[PolicyKit](url) Es un…``). Where the output has the source's markup in the same
    order, a capital after a mark whose source has a small letter there is lowered,
    unless the word is all capitals (an acronym).
    """
    source, target = strip(sentence), strip(output)
    if [m.markup for m in source.marks] != [m.markup for m in target.marks]:
        return output
    lowered = list(output)
    position = 0  # walks ``output`` and ``target.plain`` together
    plain_at: list[int] = []
    for run in split_runs(output):
        if run.translatable or not is_markup(run.text):
            plain_at.extend(range(position, position + len(run.text)))
        else:
            kind, seen = classify(run.text)
            if kind is Kind.ATOM:
                plain_at.extend([-1] * len(seen))
        position += len(run.text)
    for before, after in zip(source.marks, target.marks, strict=True):
        if before.kind is Kind.ATOM or after.position == 0:
            continue
        start = _visible(source.plain, before.position)
        was = source.plain[start : start + 1]
        offset = _visible(target.plain, after.position)
        word = _WORD.match(target.plain, offset)
        if not was.islower() or word is None or word.group().isupper():
            continue
        if offset < len(plain_at) and plain_at[offset] >= 0 and target.plain[offset].isupper():
            lowered[plain_at[offset]] = target.plain[offset].lower()
    return "".join(lowered)


def _capitals_after_marks(stripped: Stripped) -> int:
    count = 0
    for mark in stripped.marks:
        first = _visible(stripped.plain, mark.position)
        if mark.position > 0 and stripped.plain[first : first + 1].isupper():
            count += 1
    return count


def _visible(text: str, position: int) -> int:
    """Where the first character that is not a space stands from ``position`` on."""
    found = _SPACES.match(text, position)
    return position if found is None else found.end()
