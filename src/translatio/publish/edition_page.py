"""An edition's HTML page put together: its text, title, notice, switcher and metadata.

``render`` turns text into sanitised HTML and ``site`` knows the other editions; this
module decides what the page around an edition's text says, in the edition's language
(``messages``), and which parts of it are in another language (``lang``/``dir``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from translatio.catalog.states import State
from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.edition import Edition
from translatio.publish.language_names import autonym
from translatio.publish.page_titles import PageTitle
from translatio.publish.render import (
    BilingualHeadings,
    BlockMark,
    Surroundings,
    block_marks,
    render_bilingual,
    render_page,
)
from translatio.publish.site import SiteEntry, site_metadata, switcher
from translatio.text.document import Document

__all__ = ["bilingual_page", "edition_page_html"]


def edition_page_html(
    document: Document,
    edition: Edition,
    title: PageTitle,
    entry: SiteEntry,
    members: Sequence[SiteEntry],
    *,
    source: Language,
) -> str:
    """The page of ``edition`` (``entry`` in the site of ``members``, none: no links)."""
    language = entry.language
    words = messages.translator(language)
    marks = (
        {}
        if language == source
        else block_marks(fallback_lines=edition.fallback_lines, source=source)
    )
    header = switcher(entry, members) if members else ""
    if edition.notice is not None:
        message = messages.DRAFT_NOTICE if edition.machine_lines else messages.PREVIEW_NOTICE
        notice = _in(words, message, language)
        header += (
            f'<p class="draft-notice" role="note"{notice.attributes()}>'
            + html.escape(words(message))
            + "</p>\n"
        )
    heading = ""
    if not title.heading and not title.whole_paragraph:
        mark = BlockMark(
            css="preview" if title.preview else "machine-translated" if title.machine else "",
            lang=title.language.bcp47 if title.language != language else "",
            direction=title.language.direction if title.language != language else "",
        )
        heading = f"<h1{mark.attributes()}>{html.escape(title.title)}</h1>\n"
    metadata = site_metadata(entry, members or [entry], description=title.description)
    if not members:
        metadata = type(metadata)(metadata.description, metadata.og_locale)
    return render_page(
        edition.body,
        document.format,
        language=language,
        title=title.title,
        machine_lines=edition.machine_lines,
        marks=marks,
        title_paragraph=title.whole_paragraph,
        surroundings=Surroundings(
            header=header,
            heading=heading,
            machine_label=words(messages.MACHINE_LABEL),
            preview_label=words(messages.PREVIEW_LABEL),
            metadata=metadata,
        ),
        preview_lines=edition.preview_lines,
    )


def _in(words: messages.Translator, message: str, language: Language) -> BlockMark:
    """``lang``/``dir`` for a message that fell back to English on a page in ``language``."""
    used = words.language_of(message)
    if used == language:
        return BlockMark()
    return BlockMark(lang=used.bcp47, direction=used.direction)


def bilingual_page(
    document: Document,
    usable: Mapping[str, tuple[str, State]],
    title: PageTitle,
    *,
    source: Language,
    target: Language,
) -> str:
    """The side-by-side page of ``document`` in ``target``, headed in ``target``'s words."""
    words = messages.translator(target)
    headings = BilingualHeadings(
        title=words(messages.BILINGUAL_TITLE, title=title.title),
        original=words(messages.ORIGINAL_IN, language=autonym(source)),
        translation=words(messages.TRANSLATION_IN, language=autonym(target)),
        machine_label=words(messages.MACHINE_LABEL),
        preview_label=words(messages.PREVIEW_LABEL),
    )
    return render_bilingual(
        document, usable, source=source, target=target, title=headings.title, headings=headings
    )
