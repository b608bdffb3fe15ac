"""The recall step: reviewed text from the translation memory, before machine translation.

Precedence when an entry is filled: a person's text in the entry, then the memory, then
the engine. Recall fills empty entries only (a non-empty msgstr is never changed):

* an exact match (same source once whitespace is normalised, same inline markup) with
  ``# translation memory: 100% <doc>:<line> (reviewed by …)``;
* else the closest match at or above ``memory_threshold`` percent, with
  ``# translation memory: NN% <doc>:<line> (reviewed by …)`` and the matched source as
  the previous msgid (``#|``), so PO editors show what differs.

Every fill is fuzzy (state "needs update": never in a reviewed edition, never taken for
machine output), except, when ``memory_accept_same_document`` is set, an exact match from
the same document, which is accepted as translated (as ``msgmerge`` does). The machine
step leaves the fills alone: it writes only empty entries and its own untouched output.

Sentence level: ``reviewed_sentences`` answers sentences of new paragraphs from reviewed
ones (the translate step asks it before the engine), so they are never sent to an engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polib

from translatio.catalog import copy_catalog, now_stamp
from translatio.engines.base import Translation
from translatio.languages import Language
from translatio.provenance import logical_lines
from translatio.tm.feed import open_memory
from translatio.tm.index import Level
from translatio.tm.lookup import Matcher
from translatio.tm.units import MemoryUnit
from translatio.workspace import Workspace

__all__ = ["MEMORY_COMMENT", "RecallReport", "RecallUpdate", "recall", "reviewed_sentences"]

MEMORY_COMMENT = "translation memory:"
"""How the translator comment of a memory fill starts."""
_MODEL_UNSAFE = re.compile(r"[\s+=]")


@dataclass(frozen=True, slots=True)
class RecallReport:
    """What recall did to one catalog."""

    exact: int
    """Empty entries filled from an exact match."""
    close: int
    """Empty entries filled from a close match."""
    accepted: int = 0
    """Of the exact ones, those accepted as translated (same document, setting on)."""


@dataclass(frozen=True, slots=True)
class RecallUpdate:
    """Recall in one catalog."""

    document: str
    """The document."""
    language: str
    """The gettext language code."""
    path: str
    """The catalog, relative to the project."""
    report: RecallReport
    """What was filled."""
    written: bool
    """Whether the catalog file was written."""


def recall(
    workspace: Workspace,
    languages: Sequence[Language],
    *,
    threshold: float | None = None,
    accept_same_document: bool | None = None,
) -> list[RecallUpdate]:
    """Fill empty entries from the memory, marked; the caller holds the project lock."""
    settings = workspace.settings
    threshold = settings.memory_threshold if threshold is None else threshold
    accept = (
        settings.memory_accept_same_document
        if accept_same_document is None
        else accept_same_document
    )
    index = open_memory(workspace, languages)
    try:
        matchers = {
            language: Matcher(index.units(language.code, Level.PARAGRAPH)) for language in languages
        }
    finally:
        index.close()
    updates = []
    for slot in workspace.catalogs(languages):
        fill = _filler(matchers[slot.language], slot.document, threshold=threshold, accept=accept)
        written, report = workspace.commit_catalog(slot.snapshot, fill(slot.catalog), fill)
        updates.append(
            RecallUpdate(
                slot.document, slot.language.code, workspace.relative(slot.path), report, written
            )
        )
    return updates


def reviewed_sentences(
    workspace: Workspace, source: Language, target: Language, sentences: Sequence[str]
) -> dict[str, Translation]:
    """The sentences the memory knows from reviewed paragraphs: ``sentence → translation``.

    A sentence is known when a reviewed paragraph and its translation cut into the same
    number of sentences and one of them is this sentence (whitespace normalised). The
    translation's ``model`` names its origin (``memory:<doc>:<line>``), so provenance
    names both the memory and the engine that translated the rest.
    """
    if not sentences or source != workspace.settings.source_language:
        return {}
    index = open_memory(workspace, [target])
    try:
        found = index.lookup(target.code, Level.SENTENCE, sentences)
    finally:
        index.close()
    return {
        sentence: Translation(unit.target, 0.0, f"memory:{_MODEL_UNSAFE.sub('_', unit.origin)}")
        for sentence, unit in found.items()
    }


def _filler(
    matcher: Matcher, document: str, *, threshold: float, accept: bool
) -> Callable[[polib.POFile | None], tuple[polib.POFile | None, RecallReport]]:
    """Recall into one catalog as a re-appliable change (see ``commit_catalog``)."""

    def fill(catalog: polib.POFile | None) -> tuple[polib.POFile | None, RecallReport]:
        if catalog is None or not len(matcher):  # deleted meanwhile: not ours to bring back
            return None, RecallReport(0, 0)
        found: dict[str, tuple[MemoryUnit, int]] = {}
        for entry in catalog:
            if _empty(entry) and entry.msgid not in found:
                match = _best(matcher, entry.msgid, document, threshold)
                if match is not None:
                    found[entry.msgid] = match
        if not found:
            return None, RecallReport(0, 0)
        result = copy_catalog(catalog)
        exact = close = accepted = 0
        for entry in result:
            if not _empty(entry) or entry.msgid not in found:
                continue
            unit, score = found[entry.msgid]
            entry.msgstr = unit.target
            entry.tcomment = _with_memory_comment(entry.tcomment or "", unit, score)
            entry.previous_msgctxt = None
            entry.previous_msgid = unit.source if score < 100 else None
            entry.previous_msgid_plural = None
            if score == 100 and accept and unit.document == document:
                accepted += 1
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            elif "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            exact += score == 100
            close += score < 100
        result.metadata["PO-Revision-Date"] = now_stamp()
        return result, RecallReport(exact, close, accepted)

    return fill


def _empty(entry: polib.POEntry) -> bool:
    """An active singular entry without a translation: the only kind recall fills."""
    return bool(entry.msgid) and not entry.obsolete and not entry.msgid_plural and not entry.msgstr


def _best(
    matcher: Matcher, text: str, document: str, threshold: float
) -> tuple[MemoryUnit, int] | None:
    """The unit to offer and its score: exact first, then the closest above ``threshold``.

    Among units with the same source, one from the same document comes first, then
    catalogs before imported memories, then by origin.
    """
    units, score = matcher.exact(text), 100
    if not units:
        close = matcher.close(text, threshold=threshold)
        if close is None:
            return None
        key, score = close
        units = matcher.units(key)
    return min(units, key=lambda unit: (unit.document != document, not unit.document)), score


def _with_memory_comment(tcomment: str, unit: MemoryUnit, score: int) -> str:
    """``tcomment`` with its memory line replaced by one naming this match."""
    lines = [
        line for line in logical_lines(tcomment) if not line.strip().startswith(MEMORY_COMMENT)
    ]
    reviewer = unit.reviewer or "unknown"
    lines.append(f"{MEMORY_COMMENT} {score}% {unit.origin} (reviewed by {reviewer})")
    return "\n".join(lines)
