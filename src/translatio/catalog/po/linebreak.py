"""Where GNU gettext may break a PO string line: libunistring's line breaking and widths.

gettext 0.21 wraps strings with libunistring's ``ulc_width_linebreaks``: UAX #14 line-break
classes (from ``uniseg``) looked up in libunistring's own pair table, which differs from
the published one, and display widths (East Asian wide characters count two columns).
This module reproduces exactly that, so ``write`` can lay strings out as msgcat does.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

__all__ = ["display_width", "width_linebreaks"]

_ESCAPE_SEQUENCE = re.compile(r"\\.", re.DOTALL)
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RUN = re.compile(r"(.)\1*", re.DOTALL)
"""A run of one repeated character (here: of code points of one line-break class)."""
_WIDTHS: dict[int, str] = {}
"""Display width of each code point seen so far, as a character (for ``str.translate``)."""
_CLASSES: dict[int, str] = {}
"""Line-break class of each code point seen so far, as a character."""

# libunistring's line-break classes (lbrktables.h): the 27 of the pair table, then the
# ones resolved before the table is consulted.
_TABLE_CLASSES = [
    "WJ",
    "GL",
    "B2",
    "BA",
    "BB",
    "HY",
    "CL",
    "CP",
    "EX",
    "IN",
    "NS",
    "OP",
    "QU",
    "IS",
    "NU",
    "PO",
    "PR",
    "SY",
    "AL",
    "H2",
    "H3",
    "ID",
    "JL",
    "JV",
    "JT",
    "HL",
    "RI",
]
_BK, _CM, _ZW, _SP, _ZWJ = 100, 101, 102, 103, 104
_ID, _AL, _RI = (_TABLE_CLASSES.index(name) for name in ("ID", "AL", "RI"))
_CLASS = {name: index for index, name in enumerate(_TABLE_CLASSES)} | {
    "BK": _BK,
    "CR": _BK,
    "LF": _BK,
    "NL": _BK,
    "CM": _CM,
    "ZWJ": _ZWJ,
    "VI": _CM,
    "VF": _CM,
    "ZW": _ZW,
    "SP": _SP,
    "CB": _ID,
    "EB": _ID,
    "EM": _ID,
    "CJ": _TABLE_CLASSES.index("NS"),
}
# The pair table (UAX #14 table 7.3) as libunistring 1.0 applies it, measured against
# the library gettext 0.21 links: D = direct break, I = break only across spaces,
# P = prohibited. Rows: the class before; columns: the class after.
_PAIRS = """
WJ PIIIIIPPPIIIIPIIIPIIIIIIIII
GL PIIIIIPPPIIIIPIIIPIIIIIIIII
B2 PIPIDIPPPIIDIPDDDPDDDDDDDDD
BA PDDIDIPPPIIDIPDDDPDDDDDDDDD
BB PIIIIIPPPIIIIPIIIPIIIIIIIII
HY PDDIDIPPPIIDIPIDDPDDDDDDDDD
CL PIDIDIPPPIPDIPDIIPDDDDDDDDD
CP PIDIDIPPPIPDIPIIIPIDDDDDDID
EX PIDIDIPPPIIDIPDDDPDDDDDDDDD
IN PIDIDIPPPIIDIPDDDPDDDDDDDDD
NS PIDIDIPPPIIDIPDDDPDDDDDDDDD
OP PPPPPPPPPPPPPPPPPPPPPPPPPPP
QU PIIIIIPPPIIPIPIIIPIIIIIIIII
IS PIDIDIPPPIIDIPIDDPDDDDDDDDD
NU PIDIDIPPPIIIIPIIIPIDDDDDDID
PO PIDIDIPPPIIIIPIDDPIDDDDDDID
PR PIDIDIPPPIIIIPIDDPIIIIIIIID
SY PIDIDIPPPIIDIPIDDPDDDDDDDID
AL PIDIDIPPPIIIIPIIIPIDDDDDDID
H2 PIDIDIPPPIIDIPDIDPDDDDDIIDD
H3 PIDIDIPPPIIDIPDIDPDDDDDDIDD
ID PIDIDIPPPIIDIPDIDPDDDDDDDDD
JL PIDIDIPPPIIDIPDIDPDIIDIIDDD
JV PIDIDIPPPIIDIPDIDPDDDDDIIDD
JT PIDIDIPPPIIDIPDIDPDDDDDDIDD
HL PIDIDIPPPIIIIPIIIPIDDDDDDID
RI PIDIDIPPPIIDIPDDDPDDDDDDDDI
"""
_TABLE = [list(row.split()[1]) for row in _PAIRS.strip().splitlines()]
# libunistring tells wide brackets from narrow ones (LB30): a letter or digit may break
# before a wide opening bracket and after a wide closing one, never a narrow one.
_OP_WIDE, _CP_WIDE = len(_TABLE), len(_TABLE) + 1
_TABLE.append(list(_TABLE[_TABLE_CLASSES.index("OP")]))
_TABLE.append(list(_TABLE[_TABLE_CLASSES.index("CP")]))
for _row in _TABLE:
    _row.append(_row[_TABLE_CLASSES.index("OP")])
    _row.append(_row[_TABLE_CLASSES.index("CP")])
_TABLE[_TABLE_CLASSES.index("CP")][_TABLE_CLASSES.index("NS")] = "I"  # only narrow ones
for _name in ("AL", "HL", "NU"):
    _TABLE[_TABLE_CLASSES.index(_name)][_OP_WIDE] = "D"
    _TABLE[_CP_WIDE][_TABLE_CLASSES.index(_name)] = "D"


def width_linebreaks(
    escaped: str, width: int, start_column: int, *, final_newline: bool
) -> list[int]:
    """libunistring's ``u8_width_linebreaks``: where to break so lines fit in ``width``.

    ``escaped`` is a string as written (escape sequences included); the result lists the
    indices of the code points a new line starts at. As gettext does, no line starts at
    the second character of an escape sequence, nor at the backslash of a final ``\\n``.
    The greedy fill only looks at break opportunities; the width of the text between two
    of them comes from running sums of the code points' widths.
    """
    prohibited = {match.start() + 1 for match in _ESCAPE_SEQUENCE.finditer(escaped)}
    if final_newline:
        prohibited.add(len(escaped) - 2)
    column_at = _running_widths(escaped)
    breaks: list[int] = []
    last: int | None = None
    last_column = start_column
    piece_start = 0
    for index, state in _possible_linebreaks(escaped):
        if index in prohibited:
            continue
        if last is not None and last_column + column_at[index] - column_at[piece_start] > width:
            breaks.append(last)
            last_column = 0
        if state == _MANDATORY:
            last = None
            last_column = 0
            piece_start = index + 1  # a mandatory break's own width is not counted
        else:
            last = index
            last_column += column_at[index] - column_at[piece_start]
            piece_start = index
    if last is not None and last_column + column_at[-1] - column_at[piece_start] > width:
        breaks.append(last)
    return breaks


def display_width(text: str) -> int:
    """Columns ``text`` takes on a line, as libunistring counts them."""
    if text.isascii() and _ASCII_CONTROL.search(text) is None:
        return len(text)
    for char in set(text):
        if ord(char) not in _WIDTHS:
            _WIDTHS[ord(char)] = chr(_width(char))
    return sum(text.translate(_WIDTHS).encode("latin-1"))


def _running_widths(text: str) -> list[int] | range:
    """The display width of ``text[:i]`` for each ``i`` from 0 to ``len(text)``."""
    if text.isascii() and _ASCII_CONTROL.search(text) is None:
        return range(len(text) + 1)  # every code point is one column wide
    for char in set(text):
        if ord(char) not in _WIDTHS:
            _WIDTHS[ord(char)] = chr(_width(char))
    widths = text.translate(_WIDTHS).encode("latin-1")
    return list(itertools.accumulate(widths, initial=0))


_PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2


def _possible_linebreaks(text: str) -> Iterator[tuple[int, int]]:
    """libunistring's ``u8_possible_linebreaks``: the pair-table UAX #14 algorithm.

    Yields ``(index, state)`` for each code point a line may (``_POSSIBLE``) or must
    (``_MANDATORY``) start at, in order. The text is walked run by run, a run being code
    points of one class: inside a run the state repeats, so only its first code point
    needs the pair table.
    """
    for char in set(text):
        if ord(char) not in _CLASSES:
            _CLASSES[ord(char)] = chr(_line_break_class(char))
    classes = text.translate(_CLASSES)
    last_class = _BK  # the class of the last character that is not a space
    seen_space = False
    previous = _BK  # the class of the character just before this point
    for run in _RUN.finditer(classes):
        index, end = run.span()
        klass = ord(classes[index])
        if klass == _BK:
            for position in range(index, end):
                yield position, _MANDATORY
            last_class = _BK
            seen_space = False
        elif klass == _SP:
            seen_space = True
        elif klass == _ZW:
            last_class = _ZW
            seen_space = False
        elif klass in (_CM, _ZWJ):
            # A combining mark attaches to what it follows, except at the start, after
            # a space or after a zero-width space, where it acts as a letter (LB9, LB10).
            if last_class == _BK:
                last_class = _AL
                seen_space = False
            elif last_class == _ZW or seen_space:
                yield index, _POSSIBLE
                last_class = _AL
                seen_space = False
        else:
            if last_class == _ZW:
                yield index, _POSSIBLE
            elif previous == _ZWJ:
                pass  # no break right after a zero-width joiner (LB8a)
            elif last_class == _RI and klass == _RI:
                yield index, _POSSIBLE  # no indicator just before: a new pair
            elif last_class != _BK:
                rule = _TABLE[last_class][klass]
                if rule == "D" or (rule == "I" and seen_space):
                    yield index, _POSSIBLE
            # Inside the run: the class before is the run's own, with no space between.
            if klass == _RI:
                for position in range(index + 2, end, 2):
                    yield position, _POSSIBLE  # flags pair up: a break before each pair
            elif _TABLE[klass][klass] == "D":
                for position in range(index + 1, end):
                    yield position, _POSSIBLE
            last_class = klass
            seen_space = False
        previous = klass


@functools.cache
def _line_break_class(char: str) -> int:
    from uniseg.linebreak import line_break  # type: ignore[import-untyped]

    name = line_break(char).name
    if name in {"OP", "CP"} and unicodedata.east_asian_width(char) in {"F", "W", "H"}:
        return _OP_WIDE if name == "OP" else _CP_WIDE
    return _CLASS.get(name, _AL)  # AI, SA, XX and newer classes act as AL in UTF-8


@functools.cache
def _width(char: str) -> int:
    """libunistring's ``uc_width`` in a UTF-8 locale; control characters count 0."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0
    if (
        unicodedata.bidirectional(char) == "NSM"
        or unicodedata.category(char) == "Cf"
        or 0x1160 <= code <= 0x11FF  # Hangul vowels and final consonants join a syllable
        or 0xD7B0 <= code <= 0xD7FF
        or code == 0x200B
    ):
        return 0
    if code >= 0x1100 and unicodedata.east_asian_width(char) in {"W", "F"}:
        return 2
    return 1
