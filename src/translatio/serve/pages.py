"""The review desk's pages: plain server-rendered HTML, no script, everything escaped.

Every text from a catalog or a request goes through ``html.escape`` before it reaches a
page (a translation holding ``<script>`` shows as those characters); translations are
shown exactly as the catalog holds them, markup as typed, as on the review page. Forms
carry the CSRF token, the entry's key and the ``base`` the change is checked against.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

from translatio.catalog.states import CatalogStatus, State
from translatio.languages import Language
from translatio.publish.aligned import ALIGN_STYLE, sentence_alignment, sentence_cells
from translatio.publish.review_aids import AIDS_STYLE, alternatives_block, remembered_words
from translatio.publish.review_page import ReviewRow
from translatio.publish.source_diff import source_diff
from translatio.qa.characters import without_control_characters
from translatio.qa.findings import Severity
from translatio.reports import ApprovalReport, EditionReport
from translatio.steps.edit import EditResult, base_of, entry_key
from translatio.steps.review import QueuedCatalog

__all__ = [
    "DONE_MESSAGES",
    "approval_lines",
    "build_page",
    "conflict_page",
    "message_page",
    "overview_page",
    "queue_page",
]

ROWS_SHOWN = 500
"""Entries shown per document and page (the worst first; the rest on the next pages)."""
DONE_MESSAGES = {
    "done": "Saved.",
    "unchanged": "Nothing to change: the entry already was so.",
    "gone": "That entry is no longer in the catalog (the source changed): nothing was saved.",
    "approved": "Approved the passing machine output.",
}
"""The fixed messages a redirect may name (``?done=``): never text from the request."""
_STYLE = """
body{margin:1em auto;max-width:90em;padding:0 1em;font-family:system-ui,"Noto Sans",
"Noto Sans CJK SC","Noto Sans CJK TC",sans-serif;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.4em;
vertical-align:top;text-align:start}th{background:#f3f3f3}textarea{width:100%;min-height:5em;
font:inherit;box-sizing:border-box}.text{white-space:pre-wrap}
.source-change del{background:#fdecea;color:#8b0000}
.source-change ins{background:#e6f4ea;color:#0b6b2b;text-decoration:none}.error{color:#b00020}
.warning{color:#8a6d00}.machine{background:#fff8e1}.needs-update{background:#fdecea}
.untranslated{background:#eee}.translated{background:#e8f5e9}.preview{background:#f3e5f5}
.where{font-family:ui-monospace,monospace;font-size:.75em;overflow-wrap:anywhere;width:9em}
.notice{background:#e3f2fd;padding:.5em}.conflict{background:#fdecea;padding:.5em}
button{margin:.2em .2em 0 0}nav a{margin-inline-end:1em}.linked{margin:0 0 .3em}"""
_STYLE += ALIGN_STYLE + AIDS_STYLE
Alternatives = Mapping[tuple[str, str], Sequence[Sequence[str]]]
"""By (msgid, msgstr) of untouched machine output: each source sentence's alternatives."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page(title: str, body: str, *, lang: str = "en") -> str:
    """A whole page; control characters (a catalog may hold them) shown as U+FFFD."""
    return without_control_characters(
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<nav><a href="/">Documents and languages</a></nav>\n<h1>{_e(title)}</h1>\n'
        f"{body}\n</body>\n</html>\n"
    )


def _hidden(**fields: str) -> str:
    return "".join(
        f'<input type="hidden" name="{_e(name)}" value="{_e(value)}">'
        for name, value in fields.items()
    )


def _reviewer_field(reviewer: str, fixed: bool) -> str:
    if fixed:
        return _hidden(reviewer=reviewer) + f"<p>Reviewer: {_e(reviewer)}</p>"
    return (
        '<label>Your name (recorded with every change) <input name="reviewer" required '
        f'maxlength="200" value="{_e(reviewer)}" autocomplete="name"></label>'
    )


def overview_page(
    statuses: Sequence[CatalogStatus], *, csrf: str, reviewer: str, fixed_reviewer: bool
) -> str:
    """Documents and languages with their state counts, and the build buttons."""
    states = [state for state in State if state is not State.OBSOLETE]
    head = "".join(f"<th>{_e(state.value)}</th>" for state in states)
    rows = "\n".join(
        f"<tr><td>{_e(status.document)}</td>"
        f'<td><a href="/queue/{_e(status.language)}">{_e(status.language)}</a></td>'
        + "".join(f"<td>{status.entries[state]}</td>" for state in states)
        + f"<td>{status.completeness:.0f} %</td>"
        f"<td>{status.qa_errors} errors, {status.qa_warnings} warnings</td>"
        f"<td>{'extract is due' if status.stale else ''}</td></tr>"
        for status in statuses
    )
    build = (
        '<form method="post" action="/build">'
        + _hidden(csrf=csrf)
        + '<button name="policy" value="reviewed">Build the reviewed editions</button>'
        '<button name="policy" value="draft">Build the drafts</button></form>'
    )
    body = (
        f"<table><thead><tr><th>document</th><th>language</th>{head}<th>reviewed</th>"
        f"<th>checks</th><th></th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>\n"
        f"<h2>Editions</h2>{build}"
    )
    return _page("translatio review desk", body)


def queue_page(
    language: str,
    queue: Iterable[QueuedCatalog],
    *,
    source: Language,
    csrf: str,
    reviewer: str,
    fixed_reviewer: bool,
    done: str = "",
    page: int = 0,
    alternatives: Alternatives | None = None,
) -> str:
    """The review queue of one language: each document's entries, worst first, editable;
    under machine output, the other translations the engine considered, to copy."""
    parts = []
    if done in DONE_MESSAGES:
        parts.append(f'<p class="notice" role="status">{_e(DONE_MESSAGES[done])}</p>')
    parts.append(
        '<form method="post" action="/approve-all">'
        + _hidden(csrf=csrf, language=language)
        + _reviewer_field(reviewer, fixed_reviewer)
        + "<button>Approve all machine output that passes the checks</button></form>"
    )
    for queued in queue:
        rows = queued.rows[page * ROWS_SHOWN : (page + 1) * ROWS_SHOWN]
        parts.append(f"<h2>{_e(queued.slot.document)}</h2>")
        if len(queued.rows) > (page + 1) * ROWS_SHOWN:
            parts.append(
                f'<p><a href="/queue/{_e(language)}?page={page + 1}">'
                f"Next {ROWS_SHOWN} entries</a></p>"
            )
        parts.append(
            "<table><thead><tr><th>where</th><th>source</th><th>translation</th>"
            "<th>checks</th></tr></thead><tbody>"
        )
        parts.extend(
            _row(
                row,
                queued,
                language,
                source=source,
                csrf=csrf,
                reviewer=reviewer,
                fixed=fixed_reviewer,
                alternatives=alternatives or {},
            )
            for row in rows
        )
        parts.append("</tbody></table>")
    parts.append('<script src="/desk.js"></script>')
    return _page(f"Review queue: {language}", "\n".join(parts))


def _row(
    row: ReviewRow,
    queued: QueuedCatalog,
    language: str,
    *,
    source: Language,
    csrf: str,
    reviewer: str,
    fixed: bool,
    alternatives: Alternatives,
) -> str:
    entry = row.entry
    key = entry_key(entry)
    found = alternatives.get((entry.msgid, entry.msgstr)) if row.engine is not None else None
    aids = (
        alternatives_block(key, found, queued.slot.language, engine=row.engine or "the engine")
        if found
        else ""
    )
    css = row.state.value.replace(" ", "-")
    engine = ""
    if row.engine is not None:
        score = "—" if row.score is None else f"{row.score:.2f}"
        engine = f"<br>{_e(row.engine)}, score {score}"
    findings = "".join(
        f'<li class="{_e(f.severity.value)}">{_e(f.severity.value)} [{_e(f.code)}] '
        f"{_e(f.message)}</li>"
        for f in row.findings
    )
    if row.unknown_words:
        findings += (
            f'<li class="{Severity.WARNING.value}">left untranslated: '
            f"{_e(', '.join(row.unknown_words))}</li>"
        )
    previous = (
        '<p class="source-change"><small>source changed:</small> '
        f'<span class="text">{source_diff(entry.previous_msgid, entry.msgid)}</span></p>'
        if entry.previous_msgid
        else ""
    )
    provenance = "".join(
        f"<br><small>{_e(line)}</small>" for line in (entry.tcomment or "").splitlines()[:6]
    )
    alignment = sentence_alignment(
        entry.msgid,
        entry.msgstr,
        source=source,
        target=queued.slot.language,
        machine=row.engine is not None,
        glosses={},
    )
    source_cell = f'<span class="text">{_e(entry.msgid)}</span>'
    linked = ""
    if alignment is not None and alignment.pairs:  # the engine's own sentence pairs
        words = remembered_words(alternatives).get((entry.msgid, entry.msgstr), ())
        source_cell, target_cell = sentence_cells(
            alignment, entry.msgid, entry.msgstr, key, word_alignments=words
        )
        linked = f'<p class="linked" lang="{_e(language)}">{target_cell}</p>'
    buttons = [
        '<button name="action" value="save">Save</button>',
        '<button name="action" value="save-reviewed">Save as reviewed</button>',
    ]
    if row.state in (State.MACHINE, State.NEEDS_UPDATE):
        buttons.append('<button name="action" value="approve">Approve as it is</button>')
    if row.state is State.TRANSLATED:
        buttons.append('<button name="action" value="reject">Reject (back to fuzzy)</button>')
    form = (
        '<form method="post" action="/edit">'
        + _hidden(
            csrf=csrf,
            language=language,
            document=queued.slot.document,
            key=key,
            base=base_of(entry),
        )
        + linked
        + f'<textarea name="text" aria-label="translation" lang="{_e(language)}">'
        f"{_e(entry.msgstr)}</textarea>"
        + _reviewer_field(reviewer, fixed)
        + "".join(buttons)
        + "</form>"
    )
    return (
        f'<tr id="e-{key}" class="{css}"><td class="where">{_e(queued.path)}:'
        f"{entry.linenum or 0}<br>{_e(row.state.value)}{engine}{provenance}</td>"
        f"<td>{source_cell}{previous}</td>"
        f"<td>{form}{aids}</td><td>{'<ul>' + findings + '</ul>' if findings else ''}</td></tr>"
    )


def conflict_page(
    language: str,
    document: str,
    key: str,
    result: EditResult,
    yours: str,
    *,
    base: str,
    csrf: str,
    reviewer: str,
    fixed_reviewer: bool,
) -> str:
    """Someone changed the entry since it was shown: both texts, nothing overwritten."""
    form = (
        '<form method="post" action="/edit">'
        + _hidden(csrf=csrf, language=language, document=document, key=key, base=base)
        + f'<textarea name="text" aria-label="your text">{_e(yours)}</textarea>'
        + _reviewer_field(reviewer, fixed_reviewer)
        + '<button name="action" value="save">Save my text over theirs</button></form>'
    )
    body = (
        '<p class="conflict" role="alert">Someone changed this entry after you opened it '
        "(another editor here, or a translator in a PO editor). Nothing was overwritten.</p>"
        f'<h2>Their text, now in the catalog</h2><p class="text">{_e(result.current)}</p>'
        f"<h2>Your text, not saved</h2>{form}"
        f'<p><a href="/queue/{_e(language)}#e-{_e(key)}">Keep theirs and go back</a></p>'
    )
    return _page("Conflict: nothing was overwritten", body)


def message_page(title: str, lines: Sequence[str], *, back: str = "/") -> str:
    """A short page: what happened, and a way back."""
    items = "".join(f"<li>{_e(line)}</li>" for line in lines)
    return _page(title, f'<ul>{items}</ul><p><a href="{_e(back)}">Back</a></p>')


def build_page(reports: Sequence[EditionReport], urls: Mapping[str, str]) -> str:
    """What ``build`` did, with links to the editions it wrote (``urls``: path → address)."""
    rows = []
    for report in reports:
        links = " ".join(
            f'<a href="{_e(urls[path])}">{_e(path)}</a>' for path in report.paths if path in urls
        )
        rows.append(
            f"<tr><td>{_e(report.document)}</td><td>{_e(report.language)}</td>"
            f"<td>{_e(report.policy)}</td><td>{_e(report.state.value)}</td>"
            f"<td>{report.reviewed:.0f} %</td><td>{links}</td></tr>"
        )
    body = (
        "<table><thead><tr><th>document</th><th>language</th><th>policy</th><th>state</th>"
        '<th title="source words with a reviewed translation">reviewed</th><th>open</th>'
        "</tr></thead><tbody>" + "\n".join(rows) + "</tbody></table>"
    )
    return _page("Editions built", body)


def approval_lines(report: ApprovalReport) -> list[str]:
    """What a bulk approval did, in lines."""
    lines = [f"{len(report.approved)} entries approved in {report.language}."]
    lines += [f"{label}: not approved ({', '.join(codes)})" for label, codes in report.refused]
    return lines
