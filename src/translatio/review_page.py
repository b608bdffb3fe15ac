"""The review page: one self-contained HTML file per document and language, worst first.

For reviewers who do not use PO editors: source and translation side by side, the
entry's state, its QA findings, the machine-translation score and the ``file:line`` of
the entry in the catalog and of the paragraph in the source. No external fonts,
scripts or styles; translations are rendered as escaped inline Markdown and sanitised.
"""

from __future__ import annotations

import html

import polib

from translatio.glossary import EMPTY, Glossary
from translatio.languages import Language
from translatio.provenance import read_provenance
from translatio.qa import Finding, Severity, check_entry
from translatio.render import inline_markdown
from translatio.status import State, entry_state

__all__ = ["render_review"]

_STATE_ORDER = {
    State.NEEDS_UPDATE: 0,
    State.MACHINE: 1,
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
td:nth-child(5){font-size:.85em}ul{margin:0;padding-left:1.2em}"""


def _render(text: str) -> str:
    import nh3

    return str(nh3.clean(inline_markdown().renderInline(text), link_rel="noopener noreferrer"))


def render_review(
    catalog: polib.POFile,
    *,
    source: Language,
    target: Language,
    path: str,
    title: str,
    glossary: Glossary = EMPTY,
) -> str:
    """The review page of one catalog."""
    rows = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        findings = check_entry(entry, target, path=path, glossary=glossary)
        provenance = read_provenance(entry.tcomment or "")
        rows.append((entry, entry_state(entry), findings, provenance.score if provenance else None))
    rows.sort(key=_worst_first)
    counts = {state: sum(1 for _, s, _, _ in rows if s is state) for state in _STATE_ORDER}
    summary = ", ".join(f"{count} {state.value}" for state, count in counts.items())
    body = "\n".join(
        _row(entry, state, findings, score, path, source, target)
        for entry, state, findings, score in rows
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(summary)}. Worst first: entries "
        "with QA errors, then warnings, then outdated and machine translations by score.</p>\n"
        "<table>\n<thead><tr><th>where</th><th>state</th>"
        f"<th>source ({html.escape(source.code)})</th>"
        f"<th>translation ({html.escape(target.code)})</th>"
        "<th>checks</th></tr></thead>\n<tbody>\n"
        f"{body}\n</tbody>\n</table>\n</body>\n</html>\n"
    )


def _worst_first(
    row: tuple[polib.POEntry, State, list[Finding], float | None],
) -> tuple[object, ...]:
    entry, state, findings, score = row
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    return (
        -errors,
        -len(findings),
        _STATE_ORDER[state],
        score if score is not None else 0.0,
        entry.linenum or 0,
    )


def _row(
    entry: polib.POEntry,
    state: State,
    findings: list[Finding],
    score: float | None,
    path: str,
    source: Language,
    target: Language,
) -> str:
    reference = " ".join(f"{source}:{line}" for source, line in entry.occurrences)
    checks = "".join(
        f'<li class="{finding.severity.value}">{finding.severity.value} '
        f"[{html.escape(finding.code)}] {html.escape(finding.message)}</li>"
        for finding in findings
    )
    score_text = f"<br>score {score:.2f}" if score is not None else ""
    previous = (
        f"<p><small>was: {_render(entry.previous_msgid)}</small></p>"
        if entry.previous_msgid
        else ""
    )
    css = state.value.replace(" ", "-")
    return (
        f'<tr class="{css}"><td class="where">{html.escape(path)}:{entry.linenum or 0}'
        f"<br>{html.escape(reference)}</td>"
        f'<td class="state">{html.escape(state.value)}{score_text}</td>'
        f'<td lang="{source.bcp47}">{_render(entry.msgid)}{previous}</td>'
        f'<td lang="{target.bcp47}" dir="{target.direction}">'
        f"{_render(entry.msgstr) if entry.msgstr else '<em>untranslated</em>'}</td>"
        f"<td>{'<ul>' + checks + '</ul>' if checks else ''}</td></tr>"
    )
