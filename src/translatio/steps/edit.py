"""The edit step: one entry changed by a person outside a PO editor (the review desk).

A change names the entry (``entry_key``: a fingerprint of its msgctxt and msgid) and the
text the person saw (``base``: ``text_hash`` of that msgstr). It is applied only while
the entry still holds that text: if anyone changed it meanwhile (another editor in the
desk, a translator saving in Poedit, a ``translate`` run), nothing is written and the
current text comes back as a conflict, so nobody's work is overwritten unseen. The write
goes through ``Workspace.commit_catalog`` like every step's (a save that lands between
the read and the write is read again and the change checked against it once more).

Actions: ``save`` the text (fuzzy unless ``reviewed``: a person's text awaiting review),
``approve`` the text as it stands (fuzzy cleared; refused for previews and, unless
forced, for QA errors, as ``translatio approve`` refuses them), ``reject`` it back to
fuzzy. Every applied change records the reviewer and time in the entry's comment (as
``approve`` does) and in the language's append-only review log,
``locales/<lang>/review.log`` (one JSON object per line).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import polib

from translatio.catalog.provenance import text_hash, with_review
from translatio.catalog.states import State, entry_state
from translatio.catalog.values import copy_catalog, now_stamp
from translatio.errors import CatalogError
from translatio.languages import Language
from translatio.qa.checks import Severity, check_entry
from translatio.text.glossary import Glossary
from translatio.workspace.workspace import Workspace

__all__ = [
    "REVIEW_LOG",
    "Action",
    "Change",
    "EditResult",
    "Outcome",
    "base_of",
    "edit_entry",
    "entry_key",
    "review_log_path",
]

REVIEW_LOG = "review.log"
"""The append-only log of desk changes, in each language's folder under the catalogs."""
MAX_TEXT = 100_000
"""Characters a translation typed in the desk may have."""


class Action(StrEnum):
    """What a person does to an entry."""

    SAVE = "save"
    APPROVE = "approve"
    REJECT = "reject"


class Outcome(StrEnum):
    """How a change ended."""

    DONE = "done"
    """Written."""
    UNCHANGED = "unchanged"
    """The entry already was what the change asked for: nothing written."""
    CONFLICT = "conflict"
    """The entry no longer holds the text the person saw: nothing written."""
    REFUSED = "refused"
    """Not allowed (a preview approved, QA errors): nothing written."""
    GONE = "gone"
    """No such entry (the source changed): nothing written."""


@dataclass(frozen=True, slots=True)
class Change:
    """One person's change to one entry."""

    document: str
    key: str
    """``entry_key`` of the entry."""
    base: str
    """``base_of`` the text the person saw."""
    action: Action
    text: str
    """The new text (``save`` only)."""
    reviewer: str
    reviewed: bool = False
    """``save``: the text is reviewed too (fuzzy cleared)."""
    force: bool = False
    """``approve``: despite QA errors."""


@dataclass(frozen=True, slots=True)
class EditResult:
    """What became of a change."""

    outcome: Outcome
    current: str
    """The entry's text now (after the change, or the one that stopped it)."""
    reasons: tuple[str, ...] = ()
    """Why it was refused (QA error codes, ``preview``)."""


def entry_key(entry: polib.POEntry) -> str:
    """A short fingerprint naming an entry in its catalog (msgctxt and msgid)."""
    data = f"{entry.msgctxt or ''}\x04{entry.msgid}".encode()
    return hashlib.sha256(data).hexdigest()[:16]


def base_of(entry: polib.POEntry) -> str:
    """What a change must find for the entry to be unchanged since it was shown."""
    return f"{text_hash(entry.msgstr)}:{int('fuzzy' in entry.flags)}"


def review_log_path(workspace: Workspace, language: Language) -> Path:
    """``locales/<lang>/review.log``."""
    return workspace.root / workspace.settings.locales_dir / language.code / REVIEW_LOG


