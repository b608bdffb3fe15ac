"""The HTML page skeleton all of translatio's pages share: doctype, head, language, style.

Editions, bilingual pages and review pages differ in their bodies and styles only; the
shell around them (UTF-8, a viewport for phones, the page's language and direction, an
escaped title, inline CSS with no external fonts or scripts) is written here once.
"""

from __future__ import annotations

import html

__all__ = ["READING_STYLE", "page"]

READING_STYLE = """\
body{margin:0 auto;max-width:42em;padding:2em 1em;line-height:1.7;color:#1b1b1b;
font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",
"Noto Sans CJK TC","PingFang SC","PingFang TC","Microsoft YaHei","Microsoft JhengHei",sans-serif}
:lang(zh-Hant){font-family:system-ui,"Noto Sans CJK TC","PingFang TC",
"Microsoft JhengHei",sans-serif}
pre,code{font-family:ui-monospace,"Noto Sans Mono",monospace}
pre{overflow-x:auto;background:#f5f5f5;padding:.8em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}
blockquote{margin-left:0;padding-left:1em;border-left:3px solid #ccc;color:#444}
.machine-translated{border-inline-start:3px dashed #e0a800;padding-inline-start:.6em}
.machine-translated::after{content:" (machine translation)";font-size:.75em;color:#8a6d00}"""
"""The reader's style: a narrow column, a CJK-capable font stack, machine text marked."""


def page(
    *,
    title: str,
    lang: str,
    body: str,
    style: str,
    direction: str | None = None,
    generator: bool = False,
) -> str:
    """A complete HTML5 page around ``body`` (HTML that ends with a line break).

    ``lang`` is a BCP 47 tag and ``direction`` ``ltr`` or ``rtl`` (no ``dir`` when
    ``None``); ``style`` is inline CSS; ``generator`` names translatio in a meta tag.
    """
    direction_attribute = "" if direction is None else f' dir="{direction}"'
    generator_meta = '<meta name="generator" content="translatio">\n' if generator else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"{direction_attribute}>\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{generator_meta}"
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{style}\n</style>\n"
        "</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
