"""The pseudo engine: deterministic pseudo-localisation for tests and layout previews.

Letters become accented look-alikes (``Hello`` → ``Ĥéĺĺó``) so untranslated text stands
out, while everything a translation must keep is left byte for byte: code spans, URLs,
link and image targets, HTML tags, entities, backslash escapes and numbers (the pieces
of ``markup``'s vocabulary).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from translatio.engines.base import Translation
from translatio.languages import Language
from translatio.markup import (
    ADDRESS,
    ANGLE_MARKUP,
    ENTITY,
    PLAIN_DESTINATION,
    QUOTED_TITLE,
    REFERENCE_LABEL,
    WEB_URL,
)

if TYPE_CHECKING:
    from translatio.reports import Progress

__all__ = ["PseudoEngine"]

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçđéƒğĥíĵķĺɱñóþʠŕšţúṽŵẋýžÁßÇĐÉƑĞĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ"
_TABLE = str.maketrans(_PLAIN, _ACCENTED)

# The pseudo engine's own reading of a few pieces (kept as it was, so its output is stable):
# a code span closed by its opening run anywhere, link destinations without parentheses,
# URLs with their trailing punctuation, any backslash escape.
_PROTECTED = re.compile(
    "|".join(
        (
            r"(?P<code>`+)[^`].*?(?P=code)",  # code spans
            ANGLE_MARKUP,
            rf"\]\({PLAIN_DESTINATION}{QUOTED_TITLE}\)",  # inline link / image targets
            REFERENCE_LABEL,
            WEB_URL,
            rf"(?:(?<![\w.+-])|(?<=\\[\w.+-])){ADDRESS}",  # after an escape too
            ENTITY,
            r"\\.",  # backslash escapes
        )
    ),
    re.DOTALL,
)


class PseudoEngine:
    """Pseudo-localisation; the same input always gives the same output."""

    name = "pseudo"
    model = "pseudo-1"

    def prepare(self, source: Language, targets: Sequence[Language], progress: Progress) -> None:
        """Nothing to prepare: every pair can be pseudo-localised."""

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Accent every letter outside protected markup."""
        translations = [Translation(pseudo_localise(text), 0.0, self.model) for text in texts]
        if on_progress is not None:
            on_progress(len(texts))
        return translations


def pseudo_localise(text: str) -> str:
    """``text`` with letters accented, protected spans untouched."""
    pieces: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        pieces.append(text[position : match.start()].translate(_TABLE))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(text[position:].translate(_TABLE))
    return "".join(pieces)
