"""What one reviewed catalog entry gives the memory: a paragraph unit and its sentences.

A unit is a source text, its reviewed translation and where it came from. Paragraph
units are keyed by the source with its whitespace normalised (inline markup counts as
text); sentence units exist where a paragraph and its translation cut into the same
runs of the same number of sentences, so they can be reused one by one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import polib

from translatio.catalog.plan import plan_text
from translatio.catalog.provenance import logical_lines
from translatio.catalog.states import has_msgcat_conflict, is_preview, word_count
from translatio.languages import Language
from translatio.text.inline import Kind, strip, words_only
from translatio.text.preview import has_preview_mark

__all__ = [
    "MemoryUnit",
    "catalog_units",
    "normalise",
    "preview_unit",
    "reviewed",
    "reviewer_of",
    "sentence_units",
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


def _anchors(sentence: str) -> tuple[list[str], list[str], list[str]]:
    """What a translation keeps of a sentence: digits, atoms (code, URLs), link targets."""
    stripped = strip(sentence)
    return (
        sorted(re.findall(r"\d+", words_only(sentence))),
        sorted(m.markup for m in stripped.marks if m.kind is Kind.ATOM),
        sorted(m.markup for m in stripped.marks if m.markup.startswith("]")),
    )


def _aligned(pairs: list[tuple[str, str]]) -> bool:
    """Whether sentences paired in order really answer each other (the stated rule).

    Without an engine's translation of each sentence to compare (what Bleualign uses),
    a pairing is trusted only when every pair keeps its sentence's anchors (numbers, code
    spans, URLs, link targets) and its length ratio stays within a factor of two of the
    paragraph's (Gale and Church's observation: a translation's length follows its
    source's). A translator who put two sentences in another order fails one of them
    unless the sentences are alike in length and anchors; then no sentence is reused.
    """
    overall = sum(len(t) for _, t in pairs) / max(1, sum(len(s) for s, _ in pairs))
    for source, target in pairs:
        if _anchors(source) != _anchors(target):
            return False
        ratio = len(target) / max(1, len(source))
        if not 0.5 <= ratio / overall <= 2.0:
            return False
    return True


def sentence_units(unit: MemoryUnit, *, source: Language, target: Language) -> list[MemoryUnit]:
    """The unit's sentences paired one by one, or nothing when they do not line up.

    Both texts are cut as machine translation cuts them (inline markup taken out, then
    sentences by each language's rules); only when they have the same runs with the same
    number of sentences is each source sentence paired with its translation.
    """
    source_runs = [piece.sentences for piece in plan_text(unit.source, source=source)]
    target_runs = [piece.sentences for piece in plan_text(unit.target, source=target)]
    source_runs = [run for run in source_runs if run]
    target_runs = [run for run in target_runs if run]
    if len(source_runs) != len(target_runs):
        return []
    pairs: list[tuple[str, str]] = []
    for source_sentences, target_sentences in zip(source_runs, target_runs, strict=True):
        if len(source_sentences) != len(target_sentences):
            return []
        pairs.extend(zip(source_sentences, target_sentences, strict=True))
    if len(pairs) > 1 and not _aligned(pairs):
        return []  # unsure: the paragraph is still offered whole, as a fuzzy match
    return [
        MemoryUnit(sentence, translation, unit.origin, unit.document, unit.reviewer)
        for sentence, translation in pairs
        if word_count(sentence) >= _MIN_SENTENCE_WORDS
    ]
