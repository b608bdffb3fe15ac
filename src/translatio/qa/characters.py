"""Characters a reader cannot see: which of them a translation may hold, and where.

* ``control-character`` (error): a C0 or C1 control character (U+0000–U+001F,
  U+007F–U+009F) other than tab and the line breaks LF and CR, which PO escapes such as
  ``\\a``, ``\\x1b`` or ``\\0`` put in a msgstr. No edition ever holds one:
  ``publishable`` keeps the entry out, and pages write U+FFFD in its place.
* ``bidi-control`` (error): an embedding, override or isolate (U+202A, U+202B, U+202D,
  U+202E, U+2066–U+2068) still open at the end of the translation, which would turn the
  text after it around ("Trojan Source"); a build leaves such an entry out too. A
  closed override the source lacks is a warning: it shows letters in another order
  than they are stored.
* ``invisible-character``: zero-width spaces, word joiners, BOMs and soft hyphens the
  source lacks are errors. The marks correct text needs are not: the direction marks
  LRM, RLM and ALM (U+200E, U+200F, U+061C) in right-to-left text, and the joiners ZWNJ
  and ZWJ (U+200C, U+200D) beside letters of a script that joins or forms conjuncts
  (Arabic, Persian ``می‌خواهم``, the Indic scripts) or inside an emoji sequence. Elsewhere
  (no right-to-left letter, a joiner between Latin letters) they are a warning.

>>> [finding[0] for finding in control_character("Hello", "Hola\\x1b[31m", Language("es"))]
['control-character']
>>> open_bidi_controls("\\u2067abc\\u2069 \\u202edef")
[(6, '\\u202e')]
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from translatio.languages import Language
from translatio.qa.findings import Check, Severity
from translatio.qa.language import expected_scripts

__all__ = [
    "CHARACTER_CHECKS",
    "bidi_control",
    "control_character",
    "invisible_character",
    "open_bidi_controls",
    "publishable",
    "without_control_characters",
]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters and DEL; tab, LF and CR are text."""
_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF",
    "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
    "SUB", "ESC", "FS", "GS", "RS", "US",
)  # fmt: skip
_SHOWN = 3
"""Characters a message names before it says how many more there are."""

