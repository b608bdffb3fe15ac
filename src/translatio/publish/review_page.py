"""The review page: one self-contained HTML file per document and language, worst first.

For reviewers who do not use PO editors: source and translation side by side, the
entry's state, its QA findings, the machine-translation score and the ``file:line`` of
the entry in the catalog and of the paragraph in the source, the words the engine left
untranslated, and what to do with a msgcat conflict block; when the step has them, the
engine's alternatives and a back-translation (``review_aids``). No external fonts,
scripts or styles. The page is text-faithful: source and translation are shown exactly
as the catalog holds them, markup as typed (escaped, then sanitised like every page), so
a reviewer sees every ``**``, tag and link target. Its headings are in the target
language (``messages``); QA findings stay in English and say so with ``lang``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polib

from translatio.catalog.provenance import read_provenance, read_unknown_words, text_hash
from translatio.catalog.states import (
    COMPLETENESS_BASIS,
    MSGCAT_CONFLICT,
    State,
    completeness,
    entry_state,
)
from translatio.engines import engine_capabilities
from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.aligned import (
    ALIGN_SCRIPT,
    ALIGN_STYLE,
    sentence_alignment,
    sentence_cells,
)
from translatio.publish.language_names import autonym
from translatio.publish.pages import page
from translatio.publish.render import sanitize
from translatio.publish.review_aids import (
    AIDS_STYLE,
    COPY_SCRIPT,
    alternatives_block,
    back_block,
    remembered_words,
)
from translatio.publish.source_diff import source_diff
from translatio.qa.checks import Finding, Severity, check_entry
from translatio.qa.meaning import MEANING
from translatio.text.glossary import EMPTY, Glossary

if TYPE_CHECKING:
    from translatio.engines.argos.sentence_cache import WordAlignment

__all__ = ["ReviewRow", "render_review", "review_rows"]

_MSGCAT_CONFLICT = re.compile(rf"{MSGCAT_CONFLICT}\s+(.*?)\s+{MSGCAT_CONFLICT}")

_STATE_ORDER = {
    State.NEEDS_UPDATE: 0,
    State.MACHINE: 1,
    State.PREVIEW: 1,
    State.UNTRANSLATED: 2,
    State.TRANSLATED: 3,
}
_STYLE = """\
body{margin:1em;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",
"Noto Sans CJK TC","PingFang SC","Microsoft YaHei",sans-serif;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.4em;
vertical-align:top;text-align:start}th{background:#f3f3f3}
.state{white-space:nowrap;font-size:.85em}.machine{background:#fff8e1}
.needs-update{background:#fdecea}.untranslated{background:#eee}.translated{background:#e8f5e9}
.error{color:#b00020}.warning{color:#8a6d00}.where{font-family:ui-monospace,monospace;
font-size:.75em;width:11em;overflow-wrap:anywhere}td:nth-child(3),td:nth-child(4){width:32%}
td:nth-child(5){font-size:.85em}ul{margin:0;padding-inline-start:1.2em}
.text{white-space:pre-wrap}
.source-change del{background:#fdecea;color:#8b0000}
.source-change ins{background:#e6f4ea;color:#0b6b2b;text-decoration:none}"""
_STATE_MESSAGES = {
    State.TRANSLATED: messages.STATE_TRANSLATED,
    State.MACHINE: messages.STATE_MACHINE,
    State.PREVIEW: messages.STATE_PREVIEW,
    State.NEEDS_UPDATE: messages.STATE_NEEDS_UPDATE,
    State.UNTRANSLATED: messages.STATE_UNTRANSLATED,
}


def _render(text: str) -> str:
    """``text`` exactly as the catalog holds it: markup shown, never interpreted."""
    return sanitize(f'<span class="text">{html.escape(text)}</span>')


def render_review(
    catalog: polib.POFile,
    *,
    source: Language,
    target: Language,
    path: str,
    title: str,
    glossary: Glossary = EMPTY,
    extra: Mapping[int, Sequence[Finding]] | None = None,
    rows: Sequence[ReviewRow] | None = None,
    glosses: Mapping[str, str] | None = None,
    alternatives: Mapping[tuple[str, str], Sequence[Sequence[str]]] | None = None,
    back_translations: Mapping[str, str] | None = None,
    back_engine: str = "",
) -> str:
    """The review page of one catalog; ``extra``: more findings by entry line (consistency).

    ``rows``: the catalog's ``review_rows`` when the caller has them already;
    ``glosses``: an engine's translation of source sentences, which lets the sentence
    aligner pair a person's sentences with their source (``aligned``);
    ``alternatives``: by (msgid, msgstr) of untouched machine output, each source
    sentence's other translations (``Remembered``: with the word alignments that link
    the words of the engine's sentence pairs); ``back_translations``: by msgstr, the text put back
    into the source language by ``back_engine``.
    """
    if rows is None:
        rows = review_rows(
            catalog, source=source, target=target, path=path, glossary=glossary, extra=extra
        )
    counts = {
        state: sum(1 for row in rows if row.state is state)
        for state in State
        if state is not State.OBSOLETE
    }
    words = messages.translator(target)
    summary = ", ".join(
        f"{words(_STATE_MESSAGES[state])}: {count}" for state, count in counts.items()
    )
    aligned = remembered_words(alternatives)
    cells = [
        _cells(row, index, source, target, glosses or {}, aligned) for index, row in enumerate(rows)
    ]
    aids = [
        _aids(row, index, source, target, alternatives or {}, back_translations or {}, back_engine)
        for index, row in enumerate(rows)
    ]
    body = "\n".join(
        _row(row, path, source, target, words, cell, aid)
        for row, cell, aid in zip(rows, cells, aids, strict=True)
    )
    copies = any('class="copy"' in aid for aid in aids)
    linked = any(cell is not None and "data-pair" in cell[0] for cell in cells)
    columns = (
        words(messages.WHERE),
        words(messages.STATE),
        words(messages.ORIGINAL_IN, language=f"{autonym(source)}, {source.code}"),
        words(messages.TRANSLATION_IN, language=f"{autonym(target)}, {target.code}"),
        words(messages.CHECKS),
    )
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    return page(
        title=title,
        lang=target.bcp47,
        direction=target.direction,
        style=_STYLE + ALIGN_STYLE + AIDS_STYLE,
        body=(
            f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(summary)}</p>\n"
            f'<p class="completeness" title="{COMPLETENESS_BASIS}">'
            f"{html.escape(words(messages.REVIEWED))}: {completeness(catalog):.0f}%</p>\n"
            f"<p>{html.escape(words(_order(rows)))}</p>\n"
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            f"{body}\n</tbody>\n</table>\n"
            + (ALIGN_SCRIPT if linked else "")
            + (COPY_SCRIPT if copies else "")
        ),
    )


def review_rows(
    catalog: polib.POFile,
    *,
    source: Language,
    target: Language,
    path: str,
    glossary: Glossary = EMPTY,
    extra: Mapping[int, Sequence[Finding]] | None = None,
) -> list[ReviewRow]:
    """The active entries of ``catalog`` with what a reviewer is told, worst first.

    The order of the review page and of the review desk (``translatio serve``): entries
    the meaning check flagged (``qa.meaning``, in ``extra``), then most QA errors, then
    most findings, then needs-update before machine output before untranslated before
    translated, then the lowest engine score, then catalog order.
    """
    rows = [
        ReviewRow(
            entry,
            entry_state(entry),
            check_entry(entry, target, source=source, path=path, glossary=glossary)
            + list((extra or {}).get(entry.linenum or 0, ())),
            *_machine_facts(entry),
        )
        for entry in catalog
        if not entry.obsolete and entry.msgid
    ]
    rows.sort(key=_worst_first)
    return rows


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One entry of the page and what the reviewer is told about it."""

    entry: polib.POEntry
    """The catalog entry."""
    state: State
    """Its review state."""
    findings: list[Finding]
    """Its QA findings."""
    engine: str | None
    """The engine that wrote the text, if machine output."""
    score: float | None
    """The engine's score; ``None`` for engines without one, and for human text."""
    unknown_words: tuple[str, ...]
    """Words the engine left untranslated in the text as it still stands."""


def _machine_facts(entry: polib.POEntry) -> tuple[str | None, float | None, tuple[str, ...]]:
    """Engine, score and untranslated words from the provenance comment."""
    provenance = read_provenance(entry.tcomment or "")
    if provenance is None:
        return None, None, ()
    if provenance.digest != text_hash(entry.msgstr):
        # a person rewrote it (in any editor): theirs, never credited to the engine, and
        # the engine's score and untranslated words describe a text that is gone
        return None, None, ()
    score = provenance.score if engine_capabilities(provenance.engine).scored else None
    return provenance.engine, score, read_unknown_words(entry.tcomment or "")


def _order(rows: Sequence[ReviewRow]) -> str:
    """The page's note on its order: the meaning check first when it was asked for."""
    checked = any(finding.code == MEANING for row in rows for finding in row.findings)
    return messages.REVIEW_ORDER_MEANING if checked else messages.REVIEW_ORDER


def _worst_first(row: ReviewRow) -> tuple[object, ...]:
    errors = sum(1 for finding in row.findings if finding.severity is Severity.ERROR)
    # a translation that may say something else than its source is the worst mistake a
    # reviewer can miss: flagged by the meaning check, it comes before any other
    doubted = any(finding.code == MEANING for finding in row.findings)
    return (
        not doubted,
        -errors,
        -len(row.findings),
        _STATE_ORDER.get(row.state, len(_STATE_ORDER)),
        row.score if row.score is not None else 0.0,
        row.entry.linenum or 0,
    )


def _notes(row: ReviewRow) -> str:
    """List items beyond the QA findings: untranslated words, a msgcat conflict."""
    notes = []
    conflict = _MSGCAT_CONFLICT.findall(row.entry.msgstr)
    if conflict:
        notes.append(
            '<li class="error">msgcat conflict: the catalogs merged into this one had '
            f"different translations ({html.escape(', '.join(conflict))}); keep one, "
            "delete the #-#-#-#-# lines and the others, then clear the fuzzy flag</li>"
        )
    if row.unknown_words:
        notes.append(
            f'<li class="warning">left untranslated by {html.escape(row.engine or "the engine")}: '
            f"{html.escape(', '.join(row.unknown_words))}</li>"
        )
    return "".join(notes)


def _cells(
    row: ReviewRow,
    index: int,
    source: Language,
    target: Language,
    glosses: Mapping[str, str],
    words: Mapping[tuple[str, str], Sequence[WordAlignment | None]],
) -> tuple[str, str] | None:
    """The source and translation cells with linked sentences, if the entry has any."""
    entry = row.entry
    alignment = sentence_alignment(
        entry.msgid,
        entry.msgstr,
        source=source,
        target=target,
        machine=row.engine is not None,
        glosses=glosses,
    )
    if alignment is None:
        return None
    aligned = words.get((entry.msgid, entry.msgstr), ()) if row.engine is not None else ()
    return sentence_cells(alignment, entry.msgid, entry.msgstr, index, word_alignments=aligned)


def _aids(
    row: ReviewRow,
    index: int,
    source: Language,
    target: Language,
    alternatives: Mapping[tuple[str, str], Sequence[Sequence[str]]],
    back_translations: Mapping[str, str],
    back_engine: str,
) -> str:
    """The alternatives of untouched machine output, and the back-translation, if any."""
    entry = row.entry
    aids = ""
    found = alternatives.get((entry.msgid, entry.msgstr)) if row.engine is not None else None
    if found:
        aids += alternatives_block(index, found, target, engine=row.engine or "the engine")
    back = back_translations.get(entry.msgstr) if entry.msgstr else None
    if back:
        aids += back_block(back, source, engine=back_engine)
    return aids


def _row(
    row: ReviewRow,
    path: str,
    source: Language,
    target: Language,
    words: messages.Translator,
    cells: tuple[str, str] | None,
    aids: str = "",
) -> str:
    entry, state = row.entry, row.state
    reference = " ".join(f"{source}:{line}" for source, line in entry.occurrences)
    checks = _notes(row) + "".join(
        f'<li class="{finding.severity.value}">{finding.severity.value} '
        f"[{html.escape(finding.code)}] {html.escape(finding.message)}</li>"
        for finding in row.findings
    )
    if row.engine is None:
        score_text = ""
    elif row.score is None:
        score_text = f"<br>{html.escape(row.engine)}, score —"
    else:
        score_text = f"<br>{html.escape(row.engine)}, score {row.score:.2f}"
    previous = (
        f'<p class="source-change"><small lang="en" dir="ltr">source changed:</small> '
        f'<span class="text">{source_diff(entry.previous_msgid, entry.msgid)}</span></p>'
        if entry.previous_msgid
        else ""
    )
    css = state.value.replace(" ", "-")
    untranslated = f"<em>{html.escape(words(messages.STATE_UNTRANSLATED))}</em>"
    if cells is not None:  # escaped text in spans whose attributes are numbers
        source_cell, target_cell = cells
    else:
        source_cell = _render(entry.msgid)
        target_cell = _render(entry.msgstr) if entry.msgstr else untranslated
    return (
        f'<tr class="{css}"><td class="where">{html.escape(path)}:{entry.linenum or 0}'
        f"<br>{html.escape(reference)}</td>"
        f'<td class="state">{html.escape(words(_STATE_MESSAGES[state]))}'
        f'<span lang="en" dir="ltr">{score_text}</span></td>'
        f'<td lang="{source.bcp47}" dir="{source.direction}">{source_cell}{previous}</td>'
        f'<td lang="{target.bcp47}" dir="{target.direction}">{target_cell}{aids}</td>'
        f'<td lang="en" dir="ltr">{"<ul>" + checks + "</ul>" if checks else ""}</td></tr>'
    )
