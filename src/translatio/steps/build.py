"""The build step: editions in each document's own format and as HTML, as one site.

The edition text comes from ``edition``; this step decides whether it is complete
enough (``keep``), renders the HTML pages (standalone, bilingual) and writes them
through a ``site_files.Tree``: reviewed editions to ``editions/``, drafts to
``drafts/``, never one into the other. With HTML, each tree is a site (``site``): each
document's original as ``<tree>/<source>/<doc>.html``, every page linked to every other
edition of its document that the tree publishes (pages of languages outside this build
are re-stamped with the current links and correction notice, nothing else), the index,
and with ``site_url`` the sitemap. What translatio wrote earlier and the policy no
longer publishes is removed.

A changed source shows in the editions as ``steps.corrections`` says: the reviewed
translation of the earlier wording under a notice, then a corrections log once reviewed.
A catalog behind its source (a paragraph without an entry) is merged in memory for the
build, with a warning, never published as if it were current.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import polib

from translatio.catalog.merge import merge_catalog
from translatio.catalog.revisions import Revision
from translatio.catalog.states import completeness
from translatio.catalog.values import build_template
from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.edition import Edition, Policy, Revised, build_edition
from translatio.publish.edition_page import (
    Corrections,
    bilingual_page,
    corrections_text,
    edition_page_html,
)
from translatio.publish.page_titles import PageTitle, page_title
from translatio.publish.restamp import restamp
from translatio.publish.site import INDEX, SiteEntry, SiteState, edition_page, render_index
from translatio.publish.sitemap import SITEMAP, SitemapPage, render_sitemap
from translatio.reports import EditionReport, EditionState
from translatio.steps.corrections import corrections, read_revisions, revised_paragraphs
from translatio.steps.site_files import Tree
from translatio.text.document import Document
from translatio.workspace.workspace import Workspace

__all__ = ["build"]

_logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Planned:
    """One document's edition in one language, built in memory before anything is written."""

    language: Language
    """The edition's language."""
    edition: Edition
    """The edition under the run's policy."""
    title: PageTitle
    """Its title and description."""
    entry: SiteEntry
    """What the site says about it."""
    corrections: Corrections = field(default_factory=Corrections)
    """Its correction notice and log."""


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
    least one translated edition is published), and the pages of languages outside
    ``languages`` that an earlier build wrote are re-stamped with the current links.
    """
    settings = workspace.settings
    reviewed = policy is Policy.REVIEWED
    tree = Tree(
        workspace,
        settings.editions_dir if reviewed else settings.drafts_dir,
        why=f"the {policy.value} policy no longer publishes it",
    )
    chosen = tuple(languages)
    reports: list[EditionReport] = []
    entries: list[SiteEntry] = []
    sitemap: list[SitemapPage] = []
    for source, slots in groupby(workspace.catalogs(chosen), key=lambda slot: slot.source):
        document = workspace.read_document(source)
        revisions = read_revisions(workspace, document.name) if reviewed else {}
        planned = {
            slot.language: _plan(
                workspace, tree, document, slot.language, slot.catalog, revisions, policy=policy
            )
            for slot in slots
        }
        others = {
            language: _plan_other(workspace, tree, document, language, revisions, policy, keep)
            for language in settings.languages
            if language not in planned
        }
        site = _site(workspace, document, planned, others, keep=keep, html=html)
        members = [entry for entry in site if entry.published]
        for plan in planned.values():
            report = _write_edition(
                tree,
                document,
                plan,
                members,
                policy=policy,
                keep=keep,
                html=html,
                bilingual=bilingual,
            )
            reports.append(report)
        for other in others.values():
            if other is not None and other.entry.published:
                _keep_other(tree, document, other, members, html=html)
        if html and len(members) > 1:
            _write_original(tree, document, members)
            sitemap += _sitemap_pages(document.name, members)
        entries += site
    if not html:
        tree.keep_listed((".html", ".xml"))
    elif any(entry.published and entry.state is not SiteState.ORIGINAL for entry in entries):
        entries.sort(key=lambda entry: entry.document)  # stable: each document's order kept
        index = render_index(entries, source=settings.source_language)
        tree.write(tree.path(INDEX), index.encode("utf-8"))
        if reviewed:
            _write_sitemap(tree, [*sitemap, SitemapPage(INDEX)], settings.site_url)
    tree.finish()
    return reports


def _plan(
    workspace: Workspace,
    tree: Tree,
    document: Document,
    language: Language,
    catalog: polib.POFile,
    revisions: dict[str, Revision],
    *,
    policy: Policy,
) -> Planned:
    words = messages.translator(language)
    read = catalog
    catalog, revised = _up_to_date(workspace, document, language, catalog)
    if revisions:
        revised |= revised_paragraphs(workspace, document, language, revisions, read)
    edition = build_edition(
        document,
        catalog,
        policy=policy,
        notice=words(messages.DRAFT_NOTICE),
        preview_notice=words(messages.PREVIEW_NOTICE),
        revised=revised,
        outdated=workspace.settings.outdated,
    )
    source = workspace.settings.source_language
    title = page_title(document, edition.shown, source=source, target=language)
    state = SiteState.DRAFT if edition.machine_segments else SiteState.REVIEWED
    entry = SiteEntry(
        document.name,
        language,
        state,
        title.title,
        title.language,
        edition.completeness,
        completeness(catalog),  # the catalog's one figure, as status and review pages give
    )
    notes = Corrections()
    if policy is Policy.REVIEWED and (revisions or edition.changed):
        page = tree.path(edition_page(document.name, language))
        text = tree.path(f"{language.code}/{document.name}{document.suffix}")
        published = tree.manifest.first_written(page) or tree.manifest.first_written(text)
        notes = corrections(
            document,
            edition.usable,
            edition.changed,
            revisions,
            published=published,
            now=tree.seen,
        )
    return Planned(language, edition, title, entry, notes)


def _up_to_date(
    workspace: Workspace, document: Document, language: Language, catalog: polib.POFile
) -> tuple[polib.POFile, dict[str, Revised]]:
    """The catalog merged in memory with the source's template when it lacks paragraphs,
    and those paragraphs (they count as added: the edition says the original changed)."""
    present = {entry.msgid for entry in catalog if not entry.obsolete}
    missing = [segment.text for segment in document.segments if segment.text not in present]
    if not missing:
        return catalog, {}
    _logger.warning(
        "%s is behind %s: %d paragraph(s) have no entry (first: %r); built as if merged "
        "(they count as changed since publication): run `translatio extract` to update it",
        workspace.relative(workspace.catalog_path(document.name, language)),
        document.path,
        len(dict.fromkeys(missing)),
        missing[0][:40],
    )
    merged, _ = merge_catalog(build_template(document, created=""), catalog, language)
    return merged, {text: Revised(None) for text in missing}


def _plan_other(
    workspace: Workspace,
    tree: Tree,
    document: Document,
    language: Language,
    revisions: dict[str, Revision],
    policy: Policy,
    keep: float,
) -> Planned | None:
    """A language outside this build: its edition as this policy makes it, published when
    its page (or file, without HTML) from an earlier build is there and still allowed."""
    catalog = workspace.read_catalog(workspace.catalog_path(document.name, language))
    if catalog is None:
        return None
    plan = _plan(workspace, tree, document, language, catalog, revisions, policy=policy)
    page = tree.path(edition_page(document.name, language))
    text = tree.path(f"{language.code}/{document.name}{document.suffix}")
    there = page.is_file() or text.is_file()
    if not there or plan.edition.completeness < keep:
        entry = SiteEntry(
            document.name,
            language,
            SiteState.NOT_PUBLISHED,
            completeness=plan.entry.completeness,
            reviewed=plan.entry.reviewed,
        )
        return Planned(language, plan.edition, plan.title, entry, plan.corrections)
    return plan


def _site(
    workspace: Workspace,
    document: Document,
    planned: dict[Language, Planned],
    others: dict[Language, Planned | None],
    *,
    keep: float,
    html: bool,
) -> list[SiteEntry]:
    """The document in every configured language, the original first, as the site shows it."""
    source = workspace.settings.source_language
    original = page_title(document, {}, source=source, target=source)
    site = [SiteEntry(document.name, source, SiteState.ORIGINAL, original.title)]
    for language in workspace.settings.languages:
        if language in planned:
            entry = planned[language].entry
            if planned[language].edition.completeness < keep:
                entry = SiteEntry(
                    document.name,
                    language,
                    SiteState.NOT_PUBLISHED,
                    completeness=entry.completeness,
                    reviewed=entry.reviewed,
                )
        elif not html:
            continue
        else:
            other = others.get(language)
            entry = (
                other.entry
                if other is not None
                else SiteEntry(document.name, language, SiteState.NOT_PUBLISHED)
            )
        site.append(entry)
    return site


def _write_edition(
    tree: Tree,
    document: Document,
    plan: Planned,
    members: Sequence[SiteEntry],
    *,
    policy: Policy,
    keep: float,
    html: bool,
    bilingual: bool,
) -> EditionReport:
    """Write one edition's files, or report it skipped for being under ``keep``.

    Without ``bilingual`` a side-by-side page an earlier build wrote stays as it was."""
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
            reviewed=plan.entry.reviewed or 0.0,
        )
    text = corrections_text(edition.text, plan.corrections, language, document.format)
    outputs: list[tuple[Path, bytes]] = [
        (tree.path(f"{language.code}/{document.name}{document.suffix}"), text.encode("utf-8")),
    ]
    if html:
        page = _page(tree, document, plan, members)
        outputs.append((tree.path(edition_page(document.name, language)), page.encode("utf-8")))
    side_by_side = tree.path(f"{language.code}/{document.name}.bilingual.html")
    if bilingual:
        source = tree.workspace.settings.source_language
        page = bilingual_page(document, edition.usable, plan.title, source=source, target=language)
        outputs.append((side_by_side, page.encode("utf-8")))
    elif side_by_side.is_file():
        tree.keep(side_by_side)
    written = [tree.write(path, data) for path, data in outputs]
    return EditionReport(
        document.name,
        language.code,
        EditionState.WRITTEN if any(written) else EditionState.UNCHANGED,
        edition.completeness,
        tuple(tree.workspace.relative(path) for path, _ in outputs),
        policy=policy.value,
        preview=edition.previewed,
        reviewed=plan.entry.reviewed or 0.0,
    )


def _page(tree: Tree, document: Document, plan: Planned, members: Sequence[SiteEntry]) -> str:
    source = tree.workspace.settings.source_language
    return edition_page_html(
        document,
        plan.edition,
        plan.title,
        plan.entry,
        members,
        source=source,
        corrections=plan.corrections,
    )


def _keep_other(
    tree: Tree, document: Document, plan: Planned, members: Sequence[SiteEntry], *, html: bool
) -> None:
    """Keep a language's earlier files; re-stamp its page with the current links and notice."""
    code = plan.language.code
    for name in (f"{document.name}{document.suffix}", f"{document.name}.bilingual.html"):
        path = tree.path(f"{code}/{name}")
        if path.is_file():
            tree.keep(path)
    page = tree.path(edition_page(document.name, plan.language))
    if not page.is_file():
        return
    tree.keep(page)
    if not html:
        return
    try:
        published = page.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return
    stamped = restamp(published, _page(tree, document, plan, members))
    if stamped is not None and stamped != published:
        tree.write(page, stamped.encode("utf-8"))


