"""The check step: what QA finds in every catalog, the memory's consistency warning included.

Each catalog's own findings are followed by its ``inconsistent-translation`` warnings
(``tm.consistency``): reviewed entries that another catalog of the same language
translates differently.
"""

from __future__ import annotations

from collections.abc import Sequence

from translatio.languages import Language
from translatio.qa.checks import Finding, check_catalog
from translatio.tm.consistency import inconsistencies
from translatio.workspace.workspace import CatalogSlot, Workspace

__all__ = ["check", "inconsistent_translations"]


def check(workspace: Workspace, languages: Sequence[Language]) -> list[Finding]:
    """QA findings for every translated entry of every catalog, in catalog order.

    Each catalog's own findings are followed by its ``inconsistent-translation``
    warnings: reviewed entries whose source another catalog (or entry) of the same
    language translates differently, each naming the other place.
    """
    slots = list(workspace.catalogs(languages))
    inconsistent = inconsistent_translations(workspace, slots, languages)
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


def inconsistent_translations(
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
