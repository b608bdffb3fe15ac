"""The review step: one review page per document in a language, for the reviewer.

The page itself is ``publish.review_page``'s; this step reads the catalogs, adds the
memory's consistency warnings (and, when asked, the meaning check's flags), and writes
``review/<lang>/<doc>.review.html`` (``review_dir``), never among the editions.
``review_queue`` gives the same rows, in the same order, to the review desk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from translatio.catalog.plan import engine_text, plan_text
from translatio.engines import EngineOptions, check_engine_name, create_engine
from translatio.engines.base import translate_all
from translatio.languages import Language
from translatio.progress import NullProgress, Progress
from translatio.publish import messages
from translatio.publish.language_names import autonym
from translatio.publish.review_aids import Remembered, remembered_words
from translatio.publish.review_page import ReviewRow, render_review, review_rows
from translatio.qa.findings import Finding
from translatio.steps.check import meaning_flags
from translatio.steps.site_files import Tree
from translatio.tm.consistency import inconsistencies
from translatio.workspace.workspace import CatalogSlot, Workspace

__all__ = ["QueuedCatalog", "review_pages", "review_queue"]


@dataclass(frozen=True, slots=True)
class QueuedCatalog:
    """One document's catalog in a language, its entries ranked for review."""

    slot: CatalogSlot
    """The catalog as read."""
    path: str
    """Its project-relative path."""
    extra: dict[int, list[Finding]]
    """Findings beyond QA's own (consistency warnings, meaning flags), by entry line."""
    rows: list[ReviewRow]
    """Its active entries, worst first (``review_page.review_rows``)."""


def review_queue(
    workspace: Workspace, target: Language, *, meaning: bool = False
) -> Iterator[QueuedCatalog]:
    """Every document's catalog in ``target`` with its entries ranked as the page ranks them.

    With ``meaning``, the meaning check's flags (``steps.check.meaning_flags``) join the
    extra findings, and flagged entries come first.
    """
    slots = list(workspace.catalogs([target], skip_missing=True))  # cli names the others
    inconsistent = inconsistencies((workspace.relative(slot.path), slot.catalog) for slot in slots)
    flagged = meaning_flags(workspace, slots) if meaning else {}
    glossary = workspace.read_glossary(target)
    for slot in slots:
        path = workspace.relative(slot.path)
        extra: dict[int, list[Finding]] = {}
        for finding in [*inconsistent.get(path, ()), *flagged.get(path, ())]:
            extra.setdefault(finding.line, []).append(finding)
        rows = review_rows(
            slot.catalog,
            source=workspace.settings.source_language,
            target=target,
            path=path,
            glossary=glossary,
            extra=extra,
        )
        yield QueuedCatalog(slot, path, extra, rows)


def review_pages(
    workspace: Workspace,
    target: Language,
    *,
    align_with: str | None = None,
    progress: Progress | None = None,
    meaning: bool = False,
    alternatives: bool = True,
    back_translate: str | None = None,
) -> list[tuple[str, bool]]:
    """Write ``review/<lang>/<doc>.review.html`` for every document; (path, written).

    ``align_with`` names an engine whose translation of the source sentences lets the
    sentence aligner link a person's sentences to theirs on the page; ``meaning`` adds
    the meaning check's flags, ranked first. ``alternatives`` shows the other
    translations the engine considered, as the sentence cache kept them;
    ``back_translate`` names an engine of another family that puts each translation
    back into the source language, as a reading aid (``steps.review_aids``).
    """
    from translatio.steps import review_aids

    words = messages.translator(target)
    tree = Tree(workspace, workspace.settings.review_dir, why="its document is gone")
    pages = []
    queue = list(review_queue(workspace, target, meaning=meaning))
    glosses = (
        _glosses(workspace, target, queue, align_with, progress or NullProgress())
        if align_with
        else {}
    )
    kept = review_aids.remembered_alternatives(workspace, target, queue)
    if not alternatives:  # the word links stay: they come from the same cache
        kept = Remembered(
            {}, words={key: list(found) for key, found in remembered_words(kept).items()}
        )
    backs = (
        review_aids.back_translations(
            workspace, target, queue, back_translate, progress or NullProgress()
        )
        if back_translate
        else {}
    )
    for queued in queue:
        slot = queued.slot
        page = render_review(
            slot.catalog,
            source=workspace.settings.source_language,
            target=target,
            path=queued.path,
            title=words(messages.REVIEW_TITLE, document=slot.document, language=autonym(target)),
            rows=queued.rows,
            glosses=glosses,
            alternatives=kept,
            back_translations=backs,
            back_engine=back_translate or "",
        )
        output = tree.path(f"{target.code}/{slot.document}.review.html")
        written = tree.write(output, page.encode("utf-8"))
        pages.append((workspace.relative(output), written))
    tree.finish(under=tree.path(target.code))
    return pages


def _glosses(
    workspace: Workspace,
    target: Language,
    queue: list[QueuedCatalog],
    engine_name: str,
    progress: Progress,
) -> dict[str, str]:
    """The engine's translation of each source sentence of a text no engine wrote as is."""
    source = workspace.settings.source_language
    sentences = list(
        dict.fromkeys(
            sentence
            for queued in queue
            for row in queued.rows
            if row.entry.msgstr and row.engine is None
            for piece in plan_text(row.entry.msgid, source=source)
            for sentence in piece.sentences
        )
    )
    if not sentences:
        return {}
    check_engine_name(engine_name)
    options = EngineOptions(device=workspace.settings.device)
    engine = create_engine(engine_name, options)
    try:
        engine.prepare(source, [target], progress)
        asked = [engine_text(sentence, carries_markup=False) for sentence in sentences]
        done = translate_all(engine, source, {target: list(dict.fromkeys(asked))})[target]
        answers = dict(zip(dict.fromkeys(asked), done, strict=True))
    finally:
        engine.close()
    return {sentence: answers[plain].text for sentence, plain in zip(sentences, asked, strict=True)}