def edit_entry(workspace: Workspace, language: Language, change: Change) -> EditResult:
    """Apply ``change`` to its catalog in ``language``; the caller holds the project lock."""
    known = {workspace.document_id(source) for source in workspace.source_paths()}
    if change.document not in known:  # a name from a request never becomes a path unchecked
        return EditResult(Outcome.GONE, "")
    catalog, snapshot = workspace.read_snapshot(workspace.catalog_path(change.document, language))
    text = change.text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT or "\x00" in text:
        return EditResult(Outcome.REFUSED, "", ("text too long or holding a NUL character",))
    reviewer = " ".join(change.reviewer.split())[:200] or "unknown"
    glossary = workspace.read_glossary(language)
    stamp = now_stamp()

    def apply(catalog: polib.POFile | None) -> tuple[polib.POFile | None, EditResult]:
        if catalog is None:
            return None, EditResult(Outcome.GONE, "")
        result = copy_catalog(catalog)
        entry = next(
            (e for e in result if e.msgid and not e.obsolete and entry_key(e) == change.key),
            None,
        )
        if entry is None:
            return None, EditResult(Outcome.GONE, "")
        if base_of(entry) != change.base:
            return None, EditResult(Outcome.CONFLICT, entry.msgstr)
        outcome = _change(entry, change, text, reviewer, stamp, language, glossary)
        if outcome.outcome is not Outcome.DONE:
            return None, outcome
        result.metadata["PO-Revision-Date"] = stamp
        return result, outcome

    _, outcome = workspace.commit_catalog(snapshot, apply(catalog), apply)
    if outcome.outcome is Outcome.DONE:
        _log(workspace, language, change, reviewer, stamp, outcome.current)
    return outcome


def _change(
    entry: polib.POEntry,
    change: Change,
    text: str,
    reviewer: str,
    stamp: str,
    language: Language,
    glossary: Glossary,
) -> EditResult:
    """``change`` made to ``entry`` in place (the copy being written), or why not."""
    fuzzy = "fuzzy" in entry.flags
    if change.action is Action.SAVE:
        reviewed = change.reviewed and bool(text)
        if text == entry.msgstr and reviewed != fuzzy:
            return EditResult(Outcome.UNCHANGED, entry.msgstr)
        entry.msgstr = text
        _set_fuzzy(entry, not reviewed)
        if reviewed:
            entry.tcomment = with_review(entry.tcomment or "", reviewer, stamp)
        return EditResult(Outcome.DONE, entry.msgstr)
    if change.action is Action.REJECT:
        if fuzzy or not entry.msgstr:
            return EditResult(Outcome.UNCHANGED, entry.msgstr)
        _set_fuzzy(entry, True)
        return EditResult(Outcome.DONE, entry.msgstr)
    if not entry.msgstr:
        return EditResult(Outcome.REFUSED, entry.msgstr, ("untranslated",))
    if entry_state(entry) is State.PREVIEW:
        return EditResult(Outcome.REFUSED, entry.msgstr, ("preview",))
    if not fuzzy:
        return EditResult(Outcome.UNCHANGED, entry.msgstr)
    errors = tuple(
        finding.code
        for finding in check_entry(entry, language, glossary=glossary)
        if finding.severity is Severity.ERROR
    )
    if errors and not change.force:
        return EditResult(Outcome.REFUSED, entry.msgstr, errors)
    _set_fuzzy(entry, False)
    entry.tcomment = with_review(entry.tcomment or "", reviewer, stamp)
    return EditResult(Outcome.DONE, entry.msgstr)


def _set_fuzzy(entry: polib.POEntry, fuzzy: bool) -> None:
    if fuzzy and "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    elif not fuzzy and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")


def _log(
    workspace: Workspace,
    language: Language,
    change: Change,
    reviewer: str,
    stamp: str,
    text: str,
) -> None:
    """Append one line to the review log (never rewritten; flushed to disk)."""
    path = workspace.inside(review_log_path(workspace, language))
    record = {
        "time": stamp,
        "reviewer": reviewer,
        "document": change.document,
        "entry": change.key,
        "action": change.action.value,
        "reviewed": change.reviewed,
        "text": text,
    }
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(line)
            log.flush()
            os.fsync(log.fileno())
    except OSError as error:
        raise CatalogError(
            f"the change was saved in the catalog, but the review log cannot be written: "
            f"{error.strerror or error}",
            path=workspace.relative(path),
            hint="check the disk and the folder's permissions",
        ) from None
