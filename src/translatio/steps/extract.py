"""The extract step: each source's template, merged into every language catalog.

Every reviewed translation of the catalogs is kept in the history (``tm.history``) before
the merge makes an edited paragraph's translation fuzzy or a removed one's obsolete. Two
guards stop it before any catalog is written, unless forced: a catalog that lacks
entries of the template it was last merged from (cut short, or entries deleted by hand),
and a merge that would make more than half of a catalog's translations obsolete (an
emptied or wrong source file). Each catalog is written by compare-and-swap, the merge
applied again to a person's save made meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polib

from translatio.catalog.merge import merge_catalog
from translatio.catalog.values import (
    TEMPLATE_HEADER,
    build_template,
    now_stamp,
    same_entries,
    serialize,
    template_fingerprint,
)
from translatio.errors import CatalogError
from translatio.languages import Language
from translatio.reports import CatalogUpdate, MergeReport
from translatio.steps.corrections import record_revisions
from translatio.text.document import Document
from translatio.tm.history import record_history
from translatio.workspace.merges import MergeRecord
from translatio.workspace.workspace import Workspace

__all__ = ["extract"]


def extract(
    workspace: Workspace, languages: Sequence[Language], *, force: bool, minor: bool = False
) -> list[CatalogUpdate]:
    """Write every template and merge it into each language catalog; the caller holds the lock.

    Each new wording of a paragraph is recorded in ``locales/<doc>.revisions``
    (``steps.corrections``); with ``minor`` the changed ones count as minor changes.
    """
    # every source is read and every merge checked before anything is written: a refused
    # one stops the whole step
    documents = [workspace.read_document(source) for source in workspace.source_paths()]
    merges = MergeRecord(workspace)  # the guard's memory where another tool dropped the header
    plans = []
    for document in documents:
        template_path = workspace.template_path(document.name)
        old_template = workspace.read_catalog(template_path)
        template = _template(document, old_template)
        planned = []
        for language in languages:
            path = workspace.catalog_path(document.name, language)
            merge = _merger(
                workspace,
                template,
                old_template,
                language,
                path,
                document.path,
                force=force,
                merged_from=merges.merged_from(path),
            )
            previous, snapshot = workspace.read_snapshot(path)
            planned.append((language, path, previous, snapshot, merge, merge(previous)))
        plans.append((document, template_path, template, planned, old_template))
    for language in languages:  # the reviewed work as it is, before the merge changes it
        record_history(
            workspace,
            language,
            (
                (document.name, previous)
                for document, _, _, planned, _ in plans
                for planned_language, _, previous, *_ in planned
                if planned_language == language
            ),
        )
    updates = []
    for document, template_path, template, planned, old_template in plans:
        record_revisions(workspace, document, old_template, template, minor=minor)
        workspace.write(template_path, serialize(template, wrap=workspace.settings.wrap))
        for language, path, _, snapshot, merge, result in planned:
            written, report = workspace.commit_catalog(snapshot, result, merge)
            merges.record(path, template_fingerprint(template))
            updates.append(
                CatalogUpdate(
                    document.name, language.code, workspace.relative(path), report, written
                )
            )
    merges.save()
    return updates


def _merger(
    workspace: Workspace,
    template: polib.POFile,
    old_template: polib.POFile | None,
    language: Language,
    path: Path,
    source: str,
    *,
    force: bool,
    merged_from: str | None = None,
) -> Callable[[polib.POFile | None], tuple[polib.POFile, MergeReport]]:
    """The merge of ``template`` into a catalog, guards included, as a re-appliable change.

    ``merged_from``: the project's record of the template the catalog was last merged
    from, for the guard when another tool dropped the catalog's own header.
    """

    def merge(previous: polib.POFile | None) -> tuple[polib.POFile, MergeReport]:
        merged, report = merge_catalog(template, previous, language)
        if not force:
            _check_complete(workspace.relative(path), previous, old_template, merged_from)
            _guard(source, language, previous, report)
        return merged, report

    return merge


def _template(document: Document, previous: polib.POFile | None) -> polib.POFile:
    """The new template; its creation date moves only when its msgids change."""
    created = previous.metadata.get("POT-Creation-Date") if previous is not None else None
    template = build_template(document, created=created or now_stamp())
    if previous is not None and not same_entries(template, previous):
        template = build_template(document, created=now_stamp())
    return template


def _check_complete(
    path: str,
    catalog: polib.POFile | None,
    template: polib.POFile | None,
    merged_from: str | None = None,
) -> None:
    """Every msgid of the template the catalog was merged from must still be in it.

    Only a catalog merged from that very template (its ``X-Translatio-Template``
    fingerprint, or the project's record of it where another tool dropped that header)
    is held to it: one not updated since an older template legitimately lacks the new
    entries, and one merged by another tool is not checked.
    """
    if catalog is None or template is None:
        return
    if (catalog.metadata.get(TEMPLATE_HEADER) or merged_from) != template_fingerprint(template):
        return
    present = {(entry.msgctxt, entry.msgid) for entry in catalog}
    missing = [e for e in template if e.msgid and (e.msgctxt, e.msgid) not in present]
    if missing:
        raise CatalogError(
            f"{len(missing)} entries of the template are missing from the catalog "
            f"(first: {missing[0].msgid[:40]!r}); was it cut short?",
            path=path,
            hint="restore it from version control; if the entries were removed on "
            "purpose, run again with --force",
        )


def _guard(
    source: str, language: Language, previous: polib.POFile | None, report: MergeReport
) -> None:
    """Refuse a merge that would make most of a catalog's translations obsolete."""
    translated = (
        sum(1 for e in previous if e.msgstr and e.msgid and not e.obsolete) if previous else 0
    )
    if translated and report.obsoleted * 2 > translated:
        raise CatalogError(
            f"the source change would make {report.obsoleted} of {translated} "
            f"{language.code} translations obsolete",
            path=source,
            hint="check that this is the right source file; if the change is intended, "
            "run again with --force (the translations are kept as obsolete entries)",
        )
