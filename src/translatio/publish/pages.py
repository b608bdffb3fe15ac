"""The HTML page skeleton all of translatio's pages share: doctype, head, language, style.

Editions, bilingual, review and index pages differ in their bodies, styles and metadata
only; the shell around them (UTF-8, a viewport for phones, the page's language and
direction, an escaped title, metadata, inline CSS with no external fonts or scripts) is
written here once. The head's metadata is built from translations, so it is escaped and
then passed through nh3 like every body: nothing but ``title``, ``meta`` and ``link``
with their plain attributes survives. No page holds a control character (tab and line
breaks aside): whatever brought one (a source, a catalog shown on the review page),
``<title>`` and body alike show U+FFFD, the replacement character, in its place.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from translatio.qa.characters import without_control_characters

__all__ = ["READING_STYLE", "Metadata", "css_string", "page"]

_LATIN = '"Noto Sans",system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'
_SC = '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
_TC = '"Noto Sans CJK TC","Source Han Sans TC","PingFang TC","Microsoft JhengHei",sans-serif'
_JP = '"Noto Sans CJK JP","Source Han Sans JP","Hiragino Sans","Yu Gothic",sans-serif'
_KR = '"Noto Sans CJK KR","Source Han Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif'
_SERIF_SC = '"Noto Serif CJK SC","Source Han Serif SC","Songti SC",serif'
_SERIF_TC = '"Noto Serif CJK TC","Source Han Serif TC","Songti TC",serif'
_SERIF_JP = '"Noto Serif CJK JP","Source Han Serif JP","Hiragino Mincho ProN",serif'
_ARABIC = '"Noto Naskh Arabic","Noto Sans Arabic","Segoe UI","Geeza Pro","DejaVu Sans",sans-serif'
_HEBREW = '"Noto Sans Hebrew","Segoe UI","Arial Hebrew","DejaVu Sans",sans-serif'

READING_STYLE = f"""\
html{{-webkit-text-size-adjust:100%;text-size-adjust:100%}}
body{{margin:0 auto;max-width:42em;padding:1.5em 1em 3em;line-height:1.65;color:#1b1b1b;
background:#fff;overflow-wrap:break-word}}
[lang]{{font-family:{_LATIN}}}
[lang]:lang(zh-Hans),[lang]:lang(zh-CN),[lang]:lang(zh-SG){{font-family:{_SC}}}
[lang]:lang(zh-Hant),[lang]:lang(zh-TW),[lang]:lang(zh-HK){{font-family:{_TC}}}
[lang]:lang(ja){{font-family:{_JP}}}
[lang]:lang(ko){{font-family:{_KR}}}
[lang]:lang(ar),[lang]:lang(fa),[lang]:lang(ur){{font-family:{_ARABIC};line-height:1.8}}
[lang]:lang(he),[lang]:lang(yi){{font-family:{_HEBREW}}}
:lang(zh),:lang(ja),:lang(ko){{line-height:1.85;letter-spacing:.02em}}
:lang(ja){{line-break:strict}}
h1{{font-size:1.6em}}h1,h2,h3{{line-height:1.3}}
:is(h1,h2,h3):lang(zh),:is(h1,h2,h3):lang(ja){{line-height:1.45;letter-spacing:.04em}}
:is(h1,h2,h3):lang(zh-Hans){{font-family:{_SERIF_SC}}}
:is(h1,h2,h3):lang(zh-Hant){{font-family:{_SERIF_TC}}}
:is(h1,h2,h3):lang(ja){{font-family:{_SERIF_JP}}}
:is(em,i,cite,dfn,var):lang(zh),:is(em,i,cite,dfn,var):lang(ja){{font-style:normal}}
em:lang(zh),em:lang(ja){{-webkit-text-emphasis:filled dot;text-emphasis:filled dot}}
em:lang(zh){{-webkit-text-emphasis-position:under right;text-emphasis-position:under right}}
em:lang(ja){{-webkit-text-emphasis-position:over right;text-emphasis-position:over right}}
a{{color:#0b57d0}}
img,video{{max-width:100%;height:auto}}
pre,code,kbd,samp{{font-family:ui-monospace,"Noto Sans Mono","DejaVu Sans Mono",monospace;
font-size:.92em}}
pre{{overflow-x:auto;background:#f5f5f5;padding:.8em;direction:ltr;text-align:left}}
table{{border-collapse:collapse;display:block;max-width:100%;overflow-x:auto}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:start}}
blockquote{{margin-inline:0;padding-inline-start:1em;border-inline-start:3px solid #ccc;
color:#444}}
ul,ol{{padding-inline-start:1.6em}}
nav.languages{{font-size:.9em;margin-block-end:1.5em;padding-block-end:.6em;
border-block-end:1px solid #ddd}}
nav.languages ul{{display:flex;flex-wrap:wrap;align-items:baseline;gap:.2em 1em;
list-style:none;margin:0;padding:0}}
nav.languages [aria-current]{{font-weight:bold}}
nav.languages .all{{margin-inline-start:auto}}
.draft-notice{{background:#fff8e1;border-inline-start:4px solid #e0a800;padding:.6em 1em}}
.machine-translated,.preview{{border-inline-start:3px dashed #e0a800;padding-inline-start:.6em}}
.machine-translated::after,.preview::after{{font-size:.75em;color:#8a6d00}}
.correction-notice{{background:#e8f0fe;border-inline-start:4px solid #0b57d0;padding:.6em 1em}}
.earlier-version{{border-inline-start:3px solid #0b57d0;padding-inline-start:.6em}}
.earlier-version::after{{font-size:.75em;color:#0b57d0}}
section.corrections{{margin-block-start:2.5em;border-block-start:1px solid #ddd;font-size:.9em}}
@media (max-width:32em){{body{{padding:1em .8em 2em}}h1{{font-size:1.4em}}}}
@media print{{body{{max-width:none;padding:0;color:#000;font-size:11pt}}
nav.languages{{display:none}}a{{color:inherit}}
pre,blockquote,table,img,tr{{break-inside:avoid}}h1,h2,h3,h4{{break-after:avoid}}
.draft-notice{{border:1px solid #000;background:none}}
.machine-translated,.preview{{border-inline-start:1px dashed #000}}}}"""
"""The reader's style: a column that fits a phone, font stacks that prefer Noto CJK per
``lang``, emphasis marks instead of faux italics for Han and kana, logical properties
(so ``dir="rtl"`` mirrors the layout), and a print layout without the navigation."""


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a page tells search engines, link previews and browsers about itself."""

    description: str = ""
    """``<meta name="description">`` and ``og:description`` (plain text)."""
    og_locale: str = ""
    """``og:locale`` (``zh_CN``, ``fr_FR``); no Open Graph tags when empty."""
    og_alternates: tuple[str, ...] = ()
    """``og:locale:alternate`` values: the other editions' locales."""
    alternates: tuple[tuple[str, str], ...] = ()
    """``<link rel="alternate">`` as (hreflang, relative href) pairs, ``x-default`` included."""


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the ``<style>``."""
    escaped = "".join(
        f"\\{ord(character):x} " if character in '\\"<>&\n\r' else character for character in text
    )
    return f'"{escaped}"'


def page(
    *,
    title: str,
    lang: str,
    body: str,
    style: str,
    direction: str | None = None,
    generator: bool = False,
    metadata: Metadata | None = None,
) -> str:
    """A complete HTML5 page around ``body`` (HTML that ends with a line break).

    ``lang`` is a BCP 47 tag and ``direction`` ``ltr`` or ``rtl`` (no ``dir`` when
    ``None``); ``style`` is inline CSS; ``generator`` names translatio in a meta tag;
    ``metadata`` adds the description, Open Graph tags and alternate links.
    """
    direction_attribute = "" if direction is None else f' dir="{direction}"'
    generator_meta = '<meta name="generator" content="translatio">\n' if generator else ""
    head = f"<title>{html.escape(title)}</title>\n"
    if metadata is not None:
        head = _sanitized_head(head + _metadata(title, metadata))
    return without_control_characters(
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}"{direction_attribute}>\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{generator_meta}"
        f"{head}"
        f"<style>\n{style}\n</style>\n"
        "</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )


def _metadata(title: str, metadata: Metadata) -> str:
    def meta(kind: str, name: str, content: str) -> str:
        return f'<meta {kind}="{name}" content="{html.escape(content)}">\n'

    lines = []
    if metadata.description:
        lines.append(meta("name", "description", metadata.description))
    if metadata.og_locale:
        lines += [
            meta("property", "og:type", "article"),
            meta("property", "og:title", title),
            meta("property", "og:locale", metadata.og_locale),
            *(meta("property", "og:locale:alternate", other) for other in metadata.og_alternates),
        ]
        if metadata.description:
            lines.append(meta("property", "og:description", metadata.description))
    lines += [
        f'<link rel="alternate" hreflang="{html.escape(tag)}" href="{html.escape(href)}">\n'
        for tag, href in metadata.alternates
    ]
    return "".join(lines)


def _sanitized_head(head: str) -> str:
    import nh3

    cleaned = nh3.clean(
        head,
        tags={"title", "meta", "link"},
        attributes={"meta": {"name", "property", "content"}, "link": {"rel", "hreflang", "href"}},
        link_rel=None,
        url_schemes=set(),
        strip_comments=True,
    )
    return str(cleaned)
