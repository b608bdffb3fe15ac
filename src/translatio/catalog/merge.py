"""Merging a template into a language catalog with GNU ``msgmerge --previous`` semantics.

* An exact match (same msgctxt and msgid, active or obsolete) keeps its translation,
  flags and translator comments; an obsolete one is resurrected.
* Otherwise the most similar translated message (similarity > 0.6, as ``msgmerge``'s
  ``fstrcmp``) is carried over as ``fuzzy`` with the old msgid in ``#|``. As in
  ``msgmerge``, a candidate must share a 4-character n-gram with the new msgid, and msgids
  under 4 characters are compared only with short messages; so "Save" never inherits the
  translation of "Same".
* Translated messages nobody uses any more become obsolete (``#~``); untranslated ones go.

``polib.POFile.merge`` is not used: it has no fuzzy matching and drops plural translations.
Similarity is rapidfuzz's Indel ratio, which is ``fstrcmp``'s measure, computed without
difflib's autojunk heuristic that misses small edits in long paragraphs.

A merge also restores translatio's own bookkeeping (its ``X-Generator`` and
``X-Translatio-Template`` headers, the header order, the line recording a fuzzy flag
cleared in an editor). ``only_bookkeeping_differs`` tells a caller that this is all a
new catalog would change, so the file is not rewritten for it: another tool's save
(Babel, Poedit) costs no diff, and the bookkeeping is written with the next real change.
"""

from __future__ import annotations

import copy
from functools import lru_cache

import polib

from translatio.catalog.provenance import carried_comment
from translatio.catalog.values import TEMPLATE_HEADER, header_for_language, same_entries
from translatio.languages import Language
from translatio.reports import MergeReport

__all__ = ["FUZZY_THRESHOLD", "merge_catalog", "only_bookkeeping_differs"]

FUZZY_THRESHOLD = 0.6
"""A fuzzy match must be strictly more similar than this (``msgmerge``'s constant)."""

_SHORT_STRING_CHARS = 3
_SHORT_MESSAGE_MAX_BYTES = 28
_OURS = frozenset({"X-Generator", TEMPLATE_HEADER})
"""Headers that say which tool wrote the file and from which template: other tools set
their own or drop them, and translatio keeps what it needs of them in its own records."""


def merge_catalog(
    template: polib.POFile, previous: polib.POFile | None, language: Language
) -> tuple[polib.POFile, MergeReport]:
    """The language catalog for ``template``, carrying over what ``previous`` had."""
    merged = polib.POFile(wrapwidth=0)
    merged.header, merged.metadata = header_for_language(template, previous, language)
    old_entries = _definitions(previous)
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in old_entries:  # active entries come first, so they win over obsolete ones
        exact.setdefault((entry.msgctxt, entry.msgid), entry)
    # Fuzzy candidates that no exact match claims come first: an edited paragraph's old
    # version is usually among them, and finding the best match early lets rapidfuzz
    # discard the rest quickly (same result, several times faster on long catalogs).
    claimed = {
        id(exact[key])
        for key in ((entry.msgctxt, entry.msgid) for entry in template)
        if key in exact
    }
    translated = sorted(
        (entry for entry in old_entries if _has_translation(entry)),
        key=lambda entry: id(entry) in claimed,
    )
    index = _match_index(tuple(entry.msgid for entry in translated)) if translated else None
    used: set[int] = set()
    counts = {"kept": 0, "fuzzy": 0, "new": 0, "resurrected": 0}
    for template_entry in template:
        match = exact.get((template_entry.msgctxt, template_entry.msgid))
        if match is not None:
            entry = _carry(template_entry, match, fuzzy_from=None)
            counts["resurrected" if match.obsolete else "kept"] += 1
        else:
            position = index.best(template_entry.msgid) if index is not None else None
            match = None if position is None else translated[position]
            if match is not None:
                entry = _carry(template_entry, match, fuzzy_from=match)
                counts["fuzzy"] += 1
            else:
                entry = _fresh(template_entry)
                counts["new"] += 1
        if match is not None:
            used.add(id(match))
        merged.append(entry)
    obsoleted = 0
    for old in old_entries:
        if id(old) in used or not _has_translation(old):
            continue
        merged.append(_obsolete(old))
        obsoleted += 0 if old.obsolete else 1
    return merged, MergeReport(obsoleted=obsoleted, **counts)


def only_bookkeeping_differs(on_disk: polib.POFile, new: polib.POFile) -> bool:
    """Whether ``new`` differs from the catalog ``on_disk`` only in translatio's bookkeeping.

    Entries must say the same, except translator comments that are exactly what a merge
    carries over from the file's (``carried_comment``: an editor's cleared fuzzy flag
    recorded, a stale list of untranslated words dropped). Every header ``new`` sets
    must be in the file with the same value (spacing and the charset's case aside),
    except translatio's own ``X-Generator`` and ``X-Translatio-Template``; order does
    not count, nor headers only another tool writes (Babel's ``Generated-By``).
    """
    if _comment_lines(on_disk.header) != _comment_lines(new.header):
        return False
    old_headers = {key: _header_value(key, value) for key, value in on_disk.metadata.items()}
    for key, value in new.metadata.items():
        if key not in _OURS and old_headers.get(key) != _header_value(key, value):
            return False
    if len(on_disk) != len(new):
        return False
    settled = []
    for old, entry in zip(on_disk, new, strict=True):
        if (old.tcomment or "") != (entry.tcomment or "") and entry.tcomment == carried_comment(
            old.tcomment or "", old.msgstr, accepted="fuzzy" not in old.flags and bool(old.msgstr)
        ):
            old = copy.copy(old)
            old.tcomment = entry.tcomment
        settled.append(old)
    return same_entries(settled, new)


