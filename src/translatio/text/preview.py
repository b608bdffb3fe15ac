"""The preview mark: ``⟦`` and ``⟧`` around every sentence of pseudo-localised text.

The pseudo engine's output is a layout preview, never a translation. Its provenance
comment says so only while the comment survives: a round trip through other tools
(``po2tmx`` then ``translatio tm import``, an editor that clears fuzzy and drops comments)
leaves plain text that reads like any other. So the text itself carries the mark:
MATHEMATICAL LEFT and RIGHT WHITE SQUARE BRACKET (U+27E6, U+27E7) around each sentence
the engine answers. No language writes prose with them, Markdown reads them as text, and
because every sentence is marked, any piece a tool cuts from the text (a sentence of the
memory, a segment of a CAT tool) still carries a mark.

Text carries the mark when it holds more of these brackets than its source: a source
about semantics may use them itself, and its translation keeps them.
"""

from __future__ import annotations

__all__ = [
    "PREVIEW_CLOSE",
    "PREVIEW_OPEN",
    "has_preview_mark",
    "mark_preview",
    "unmarked",
    "without_marks",
]

PREVIEW_OPEN = "\u27e6"
"""``⟦``: opens a pseudo-localised sentence."""
PREVIEW_CLOSE = "\u27e7"
"""``⟧``: closes it."""


def mark_preview(text: str) -> str:
    """``text`` between the preview marks.

    >>> mark_preview("Ĥéĺĺó.")
    '⟦Ĥéĺĺó.⟧'
    """
    return f"{PREVIEW_OPEN}{text}{PREVIEW_CLOSE}"


def has_preview_mark(text: str, source: str = "") -> bool:
    """Whether ``text`` holds a preview mark that its ``source`` does not.

    >>> has_preview_mark("⟦Ĥéĺĺó.⟧ Hello.", "Hello. Hello.")
    True
    >>> has_preview_mark("La sémantique ⟦e⟧.", "The semantics ⟦e⟧.")
    False
    """
    if PREVIEW_OPEN not in text and PREVIEW_CLOSE not in text:
        return False  # the usual case, without counting
    return any(text.count(mark) > source.count(mark) for mark in (PREVIEW_OPEN, PREVIEW_CLOSE))


def unmarked(text: str, source: str = "") -> str:
    """``text`` without the marks around it, unless ``source`` has them there too.

    Checks that compare a pseudo-localised sentence with its source (its markup, its
    capitals) read the sentence inside the marks.

    >>> unmarked("⟦*Ĥéĺĺó* ŵóŕĺđ.⟧", "*Hello* world.")
    '*Ĥéĺĺó* ŵóŕĺđ.'
    """
    if (
        text.startswith(PREVIEW_OPEN)
        and text.endswith(PREVIEW_CLOSE)
        and len(text) >= 2
        and not (source.startswith(PREVIEW_OPEN) and source.endswith(PREVIEW_CLOSE))
    ):
        return text[1:-1]
    return text


def without_marks(text: str) -> str:
    """``text`` with every preview mark taken out (checks that read prose or length).

    >>> without_marks("⟦Á.⟧ ⟦ß.⟧")
    'Á. ß.'
    """
    if PREVIEW_OPEN not in text and PREVIEW_CLOSE not in text:
        return text
    return text.replace(PREVIEW_OPEN, "").replace(PREVIEW_CLOSE, "")
