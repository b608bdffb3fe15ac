"""PO bytes in GNU gettext's own layout: what ``msgcat`` and ``msgmerge`` write.

A pure function from a ``polib.POFile`` to bytes. Strings are wrapped the way gettext's
``write-po.c`` wraps them: at ``width`` columns (79 by default, ``--width``), measured in
display columns, at the line-break opportunities libunistring finds (its UAX #14 pair
table, run over the *escaped* text), always after an embedded ``\\n``, with an empty first
line (``msgid ""``) when the string wraps or holds a ``\\n`` before its end. ``#:``
references are filled up to the width; translator (``#``) and extracted (``#.``)
comments are never wrapped. ``width=0`` writes every string unwrapped, as
``msgcat --no-wrap`` does.

Two differences from gettext are deliberate, because a writer must not lose content:
flags gettext does not know (and non-fuzzy flags of obsolete entries) are kept, and an
obsolete entry with an empty msgstr is written instead of dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import polib

from translatio.catalog.po.linebreak import display_width, width_linebreaks

__all__ = ["DEFAULT_WIDTH", "remembering_line_breaks", "write_po"]

DEFAULT_WIDTH = 79
"""GNU gettext's page width: the column its PO writer wraps at."""

_NO_WRAP = 2**31 - 1  # gettext's INT_MAX
_ESCAPES = {
    "\a": "a",
    "\b": "b",
    "\f": "f",
    "\n": "n",
    "\r": "r",
    "\t": "t",
    "\v": "v",
    "\\": "\\",
    '"': '"',
}
_ESCAPE_TABLE = {ord(char): "\\" + letter for char, letter in _ESCAPES.items()}
# gettext's format languages, in the order its "#," line lists them (format.h, 0.21).
_FORMATS = [
    "c",
    "objc",
    "python",
    "python-brace",
    "java",
    "java-printf",
    "csharp",
    "javascript",
    "scheme",
    "lisp",
    "elisp",
    "librep",
    "ruby",
    "sh",
    "awk",
    "lua",
    "object-pascal",
    "smalltalk",
    "qt",
    "qt-plural",
    "kde",
    "kde-kuit",
    "boost",
    "tcl",
    "perl",
    "perl-brace",
    "php",
    "gcc-internal",
    "gfc-internal",
    "ycp",
]
_FORMAT_RANK = {
    f"{negation}{language}-format": 1 + index
    for index, language in enumerate(_FORMATS)
    for negation in ("", "no-", "possible-")
}


def write_po(catalog: polib.POFile, *, width: int = DEFAULT_WIDTH) -> bytes:
    """The UTF-8 bytes of ``catalog`` in gettext's layout, wrapped at ``width`` (0: unwrapped).

    >>> catalog = polib.POFile()
    >>> catalog.append(polib.POEntry(msgid="Hello", msgstr="Bonjour", occurrences=[("a.md", "1")]))
    >>> print(write_po(catalog).decode(), end="")
    msgid ""
    msgstr ""
    <BLANKLINE>
    #: a.md:1
    msgid "Hello"
    msgstr "Bonjour"
    """
    if width < 0:
        raise ValueError(f"width must be 0 or positive, not {width}")
    blocks = [_header(catalog, width)]
    blocks += [_entry(entry, width) for entry in catalog if not entry.obsolete]
    blocks += [_entry(entry, width) for entry in catalog if entry.obsolete]
    return "\n".join("".join(block) for block in blocks).encode("utf-8")


def _header(catalog: polib.POFile, width: int) -> list[str]:
    lines = list(_comment_lines("#", catalog.header)) if catalog.header else []
    metadata = catalog.ordered_metadata()
    msgstr = "".join(f"{name}: {value}\n" for name, value in metadata)
    if catalog.metadata_is_fuzzy and msgstr:
        lines.append("#, fuzzy\n")
    lines += _string("", "msgid", "", width)
    lines += _string("", "msgstr", msgstr, width)
    return lines


