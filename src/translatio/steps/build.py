"""The build step: editions in each document's own format and as HTML, and review pages.

The edition text comes from ``edition``; this step decides whether it is complete
enough (``keep``), renders the HTML pages (standalone, bilingual, review) and writes them
through the workspace, reporting what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polib

from translatio.document import Document, Format, SegmentKind
from translatio.edition import Policy, build_edition, usable_translations
from translatio.errors import EditionError
from translatio.languages import Language
from translatio.render import render_bilingual, render_page
from translatio.reports import EditionReport, EditionState
from translatio.workspace import Workspace

__all__ = ["build", "build_one", "review_pages"]


def build(
    workspace: Workspace,
    languages: Sequence[Language],
    *,
    policy: Policy,
    keep: float,
    html: bool,
    bilingual: bool,
) -> list[EditionReport]:
    """Every document's edition in each of ``languages``; the caller holds the lock."""
    return [
        build_one(
            workspace,
            workspace.read_document(slot.source),
            slot.language,
            slot.catalog,
            policy=policy,
            keep=keep,
            html=html,
            bilingual=bilingual,
        )
        for slot in workspace.catalogs(languages)
    ]


def build_one(
    workspace: Workspace,
    document: Document,
    language: Language,
    catalog: polib.POFile,
    *,
    policy: Policy,
    keep: float,
    html: bool,
    bilingual: bool,
) -> EditionReport:
    """Build one document's edition in one language, or say why it was skipped."""
    edition = build_edition(document, catalog, policy=policy)
    if edition.completeness < keep:
        return EditionReport(
            document.name,
            language.code,
            EditionState.SKIPPED,
            edition.completeness,
            (),
            policy=policy.value,
            keep=keep,
        )
    outputs: list[tuple[Path, bytes]] = [
        (
            workspace.edition_path(document.name, language, document.suffix),
            edition.text.encode("utf-8"),
        ),
    ]
    if html:
        title = _title(document, catalog, policy)
        page = render_page(
            edition.text,
            document.format,
            language=language,
            title=title,
            machine_lines=edition.machine_lines,
        )
        outputs.append(
            (
                workspace.edition_path(document.name, language, ".html"),
                page.encode("utf-8"),
            )
        )
    if bilingual:
        page = render_bilingual(
            document,
            usable_translations(catalog, policy),
            source=workspace.settings.source_language,
            target=language,
            title=_title(document, catalog, policy),
        )
        outputs.append(
            (
                workspace.edition_path(document.name, language, ".bilingual.html"),
                page.encode("utf-8"),
            )
        )
    written = [workspace.write(path, data, error=EditionError) for path, data in outputs]
    return EditionReport(
        document.name,
        language.code,
        EditionState.WRITTEN if any(written) else EditionState.UNCHANGED,
        edition.completeness,
        tuple(workspace.relative(path) for path, _ in outputs),
        policy=policy.value,
    )


def _title(document: Document, catalog: polib.POFile, policy: Policy) -> str:
    """The first heading, translated when the policy allows; else the document name."""
    if document.format is Format.MARKDOWN:
        usable = usable_translations(catalog, policy)
        for segment in document.segments:
            if segment.kind is SegmentKind.HEADING:
                found = usable.get(segment.text)
                return found[0] if found else segment.text
    return document.name


def review_pages(workspace: Workspace, target: Language) -> list[tuple[str, bool]]:
    """Write ``editions/<lang>/<doc>.review.html`` for every document; (path, written)."""
    from translatio.review_page import render_review

    pages = []
    for slot in workspace.catalogs([target]):
        page = render_review(
            slot.catalog,
            source=workspace.settings.source_language,
            target=target,
            path=workspace.relative(slot.path),
            title=f"Review: {slot.document} ({target.code})",
            glossary=workspace.read_glossary(target),
        )
        output = workspace.edition_path(slot.document, target, ".review.html")
        written = workspace.write(output, page.encode("utf-8"), error=EditionError)
        pages.append((workspace.relative(output), written))
    return pages
