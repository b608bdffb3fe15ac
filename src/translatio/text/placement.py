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
from collections.abc import Sequence
from dataclasses import dataclass

from translatio.text.inline import Kind, Mark, Stripped, classify, is_markup, strip
from translatio.text.markup import split_runs
from translatio.text.preview import unmarked

__all__ = ["Placed", "check_carried", "lower_made_capitals", "place"]

_WORD = re.compile(r"\S+")
_TRAILING_PUNCTUATION = re.compile(r"[.!?。！？…:;]+$")


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
    for mark in stripped.marks:
        if mark.kind is not Kind.ATOM or not mark.plain:
            return False
        word = re.compile(rf"(?<!\w){re.escape(mark.plain)}(?!\w)")
        if len(word.findall(translation)) != 1 or len(word.findall(stripped.plain)) != 1:
            return False
    return True


def _by_alignment(
    stripped: Stripped, translation: str, alignment: Sequence[tuple[int, int]]
) -> str | None:
    """The markup placed by the alignment, or ``None`` where it is not clear."""
    source_words = _words(stripped.plain)
    target_words = _words(translation)
    targets_of: dict[int, set[int]] = {}
    for source, target in alignment:
        if 0 <= source < len(source_words) and 0 <= target < len(target_words):
            targets_of.setdefault(source, set()).add(target)
    before: dict[int, list[str]] = {}  # target word → markup put before it
    after: dict[int, list[str]] = {}
    replaced: dict[int, Mark] = {}
    for mark in stripped.marks:
        if mark.kind is Kind.CLOSE:
            continue
        if mark.kind is Kind.ATOM:
            if not mark.plain:
                return None
            word = _word_at(source_words, mark.position)
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
        inside = [
            word
            for word, (start, end) in enumerate(source_words)
            if mark.position <= start < closer.position
        ]
        targets = sorted({t for word in inside for t in targets_of.get(word, ())})
        if not inside or not targets:
            return None
        first, last = targets[0], targets[-1]
        outside = {t for word, ts in targets_of.items() if word not in inside for t in ts}
        if any(first <= t <= last for t in outside):
            return None  # the span's words are not together in the translation
        before.setdefault(first, []).append(mark.markup)
        after.setdefault(last, []).insert(0, closer.markup)
    pieces = []
    position = 0
    for index, (start, end) in enumerate(target_words):
        pieces.append(translation[position:start])
        text = translation[start:end]
        if index in replaced:
            atom = replaced[index]
            text = text.replace(atom.plain, atom.markup, 1)
        body, punctuation = _split_punctuation(text) if index in after else (text, "")
        pieces.append("".join(before.get(index, ())) + body + "".join(after.get(index, ())))
        pieces.append(punctuation)
        position = end
    pieces.append(translation[position:])
    return "".join(pieces)


def _word_at(words: list[tuple[int, int]], position: int) -> int:
    for index, (start, end) in enumerate(words):
        if start <= position < end or position < start:
            return index
    return len(words) - 1


def _split_punctuation(word: str) -> tuple[str, str]:
    """A word and the sentence punctuation after it (a closing marker goes before it)."""
    found = _TRAILING_PUNCTUATION.search(word)
    if found is None or found.start() == 0:
        return word, ""
    return word[: found.start()], word[found.start() :]


def _safely(stripped: Stripped, translation: str) -> str:
    """The safe placement: atoms kept, emphasis dropped, links around the sentence."""
    text = translation
    appended: list[str] = []
    used = 0
    for mark in stripped.marks:
        if mark.kind is not Kind.ATOM:
            continue
        hit = (
            re.compile(rf"(?<!\w){re.escape(mark.plain)}(?!\w)").search(text, used)
            if mark.plain
            else None
        )
        found = hit.start() if hit is not None else -1
        if found < 0:
            appended.append(mark.markup)
            continue
        text = text[:found] + mark.markup + text[found + len(mark.plain) :]
        used = found + len(mark.markup)
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
            inside = target.plain[mark.position : target.marks[mark.partner].position]
            if not any(char.isalnum() for char in inside):
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
        was = source.plain[before.position :].lstrip()[:1]
        rest = target.plain[after.position :]
        offset = after.position + len(rest) - len(rest.lstrip())
        word = _WORD.match(target.plain, offset)
        if not was.islower() or word is None or word.group().isupper():
            continue
        if offset < len(plain_at) and plain_at[offset] >= 0 and target.plain[offset].isupper():
            lowered[plain_at[offset]] = target.plain[offset].lower()
    return "".join(lowered)


def _capitals_after_marks(stripped: Stripped) -> int:
    count = 0
    for mark in stripped.marks:
        rest = stripped.plain[mark.position :].lstrip()
        if mark.position > 0 and rest[:1].isupper():
            count += 1
    return count
