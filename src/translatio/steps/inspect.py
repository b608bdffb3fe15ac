"""The read-only steps: where each catalog stands (status), and what QA finds (check).

``check`` adds the translation memory's consistency warning across catalogs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translatio.catalog import build_template
from translatio.languages import Language
from translatio.qa import Finding, Severity, check_catalog
from translatio.states import CatalogStatus, catalog_status
from translatio.tm.consistency import inconsistencies
from translatio.workspace import CatalogSlot, Workspace

__all__ = ["check", "status"]


def status(workspace: Workspace, languages: Sequence[Language]) -> list[CatalogStatus]:
    """Counts per document and language.

    A catalog whose msgids no longer match the source is reported ``stale``: its counts
    describe the file, and extracting brings it up to date.
    """
    results = []
    current: dict[Path, set[str]] = {}
    source = workspace.settings.source_language
    slots = list(workspace.catalogs(languages))
    inconsistent = _inconsistencies(workspace, slots, languages)
    for slot in slots:
        if slot.source not in current:
            document = workspace.read_document(slot.source)
            current[slot.source] = {e.msgid for e in build_template(document, created="")}
        catalog = slot.catalog
        stale = current[slot.source] != {
            entry.msgid for entry in catalog if entry.msgid and not entry.obsolete
        }
        findings = check_catalog(
            catalog,
            slot.language,
            source=source,
            glossary=workspace.read_glossary(slot.language),
        )
        findings += inconsistent.get(workspace.relative(slot.path), [])
        errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
        results.append(
            catalog_status(
                slot.document,
                slot.language.code,
                catalog,
                qa=(errors, len(findings) - errors),
                stale=stale,
            )
        )
    return results


def check(workspace: Workspace, languages: Sequence[Language]) -> list[Finding]:
    """QA findings for every translated entry of every catalog, in catalog order.

    Each catalog's own findings are followed by its ``inconsistent-translation``
    warnings: reviewed entries whose source another catalog (or entry) of the same
    language translates differently, each naming the other place.
    """
    slots = list(workspace.catalogs(languages))
    inconsistent = _inconsistencies(workspace, slots, languages)
    findings = []
    for slot in slots:
        path = workspace.relative(slot.path)
        findings.extend(
            check_catalog(
                slot.catalog,
                slot.language,
                source=workspace.settings.source_language,
                path=path,
                glossary=workspace.read_glossary(slot.language),
            )
        )
        findings.extend(inconsistent.get(path, ()))
    return findings


def _inconsistencies(
    workspace: Workspace, slots: Sequence[CatalogSlot], languages: Sequence[Language]
) -> dict[str, list[Finding]]:
    """``inconsistent-translation`` warnings by catalog path, language by language."""
    found: dict[str, list[Finding]] = {}
    for language in languages:
        found |= inconsistencies(
            (workspace.relative(slot.path), slot.catalog)
            for slot in slots
            if slot.language == language
        )
    return found
