"""A sentence's inline markup taken out for the engine and put back on its output.

A sentence goes to an engine whole, whatever inline markup it carries. Its markup is read
with ``markup.split_runs`` and sorted into two kinds:

* **wrappers** go around words: emphasis markers (``*``, ``**``, ``_``, ``~~``), link
  brackets with their target (``[`` … ``](url)``), paired HTML tags (``<em>`` …
  ``</em>``). An engine never sees them;
* **atoms** stand for themselves: code spans, URLs, e-mail addresses, entities, escapes,
  images, lone tags. An engine sees their text (a code span without its backticks) and
  must give it back verbatim.

Putting the markup back (``place``) is sure in two cases: the engine carried the markup
itself (``check_carried``: Apertium's deformatter keeps inline markup as blanks), or a
word alignment says which target words answer each wrapped source span. Otherwise the
*safe placement* is used: atoms found verbatim in the output are wrapped again, the
others appended; emphasis is dropped; the first link goes around the whole sentence and
other links are appended with their URL as text. Nothing is lost and no capital letter is
made by cutting, but the result is marked unsure, so QA flags it for the reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from translatio.text.markup import CODE_SPAN, EMAIL, EMPHASIS_RUN, URL, split_runs

__all__ = [
    "Kind",
    "Mark",
    "Placed",
    "Stripped",
    "check_carried",
    "is_markup",
    "masked",
    "place",
    "strip",
    "unpaired",
]

_EMPHASIS = re.compile(rf"(?:{EMPHASIS_RUN})")
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
_CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_WORD = re.compile(r"\S+")
_TRAILING_PUNCTUATION = re.compile(r"[.!?。！？…:;]+$")


class Kind(StrEnum):
    """What a piece of markup does in its sentence."""

    OPEN = "open"
    """Opens a wrapper (``*``, ``[``, ``<em>``)."""
    CLOSE = "close"
    """Closes the wrapper opened by its partner (``*``, ``](url)``, ``</em>``)."""
    ATOM = "atom"
    """Stands for itself and comes back verbatim (a code span, a URL)."""


@dataclass(frozen=True, slots=True)
class Mark:
    """One piece of inline markup of a sentence."""

    markup: str
    """The markup verbatim, as it is in the msgid."""
    kind: Kind
    """Wrapper half or atom."""
    position: int
    """Offset in the plain sentence: before the character it precedes."""
    partner: int = -1
    """Index (in ``Stripped.marks``) of the other half of a wrapper; -1 for an atom."""
    plain: str = ""
    """What the engine sees of an atom (a code span's code, a URL); empty for wrappers."""


@dataclass(frozen=True, slots=True)
class Stripped:
    """A sentence as the engine sees it, and the markup that goes around its words."""

    plain: str
    """The sentence without wrappers, atoms replaced by their plain text."""
    marks: tuple[Mark, ...]
    """Its markup, in order."""

    @property
    def shape(self) -> str:
        """The markup's shape: which marks sit where (with ``plain``, a sentence's key)."""
        return " ".join(f"{mark.position}:{mark.markup}" for mark in self.marks)


@dataclass(frozen=True, slots=True)
class Placed:
    """A translation with the sentence's markup put back."""

    text: str
    """The translated sentence with its markup."""
    sure: bool
    """Whether every mark was placed by the engine or an alignment (else: safe placement)."""


def strip(sentence: str) -> Stripped:
    """``sentence`` without its markup, and where each piece of markup sat."""
    plain: list[str] = []
    length = 0
    marks: list[Mark] = []
    opened: list[int] = []
    for run in split_runs(sentence):
        if run.translatable or not is_markup(run.text):
            plain.append(run.text)
            length += len(run.text)
            continue
        kind, seen = _classify(run.text)
        partner = _partner(marks, opened, run.text) if kind is not Kind.ATOM else -1
        if partner >= 0:
            kind = Kind.CLOSE
        elif kind is Kind.CLOSE:  # a closer with nothing open stands for itself
            kind, seen = Kind.ATOM, run.text
        if kind is Kind.ATOM:
            marks.append(Mark(run.text, Kind.ATOM, length, -1, seen))
            plain.append(seen)
            length += len(seen)
        elif kind is Kind.OPEN:
            opened.append(len(marks))
            marks.append(Mark(run.text, Kind.OPEN, length))
        else:
            index = len(marks)
            opener = marks[partner]
            marks[partner] = Mark(opener.markup, Kind.OPEN, opener.position, index)
            opened.remove(partner)
            marks.append(Mark(run.text, Kind.CLOSE, length, partner))
    if opened:  # an opener never closed stands for itself (``5 * 3``): the engine sees it
        return _with_literal_openers(sentence, plain, marks, opened)
    return Stripped("".join(plain), tuple(marks))


def _with_literal_openers(
    sentence: str, plain: list[str], marks: list[Mark], opened: list[int]
) -> Stripped:
    """``strip``'s result where the unclosed openers are atoms whose text the engine sees."""
    text = "".join(plain)
    shift = 0
    result: list[Mark] = []
    renumber: dict[int, int] = {}
    for index, mark in enumerate(marks):
        renumber[index] = len(result)
        position = mark.position + shift
        if index in opened:
            text = text[:position] + mark.markup + text[position:]
            result.append(Mark(mark.markup, Kind.ATOM, position, -1, mark.markup))
            shift += len(mark.markup)
        else:
            result.append(Mark(mark.markup, mark.kind, position, mark.partner, mark.plain))
    return Stripped(
        text,
        tuple(
            Mark(m.markup, m.kind, m.position, renumber.get(m.partner, -1), m.plain) for m in result
        ),
    )


def is_markup(text: str) -> bool:
    """Whether a protected run is markup (``", "`` or ``5 `` is text without letters)."""
    return bool(
        text.startswith(("[", "![", "]", "<", "&", "\\", "`"))
        or _EMPHASIS.fullmatch(text)
        or URL.fullmatch(text)
        or EMAIL.fullmatch(text)
    )


def _classify(text: str) -> tuple[Kind, str]:
    """A protected run's kind, and what the engine sees of it when it is an atom."""
    if text in ("[", "!["):
        return Kind.OPEN, ""
    if text.startswith("]"):
        return Kind.CLOSE, ""
    if _EMPHASIS.fullmatch(text):
        return Kind.OPEN, ""  # opens or closes: decided by pairing
    if _OPEN_TAG.fullmatch(text) and not text.endswith("/>"):
        return Kind.OPEN, ""
    if _CLOSE_TAG.fullmatch(text):
        return Kind.CLOSE, ""
    code = CODE_SPAN.fullmatch(text)
    if code is not None:
        ticks = len(code.group(1))
        return Kind.ATOM, text[ticks:-ticks].strip() or text
    if text.startswith("\\") and len(text) == 2:
        return Kind.ATOM, text[1]
    if text.startswith("<") or text.startswith("&"):
        return Kind.ATOM, "" if text.startswith("<") else text
    return Kind.ATOM, text  # a URL, an e-mail address


def _partner(marks: list[Mark], opened: list[int], text: str) -> int:
    """The open mark ``text`` closes, if any (-1: it opens, or closes nothing)."""
    for index in reversed(opened):
        opener = marks[index].markup
        if _EMPHASIS.fullmatch(text) and opener == text:
            return index
        if text.startswith("]") and opener in ("[", "!["):
            return index
        close = _CLOSE_TAG.fullmatch(text)
        open_tag = _OPEN_TAG.fullmatch(opener)
        if close and open_tag and close.group(1).lower() == open_tag.group(1).lower():
            return index
    return -1


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
    return Placed(_safely(stripped, translation), False)


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
            if start >= mark.position and end <= closer.position
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
        found = text.find(mark.plain, used) if mark.plain else -1
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


def masked(text: str) -> str:
    """``text`` of the same length with markup blanked out, for the sentence splitter.

    Wrappers become spaces and atoms letters, so no sentence ends inside markup (a URL's
    dots, a code span's ``e.g.``) and every offset in the result is one in ``text``.
    """
    parts = []
    for run in split_runs(text):
        if run.translatable or not is_markup(run.text):
            parts.append(run.text)
        elif _classify(run.text)[0] is Kind.ATOM:
            parts.append("x" * len(run.text))
        else:
            parts.append(" " * len(run.text))
    return "".join(parts)


def unpaired(sentence: str) -> int:
    """How many wrapper halves of ``sentence`` have no partner in it."""
    return sum(
        1
        for mark in strip(sentence).marks
        if mark.kind is Kind.ATOM and mark.markup and _classify(mark.markup)[0] is not Kind.ATOM
    )


def check_carried(sentence: str, output: str) -> bool:
    """Whether an engine that carried the markup itself put it back well.

    The output must hold the same atoms and wrappers, each wrapper still open before it
    closes around some words, and no more capital letters right after markup than the
    source had (a capital made by the engine at a markup boundary is a cut's mark).
    """
    source, target = strip(sentence), strip(output)
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


def _capitals_after_marks(stripped: Stripped) -> int:
    count = 0
    for mark in stripped.marks:
        rest = stripped.plain[mark.position :].lstrip()
        if mark.position > 0 and rest[:1].isupper():
            count += 1
    return count