def _comment_lines(header: str | None) -> list[str]:
    return [line.rstrip() for line in (header or "").strip().splitlines()]


def _header_value(key: str, value: str) -> str:
    spaced = " ".join(value.split())
    return spaced.lower() if key.lower() == "content-type" else spaced


def _definitions(previous: polib.POFile | None) -> list[polib.POEntry]:
    if previous is None:
        return []
    active = [entry for entry in previous if not entry.obsolete and entry.msgid != ""]
    obsolete = [entry for entry in previous if entry.obsolete]
    return active + obsolete


def _has_translation(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return any(value for value in entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _fresh(template_entry: polib.POEntry) -> polib.POEntry:
    entry = polib.POEntry(
        msgctxt=template_entry.msgctxt,
        msgid=template_entry.msgid,
        msgstr="",
        occurrences=list(template_entry.occurrences),
        comment=template_entry.comment,
    )
    if template_entry.msgid_plural:
        entry.msgid_plural = template_entry.msgid_plural
        entry.msgstr_plural = {0: "", 1: ""}
    return entry


def _carry(
    template_entry: polib.POEntry, old: polib.POEntry, *, fuzzy_from: polib.POEntry | None
) -> polib.POEntry:
    """The template entry with ``old``'s translation, translator comment and flags."""
    entry = _fresh(template_entry)
    accepted = "fuzzy" not in old.flags and _has_translation(old)
    entry.tcomment = carried_comment(old.tcomment or "", old.msgstr, accepted=accepted)
    entry.flags = list(old.flags)
    if old.msgid_plural and template_entry.msgid_plural:
        entry.msgstr_plural = dict(old.msgstr_plural)
    elif old.msgid_plural:
        entry.msgstr = old.msgstr_plural.get(0, "")
    elif template_entry.msgid_plural:
        entry.msgstr_plural = {0: old.msgstr, 1: ""}
    else:
        entry.msgstr = old.msgstr
    if fuzzy_from is None:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    else:
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        entry.previous_msgctxt = fuzzy_from.msgctxt
        entry.previous_msgid = fuzzy_from.msgid
        entry.previous_msgid_plural = fuzzy_from.msgid_plural or None
    if "fuzzy" in entry.flags and not _has_translation(entry):
        entry.flags.remove("fuzzy")
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = polib.POEntry(
        msgctxt=old.msgctxt,
        msgid=old.msgid,
        msgstr=old.msgstr,
        tcomment=old.tcomment,
        flags=list(old.flags),
        previous_msgctxt=old.previous_msgctxt,
        previous_msgid=old.previous_msgid,
        obsolete=True,
    )
    if old.msgid_plural:
        entry.msgid_plural = old.msgid_plural
        entry.msgstr_plural = dict(old.msgstr_plural)
    return entry


@lru_cache(maxsize=64)
def _match_index(msgids: tuple[str, ...]) -> _MatchIndex:
    """Shared by every language whose catalog has the same translated msgids."""
    return _MatchIndex(msgids)


class _MatchIndex:
    """Fuzzy lookup among translated msgids, with ``msgmerge``'s candidate rules."""

    def __init__(self, msgids: tuple[str, ...]) -> None:
        self._msgids = msgids
        self._short = [
            position
            for position, msgid in enumerate(msgids)
            if len(msgid.encode("utf-8")) <= _SHORT_MESSAGE_MAX_BYTES
        ]
        self._cache: dict[str, int | None] = {}

    def best(self, msgid: str) -> int | None:
        if msgid not in self._cache:
            self._cache[msgid] = self._search(msgid)
        return self._cache[msgid]

    def _search(self, msgid: str) -> int | None:
        from rapidfuzz import fuzz, process

        cutoff = FUZZY_THRESHOLD * 100
        if len(msgid) <= _SHORT_STRING_CHARS:
            pool = {position: self._msgids[position] for position in self._short}
            found = process.extractOne(msgid, pool, scorer=fuzz.ratio, score_cutoff=cutoff)
            return found[2] if found is not None and found[1] > cutoff else None
        grams = set(_four_grams(msgid))
        best = process.extractOne(msgid, self._msgids, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None or best[1] <= cutoff:
            return None
        if not grams.isdisjoint(_four_grams(self._msgids[best[2]])):
            return int(best[2])
        # The most similar message shares no 4-gram: msgmerge would not have seen it.
        # Look further down the list for the best one that does.
        for _, score, position in process.extract(
            msgid, self._msgids, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            if score > cutoff and not grams.isdisjoint(_four_grams(self._msgids[position])):
                return int(position)
        return None


def _four_grams(text: str) -> list[str]:
    return [text[index : index + 4] for index in range(len(text) - 3)]
