"""Bringing another language's published page up to date with the site, and nothing else.

Building one language changes what the others' pages must say about the site: which
editions exist (their ``<link rel="alternate">`` and ``og:locale:alternate`` tags and the
language switcher) and whether their original changed since (the correction notice).
Those pages are not rebuilt from their catalogs (a translator may be half-way through a
change no one has reviewed into a build yet): ``restamp`` takes the page as it was
published and replaces exactly those lines with the ones a fresh render of it has. Every
page translatio writes puts each of them on a line of its own.
"""

from __future__ import annotations

import re

__all__ = ["restamp"]

_GROUPS = (
    re.compile(r'<meta property="og:locale:alternate" [^\n]*>'),
    re.compile(r'<link rel="alternate" [^\n]*>'),
)
"""Lines of the head that name the other editions, each group contiguous."""
_NAV = re.compile(r'<nav class="languages"[^\n]*</nav>')
_NOTICE = re.compile(r'<p class="correction-notice"[^\n]*</p>')


def restamp(published: str, fresh: str) -> str | None:
    """``published`` with the site's lines of ``fresh``; ``None`` when its layout is not
    translatio's (the caller then leaves the page as it is)."""
    lines = published.split("\n")
    new = fresh.split("\n")
    for group in _GROUPS:
        wanted = [line for line in new if group.fullmatch(line)]
        found = [number for number, line in enumerate(lines) if group.fullmatch(line)]
        if found:
            start = found[0]
            if found != list(range(start, start + len(found))):
                return None
            lines[start : start + len(found)] = wanted
        elif wanted:
            end = next((n for n, line in enumerate(lines) if line.startswith("<style")), None)
            if end is None:
                return None
            lines[end:end] = wanted
    wanted = [line for line in new if _NAV.fullmatch(line) or _NOTICE.fullmatch(line)]
    found = [n for n, line in enumerate(lines) if _NAV.fullmatch(line) or _NOTICE.fullmatch(line)]
    if found:
        start = found[0]
        if found != list(range(start, start + len(found))):
            return None
    else:
        start = next((n for n, line in enumerate(lines) if line == "<main>"), -1)
        if start < 0:
            return None
    lines[start : start + len(found)] = wanted
    return "\n".join(lines)