def _write_original(tree: Tree, document: Document, members: Sequence[SiteEntry]) -> bool:
    """``<tree>/<source>/<doc>.html``: the original, linked like its editions."""
    source = tree.workspace.settings.source_language
    edition = build_edition(document, polib.POFile(), policy=Policy.REVIEWED)
    title = page_title(document, {}, source=source, target=source)
    page = edition_page_html(document, edition, title, members[0], members, source=source)
    return tree.write(tree.path(edition_page(document.name, source)), page.encode("utf-8"))


def _sitemap_pages(document: str, members: Sequence[SiteEntry]) -> list[SitemapPage]:
    """Each published page of ``document`` with all of its alternates."""
    alternates = [(m.language.bcp47, edition_page(document, m.language)) for m in members]
    alternates.append(("x-default", edition_page(document, members[0].language)))
    return [SitemapPage(edition_page(document, m.language), tuple(alternates)) for m in members]


def _write_sitemap(tree: Tree, pages: list[SitemapPage], site_url: str | None) -> None:
    if site_url is None:
        _logger.warning(
            "no %s: a sitemap needs absolute addresses; set site_url to the address "
            "the site is published at (https://example.org/news/) to write one",
            tree.workspace.relative(tree.path(SITEMAP)),
        )
        return
    tree.write(tree.path(SITEMAP), render_sitemap(pages, site_url))