_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
"""LRE, RLE, LRO, RLO: closed by PDF (U+202C)."""
_OVERRIDES = frozenset("\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
"""LRI, RLI, FSI: closed by PDI (U+2069), which closes the embeddings inside them too."""
_POP_EMBEDDING = "\u202c"
_POP_ISOLATE = "\u2069"
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")

_INVISIBLE = re.compile("[\u200b\u2060-\u2064\ufeff\u00ad]")
"""Invisible characters prose never needs: ZWSP, word joiner, invisible operators, BOM,
soft hyphen."""
_DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")
"""LRM, RLM, ALM: right-to-left text needs them around numbers, punctuation and names."""
_MARKS = re.compile("[\u200c-\u200f\u061c]")
"""The direction marks and the joiners ZWNJ and ZWJ (U+200C, U+200D), which scripts that
join letters or form conjuncts need inside words."""
_JOINING_SCRIPTS = frozenset({
    "ARABIC", "SYRIAC", "NKO", "MANDAIC", "MONGOLIAN", "DEVANAGARI", "BENGALI", "GURMUKHI",
    "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "TIBETAN",
    "MYANMAR", "KHMER", "BALINESE", "JAVANESE",
})  # fmt: skip
"""Scripts (the first word of their characters' Unicode names) whose words use joiners."""
_EMOJI_PARTS = frozenset("\ufe0f\u20e3")
"""Variation selector 16 and the keycap mark: inside emoji sequences that ZWJ joins."""


def _name(char: str) -> str:
    """``U+001B (ESC)``, ``U+202E RIGHT-TO-LEFT OVERRIDE``: a character a reader cannot see."""
    code = ord(char)
    if code < len(_C0_NAMES):
        return f"U+{code:04X} ({_C0_NAMES[code]})"
    if code == 0x7F:
        return "U+007F (DEL)"
    name = unicodedata.name(char, "")
    return f"U+{code:04X} {name}" if name else f"U+{code:04X}"


def _listed(items: list[str]) -> str:
    more = len(items) - _SHOWN
    return ", ".join(items[:_SHOWN]) + (f" and {more} more" if more > 0 else "")


def open_bidi_controls(text: str) -> list[tuple[int, str]]:
    """The embeddings, overrides and isolates still open at the end of ``text``, each with
    its 0-based position, in the order they were opened.

    As the Unicode bidirectional algorithm pairs them: PDF closes the last embedding
    unless an isolate opened after it, PDI closes the last isolate and the embeddings
    inside it, and a closing mark with nothing to close does nothing.
    """
    if not _BIDI_CONTROL.search(text):
        return []
    opened: list[tuple[int, str]] = []
    isolates = 0  # of those opened
    for match in _BIDI_CONTROL.finditer(text):
        char = match.group(0)
        if char in _EMBEDDINGS or char in _ISOLATES:
            opened.append((match.start(), char))
            isolates += char in _ISOLATES
        elif char == _POP_EMBEDDING:
            if opened and opened[-1][1] in _EMBEDDINGS:
                opened.pop()
        elif char == _POP_ISOLATE and isolates:
            while opened.pop()[1] not in _ISOLATES:
                pass
            isolates -= 1
    return opened


def publishable(text: str) -> bool:
    """Whether an edition may show ``text``: no control character, no direction left open."""
    return not _CONTROL.search(text) and not open_bidi_controls(text)


def without_control_characters(text: str) -> str:
    """``text`` with each control character (tab, LF and CR aside) written as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def control_character(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    """Control characters in the translation, wherever they came from."""
    if not _CONTROL.search(target):
        return
    found = [
        f"{_name(match.group(0))} at character {match.start() + 1}"
        for match in _CONTROL.finditer(target)
    ]
    several = len(found) > 1
    yield (
        "control-character",
        Severity.ERROR,
        f"control character{'s' if several else ''} {_listed(found)}: no edition shows "
        f"this translation until {'they are' if several else 'it is'} deleted (PO escapes "
        "such as \\a, \\x1b and \\0 write them)",
    )


def bidi_control(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    """Direction controls left open (an error), and overrides the source lacks (a warning)."""
    if not _BIDI_CONTROL.search(target):
        return
    left_open = open_bidi_controls(target)
    if left_open:
        found = [
            f"{_name(char)} at character {position + 1} (closed by "
            f"{'U+2069' if char in _ISOLATES else 'U+202C'})"
            for position, char in left_open
        ]
        yield (
            "bidi-control",
            Severity.ERROR,
            f"direction control left open: {_listed(found)}; it would turn the text after "
            "the translation around too, so no edition shows it until it is closed",
        )
        return
    added = Counter(c for c in target if c in _OVERRIDES) - Counter(
        c for c in source if c in _OVERRIDES
    )
    if added:
        yield (
            "bidi-control",
            Severity.WARNING,
            f"direction override {_listed([_name(char) for char in sorted(added)])}: it shows "
            "the letters inside in another order than they are stored",
        )


def _joins(char: str) -> bool:
    """Whether ``char`` is a letter or mark of a joining script, or part of an emoji."""
    if char in _EMOJI_PARTS or unicodedata.category(char) in {"So", "Sk"}:
        return True
    return unicodedata.name(char, "").split(" ", 1)[0] in _JOINING_SCRIPTS


def _right_to_left(target: str, language: Language) -> bool:
    """Whether direction marks do something in ``target``: it has right-to-left letters."""
    return language.direction == "rtl" or any(
        unicodedata.bidirectional(char) in {"R", "AL"} and char not in _DIRECTION_MARKS
        for char in target
    )


def _joined(position: int, target: str) -> bool:
    """Whether the joiner at ``position`` stands beside a joining letter or in an emoji."""
    neighbours = target[max(position - 1, 0) : position] + target[position + 1 : position + 2]
    return any(_joins(char) for char in neighbours)


def invisible_character(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    """Invisible characters the source lacks: errors, and marks out of place: warnings."""
    added = (
        Counter(_INVISIBLE.findall(target)) - Counter(_INVISIBLE.findall(source))
        if _INVISIBLE.search(target)
        else Counter[str]()
    )
    if added:
        yield (
            "invisible-character",
            Severity.ERROR,
            f"invisible characters: {', '.join(_name(char) for char in sorted(added))}",
        )
    if not _MARKS.search(target):
        return
    spare = Counter(_MARKS.findall(target)) - Counter(_MARKS.findall(source))
    right_to_left = joining = None  # each found out once, when first needed
    stray: set[str] = set()
    for match in _MARKS.finditer(target):
        mark = match.group(0)
        if not spare[mark] or mark in stray:
            continue
        if mark in _DIRECTION_MARKS:
            if right_to_left is None:
                right_to_left = _right_to_left(target, language)
            needed = right_to_left
        else:
            if joining is None:
                joining = any(
                    script.upper() in _JOINING_SCRIPTS for script in expected_scripts(language)
                )
            needed = joining or _joined(match.start(), target)
        if not needed:
            stray.add(mark)
    if stray:
        yield (
            "invisible-character",
            Severity.WARNING,
            f"{', '.join(_name(char) for char in sorted(stray))} where the text needs none "
            "(no right-to-left letters, no joining script): pasted by accident?",
        )


CHARACTER_CHECKS: tuple[Check, ...] = (control_character, bidi_control, invisible_character)
"""The checks of what a reader cannot see, in the order ``check`` reports them."""
