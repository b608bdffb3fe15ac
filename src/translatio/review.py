"""Review steps over a project: QA findings for every catalog, and approving machine output.

Approval clears the fuzzy flag of untouched machine output and records the reviewer and
date in the translator comment, so any PO editor (or none) fits the workflow; entries
with QA errors are refused unless forced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polib

from translatio.catalog import copy_catalog, now_stamp
from translatio.errors import CatalogError, EditionError
from translatio.provenance import with_review
from translatio.qa import Finding, Severity, check_catalog, check_entry
from translatio.reports import ApprovalReport
from translatio.status import State, entry_state

if TYPE_CHECKING:
    from translatio.project import Project

__all__ = ["PREVIEW", "approve", "check", "write_review_pages"]

PREVIEW = "preview"
"""The reason ``approve`` gives for refusing pseudo-localised preview output."""


def check(project: Project, languages: Iterable[str] | None = None) -> list[Finding]:
    """QA findings for every translated entry of every catalog, in catalog order."""
    workspace = project.workspace
    findings = []
    for path in workspace.source_paths():
        for language in project.languages(languages):
            catalog_path = workspace.catalog_path(path.stem, language)
            catalog = workspace.read_catalog(catalog_path)
            if catalog is not None:
                relative = workspace.relative(catalog_path)
                glossary = workspace.read_glossary(language)
                findings.extend(
                    check_catalog(
                        catalog,
                        language,
                        source=project.settings.source_language,
                        path=relative,
                        glossary=glossary,
                    )
                )
    return findings


def approve(
    project: Project,
    language: str,
    *,
    references: Sequence[str],
    all_passing: bool,
    force: bool,
    reviewer: str,
) -> ApprovalReport:
    """Clear fuzzy on the chosen machine output; the caller holds the project lock."""
    if not references and not all_passing:
        raise CatalogError(
            "nothing to approve",
            hint="name entries with --entry source/<doc>:LINE, or use --all-passing",
        )
    if references and all_passing:
        raise CatalogError(
            "--entry and --all-passing exclude each other",
            hint="name entries with --entry, or approve everything that passes with --all-passing",
        )
    workspace = project.workspace
    [target] = project.languages([language])
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


def write_review_pages(project: Project, language: str) -> list[tuple[str, bool]]:
    """Write ``editions/<lang>/<doc>.review.html`` for every document; (path, written)."""
    from translatio.review_page import render_review

    workspace = project.workspace
    [target] = project.languages([language])
    pages = []
    for slot in workspace.catalogs([target]):
        page = render_review(
            slot.catalog,
            source=project.settings.source_language,
            target=target,
            path=workspace.relative(slot.path),
            title=f"Review: {slot.document} ({target.code})",
            glossary=workspace.read_glossary(target),
        )
        output = workspace.edition_path(slot.document, target, ".review.html")
        written = workspace.write(output, page.encode("utf-8"), error=EditionError)
        pages.append((workspace.relative(output), written))
    return pages
