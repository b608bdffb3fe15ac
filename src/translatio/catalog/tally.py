"""What filling a catalog did, counted by where each text came from.

``fill_catalog`` writes the answers; ``tally_fill`` compares its result with the catalog
it started from and counts, entry by entry: empty entries the engine filled, empty
entries the translation memory filled (every sentence of them a memory answer),
machine output refreshed to a different text, and human translations left alone. A
refresh that gives back exactly the text that was there is no change: the entry is
kept as it was (provenance, flags) and not counted, so a run whose output is identical
writes nothing.
"""

from __future__ import annotations

import copy

import polib

from translatio.catalog.provenance import (
    MEMORY_COMMENT,
    is_untouched_machine_output,
    read_provenance,
    was_reviewed,
)
from translatio.catalog.states import State, entry_state
from translatio.reports import TranslateReport

__all__ = ["count_left_alone", "is_memory_fill", "tally_fill"]


def is_memory_fill(entry: polib.POEntry) -> bool:
    """Whether the entry holds reviewed text the memory filled in, not yet reviewed here.

    Recall marks a paragraph it fills ``# translation memory: …``; the translate step
    marks one whose every sentence the memory answered with ``model=memory:…``.
    """
    if "fuzzy" not in entry.flags or not entry.msgstr:
        return False
    tcomment = entry.tcomment or ""
    if was_reviewed(tcomment):
        return False
    if any(line.strip().startswith(MEMORY_COMMENT) for line in tcomment.splitlines()):
        return True
    provenance = read_provenance(tcomment)
    return provenance is not None and _from_memory(provenance.model)


def _from_memory(model: str) -> bool:
    return all(part.startswith("memory:") for part in model.split("+"))


def count_left_alone(catalog: polib.POFile) -> int:
    """Human translations in the catalog: a person wrote, edited or approved them.

    Machine output, previews and memory fills awaiting review are not.
    """
    return sum(
        1
        for entry in catalog
        if entry.msgid
        and not entry.obsolete
        and entry.msgstr
        and not is_untouched_machine_output(entry)
        and entry_state(entry) is not State.PREVIEW
        and not is_memory_fill(entry)
    )


def tally_fill(
    before: polib.POFile, after: polib.POFile, *, other_engine: int = 0
) -> tuple[polib.POFile | None, TranslateReport]:
    """``after`` (``fill_catalog``'s copy of ``before``) with identical refreshes undone,
    and its counts; ``None`` instead of a catalog when nothing changed.

    ``other_engine`` is passed through to the report.
    """
    filled = memory = refreshed = 0
    changed = False
    for position, (old, new) in enumerate(zip(before, after, strict=True)):
        if old.msgstr == new.msgstr and old.tcomment == new.tcomment and old.flags == new.flags:
            continue
        if old.msgstr and old.msgstr == new.msgstr and old.previous_msgid is None:
            after[position] = copy.deepcopy(old)  # the same text again: nothing to record
            continue
        changed = True
        if old.msgstr:
            refreshed += 1
        elif is_memory_fill(new):
            memory += 1
        else:
            filled += 1
    report = TranslateReport(
        filled, refreshed, count_left_alone(after), other_engine=other_engine, memory=memory
    )
    return (after if changed else None), report
