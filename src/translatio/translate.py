"""Filling a catalog from an engine, under the machine-output policy.

* Engines fill empty entries only.
* Output is marked ``fuzzy`` and gets a provenance comment (engine, model, score, hash).
* An entry is re-translated only while it is untouched machine output: its text still
  matches the recorded hash and it is still fuzzy. That happens when its source changed
  (merge left a ``#|`` previous msgid) or when the caller asks for ``refresh``.
* Anything a person edited or approved is never touched again.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polib

from translatio.catalog import now_stamp
from translatio.engines.base import Engine
from translatio.errors import EngineError
from translatio.languages import Language
from translatio.provenance import (
    Provenance,
    is_untouched_machine_output,
    text_hash,
    with_provenance,
)

__all__ = ["TranslateReport", "entries_to_translate", "translate_catalog"]

BATCH_SIZE = 64
"""Entries sent to an engine per call: small enough for steady progress reports."""


@dataclass(frozen=True, slots=True)
class TranslateReport:
    """What one catalog's machine translation did."""

    filled: int
    """Empty entries that got machine output."""
    refreshed: int
    """Untouched machine output that was translated again."""
    protected: int
    """Entries left alone because a person wrote, edited or approved them."""


def entries_to_translate(catalog: polib.POFile, *, refresh: bool) -> list[polib.POEntry]:
    """Active entries the engine may write: empty ones, and untouched MT that is stale."""
    chosen = []
    for entry in catalog:
        if entry.obsolete or entry.msgid == "" or entry.msgid_plural:
            continue
        stale = refresh or entry.previous_msgid is not None
        if not entry.msgstr or (stale and is_untouched_machine_output(entry)):
            chosen.append(entry)
    return chosen


def translate_catalog(
    catalog: polib.POFile,
    engine: Engine,
    *,
    source: Language,
    target: Language,
    refresh: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[polib.POFile, TranslateReport]:
    """A copy of ``catalog`` with machine output written where the policy allows.

    ``on_progress`` is called with the number of entries done after each batch.
    """
    result = copy.deepcopy(catalog)
    chosen = entries_to_translate(result, refresh=refresh)
    filled = refreshed = 0
    for batch in _batches(chosen, BATCH_SIZE):
        texts = [entry.msgid for entry in batch]
        translations = engine.translate(texts, source=source, target=target)
        if len(translations) != len(texts):
            raise EngineError(
                f"engine {engine.name!r} returned {len(translations)} translations "
                f"for {len(texts)} texts",
                hint="this is a bug in the engine; report it with the command you ran",
            )
        for entry, translation in zip(batch, translations, strict=True):
            if entry.msgstr:
                refreshed += 1
            else:
                filled += 1
            provenance = Provenance(
                engine=engine.name,
                model=translation.model,
                score=translation.score,
                digest=text_hash(translation.text),
            )
            entry.msgstr = translation.text
            entry.tcomment = with_provenance(entry.tcomment or "", provenance)
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            entry.previous_msgctxt = None
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
        if on_progress is not None:
            on_progress(len(batch))
    if filled or refreshed:
        result.metadata["PO-Revision-Date"] = now_stamp()
    written = {id(entry) for entry in chosen}
    protected = sum(
        1
        for entry in result
        if entry.msgstr
        and not entry.obsolete
        and id(entry) not in written
        and not is_untouched_machine_output(entry)
    )
    return result, TranslateReport(filled=filled, refreshed=refreshed, protected=protected)


def _batches(entries: Sequence[polib.POEntry], size: int) -> list[Sequence[polib.POEntry]]:
    return [entries[start : start + size] for start in range(0, len(entries), size)]
