"""The approve step: machine output a reviewer accepts, in one language.

Approval clears the fuzzy flag of untouched machine output and records the reviewer and
date in the translator comment, so any PO editor (or none) fits the workflow; entries
with QA errors are refused unless forced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polib

from translatio.catalog.provenance import with_review
from translatio.catalog.states import State, entry_state
from translatio.catalog.values import copy_catalog, now_stamp
from translatio.languages import Language
from translatio.qa.checks import Severity, check_entry
from translatio.reports import ApprovalReport
from translatio.tm.history import record_history
from translatio.workspace.workspace import Workspace

__all__ = ["PREVIEW", "approve"]

PREVIEW = "preview"
"""The reason ``approve`` gives for refusing pseudo-localised preview output."""


def approve(
    workspace: Workspace,
    target: Language,
    *,
    references: Sequence[str],
    all_passing: bool,
    force: bool,
    reviewer: str,
) -> ApprovalReport:
    """Clear fuzzy on the chosen machine output; the caller holds the project lock."""
    if bool(references) == all_passing:
        raise ValueError("approve takes either references or all_passing")
    glossary = workspace.read_glossary(target)
    approved: list[str] = []
    refused: list[tuple[str, tuple[str, ...]]] = []
    unmatched = set(references)
    for slot in workspace.catalogs([target]):

        def choose(
            catalog: polib.POFile | None,
        ) -> tuple[polib.POFile | None, _Choice]:
            choice = _Choice()
            if catalog is None:
                return None, choice
            catalog = copy_catalog(catalog)  # what was read stays as read
            for entry in catalog:
                state = entry_state(entry)
                if state not in (State.MACHINE, State.PREVIEW):
                    continue
                refs = {f"{source}:{line}" for source, line in entry.occurrences}
                if references and not refs & set(references):
                    continue
                choice.matched |= refs
                label = sorted(refs)[0] if refs else entry.msgid[:40]
                if state is State.PREVIEW:  # not a translation, whatever --force says
                    choice.refused.append((label, (PREVIEW,)))
                    continue
                errors = tuple(
                    f.code
                    for f in check_entry(entry, target, glossary=glossary)
                    if f.severity is Severity.ERROR
                )
                if errors and not force:
                    choice.refused.append((label, errors))
                    continue
                entry.flags.remove("fuzzy")
                entry.tcomment = with_review(entry.tcomment or "", reviewer, now_stamp())
                choice.approved.append(label)
            if not choice.approved:
                return None, choice
            catalog.metadata["PO-Revision-Date"] = now_stamp()
            return catalog, choice

        _, choice = workspace.commit_catalog(slot.snapshot, choose(slot.catalog), choose)
        approved.extend(choice.approved)
        refused.extend(choice.refused)
        unmatched -= choice.matched
    if approved:  # the history notes the reviews now, with their reviewer and time
        record_history(
            workspace,
            target,
            ((slot.document, slot.catalog) for slot in workspace.catalogs([target])),
        )
    return ApprovalReport(target.code, tuple(approved), tuple(refused), tuple(sorted(unmatched)))


@dataclass(slots=True)
class _Choice:
    """What one approval pass over a catalog did (rebuilt if it is applied again)."""

    approved: list[str] = field(default_factory=list)
    """Labels of the entries approved."""
    refused: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """Labels and QA error codes of entries held back."""
    matched: set[str] = field(default_factory=set)
    """References of ``--entry`` that named machine output."""
