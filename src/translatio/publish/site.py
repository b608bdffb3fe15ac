"""The editions as one small site: links between languages, the switcher and the index.

Every page of a document links the other editions that exist (``<link rel="alternate"
hreflang>`` in BCP 47, ``x-default`` to the original) and shows them in a language
switcher; ``index.html`` at the top of the editions folder lists every document and
language with how complete and how reviewed it is. All links are relative, computed
from the pages' own paths (document ids may hold folders: ``blog/2026/op-ed``), so the
folder can be copied to any web server as it is. Values in, HTML out.
"""

from __future__ import annotations

import html
import math
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.language_names import autonym, og_locale
from translatio.publish.pages import READING_STYLE, Metadata, page

__all__ = [
    "INDEX",
    "SiteEntry",
    "SiteState",
    "edition_page",
    "render_index",
    "site_metadata",
    "switcher",
]

INDEX = "index.html"
"""The index page, at the top of the editions folder."""


class SiteState(StrEnum):
    """What the site holds of one document in one language."""

    ORIGINAL = "original"
    REVIEWED = "reviewed"
    DRAFT = "draft"
    NOT_PUBLISHED = "not published"


_STATE_MESSAGES = {
    SiteState.ORIGINAL: messages.ORIGINAL,
    SiteState.REVIEWED: messages.REVIEWED_EDITION,
    SiteState.DRAFT: messages.DRAFT_EDITION,
    SiteState.NOT_PUBLISHED: messages.NOT_PUBLISHED,
}


@dataclass(frozen=True, slots=True)
class SiteEntry:
    """One document in one language, as the index and the other editions see it."""

    document: str
    """The document id (``article``, ``blog/2026/op-ed``)."""
    language: Language
    """The edition's language (the source language for the original)."""
    state: SiteState
    """Original, reviewed, draft, or not published."""
    title: str = ""
    """The edition's own title, plain text (empty when not published)."""
    title_language: Language | None = None
    """The language its title is in, when it differs from ``language``."""
    completeness: float | None = None
    """Percent of words translated in the edition (``None`` for the original)."""
    reviewed: float | None = None
    """Percent of words with a reviewed translation (``None`` for the original)."""

    @property
    def published(self) -> bool:
        """Whether there is a page to link to."""
        return self.state is not SiteState.NOT_PUBLISHED


def edition_page(document: str, language: Language) -> str:
    """The page's path inside the editions folder: ``zh_CN/blog/2026/op-ed.html``."""
    return f"{language.code}/{document}.html"


def _link(from_page: str, to_page: str) -> str:
    """A relative URL from one page of the site to another."""
    start = posixpath.dirname(from_page) or "."
    return quote(posixpath.relpath(to_page, start))


def _language_attributes(language: Language) -> str:
    return f'lang="{language.bcp47}" dir="{language.direction}"'


def site_metadata(
    current: SiteEntry, members: Sequence[SiteEntry], *, description: str
) -> Metadata:
    """The page's description, Open Graph locales and alternate links to ``members``.

    ``members`` are the published editions of the same document, the original first.
    """
    here = edition_page(current.document, current.language)
    alternates = [
        (member.language.bcp47, _link(here, edition_page(member.document, member.language)))
        for member in members
    ]
    originals = [member for member in members if member.state is SiteState.ORIGINAL]
    if originals:
        alternates.append(("x-default", alternates[members.index(originals[0])][1]))
    return Metadata(
        description=description,
        og_locale=og_locale(current.language),
        og_alternates=tuple(
            og_locale(member.language) for member in members if member.language != current.language
        ),
        alternates=tuple(alternates),
    )


