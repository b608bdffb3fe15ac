"""HTML pages from editions: a standalone, sanitised page per document and language.

Markdown is rendered with markdown-it-py (CommonMark, tables; front matter skipped), plain
text paragraph by paragraph, and the result is cleaned with nh3 (ammonia) so no script,
event handler, ``javascript:`` link or frame can reach a reader.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

from translatio.document import Document, Format, SegmentKind
from translatio.languages import Language
from translatio.pages import READING_STYLE, page
from translatio.segment import MAX_NESTING
from translatio.states import State

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["render_bilingual", "render_body", "render_page"]


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    options = {"maxNesting": MAX_NESTING}  # as deep as segmentation reads, so no text is lost
    return MarkdownIt("commonmark", options).enable("table").use(front_matter_plugin)


_MACHINE = "machine-translated"
_MARKED = frozenset({"paragraph_open", "heading_open", "list_item_open", "tr_open"})


def render_body(text: str, format: Format, *, machine_lines: frozenset[int] = frozenset()) -> str:
    """The sanitised HTML of an edition's text.

    Blocks starting on one of ``machine_lines`` get ``class="machine-translated"``, so a
    draft shows the reader which paragraphs no person has reviewed.
    """
    import nh3

    if format is Format.MARKDOWN:
        tokens = _markdown().parse(text)
        for token in tokens:
            if token.type in _MARKED and token.map and token.map[0] in machine_lines:
                token.attrJoin("class", _MACHINE)
        raw = _markdown().renderer.render(tokens, _markdown().options, {})
    else:
        parts = []
        text = re.sub(r"\r\n?", "\n", text)  # CR and CRLF end lines too, as in segmentation
        line = counted = 0
        for match in re.finditer(r"(?:^|\n)([ \t]*\S[^\n]*(?:\n[ \t]*\S[^\n]*)*)", text):
            line += text.count("\n", counted, match.start(1))
            counted = match.start(1)
            marked = f' class="{_MACHINE}"' if line in machine_lines else ""
            parts.append(f"<p{marked}>{html.escape(match.group(1).strip())}</p>\n")
        raw = "".join(parts)
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr"):
        attributes.setdefault(tag, set()).add("class")
    return str(nh3.clean(raw, attributes=attributes, link_rel="noopener noreferrer"))


def render_page(
    text: str,
    format: Format,
    *,
    language: Language,
    title: str,
    machine_lines: frozenset[int] = frozenset(),
) -> str:
    """A complete HTML5 page: ``lang`` in BCP 47, ``dir``, a CJK-capable font stack."""
    body = render_body(text, format, machine_lines=machine_lines)
    return page(
        title=title,
        lang=language.bcp47,
        direction=language.direction,
        body=f"<main>\n{body}</main>\n",
        style=READING_STYLE,
        generator=True,
    )


def render_bilingual(
    document: Document,
    translations: dict[str, tuple[str, State]],
    *,
    source: Language,
    target: Language,
    title: str,
) -> str:
    """A bilingual page: each segment's source and translation side by side, in order.

    Segments without a usable translation show the source again, greyed; machine output
    (in drafts) is marked like in the draft edition.
    """
    import nh3

    inline = inline_markdown()
    rows = []
    for segment in document.segments:
        found = translations.get(segment.text)
        kind = "heading" if segment.kind is SegmentKind.HEADING else "text"
        original = inline.renderInline(segment.text)
        if found is None:
            translated, css = original, "untranslated"
        else:
            translated = inline.renderInline(found[0])
            css = "machine-translated" if found[1] is not State.TRANSLATED else "translated"
        rows.append(
            f'<div class="row {kind}"><div lang="{source.bcp47}" dir="{source.direction}">'
            f'{original}</div><div lang="{target.bcp47}" dir="{target.direction}" '
            f'class="{css}">{translated}</div></div>'
        )
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes.setdefault("div", set()).update({"class", "lang", "dir"})
    body = str(nh3.clean("\n".join(rows), attributes=attributes, link_rel="noopener noreferrer"))
    return page(
        title=title,
        lang=target.bcp47,
        direction=target.direction,
        body=f'<main class="bilingual">\n{body}\n</main>\n',
        style=f"{READING_STYLE}\n{_BILINGUAL_STYLE}",
    )


_BILINGUAL_STYLE = """\
main.bilingual{max-width:80em}.row{display:grid;grid-template-columns:1fr 1fr;gap:1.5em;
padding:.4em 0;border-bottom:1px solid #eee}.row.heading{font-weight:bold;font-size:1.2em}
.untranslated{color:#888}"""


@cache
def inline_markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default")  # raw HTML in a text is shown, never interpreted
