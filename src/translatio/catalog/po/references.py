"""``#:`` source references: file names with spaces, as GNU gettext writes and reads them.

Since gettext 0.22, ``xgettext``, ``msgmerge`` and ``msgcat`` enclose a file name that
holds a space or a tab in U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE
(``#: ⁨source/my doc.md⁩:3``), so that a reference is one name and one line number
whatever the name holds; older versions (0.21, Debian 12) write the name as it is
(``#: source/my doc.md:3``). Both are read back to the plain name. A line-breaking tool
that does not know the isolates may cut an enclosed name over two ``#:`` lines
(gettext 0.21 and polib do, at a space): the name goes on on the next line. Without
isolates, pieces without a ``:LINE`` join the next piece that has one, keeping the
spaces between them, so ``my doc.md:3`` is one reference (translatio's references always
have a line); pieces that never meet a line are references without one, each alone, as
tools that write no line numbers (Pascal ``.rst`` files) mean them. A name without
isolates whose piece ends in ``:DIGITS`` (``v:2 notes.md``) cannot be told apart: only
the enclosed form (``format_reference``) says it unambiguously.

>>> parse_references(["\u2068source/my doc.md\u2069:3 source/b.md:1"])
[('source/my doc.md', '3'), ('source/b.md', '1')]
>>> parse_references(["source/my doc.md:3"])
[('source/my doc.md', '3')]
>>> format_reference("source/my doc.md", "3") == "\u2068source/my doc.md\u2069:3"
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ISOLATE_END", "ISOLATE_START", "format_reference", "parse_references"]

ISOLATE_START = "\u2068"
"""FIRST STRONG ISOLATE: opens a file name that holds spaces."""
ISOLATE_END = "\u2069"
"""POP DIRECTIONAL ISOLATE: closes it."""
_PIECE = re.compile(r"[^ \t]+")
"""gettext separates references by spaces and tabs only (not by every Unicode space)."""
_LINE_AT_END = re.compile(r":(\d+)$")
_LINE_AFTER = re.compile(r":(\d+)")


def format_reference(path: str, line: str) -> str:
    """One reference as gettext 0.22 writes it: the name enclosed when it holds a space
    or a tab, then ``:LINE`` (nothing when ``line`` is empty)."""
    name = f"{ISOLATE_START}{path}{ISOLATE_END}" if " " in path or "\t" in path else path
    return f"{name}:{line}" if line else name


def parse_references(lines: Iterable[str]) -> list[tuple[str, str]]:
    """The (file, line) pairs of an entry's ``#:`` lines (each stripped, without ``#:``)."""
    found: list[tuple[str, str]] = []
    enclosed: list[str] | None = None  # the lines of an enclosed name not closed yet
    carried = ""  # a name without isolates and without a line yet, from earlier lines
    for text in lines:
        position = 0
        start: int | None = None  # where such a name starts on this line
        while position < len(text):
            if enclosed is not None:
                end = text.find(ISOLATE_END, position)
                if end < 0:
                    enclosed.append(text[position:])
                    break
                name = " ".join([*enclosed, text[position:end]])
                line = _LINE_AFTER.match(text, end + len(ISOLATE_END))
                found.append((name, line.group(1) if line else ""))
                enclosed = None
                position = line.end() if line else end + len(ISOLATE_END)
                continue
            piece = _PIECE.search(text, position)
            if piece is None:
                break
            if piece.group().startswith(ISOLATE_START):
                found += _without_lines(_joined(carried, text, start, piece.start()))
                carried, start = "", None
                enclosed = []
                position = piece.start() + len(ISOLATE_START)
                continue
            start = piece.start() if start is None else start
            position = piece.end()
            name = _joined(carried, text, start, piece.end())
            line = _LINE_AT_END.search(name)
            if line:
                found.append((name[: line.start()], line.group(1)))
                carried, start = "", None
        carried = _joined(carried, text, start, len(text))
    if enclosed is not None:
        found.append((" ".join(enclosed), ""))
    return found + _without_lines(carried)


def _joined(carried: str, text: str, start: int | None, end: int) -> str:
    """``carried`` and ``text[start:end]`` (nothing from ``text`` without ``start``)."""
    here = text[start:end].rstrip(" \t") if start is not None else ""
    return f"{carried} {here}" if carried and here else carried or here


def _without_lines(pieces: str) -> list[tuple[str, str]]:
    """References without a line number (as Pascal ``.rst`` or RST tools write)."""
    return [(piece, "") for piece in _PIECE.findall(pieces)]
