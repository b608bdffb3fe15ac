"""What one reviewed catalog entry gives the memory: a paragraph unit and its sentences.

A unit is a source text, its reviewed translation and where it came from. Paragraph
units are keyed by the source with its whitespace normalised (inline markup counts as
text). A paragraph of one sentence is also a sentence unit; the sentences of a longer
one are candidates, reused one by one only where the aligner (``text.align``), given the
engine's translation of each, pairs them with the translator's sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import polib

from translatio.catalog.plan import plan_text
from translatio.catalog.provenance import (
    MEMORY_COMMENT,
    logical_lines,
    read_provenance,
    text_hash,
)
from translatio.catalog.states import has_msgcat_conflict, is_preview, word_count
from translatio.languages import Language
from translatio.qa.characters import publishable
from translatio.text.align import align
from translatio.text.preview import has_preview_mark

__all__ = [
    "MemoryUnit",
    "Origin",
    "catalog_units",
    "normalise",
    "origin_of",
    "paired_sentences",
    "preview_unit",
    "reviewed",
    "reviewer_of",
    "sentence_units",
    "sentences_of",
]

_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_REVIEW = "reviewed:"
_REVIEW_DATE = re.compile(r"\s+\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}$")
_PLACEHOLDER_TRANSLATOR = "FULL NAME"
_EMAIL = re.compile(r"\s*<[^<>]*>\s*$")
_MIN_SENTENCE_WORDS = 3
"""Shorter pieces (a word between two code spans) are not worth remembering alone."""


class Origin(StrEnum):
    """Who wrote a reviewed translation: the memory ranks units by it."""

    PERSON = "person"
    """Typed by a person, or machine output a person rewrote (its hash no longer matches)."""
    APPROVED = "approved machine output"
    """Machine output a reviewer accepted unchanged (``approve``, or fuzzy cleared)."""
    IMPORTED = "imported"
    """From an imported memory (``tm import``): someone's reviewed work, origin unknown."""

    @property
    def rank(self) -> int:
        """Lower is offered first: a person's own text before approved machine output."""
        return list(Origin).index(self)


@dataclass(frozen=True, slots=True)
class MemoryUnit:
    """One reviewed translation the memory can offer."""

    source: str
    """The source text, as written."""
    target: str
    """Its reviewed translation."""
    origin: str
    """Where it came from: ``<doc>:<line>`` of the source, or ``<file>:<line>`` of an import."""
    document: str = ""
    """The document it belongs to; empty for imported memories."""
    reviewer: str = ""
    """Who reviewed it, when known."""
    kind: Origin = Origin.PERSON
    """Who wrote the text."""
    earlier: bool = False
    """From the history (``tm.history``): an earlier version of its document."""


def normalise(text: str) -> str:
    """The lookup key of a source text: runs of whitespace made one space, ends stripped.

    Inline markup is kept as it is, so ``*word*`` and ``word`` are different sources.
    """
    return _SPACE.sub(" ", text).strip()


def reviewed(entry: polib.POEntry) -> bool:
    """Whether the entry holds reviewed text: translated, not fuzzy, not a preview.

    A preview is the pseudo engine's untouched output, or any text that carries its
    mark (``⟦…⟧``, ``text.preview``) whatever tool it passed through: the memory never
    offers it, nor a text no edition may show (control characters, an open direction
    control: ``qa.characters.publishable``). Obsolete entries count too: their text was
    reviewed before the paragraph left.
    """
    return (
        bool(entry.msgid)
        and bool(entry.msgstr)
        and not entry.msgid_plural
        and "fuzzy" not in entry.flags
        and not has_msgcat_conflict(entry.msgstr)
        and not is_preview(entry)
        and not preview_unit(entry.msgid, entry.msgstr)
        and publishable(entry.msgstr)
    )


def preview_unit(source: str, target: str) -> bool:
    """Whether a unit's target is pseudo-localised preview text: never in the memory."""
    return has_preview_mark(target, source)


