"""``sitemap.xml``: every page of the site with its language alternates, as absolute URLs.

The form search engines document for multilingual sites: one ``<url>`` per page, and in
each, one ``<xhtml:link rel="alternate" hreflang>`` per edition of its document, the page
itself and ``x-default`` (the original) included. Only with the ``site_url`` setting:
a sitemap's addresses must be absolute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import quoteattr

__all__ = ["SITEMAP", "SitemapPage", "render_sitemap"]

SITEMAP = "sitemap.xml"
"""Its name, at the top of the editions folder."""
_URLSET = (
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


@dataclass(frozen=True, slots=True)
class SitemapPage:
    """One page, and the pages of its document in every language (``hreflang`` → path)."""

    path: str
    """Its path inside the editions folder (``zh_CN/article.html``)."""
    alternates: tuple[tuple[str, str], ...] = ()
    """(``hreflang``, path) of each edition of its document, itself and x-default included."""


def render_sitemap(pages: Sequence[SitemapPage], site_url: str) -> bytes:
    """The sitemap of ``pages`` under ``site_url`` (which ends with ``/``), pages sorted."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n', _URLSET]
    for item in sorted(pages, key=lambda page: page.path):
        lines.append(f"<url>\n<loc>{_escape(site_url + quote(item.path))}</loc>\n")
        for hreflang, path in item.alternates:
            href = quoteattr(site_url + quote(path))
            lines.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} href={href}/>\n'
            )
        lines.append("</url>\n")
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
