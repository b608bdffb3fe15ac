"""The check step: what QA finds in every catalog, the memory's consistency warning included.

Each catalog's own findings are followed by its ``inconsistent-translation`` warnings
(``tm.consistency``): reviewed entries that another catalog of the same language
translates differently; and, when asked, by its ``meaning`` warnings (``qa.meaning``).
A document not extracted yet in a language is a ``not-extracted`` finding: an error, so
that ``check`` in CI fails until every catalog exists, or a warning when missing
catalogs are allowed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

from translatio.languages import Language
from translatio.qa.checks import Finding, Severity, check_catalog
from translatio.qa.meaning import (
    ENCODER_LANGUAGES,
    NotChecked,
    load_encoder,
    meaning_findings,
    not_checked_summary,
)
from translatio.tm.consistency import inconsistencies
from translatio.workspace.partial import missing_catalogs
from translatio.workspace.workspace import CatalogSlot, Workspace

__all__ = ["NOT_EXTRACTED", "check", "inconsistent_translations", "meaning_flags"]

NOT_EXTRACTED = "not-extracted"
"""The code of the finding for a document with no catalog yet in a language."""

_logger = logging.getLogger("translatio")


def check(
    workspace: Workspace,
    languages: Sequence[Language],
    *,
    meaning: bool = False,
    allow_missing: bool = False,
) -> list[Finding]:
    """QA findings for every translated entry of every catalog, in catalog order.

    Each catalog's own findings are followed by its ``inconsistent-translation``
    warnings: reviewed entries whose source another catalog (or entry) of the same
    language translates differently, each naming the other place; with ``meaning``, by
    its ``meaning`` warnings (``meaning_flags``). Then one ``not-extracted`` finding per
    document and language without a catalog: an error, a warning with ``allow_missing``.
    """
    slots = list(workspace.catalogs(languages, skip_missing=True))
    inconsistent = inconsistent_translations(workspace, slots, languages)
    flagged = meaning_flags(workspace, slots) if meaning else {}
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
        findings.extend(flagged.get(path, ()))
    severity = Severity.WARNING if allow_missing else Severity.ERROR
    for missing in missing_catalogs(workspace, languages):
        findings.append(
            Finding(
                NOT_EXTRACTED,
                severity,
                f"{missing.document} is not extracted in {missing.language.code}: run "
                f"`translatio extract -l {missing.language.code}`",
                workspace.relative(missing.path),
                0,
                workspace.relative(missing.source),
            )
        )
    return findings


def meaning_flags(workspace: Workspace, slots: Sequence[CatalogSlot]) -> dict[str, list[Finding]]:
    """``meaning`` warnings by catalog path: translations the sentence encoder doubts.

    The encoder is loaded first (a ``ConfigError`` without the ``qe`` extra). The entries
    it cannot judge are counted and named in one ``translatio`` warning for all catalogs.
    """
    encoder = load_encoder()
    source = workspace.settings.source_language
    found: dict[str, list[Finding]] = {}
    not_checked: Counter[NotChecked] = Counter()
    unjudged: list[str] = []
    for language in dict.fromkeys(slot.language for slot in slots):
        report = meaning_findings(
            [
                (workspace.relative(slot.path), entry)
                for slot in slots
                if slot.language == language
                for entry in slot.catalog
            ],
            source=source,
            target=language,
            encoder=encoder,
        )
        for finding in report.findings:
            found.setdefault(finding.path, []).append(finding)
        not_checked += report.not_checked
        if report.not_checked[NotChecked.LANGUAGE]:
            unjudged += [
                code.code
                for code in (source, language)
                if code.primary not in ENCODER_LANGUAGES and code.code not in unjudged
            ]
    if not_checked:
        _logger.warning(not_checked_summary(not_checked, unjudged))
    return found


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
