"""The ``preview-text`` check: pseudo-localised text anywhere but an untouched preview.

The pseudo engine marks each sentence it writes with ``⟦…⟧`` (``text.preview``), and the
marks stay whatever tool the text passes through. So a preview accepted in an editor
(fuzzy cleared, provenance comment dropped), brought back from a TMX file, filled from
an imported memory or edited by a person is found by its text alone, and is an error:
it is not a translation. An untouched preview is a preview (its state says so), not a
finding.
"""

from __future__ import annotations

import polib

from translatio.catalog.states import carries_preview_mark, is_preview
from translatio.qa.findings import Severity

__all__ = ["PREVIEW_TEXT", "preview_text"]

PREVIEW_TEXT = "preview-text"
"""The finding's code."""


def preview_text(entry: polib.POEntry) -> list[tuple[str, Severity, str]]:
    """An error when ``entry``'s text carries the preview mark and is no untouched preview."""
    if not carries_preview_mark(entry) or is_preview(entry):
        return []
    return [
        (
            PREVIEW_TEXT,
            Severity.ERROR,
            "the text carries the preview mark ⟦…⟧: it is the pseudo engine's layout "
            "preview, not a translation; translate it",
        )
    ]