def _entry(entry: polib.POEntry, width: int) -> list[str]:
    lines: list[str] = []
    if entry.tcomment:
        lines += _comment_lines("#", entry.tcomment)
    if entry.comment:
        lines += _comment_lines("#.", entry.comment)
    if entry.occurrences:
        lines += _references(entry.occurrences, width or DEFAULT_WIDTH)
    if entry.flags:
        lines.append("#, " + ", ".join(_ordered_flags(entry.flags)) + "\n")
    if "no-wrap" in entry.flags:
        width = 0
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    for name, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += _string(previous, name, value, width)
    if entry.msgctxt is not None:
        lines += _string(prefix, "msgctxt", entry.msgctxt, width)
    lines += _string(prefix, "msgid", entry.msgid, width)
    if entry.msgid_plural:
        lines += _string(prefix, "msgid_plural", entry.msgid_plural, width)
        for index, text in sorted(entry.msgstr_plural.items()):
            lines += _string(prefix, f"msgstr[{index}]", text, width)
    else:
        lines += _string(prefix, "msgstr", entry.msgstr, width)
    return lines


def _comment_lines(mark: str, text: str) -> Iterator[str]:
    for line in text.split("\n"):
        yield f"{mark} {line}\n" if line else f"{mark}\n"


def _references(occurrences: list[tuple[str, str]], width: int) -> list[str]:
    """``#:`` lines filled up to ``width`` bytes, as gettext counts them."""
    lines = ["#:"]
    column = 2
    for path, line in dict.fromkeys(occurrences):  # gettext drops repeated references
        reference = f"{path}:{line}" if line else path
        size = len(reference.encode("utf-8")) + 1
        if column > 2 and column + size > width:
            lines[-1] += "\n"
            lines.append("#:")
            column = 2
        lines[-1] += " " + reference
        column += size
    lines[-1] += "\n"
    return lines


def _ordered_flags(flags: list[str]) -> list[str]:
    """gettext's order: fuzzy, format flags by language, range, wrap; unknown flags last."""

    def rank(flag: str) -> int:
        if flag == "fuzzy":
            return 0
        if flag in _FORMAT_RANK:
            return _FORMAT_RANK[flag]
        if flag.startswith("range:"):
            return 100
        return 101 if flag in {"wrap", "no-wrap"} else 102

    return sorted(dict.fromkeys(flags), key=rank)


_Key = tuple[str, int, int, bool]
_REMEMBERED: ContextVar[dict[_Key, list[int]] | None] = ContextVar("remembered", default=None)


@contextmanager
def remembering_line_breaks() -> Iterator[None]:
    """Within this block a string is wrapped once, however many catalogs write it.

    The catalogs of one document share their msgids (and previous msgids): written in
    twenty languages, each is laid out once instead of twenty times.
    """
    token = _REMEMBERED.set({}) if _REMEMBERED.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _REMEMBERED.reset(token)


def _breaks(escaped: str, line_width: int, start: int, newline: bool) -> list[int]:
    remembered = _REMEMBERED.get()
    if remembered is None:
        return width_linebreaks(escaped, line_width, start, final_newline=newline)
    key = (escaped, line_width, start, newline)
    found = remembered.get(key)
    if found is None:
        found = remembered[key] = width_linebreaks(
            escaped, line_width, start, final_newline=newline
        )
    return found


def _string(prefix: str, name: str, value: str, width: int) -> list[str]:
    """The lines of one keyword and its string, wrapped as gettext's ``wrap()`` does."""
    lines: list[str] = []
    first_line = True
    portions = _split_after_newlines(value)
    indent = len(prefix) + 1
    line_width = (width if width > 0 else _NO_WRAP) - 1 - indent
    for number, portion in enumerate(portions):
        escaped = portion.translate(_ESCAPE_TABLE)
        newline = portion.endswith("\n")
        start = len(prefix) + (len(name) + 1 if first_line else 0) + 1 - indent
        # A string that fits on its line has no breaks: its break opportunities need not
        # be computed (the costly part).
        columns = display_width(escaped)
        fits = start + columns <= line_width
        breaks = [] if fits else _breaks(escaped, line_width, start, newline)
        wraps = number + 1 < len(portions) or start > line_width or bool(breaks)
        if first_line and escaped and wraps:
            lines.append(f'{prefix}{name} ""\n')
            first_line = False
            fits = columns <= line_width
            breaks = [] if fits else _breaks(escaped, line_width, 0, newline)
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        pieces = [escaped[begin:end] for begin, end in itertools.pairwise([0, *breaks, None])]
        lines.append(head + '"' + f'"\n{prefix}"'.join(pieces) + '"\n')
    return lines


def _split_after_newlines(value: str) -> list[str]:
    if not value:
        return [""]
    portions = value.split("\n")
    result = [portion + "\n" for portion in portions[:-1]]
    if portions[-1]:
        result.append(portions[-1])
    return result
