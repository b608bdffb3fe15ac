"""The status step: where each catalog stands, counted per document and language.

A document not extracted yet in a language has no catalog to count: it is named in a
warning (``workspace.partial``), and the others are counted all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translatio.catalog.states import CatalogStatus, State, catalog_status
from translatio.catalog.values import build_template
from translatio.languages import Language
from translatio.qa.checks import Severity, check_catalog
from translatio.steps.check import inconsistent_translations
from translatio.workspace.partial import missing_catalogs, report_missing
from translatio.workspace.workspace import Workspace

__all__ = ["status"]


def status(workspace: Workspace, languages: Sequence[Language]) -> list[CatalogStatus]:
    """Counts per document and language.

    A catalog whose msgids no longer match the source is reported ``stale``: its counts
    describe the file, and extracting brings it up to date. Documents without a catalog
    in a language are named in one warning per language and listed as not extracted.
    """
    results = []
    current: dict[Path, set[str]] = {}
    source = workspace.settings.source_language
    slots = list(workspace.catalogs(languages, skip_missing=True))
    report_missing(workspace, languages)
    inconsistent = inconsistent_translations(workspace, slots, languages)
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
    zero = dict.fromkeys(State, 0)
    for item in missing_catalogs(workspace, languages):
        results.append(
            CatalogStatus(item.document, item.language.code, zero, zero, extracted=False)
        )
    documents = {workspace.document_id(path): n for n, path in enumerate(workspace.source_paths())}
    ranks = {language.code: n for n, language in enumerate(languages)}
    results.sort(key=lambda item: (documents.get(item.document, 0), ranks[item.language]))
    return results
