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
ones (the translate step asks it before the engine), where the aligner is sure which of
the translator's sentences answers them (with the engine's translation of the reviewed
paragraph's sentences: ``text.align``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import polib

from translatio.catalog.provenance import MEMORY_COMMENT, logical_lines
from translatio.catalog.values import copy_catalog, now_stamp
from translatio.languages import Language
from translatio.reports import RecallReport, RecallUpdate, Translation
from translatio.tm.feed import open_memory
from translatio.tm.index import Feed, Level, MemoryIndex
from translatio.tm.lookup import Matcher
from translatio.tm.units import MemoryUnit, normalise, paired_sentences, sentences_of
from translatio.workspace.workspace import Workspace

__all__ = ["Gloss", "recall", "reviewed_sentences"]
_MODEL_UNSAFE = re.compile(r"[\s+=]")


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
        offers = {language: _Offers(index, language.code) for language in languages}
        updates = []
        for slot in workspace.catalogs(languages):
            fill = _filler(offers[slot.language], slot.document, threshold=threshold, accept=accept)
            written, report = workspace.commit_catalog(slot.snapshot, fill(slot.catalog), fill)
            updates.append(
                RecallUpdate(
                    slot.document,
                    slot.language.code,
                    workspace.relative(slot.path),
                    report,
                    written,
                )
            )
        return updates
    finally:
        index.close()


Gloss = Callable[[Sequence[str]], Mapping[str, str]]
"""The engine's translation of source sentences, asked for in one call: ``sentence → text``."""


def reviewed_sentences(
    workspace: Workspace,
    source: Language,
    target: Language,
    sentences: Sequence[str],
    *,
    gloss: Gloss | None = None,
) -> dict[str, Translation]:
    """The sentences the memory knows from reviewed paragraphs: ``sentence → translation``.

    A reviewed paragraph of one sentence answers that sentence. A sentence of a longer
    reviewed paragraph is answered only where the aligner (``text.align``) pairs it with
    one of the translator's sentences, which needs ``gloss``, the engine's translation of
    every sentence of that paragraph (asked for in one call, for all such paragraphs):
    without it (no engine, or a preview engine) those sentences are not reused. The
    best-ranked paragraph that gives a pair wins. The translation's ``model`` names its
    origin (``memory:<doc>:<line>``), so provenance names both the memory and the engine
    that translated the rest. Each call brings the index up to date with the language's
    catalogs: ask once per language, for all of its sentences.
    """
    if not sentences or source != workspace.settings.source_language:
        return {}
    index = open_memory(workspace, [target])
    try:
        found = index.lookup(target.code, Level.SENTENCE, sentences)
        rest = [sentence for sentence in sentences if sentence not in found]
        candidates = index.lookup(target.code, Level.CANDIDATE, rest) if gloss and rest else {}
    finally:
        index.close()
    known = {
        sentence: Translation(units[0].target, 0.0, f"memory:{_model_name(units[0].origin)}")
        for sentence, units in found.items()
    }
    if gloss is not None and candidates:
        known |= _aligned(candidates, gloss, source=source, target=target)
    return known


def _aligned(
    candidates: Mapping[str, Sequence[MemoryUnit]],
    gloss: Gloss,
    *,
    source: Language,
    target: Language,
) -> dict[str, Translation]:
    """The candidate sentences the aligner pairs in their reviewed paragraphs."""
    paragraphs = list(dict.fromkeys(unit for units in candidates.values() for unit in units))
    glosses = gloss(
        list(dict.fromkeys(s for unit in paragraphs for s in sentences_of(unit.source, source)))
    )
    pairs = {
        unit: {
            normalise(pair.source): pair.target
            for pair in paired_sentences(unit, glosses, source=source, target=target)
        }
        for unit in paragraphs
    }
    known = {}
    for sentence, units in candidates.items():
        key = normalise(sentence)
        for unit in units:  # best first
            if key in pairs[unit]:
                model = f"memory:{_model_name(unit.origin)}"
                known[sentence] = Translation(pairs[unit][key], 0.0, model)
                break
    return known


class _Offers:
    """What the memory offers one language: exact matches from the index, then close ones.

    Exact matches are looked up in the index as they are asked for; the keys are loaded
    into a ``Matcher`` only when a text has no exact match, and never when the language
    has no units at all.
    """

    def __init__(self, index: MemoryIndex, language: str) -> None:
        self._index = index
        self._language = language
        self._exact: dict[str, list[MemoryUnit]] = {}
        self._asked: set[str] = set()
        self._matcher: Matcher | None = None
        counts = index.counts(language)
        self.empty = not any(counts.get((Level.PARAGRAPH, feed)) for feed in Feed)

    def prefetch(self, texts: Iterable[str]) -> None:
        """Look up the exact matches of ``texts`` in one pass over the index."""
        new = [text for text in dict.fromkeys(texts) if text not in self._asked]
        self._asked.update(new)
        self._exact |= self._index.lookup(self._language, Level.PARAGRAPH, new)

    def best(self, text: str, document: str, threshold: float) -> tuple[MemoryUnit, int] | None:
        """The unit to offer and its score: exact first, then the closest above ``threshold``.

        Among units with the same source, a person's text comes before approved machine
        output and imports, then one from the same document, then as ``index.preferred``
        ranks them (current catalogs before the history).
        """
        self.prefetch([text])
        units, score = self._exact.get(text, []), 100
        if not units:
            if self._matcher is None:
                self._matcher = Matcher.of_keys(self._index.keys(self._language, Level.PARAGRAPH))
            close = self._matcher.close(text, threshold=threshold)
            if close is None:
                return None
            key, score = close
            units = self._index.lookup(self._language, Level.PARAGRAPH, [key])[key]
        return min(units, key=lambda unit: (unit.kind.rank, unit.document != document)), score


def _filler(
    offers: _Offers, document: str, *, threshold: float, accept: bool
) -> Callable[[polib.POFile | None], tuple[polib.POFile | None, RecallReport]]:
    """Recall into one catalog as a re-appliable change (see ``commit_catalog``)."""

    def fill(catalog: polib.POFile | None) -> tuple[polib.POFile | None, RecallReport]:
        if catalog is None or offers.empty:  # deleted meanwhile: not ours to bring back
            return None, RecallReport(0, 0)
        empty = [entry.msgid for entry in catalog if _empty(entry)]
        offers.prefetch(empty)
        found = {
            text: match
            for text in dict.fromkeys(empty)
            if (match := offers.best(text, document, threshold)) is not None
        }
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


def _model_name(origin: str) -> str:
    """An origin fit for a provenance comment's ``model=`` field (no spaces, no ``+``)."""
    return _MODEL_UNSAFE.sub("_", origin)


def _with_memory_comment(tcomment: str, unit: MemoryUnit, score: int) -> str:
    """``tcomment`` with its memory line replaced by one naming this match."""
    lines = [
        line for line in logical_lines(tcomment) if not line.strip().startswith(MEMORY_COMMENT)
    ]
    reviewer = unit.reviewer or "unknown"
    earlier = ", an earlier version" if unit.earlier else ""
    lines.append(
        f"{MEMORY_COMMENT} {score}% {unit.origin}{earlier} "
        f"({unit.kind.value}, reviewed by {reviewer})"
    )
    return "\n".join(lines)
