"""The pseudo engine: deterministic pseudo-localisation for tests and layout previews.

Letters become accented look-alikes (``Hello`` → ``Ĥéĺĺó``) so untranslated text stands
out, while everything a translation must keep is left byte for byte: the protected runs
of ``markup.split_runs`` (code spans, URLs, e-mail addresses, link and image targets,
reference labels, HTML tags, entities, backslash escapes), the very pieces machine
translation keeps and QA compares. Digits and punctuation have no look-alikes, so
numbers and emphasis markers come through as they are too.

Each answer is put between the preview marks (``⟦…⟧``, ``text.preview``): the engine is
given whole sentences with their inline markup, so the marks go around the sentence,
outside all of its markup, and every sentence of a preview carries them wherever its
text goes (a TMX file, another tool, the memory). ``pseudo_localise`` alone gives the
accented text without marks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from translatio.engines.base import Capabilities
from translatio.languages import Language
from translatio.progress import Progress
from translatio.reports import Translation
from translatio.text.markup import split_runs
from translatio.text.preview import mark_preview

__all__ = ["PseudoEngine", "pseudo_localise", "pseudo_preview"]

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçđéƒğĥíĵķĺɱñóþʠŕšţúṽŵẋýžÁßÇĐÉƑĞĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ"
_TABLE = str.maketrans(_PLAIN, _ACCENTED)


class PseudoEngine:
    """Pseudo-localisation; the same input always gives the same output."""

    name = "pseudo"
    model = "pseudo-1"
    capabilities = Capabilities(preview=True, scored=False, markup=True)

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
        """Accent every letter outside protected markup; mark each text as a preview."""
        translations = [Translation(pseudo_preview(text), 0.0, self.model) for text in texts]
        if on_progress is not None:
            on_progress(len(texts))
        return translations

    def close(self) -> None:
        """Nothing to release."""


def pseudo_localise(text: str) -> str:
    """``text`` with the letters of its translatable runs accented, every other run kept."""
    return "".join(
        run.text.translate(_TABLE) if run.translatable else run.text for run in split_runs(text)
    )


def pseudo_preview(text: str) -> str:
    """The engine's answer for ``text``: pseudo-localised, between the preview marks.

    >>> pseudo_preview("Hello `code`.")
    '⟦Ĥéĺĺó `code`.⟧'
    """
    return mark_preview(pseudo_localise(text))
