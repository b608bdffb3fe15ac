"""The build step: editions in each document's own format and as HTML, and review pages.

The edition text comes from ``edition``; this step decides whether it is complete
enough (``keep``), renders the HTML pages (standalone, bilingual, review) and writes them
through the workspace, reporting what happened. With HTML, the editions form a site
(``site``): each document's original as ``editions/<source>/<doc>.html``, every page
linked to the other editions that exist, and ``editions/index.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import polib

from translatio.errors import EditionError
from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.edition import Edition, Policy, build_edition
from translatio.publish.edition_page import bilingual_page, edition_page_html
from translatio.publish.page_titles import PageTitle, page_title
from translatio.publish.site import INDEX, SiteEntry, SiteState, render_index
from translatio.reports import EditionReport, EditionState
from translatio.text.document import Document
from translatio.workspace.workspace import CatalogSlot, Workspace

__all__ = ["build"]


@dataclass(frozen=True, slots=True)
class Planned:
    """One document's edition in one language, built in memory before anything is written."""

    language: Language
    """The edition's language."""
    catalog: polib.POFile
    """Its catalog."""
    edition: Edition
    """The edition under the run's policy."""
    title: PageTitle
    """Its title and description."""
    entry: SiteEntry
    """What the site says about it."""


def build(
    workspace: Workspace,
    languages: Sequence[Language],
    *,
    policy: Policy,
    keep: float,
    html: bool,
    bilingual: bool,
) -> list[EditionReport]:
    """Every document's edition in each of ``languages``; the caller holds the lock.

    With ``html`` the site's pages are written too: the originals and the index (when at
    least one translated edition is published), and links to the editions of languages
    outside ``languages`` that an earlier build wrote and that this policy would publish.
    """
    chosen = tuple(languages)
    reports: list[EditionReport] = []
    entries: list[SiteEntry] = []
    for source, slots in groupby(workspace.catalogs(chosen), key=lambda slot: slot.source):
        document = workspace.read_document(source)
        planned = [_plan(workspace, document, slot, policy=policy) for slot in slots]
        site = _site(workspace, document, planned, chosen, policy=policy, keep=keep, html=html)
        members = [entry for entry in site if entry.published]
        for plan in planned:
            reports.append(
                _write_edition(
                    workspace,
                    document,
                    plan,
                    members,
                    policy=policy,
                    keep=keep,
                    html=html,
                    bilingual=bilingual,
                )
            )
        if html and len(members) > 1:
            _write_original(workspace, document, members)
        entries += site
    if html and any(entry.published and entry.state is not SiteState.ORIGINAL for entry in entries):
        entries.sort(key=lambda entry: entry.document)  # stable: each document's order kept
        index = render_index(entries, source=workspace.settings.source_language)
        path = workspace.root / workspace.settings.editions_dir / INDEX
        workspace.write(path, index.encode("utf-8"), error=EditionError)
    return reports


def _plan(
    workspace: Workspace, document: Document, slot: CatalogSlot, *, policy: Policy
) -> Planned:
    return _plan_edition(workspace, document, slot.language, slot.catalog, policy=policy)


def _plan_edition(
    workspace: Workspace,
    document: Document,
    language: Language,
    catalog: polib.POFile,
    *,
    policy: Policy,
) -> Planned:
    words = messages.translator(language)
    edition = build_edition(
        document,
        catalog,
        policy=policy,
        notice=words(messages.DRAFT_NOTICE),
        preview_notice=words(messages.PREVIEW_NOTICE),
    )
    title = page_title(
        document,
        edition.usable,
        source=workspace.settings.source_language,
        target=language,
    )
    state = SiteState.DRAFT if edition.machine_segments else SiteState.REVIEWED
    entry = SiteEntry(
        document.name,
        language,
        state,
        title.title,
        title.language,
        edition.completeness,
        edition.reviewed,
    )
    return Planned(language, catalog, edition, title, entry)


def _site(
    workspace: Workspace,
    document: Document,
    planned: Sequence[Planned],
    chosen: Sequence[Language],
    *,
    policy: Policy,
    keep: float,
    html: bool,
) -> list[SiteEntry]:
    """The document in every configured language, the original first, as the site shows it."""
    source = workspace.settings.source_language
    original = page_title(document, {}, source=source, target=source)
    site = [SiteEntry(document.name, source, SiteState.ORIGINAL, original.title)]
    built = {plan.language: plan for plan in planned}
    for language in workspace.settings.languages:
        if language in built:
            entry = built[language].entry
            published = html and built[language].edition.completeness >= keep
        elif language in chosen or not html:
            continue
        else:
            entry, published = _earlier_edition(workspace, document, language, policy, keep)
        if not published:
            entry = SiteEntry(
                document.name,
                language,
                SiteState.NOT_PUBLISHED,
                completeness=entry.completeness,
                reviewed=entry.reviewed,
            )
        site.append(entry)
    return site


def _earlier_edition(
    workspace: Workspace, document: Document, language: Language, policy: Policy, keep: float
) -> tuple[SiteEntry, bool]:
    """A language outside this build: what this policy makes of it, and whether its page
    (written by an earlier build) is there to link to."""
    catalog = workspace.read_catalog(workspace.catalog_path(document.name, language))
    if catalog is None:
        return SiteEntry(document.name, language, SiteState.NOT_PUBLISHED), False
    plan = _plan_edition(workspace, document, language, catalog, policy=policy)
    page = workspace.edition_path(document.name, language, ".html")
    exists = workspace.inside(page, error=EditionError).is_file()
    return plan.entry, exists and plan.edition.completeness >= keep


def _write_edition(
    workspace: Workspace,
    document: Document,
    plan: Planned,
    members: Sequence[SiteEntry],
    *,
    policy: Policy,
    keep: float,
    html: bool,
    bilingual: bool,
) -> EditionReport:
    """Write one edition's files, or report it skipped for being under ``keep``."""
    edition, language = plan.edition, plan.language
    if edition.completeness < keep:
        return EditionReport(
            document.name,
            language.code,
            EditionState.SKIPPED,
            edition.completeness,
            (),
            policy=policy.value,
            keep=keep,
            preview=edition.previewed,
        )
    outputs: list[tuple[Path, bytes]] = [
        (
            workspace.edition_path(document.name, language, document.suffix),
            edition.text.encode("utf-8"),
        ),
    ]
    source = workspace.settings.source_language
    if html:
        page = edition_page_html(document, edition, plan.title, plan.entry, members, source=source)
        outputs.append(
            (workspace.edition_path(document.name, language, ".html"), page.encode("utf-8"))
        )
    if bilingual:
        page = bilingual_page(
            document,
            edition.usable,
            plan.title,
            source=source,
            target=language,
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
        preview=edition.previewed,
    )


def _write_original(workspace: Workspace, document: Document, members: Sequence[SiteEntry]) -> bool:
    """``editions/<source>/<doc>.html``: the original, linked like its editions."""
    source = workspace.settings.source_language
    edition = build_edition(document, polib.POFile(), policy=Policy.REVIEWED)
    title = page_title(document, {}, source=source, target=source)
    page = edition_page_html(document, edition, title, members[0], members, source=source)
    path = workspace.edition_path(document.name, source, ".html")
    return workspace.write(path, page.encode("utf-8"), error=EditionError)
