"""What one reviewed catalog entry gives the memory: a paragraph unit and its sentences.

A unit is a source text, its reviewed translation and where it came from. Paragraph
units are keyed by the source with its whitespace normalised (inline markup counts as
text). A paragraph of one sentence is also a sentence unit; the sentences of a longer
one are candidates, reused one by one only where the aligner (``tm.align``), given the
engine's translation of each, pairs them with the translator's sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import polib

from translatio.catalog.plan import plan_text
from translatio.catalog.provenance import logical_lines
from translatio.catalog.states import has_msgcat_conflict, is_preview, word_count
from translatio.languages import Language
from translatio.text.preview import has_preview_mark
from translatio.tm.align import align

__all__ = [
    "MemoryUnit",
    "catalog_units",
    "normalise",
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


def normalise(text: str) -> str:
    """The lookup key of a source text: runs of whitespace made one space, ends stripped.

    Inline markup is kept as it is, so ``*word*`` and ``word`` are different sources.
    """
    return _SPACE.sub(" ", text).strip()


def reviewed(entry: polib.POEntry) -> bool:
    """Whether the entry holds reviewed text: translated, not fuzzy, not a preview.

    A preview is the pseudo engine's untouched output, or any text that carries its
    mark (``⟦…⟧``, ``text.preview``) whatever tool it passed through: the memory never
    offers it. Obsolete entries count too: their text was reviewed before the paragraph
    left.
    """
    return (
        bool(entry.msgid)
        and bool(entry.msgstr)
        and not entry.msgid_plural
        and "fuzzy" not in entry.flags
        and not has_msgcat_conflict(entry.msgstr)
        and not is_preview(entry)
        and not preview_unit(entry.msgid, entry.msgstr)
    )


def preview_unit(source: str, target: str) -> bool:
    """Whether a unit's target is pseudo-localised preview text: never in the memory."""
    return has_preview_mark(target, source)


def reviewer_of(entry: polib.POEntry, catalog: polib.POFile) -> str:
    """The reviewer an ``approve`` recorded, else the catalog's Last-Translator (name only)."""
    for line in logical_lines(entry.tcomment or ""):
        stripped = line.strip()
        if stripped.startswith(_REVIEW):
            name = _REVIEW_DATE.sub("", stripped[len(_REVIEW) :]).strip()
            if name and not name.endswith("in an editor"):
                return name
    translator = _EMAIL.sub("", catalog.metadata.get("Last-Translator", "")).strip()
    return "" if translator.startswith(_PLACEHOLDER_TRANSLATOR) else translator


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
        yield MemoryUnit(entry.msgid, entry.msgstr, origin, document, reviewer_of(entry, catalog))


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
    sentence answers it is known only once the aligner (``tm.align``) has the engine's
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
    (``sentences_of``). Unsure sentences give nothing (``tm.align``'s rule).
    """
    sources, targets = sentences_of(unit.source, source), sentences_of(unit.target, target)
    pairs = align(sources, targets, [glosses[sentence] for sentence in sources])
    return [
        replace(unit, source=sources[pair.source], target=targets[pair.target]) for pair in pairs
    ]
