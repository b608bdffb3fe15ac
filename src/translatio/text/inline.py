"""A sentence's inline markup taken out for the engine: what it wraps and what it holds.

A sentence goes to an engine whole, whatever inline markup it carries. Its markup is read
with ``markup.split_runs`` and sorted into two kinds:

* **wrappers** go around words: emphasis markers (``*``, ``**``, ``_``, ``~~``), link and
  image brackets with their target (``[`` … ``](url)``), paired HTML tags (``<em>`` …
  ``</em>``). An engine never sees them;
* **atoms** stand for themselves: code spans, URLs, e-mail addresses, entities, escapes,
  lone tags, held glossary terms (``hold_terms``). An engine sees their text (a code span
  without its backticks, a term's required translation) and must give it back verbatim.

``placement`` puts the markup back on an engine's output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from translatio.text.glossary import HELD_CLOSE, HELD_OPEN, Glossary, held
from translatio.text.markup import CODE_SPAN, EMAIL, EMPHASIS_RUN, URL, split_runs

__all__ = [
    "Kind",
    "Mark",
    "Stripped",
    "classify",
    "hold_terms",
    "is_markup",
    "masked",
    "strip",
    "unpaired",
    "words_only",
]

_EMPHASIS = re.compile(rf"(?:{EMPHASIS_RUN})")
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
_CLOSE_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")


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


def strip(sentence: str) -> Stripped:
    """``sentence`` without its markup, and where each piece of markup sat."""
    plain: list[str] = []
    length = 0
    marks: list[Mark] = []
    opened: set[int] = set()  # marks that open a wrapper not closed yet
    open_by_key: dict[str, list[int]] = {}  # the same, by what closes them, latest last
    for run in split_runs(sentence):
        if run.translatable or not is_markup(run.text):
            plain.append(run.text)
            length += len(run.text)
            continue
        kind, seen = classify(run.text)
        partner = -1
        if kind is not Kind.ATOM:
            closes = _closing_key(run.text)
            if closes is not None and open_by_key.get(closes):
                partner = open_by_key[closes].pop()
        if partner >= 0:
            kind = Kind.CLOSE
        elif kind is Kind.CLOSE:  # a closer with nothing open stands for itself
            kind, seen = Kind.ATOM, run.text
        if kind is Kind.ATOM:
            marks.append(Mark(run.text, Kind.ATOM, length, -1, seen))
            plain.append(seen)
            length += len(seen)
        elif kind is Kind.OPEN:
            opened.add(len(marks))
            open_by_key.setdefault(_opening_key(run.text), []).append(len(marks))
            marks.append(Mark(run.text, Kind.OPEN, length))
        else:
            index = len(marks)
            opener = marks[partner]
            marks[partner] = Mark(opener.markup, Kind.OPEN, opener.position, index)
            opened.discard(partner)
            marks.append(Mark(run.text, Kind.CLOSE, length, partner))
    if opened:  # an opener never closed stands for itself (``5 * 3``): the engine sees it
        return _with_literal_openers(plain, marks, opened)
    return Stripped("".join(plain), tuple(marks))


def _opening_key(markup: str) -> str:
    """What closes an opener: ``_closing_key`` of its closers (the pairing rule)."""
    if markup in ("[", "!["):
        return "link"
    tag = _OPEN_TAG.fullmatch(markup)
    return f"tag {tag.group(1).lower()}" if tag is not None else f"emphasis {markup}"


def _closing_key(text: str) -> str | None:
    """Which openers ``text`` may close: emphasis the same run of markers, ``](…)`` a
    link or image bracket, ``</x>`` an ``<x …>`` (any case); ``None``: none."""
    if _EMPHASIS.fullmatch(text):
        return f"emphasis {text}"
    if text.startswith("]"):
        return "link"
    close = _CLOSE_TAG.fullmatch(text)
    return f"tag {close.group(1).lower()}" if close is not None else None


def _with_literal_openers(plain: list[str], marks: list[Mark], opened: set[int]) -> Stripped:
    """``strip``'s result where the unclosed openers are atoms whose text the engine sees."""
    text = "".join(plain)
    pieces: list[str] = []
    cursor = shift = 0
    result: list[Mark] = []
    renumber: dict[int, int] = {}
    for index, mark in enumerate(marks):
        renumber[index] = len(result)
        position = mark.position + shift
        if index in opened:
            pieces += [text[cursor : mark.position], mark.markup]
            cursor = mark.position
            result.append(Mark(mark.markup, Kind.ATOM, position, -1, mark.markup))
            shift += len(mark.markup)
        else:
            result.append(Mark(mark.markup, mark.kind, position, mark.partner, mark.plain))
    pieces.append(text[cursor:])
    return Stripped(
        "".join(pieces),
        tuple(
            Mark(m.markup, m.kind, m.position, renumber.get(m.partner, -1), m.plain) for m in result
        ),
    )


def is_markup(text: str) -> bool:
    """Whether a protected run is markup (``", "`` or ``5 `` is text without letters)."""
    return bool(
        text.startswith(("[", "![", "]", "<", "&", "\\", "`", HELD_OPEN))
        or _EMPHASIS.fullmatch(text)
        or URL.fullmatch(text)
        or EMAIL.fullmatch(text)
    )


def classify(text: str) -> tuple[Kind, str]:
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
    if text.startswith(HELD_OPEN) and text.endswith(HELD_CLOSE):
        return Kind.ATOM, text[1:-1]
    if text.startswith("\\") and len(text) == 2:
        return Kind.ATOM, text[1]
    if text.startswith("<") or text.startswith("&"):
        return Kind.ATOM, "" if text.startswith("<") else text
    return Kind.ATOM, text  # a URL, an e-mail address


def hold_terms(sentence: str, glossary: Glossary) -> str:
    """``sentence`` with each glossary term outside markup held as its required translation.

    The held term is an atom (``glossary.held``): the sentence stays whole for the engine,
    and the term's form comes back verbatim or is placed as any atom is.
    """
    if not glossary.terms:
        return sentence
    return "".join(
        run.text if run.replacement is None else held(run.replacement)
        for run in split_runs(sentence, glossary)
    )


def masked(text: str) -> str:
    """``text`` of the same length with markup blanked out, for the sentence splitter.

    Wrappers become spaces and atoms letters, so no sentence ends inside markup (a URL's
    dots, a code span's ``e.g.``) and every offset in the result is one in ``text``.
    """
    parts = []
    for run in split_runs(text):
        if run.translatable or not is_markup(run.text):
            parts.append(run.text)
        elif classify(run.text)[0] is Kind.ATOM:
            parts.append("x" * len(run.text))
        else:
            parts.append(" " * len(run.text))
    return "".join(parts)


def words_only(output: str) -> str:
    """An output's text with every wrapper half dropped, paired or not, atoms as text."""
    parts = []
    for run in split_runs(output):
        if run.translatable or not is_markup(run.text):
            parts.append(run.text)
        else:
            kind, seen = classify(run.text)
            parts.append(seen if kind is Kind.ATOM else "")
    return re.sub(r" {2,}", " ", "".join(parts)).strip()


def unpaired(sentence: str) -> int:
    """How many wrapper halves of ``sentence`` have no partner in it."""
    return sum(
        1
        for mark in strip(sentence).marks
        if mark.kind is Kind.ATOM and mark.markup and classify(mark.markup)[0] is not Kind.ATOM
    )