def reviewer_of(entry: polib.POEntry, catalog: polib.POFile) -> str:
    """The reviewer an ``approve`` recorded, else the catalog's Last-Translator (name only).

    An approval names who accepted the engine's text; once a person rewrote that text
    (its hash no longer matches), the approval is not about it, and the catalog's
    Last-Translator is the better guess.
    """
    provenance = read_provenance(entry.tcomment or "")
    rewritten = provenance is not None and provenance.digest != text_hash(entry.msgstr)
    for line in logical_lines(entry.tcomment or ""):
        stripped = line.strip()
        if stripped.startswith(_REVIEW) and not rewritten:
            name = _REVIEW_DATE.sub("", stripped[len(_REVIEW) :]).strip()
            if name and not name.endswith("in an editor"):
                return name
    translator = _EMAIL.sub("", catalog.metadata.get("Last-Translator", "")).strip()
    return "" if translator.startswith(_PLACEHOLDER_TRANSLATOR) else translator


def origin_of(entry: polib.POEntry) -> Origin:
    """Who wrote a reviewed entry's text.

    Machine output whose text still matches the engine's hash was approved unchanged;
    a memory fill keeps the origin its comment names (a person edits it in place, and
    then it is theirs only if they rewrote it: the comment cannot tell, so it stays);
    anything else a person wrote.
    """
    provenance = read_provenance(entry.tcomment or "")
    if provenance is not None:
        if provenance.digest == text_hash(entry.msgstr):
            return Origin.APPROVED
        return Origin.PERSON
    for line in logical_lines(entry.tcomment or ""):
        stripped = line.strip()
        if stripped.startswith(MEMORY_COMMENT):
            for origin in (Origin.APPROVED, Origin.IMPORTED):
                if f"{origin.value}," in stripped or f"{origin.value})" in stripped:
                    return origin
    return Origin.PERSON


def catalog_units(catalog: polib.POFile, document: str, *, path: str = "") -> Iterator[MemoryUnit]:
    """The paragraph units of a catalog: its reviewed entries, active and obsolete.

    ``path`` names the file for entries that have no source reference (obsolete ones):
    their origin is ``<path>:<line in the catalog>``.
    """
    for entry in catalog:
        if not reviewed(entry):
            continue
        if entry.occurrences:
            origin = f"{document}:{entry.occurrences[0][1]}"
        else:
            origin = f"{path or document}:{entry.linenum or 0}"
        yield MemoryUnit(
            entry.msgid,
            entry.msgstr,
            origin,
            document,
            reviewer_of(entry, catalog),
            origin_of(entry),
        )


def sentences_of(text: str, language: Language) -> list[str]:
    """``text``'s sentences as machine translation cuts them (``catalog.plan.plan_text``)."""
    return [sentence for piece in plan_text(text, source=language) for sentence in piece.sentences]


def sentence_units(
    unit: MemoryUnit, *, source: Language
) -> tuple[list[MemoryUnit], list[tuple[str, MemoryUnit]]]:
    """What a reviewed paragraph offers sentence by sentence: sure units and candidates.

    A paragraph of one sentence is that sentence's sure unit (its translation is the
    whole target, however many sentences the translator made of it). A paragraph of
    several sentences gives candidates, ``(sentence, paragraph unit)``: which target
    sentence answers it is known only once the aligner (``text.align``) has the engine's
    translation of each source sentence (``paired_sentences``), never by position.
    Sentences of fewer than three words are not worth remembering alone.
    """
    sentences = sentences_of(unit.source, source)
    if len(sentences) == 1:
        sure = word_count(sentences[0]) >= _MIN_SENTENCE_WORDS
        return ([replace(unit, source=sentences[0])] if sure else []), []
    return [], [
        (sentence, unit) for sentence in sentences if word_count(sentence) >= _MIN_SENTENCE_WORDS
    ]


def paired_sentences(
    unit: MemoryUnit, glosses: Mapping[str, str], *, source: Language, target: Language
) -> list[MemoryUnit]:
    """A paragraph unit's sentences the aligner pairs, given the engine's ``glosses``.

    ``glosses`` holds the engine's translation of every source sentence of the unit
    (``sentences_of``). Unsure sentences give nothing (``text.align``'s rule).
    """
    sources, targets = sentences_of(unit.source, source), sentences_of(unit.target, target)
    pairs = align(sources, targets, [glosses[sentence] for sentence in sources])
    return [
        replace(unit, source=sources[pair.source], target=targets[pair.target]) for pair in pairs
    ]