def switcher(current: SiteEntry, members: Sequence[SiteEntry]) -> str:
    """The visible language switcher: every published edition under its own name.

    Its label is in the page's language; each language's name is in that language.
    """
    words = messages.translator(current.language)
    here = edition_page(current.document, current.language)
    items = []
    for member in members:
        target = edition_page(member.document, member.language)
        current_page = ' aria-current="page"' if member.language == current.language else ""
        items.append(
            f'<li><a href="{html.escape(_link(here, target))}" '
            f'hreflang="{member.language.bcp47}" {_language_attributes(member.language)}'
            f"{current_page}>{html.escape(autonym(member.language))}</a></li>"
        )
    label = words(messages.LANGUAGES)
    all_editions = words(messages.ALL_EDITIONS)
    return (
        f'<nav class="languages" aria-label="{html.escape(label)}"><ul>'
        + "".join(items)
        + f'<li class="all"><a href="{html.escape(_link(here, INDEX))}"'
        f"{_fallback(words, messages.ALL_EDITIONS, current.language)}>"
        f"{html.escape(all_editions)}</a></li>"
        "</ul></nav>\n"
    )


def _fallback(words: messages.Translator, message: str, language: Language) -> str:
    """``lang`` and ``dir`` for a message that fell back to English on this page."""
    used = words.language_of(message)
    return "" if used == language else f" {_language_attributes(used)}"


def render_index(entries: Sequence[SiteEntry], *, source: Language) -> str:
    """``index.html``: every document, and each language's edition, completeness and state.

    ``entries`` come in the order to show them (documents sorted, the original first);
    the page's words are in the source language.
    """
    words = messages.translator(source)
    sections: list[str] = []
    documents = list(dict.fromkeys(entry.document for entry in entries))
    for document in documents:
        rows = [entry for entry in entries if entry.document == document]
        sections.append(_index_section(document, rows, words))
    heading = html.escape(words(messages.EDITIONS))
    body = f"<main>\n<h1>{heading}</h1>\n" + "".join(sections) + "</main>\n"
    from translatio.publish.render import sanitize

    return page(
        title=words(messages.EDITIONS),
        lang=source.bcp47,
        direction=source.direction,
        body=sanitize(body),
        style=f"{READING_STYLE}\n{_INDEX_STYLE}",
        generator=True,
        metadata=Metadata(),
    )


def _index_section(document: str, rows: Sequence[SiteEntry], words: messages.Translator) -> str:
    original = next((row for row in rows if row.state is SiteState.ORIGINAL), None)
    title = original.title if original and original.title else document
    columns = (
        messages.LANGUAGE,
        messages.EDITION,
        messages.TRANSLATED,
        messages.REVIEWED,
        messages.STATE,
    )
    head = "".join(f"<th>{html.escape(words(column))}</th>" for column in columns)
    lines = [
        f"<section>\n<h2>{html.escape(title)}</h2>\n"
        f"<p><code>{html.escape(document)}</code></p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
    ]
    for row in rows:
        lines.append(_index_row(row, words))
    lines.append("</tbody>\n</table>\n</section>\n")
    return "".join(lines)


def _index_row(row: SiteEntry, words: messages.Translator) -> str:
    language = row.language
    if row.published:
        title_language = row.title_language or language
        edition = (
            f'<a href="{html.escape(_link(INDEX, edition_page(row.document, language)))}" '
            f'hreflang="{language.bcp47}" {_language_attributes(title_language)}>'
            f"{html.escape(row.title or row.document)}</a>"
        )
    else:
        edition = "—"
    css = row.state.value.replace(" ", "-")
    return (
        f'<tr class="{css}"><td {_language_attributes(language)}>'
        f"{html.escape(autonym(language))} <code>{html.escape(language.code)}</code></td>"
        f"<td>{edition}</td><td>{_percent(row.completeness)}</td>"
        f"<td>{_percent(row.reviewed)}</td>"
        f"<td>{html.escape(words(_STATE_MESSAGES[row.state]))}</td></tr>\n"
    )


def _percent(value: float | None) -> str:
    """Whole percent, rounded down: 99.6 % translated is not shown as complete."""
    return "" if value is None else f"{math.floor(value)}%"


_INDEX_STYLE = """\
body{max-width:56em}table{display:table;width:100%}section{margin-block:2em}
h2{margin-block-end:.2em}h2+p{margin-block-start:0;color:#555}
tr.not-published{color:#777}tr.draft td:last-child{color:#8a6d00}
td:nth-child(3),td:nth-child(4){text-align:end;white-space:nowrap}"""
