"""An edition's HTML page put together: its text, title, notice, switcher and metadata.

``render`` turns text into sanitised HTML and ``site`` knows the other editions; this
module decides what the page around an edition's text says, in the edition's language
(``messages``), and which parts of it are in another language (``lang``/``dir``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from translatio.catalog.states import State
from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.dates import long_date
from translatio.publish.edition import Edition, with_notice
from translatio.publish.language_names import autonym
from translatio.publish.page_titles import PageTitle
from translatio.publish.render import (
    EARLIER,
    BilingualHeadings,
    BlockMark,
    Surroundings,
    block_marks,
    render_bilingual,
    render_page,
)
from translatio.publish.site import SiteEntry, site_metadata, switcher
from translatio.text.document import Document, Format

__all__ = ["Corrections", "bilingual_page", "corrections_text", "edition_page_html"]


@dataclass(frozen=True, slots=True)
class Corrections:
    """What an edition says about changes to its original since it was published."""

    updated: str | None = None
    """When the original changed in a way the edition does not follow yet (UTC, ISO
    8601): the page then says so at the top."""
    version: str | None = None
    """When the version the edition follows appeared (with ``updated``)."""
    log: tuple[tuple[str, int], ...] = ()
    """(when, paragraph number) of each correction the edition follows, oldest first."""

    def notice(self, language: Language) -> str | None:
        """The notice at the top, in ``language``'s words and dates."""
        if self.updated is None:
            return None
        words = messages.translator(language)
        return words(
            messages.OUTDATED_NOTICE,
            updated=long_date(self.updated, language),
            version=long_date(self.version or self.updated, language),
        )

    def entries(self, language: Language) -> list[str]:
        """The log's lines, in ``language``'s words and dates."""
        words = messages.translator(language)
        return [
            words(messages.CORRECTION, date=long_date(when, language), number=str(number))
            for when, number in self.log
        ]


def corrections_text(
    edition_text: str, corrections: Corrections, language: Language, format: Format
) -> str:
    """The edition file's text with the correction notice at the top and the log at the end."""
    notice = corrections.notice(language)
    text = with_notice(edition_text, notice, format) if notice else edition_text
    entries = corrections.entries(language)
    if entries:
        words = messages.translator(language)
        text = text.rstrip("\n") + f"\n\n{words(messages.CORRECTIONS)}:\n\n"
        text += "".join(f"- {entry}\n" for entry in entries)
    return text


def edition_page_html(
    document: Document,
    edition: Edition,
    title: PageTitle,
    entry: SiteEntry,
    members: Sequence[SiteEntry],
    *,
    source: Language,
    corrections: Corrections | None = None,
) -> str:
    """The page of ``edition`` (``entry`` in the site of ``members``, none: no links),
    with the notice and log of ``corrections``."""
    language = entry.language
    words = messages.translator(language)
    marks = (
        {}
        if language == source
        else block_marks(fallback_lines=edition.fallback_lines, source=source)
    )
    for line in edition.earlier_lines:
        marks[line] = BlockMark(css=EARLIER)
    corrections = corrections or Corrections()
    header = switcher(entry, members) if members else ""
    notice_text = corrections.notice(language)
    if notice_text is not None:
        mark = _in(words, messages.OUTDATED_NOTICE, language)
        header += (
            f'<p class="correction-notice" role="note"{mark.attributes()}>'
            + html.escape(notice_text)
            + "</p>\n"
        )
    if edition.notice is not None:
        message = messages.DRAFT_NOTICE if edition.machine_lines else messages.PREVIEW_NOTICE
        notice = _in(words, message, language)
        header += (
            f'<p class="draft-notice" role="note"{notice.attributes()}>'
            + html.escape(words(message))
            + "</p>\n"
        )
    footer = ""
    if corrections.log:
        mark = _in(words, messages.CORRECTION, language)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in corrections.entries(language))
        footer = (
            f'<section class="corrections"{mark.attributes()}>'
            f"<h2>{html.escape(words(messages.CORRECTIONS))}</h2><ul>{items}</ul></section>\n"
        )
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
        surroundings=Surroundings(
            header=header,
            machine_label=words(messages.MACHINE_LABEL),
            preview_label=words(messages.PREVIEW_LABEL),
            earlier_label=words(messages.EARLIER_LABEL) if edition.earlier_lines else "",
            footer=footer,
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
