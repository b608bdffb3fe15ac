"""An edition's title and description, from the text the edition itself shows.

The title is the document's first heading, else the first sentence of its first segment;
the description is its first paragraph. Each comes from the translation the edition uses
for that segment (so a reviewed edition never shows unreviewed text in its ``<title>``,
description or link previews either), else from the source, and records which language
it is in. Plain text: inline markup is rendered and dropped, the way a reader sees it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from translatio.catalog.states import State
from translatio.languages import Language
from translatio.publish.edition import fit_translation
from translatio.text.document import Document, Format, Segment, SegmentKind

__all__ = ["PageTitle", "page_title", "plain_text"]

_DESCRIPTION_LENGTH = 200
"""Characters of the first paragraph kept for the description (link previews cut there)."""
_READ = 4000
"""Characters of a segment read for its title or description: a first sentence longer
than that is cut anyway, and a 2 MB paragraph costs no more than a short one."""
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageTitle:
    """What names a page, and where its ``<h1>`` comes from."""

    title: str
    """Plain text for ``<title>``, ``og:title`` and the index (a first sentence loses its
    full stop, as headlines do)."""
    language: Language
    """The language the title is in (the source's when no translation was usable)."""
    machine: bool
    """Whether the title is unreviewed text (possible in drafts only)."""
    heading: bool
    """Whether the title is the document's heading (its ``<h1>``); without one, the first
    sentence names the page but nothing is made a heading (a plain-text article's first
    paragraph stays a paragraph)."""
    description: str
    """Plain text of the first paragraph, shortened to about 200 characters (as is a
    title: a first sentence or heading that long is cut at a word, with an ellipsis)."""
    preview: bool = False
    """Whether that unreviewed title is a layout preview (the pseudo engine's), not a
    translation."""


def page_title(
    document: Document,
    usable: Mapping[str, tuple[str, State]],
    *,
    source: Language,
    target: Language,
) -> PageTitle:
    """The title and description of ``document``'s edition that uses ``usable``."""
    segments = sorted(document.segments, key=lambda item: item.start)
    if not segments:
        return PageTitle(document.name, source, False, False, "")
    heading = next((item for item in segments if item.kind is SegmentKind.HEADING), None)
    paragraph = next((item for item in segments if item.kind is not SegmentKind.HEADING), None)
    description = ""
    if paragraph is not None:
        description = _shortened(_shown(paragraph, document, usable, source, target)[0])
    if heading is not None:
        text, language, state = _shown(heading, document, usable, source, target)
        title = _shortened(text) or document.name
        return PageTitle(
            title, language, _unreviewed(state), True, description, state is State.PREVIEW
        )
    first = segments[0]
    text, language, state = _shown(first, document, usable, source, target)
    from translatio.text.sentences import split_sentences

    sentences = [part.strip() for part in split_sentences(text, language) if part.strip()]
    title = _shortened(_headline(sentences[0])) if sentences else document.name
    return PageTitle(
        title, language, _unreviewed(state), False, description, state is State.PREVIEW
    )


def _unreviewed(state: State | None) -> bool:
    return state is not None and state is not State.TRANSLATED


def _shown(
    segment: Segment,
    document: Document,
    usable: Mapping[str, tuple[str, State]],
    source: Language,
    target: Language,
) -> tuple[str, Language, State | None]:
    """The segment as the edition shows it: plain text, its language, and its state
    (``None`` where the source is shown)."""
    found = usable.get(segment.text)
    if found is None:
        return plain_text(segment.text[:_READ], document.format), source, None
    text = fit_translation(found[0][:_READ], segment, document.format)
    return plain_text(text, document.format), target, found[1]


def plain_text(text: str, format: Format) -> str:
    """What a reader sees of ``text``: markup rendered and dropped, spaces collapsed."""
    if format is Format.MARKDOWN:
        import nh3

        from translatio.publish.render import markdown

        rendered = markdown().renderInline(text)
        text = html.unescape(str(nh3.clean(rendered, tags=set())))
    return _SPACES.sub(" ", text).strip()


def _headline(sentence: str) -> str:
    """A sentence as a title: without its full stop (a question or ellipsis keeps its mark)."""
    if sentence.endswith(("...", "..")):
        return sentence
    return sentence[:-1].rstrip() if sentence.endswith((".", "。", "．", "｡")) else sentence


def _shortened(text: str) -> str:
    """``text`` cut at a word boundary near 200 characters, with an ellipsis."""
    if len(text) <= _DESCRIPTION_LENGTH:
        return text
    cut = text[:_DESCRIPTION_LENGTH]
    space = cut.rfind(" ")
    if space > _DESCRIPTION_LENGTH // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:、，；：") + "…"
