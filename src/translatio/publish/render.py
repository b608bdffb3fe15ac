"""HTML pages from editions: a standalone, sanitised page per document and language.

Markdown is rendered with markdown-it-py (CommonMark, tables; front matter skipped), plain
text paragraph by paragraph, and the result is cleaned with nh3 (ammonia) so no script,
event handler, ``javascript:`` link or frame can reach a reader. Blocks are marked where
the page needs to say something about them: machine output (``machine-translated``), the
pseudo engine's layout previews (``preview``, labelled as such: never a translation) and
text left in the source language (its ``lang`` and ``dir``). The bilingual page renders
both sides with the same renderer and sanitiser as the edition.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from translatio.catalog.states import State
from translatio.languages import Language
from translatio.publish.edition import fit_translation
from translatio.publish.pages import READING_STYLE, Metadata, css_string, page
from translatio.text.document import Document, Format, SegmentKind
from translatio.text.segment import MAX_NESTING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = [
    "BilingualHeadings",
    "BlockMark",
    "Surroundings",
    "block_marks",
    "markdown",
    "render_bilingual",
    "render_body",
    "render_page",
    "sanitize",
]

_MACHINE = "machine-translated"
_MARKED = frozenset({"paragraph_open", "heading_open", "list_item_open", "tr_open"})
_LANGUAGE_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "div", "span", "a")
_MACHINE_LABEL = "(machine translation)"
_PREVIEW = "preview"
_PREVIEW_LABEL = "(preview, not a translation)"
EARLIER = "earlier-version"
"""The class of a block that shows the translation of an earlier version of its source."""


@cache
def markdown() -> MarkdownIt:
    """The edition's Markdown renderer (CommonMark with tables, front matter skipped)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    options = {"maxNesting": MAX_NESTING}  # as deep as segmentation reads, so no text is lost
    return MarkdownIt("commonmark", options).enable("table").use(front_matter_plugin)


@dataclass(frozen=True, slots=True)
class BlockMark:
    """How the block that starts on a line of an edition's text is marked."""

    css: str = ""
    """A class (``machine-translated``), or empty."""
    lang: str = ""
    """A BCP 47 ``lang`` when the block is not in the page's language, or empty."""
    direction: str = ""
    """Its ``dir``, with ``lang``."""

    def attributes(self) -> str:
        """The mark as HTML attributes (with a leading space), for hand-built elements."""
        found = [("class", self.css), ("lang", self.lang), ("dir", self.direction)]
        return "".join(f' {name}="{html.escape(value)}"' for name, value in found if value)


def block_marks(
    *,
    machine_lines: frozenset[int] = frozenset(),
    fallback_lines: frozenset[int] = frozenset(),
    source: Language | None = None,
) -> dict[int, BlockMark]:
    """Marks for machine output, and for blocks left in ``source`` (its ``lang`` and ``dir``)."""
    marks = {line: BlockMark(css=_MACHINE) for line in machine_lines}
    if source is not None:
        for line in fallback_lines:
            marks[line] = BlockMark(lang=source.bcp47, direction=source.direction)
    return marks


@cache
def _attributes() -> dict[str, set[str]]:
    import nh3

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in _LANGUAGE_TAGS:
        attributes.setdefault(tag, set()).update({"class", "lang", "dir"})
    for tag in ("td", "th", "blockquote", "ul", "ol", "nav", "main", "section", "header"):
        attributes.setdefault(tag, set()).update({"class", "lang", "dir"})
    attributes["nav"].add("aria-label")
    attributes["p"].add("role")
    attributes["time"] = {"datetime"}
    attributes["a"].update({"hreflang", "aria-current"})
    attributes["span"].add("aria-current")
    return attributes


def sanitize(raw: str) -> str:
    """``raw`` HTML cleaned by nh3: no script, handler, frame or ``javascript:`` link."""
    import nh3

    tags = nh3.ALLOWED_TAGS | {"main", "section"}
    return str(nh3.clean(raw, tags=tags, attributes=_attributes(), link_rel="noopener noreferrer"))


