"""Corrections after publication: what changed in a source, and what its editions say.

``extract`` records each paragraph wording it has not seen before in
``locales/<doc>.revisions`` (``catalog.revisions``), with the wording it replaces.
``build`` reads it with the history (``tm.history``: every reviewed translation as it
was reviewed) to give each edition:

* for a changed paragraph not yet reviewed in its new wording, the reviewed translation
  of the earlier wording (never the catalog's fuzzy ``msgstr``, which a translator may
  have half edited since), for ``outdated = "previous"``;
* the notice's dates: when the original changed, and the version the edition follows;
* the corrections log: each change after the edition was first published that the
  edition now follows, reviewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polib

from translatio.catalog.revisions import (
    REVISIONS_SUFFIX,
    Kind,
    Revision,
    parse_revisions,
    revision_of,
    revision_stamp,
    serialize_revisions,
    template_revisions,
)
from translatio.catalog.states import State
from translatio.languages import Language
from translatio.publish.edition import Revised
from translatio.publish.edition_page import Corrections
from translatio.text.document import Document
from translatio.tm.history import earlier_translations
from translatio.tm.units import reviewed
from translatio.workspace.records import read_record
from translatio.workspace.workspace import Workspace

__all__ = [
    "corrections",
    "read_revisions",
    "record_revisions",
    "revised_paragraphs",
    "revisions_path",
]


def revisions_path(workspace: Workspace, document: str) -> Path:
    """``locales/<doc>.revisions``, beside the template."""
    return workspace.root / workspace.settings.locales_dir / f"{document}{REVISIONS_SUFFIX}"


def read_revisions(workspace: Workspace, document: str) -> dict[str, Revision]:
    """The revisions recorded for ``document``, by hash (none yet: empty)."""
    path = revisions_path(workspace, document)
    data = read_record(workspace, path)
    if data is None:
        return {}
    return parse_revisions(data, path=workspace.relative(path))


def record_revisions(
    workspace: Workspace,
    document: Document,
    old: polib.POFile | None,
    new: polib.POFile,
    *,
    minor: bool,
) -> int:
    """Record the wordings of ``new`` not seen before; the file is written only then."""
    known = read_revisions(workspace, document.name)
    found = template_revisions(
        old,
        new,
        known,
        language=workspace.settings.source_language,
        minor=minor,
        seen=revision_stamp(),
    )
    if found:
        data = serialize_revisions(document.path, [*known.values(), *found])
        workspace.write(revisions_path(workspace, document.name), data)
    return len(found)


def revised_paragraphs(
    workspace: Workspace,
    document: Document,
    language: Language,
    revisions: Mapping[str, Revision],
    catalog: polib.POFile,
) -> dict[str, Revised]:
    """msgid → what an edition in ``language`` may show for each changed or added paragraph.

    The earlier translation is the reviewed translation of the nearest earlier wording
    that has one (a paragraph corrected twice before review falls back to the wording
    before both): the catalog's own, where it still holds that wording reviewed (not
    merged yet, or obsolete), else the history's latest.
    """
    if not revisions:
        return {}
    history: dict[str, tuple[str, str]] | None = None
    by_revision: dict[str, str] = {}
    found: dict[str, Revised] = {}
    for segment in document.segments:
        current = revisions.get(revision_of(segment.text))
        if current is None or current.kind is Kind.ORIGINAL or segment.text in found:
            continue
        if history is None:
            history = earlier_translations(workspace, language, document.name)
            texts = document_texts(document)
            history.update(
                (entry.msgid, (entry.msgstr, ""))
                for entry in catalog
                if entry.msgid not in texts and reviewed(entry)
            )
            by_revision = {revision_of(source): source for source in history}
        earlier = None
        step, visited = current, set()
        while step.replaces is not None and step.replaces not in visited:
            visited.add(step.replaces)
            source = by_revision.get(step.replaces)
            if source is not None:
                earlier = history[source][0]
                break
            following = revisions.get(step.replaces)
            if following is None:
                break
            step = following
        found[segment.text] = Revised(earlier, minor=current.kind is Kind.MINOR)
    return found


def document_texts(document: Document) -> frozenset[str]:
    """The source texts of ``document``'s paragraphs."""
    return frozenset(segment.text for segment in document.segments)


def corrections(
    document: Document,
    usable: Mapping[str, tuple[str, State]],
    changed: tuple[str, ...],
    revisions: Mapping[str, Revision],
    *,
    published: str | None,
    now: str,
) -> Corrections:
    """The notice and log of one edition.

    ``changed`` are the paragraphs the edition does not show reviewed in their new
    wording (one no revision records counts as changed ``now``); ``published`` is when
    the edition was first written (``None``: now).
    """
    seen = [revisions[r].seen if r in revisions else now for r in map(revision_of, changed)]
    updated = max(seen, default=None)
    version = None
    if updated is not None:
        version = max(
            (item.seen for item in revisions.values() if item.seen < updated), default=None
        )
    log = []
    if published is not None:
        segments = sorted(document.segments, key=lambda item: item.start)
        for number, segment in enumerate(segments, start=1):
            item = revisions.get(revision_of(segment.text))
            shown = usable.get(segment.text)
            if (
                item is not None
                and item.kind is Kind.CORRECTION
                and item.seen > published
                and shown is not None
                and shown[1] is State.TRANSLATED
            ):
                log.append((item.seen, number))
    log.sort()
    return Corrections(updated, version, tuple(log))