def render_body(
    text: str,
    format: Format,
    *,
    machine_lines: frozenset[int] = frozenset(),
    marks: Mapping[int, BlockMark] | None = None,
    preview_lines: frozenset[int] = frozenset(),
) -> str:
    """The sanitised HTML of an edition's text.

    Blocks starting on one of ``machine_lines`` get ``class="machine-translated"``, so a
    draft shows the reader which paragraphs no person has reviewed, and those on one of
    ``preview_lines`` ``class="preview"`` (a layout preview, not a translation); ``marks``
    mark blocks by the line they start on (``block_marks``). Only the text's own headings
    are headings: plain text has none.
    """
    marked = dict(marks or {})
    for line in machine_lines:
        marked.setdefault(line, BlockMark(css=_MACHINE))
    for line in preview_lines:
        marked.setdefault(line, BlockMark(css=_PREVIEW))
    if format is Format.MARKDOWN:
        tokens = markdown().parse(text)
        for token in tokens:
            mark = marked.get(token.map[0]) if token.map else None
            if token.type in _MARKED and mark is not None:
                for name, value in (
                    ("class", mark.css),
                    ("lang", mark.lang),
                    ("dir", mark.direction),
                ):
                    if value:
                        token.attrJoin(name, value)
        raw = markdown().renderer.render(tokens, markdown().options, {})
    else:
        parts: list[str] = []
        text = re.sub(r"\r\n?", "\n", text)  # CR and CRLF end lines too, as in segmentation
        line = counted = 0
        for match in re.finditer(r"(?:^|\n)([ \t]*\S[^\n]*(?:\n[ \t]*\S[^\n]*)*)", text):
            line += text.count("\n", counted, match.start(1))
            counted = match.start(1)
            attributes = marked.get(line, BlockMark()).attributes()
            parts.append(f"<p{attributes}>{html.escape(match.group(1).strip())}</p>\n")
        raw = "".join(parts)
    return sanitize(raw)


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What an edition's page shows around its text, already in the page's language."""

    header: str = ""
    """HTML before ``<main>``: the language switcher and the draft notice."""
    machine_label: str = _MACHINE_LABEL
    """The words after each machine-translated block."""
    preview_label: str = _PREVIEW_LABEL
    """The words after each preview block."""
    earlier_label: str = ""
    """The words after each block that translates an earlier version of its source."""
    footer: str = ""
    """HTML to put last in ``<main>``: the corrections log."""
    metadata: Metadata | None = None
    """Description, Open Graph tags and alternate links."""


def render_page(
    text: str,
    format: Format,
    *,
    language: Language,
    title: str,
    machine_lines: frozenset[int] = frozenset(),
    marks: Mapping[int, BlockMark] | None = None,
    surroundings: Surroundings = Surroundings(),
    preview_lines: frozenset[int] = frozenset(),
) -> str:
    """A complete HTML5 page: ``lang`` in BCP 47, ``dir``, a CJK-capable font stack."""
    body = render_body(
        text,
        format,
        machine_lines=machine_lines,
        marks=marks,
        preview_lines=preview_lines,
    )
    header = sanitize(surroundings.header) if surroundings.header else ""
    footer = sanitize(surroundings.footer) if surroundings.footer else ""
    label = _labels(surroundings.machine_label, surroundings.preview_label)
    if surroundings.earlier_label:
        label += f"\n.{EARLIER}::after{{content:{css_string(' ' + surroundings.earlier_label)}}}"
    return page(
        title=title,
        lang=language.bcp47,
        direction=language.direction,
        body=f"{header}<main>\n{body}{footer}</main>\n",
        style=f"{READING_STYLE}\n{label}",
        generator=True,
        metadata=surroundings.metadata,
    )


@dataclass(frozen=True, slots=True)
class BilingualHeadings:
    """The bilingual page's own words, in the target language."""

    title: str
    """The page title (also its ``<h1>``)."""
    original: str
    """The source column's heading."""
    translation: str
    """The translation column's heading."""
    machine_label: str = _MACHINE_LABEL
    """The words after each machine-translated text."""
    preview_label: str = _PREVIEW_LABEL
    """The words after each preview text."""


def _labels(machine_label: str, preview_label: str) -> str:
    """The style that writes each block's label after it: machine translation, preview."""
    return (
        f".machine-translated::after{{content:{css_string(' ' + machine_label)}}}\n"
        f".preview::after{{content:{css_string(' ' + preview_label)}}}"
    )


def render_bilingual(
    document: Document,
    translations: Mapping[str, tuple[str, State]],
    *,
    source: Language,
    target: Language,
    title: str,
    headings: BilingualHeadings | None = None,
) -> str:
    """A bilingual page: each segment's source and translation side by side, in order.

    Both sides go through the edition's own renderer (inline HTML the source has, reference
    links, the fitting of a translation to its place) and the same sanitiser. Segments
    without a usable translation show the source again, greyed and in the source's
    language; machine output and previews (in drafts) are marked like in the draft edition.
    """
    words = headings or BilingualHeadings(title, source.code, target.code)
    inline = _inline_renderer(document)
    source_attributes = f'lang="{source.bcp47}" dir="{source.direction}"'
    rows = [
        '<div class="row head">'
        f"<div {source_attributes}>{html.escape(words.original)}</div>"
        f'<div lang="{target.bcp47}" dir="{target.direction}">'
        f"{html.escape(words.translation)}</div></div>"
    ]
    for segment in document.segments:
        found = translations.get(segment.text)
        kind = "heading" if segment.kind is SegmentKind.HEADING else "text"
        original = inline(segment.text)
        if found is None:
            translated, css, attributes = original, "untranslated", source_attributes
        else:
            translated = inline(fit_translation(found[0], segment, document.format))
            css = {State.TRANSLATED: "translated", State.PREVIEW: _PREVIEW}.get(found[1], _MACHINE)
            attributes = f'lang="{target.bcp47}" dir="{target.direction}"'
        rows.append(
            f'<div class="row {kind}"><div {source_attributes}>{original}</div>'
            f'<div {attributes} class="{css}">{translated}</div></div>'
        )
    body = sanitize("\n".join(rows))
    return page(
        title=words.title,
        lang=target.bcp47,
        direction=target.direction,
        body=(f'<main class="bilingual">\n<h1>{html.escape(words.title)}</h1>\n{body}\n</main>\n'),
        style=f"{READING_STYLE}\n{_BILINGUAL_STYLE}\n"
        + _labels(words.machine_label, words.preview_label),
    )


def _inline_renderer(document: Document) -> Any:
    """Renders one segment's text as the edition does: Markdown with the document's link
    definitions, or escaped plain text."""
    if document.format is not Format.MARKDOWN:
        return lambda text: html.escape(text).replace("\n", "<br>\n")
    environment: dict[str, Any] = {}
    markdown().parse(document.text, environment)  # collects the reference definitions
    return lambda text: markdown().renderInline(text, environment)


_BILINGUAL_STYLE = """\
body{max-width:80em}.row{display:grid;grid-template-columns:1fr 1fr;gap:1.5em;
padding:.4em 0;border-block-end:1px solid #eee}.row.heading{font-weight:bold;font-size:1.2em}
.row.head{font-size:.85em;color:#555;border-block-end:2px solid #ccc}
.untranslated{color:#888}@media (max-width:40em){.row{grid-template-columns:1fr;gap:.3em}}"""
