"""The review state of every entry, read from the PO file alone, and per-catalog counts.

A catalog has one completeness figure (``completeness``): the share of its source words,
every occurrence counted, whose translation is reviewed. ``status``, ``build`` and the
review page all give that figure and say what it counts (``COMPLETENESS_BASIS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import polib

from translatio.catalog.provenance import is_untouched_machine_output, read_provenance, text_hash
from translatio.engines import engine_capabilities
from translatio.text.preview import has_preview_mark

__all__ = [
    "COMPLETENESS_BASIS",
    "MSGCAT_CONFLICT",
    "CatalogStatus",
    "State",
    "carries_preview_mark",
    "catalog_status",
    "completeness",
    "entry_state",
    "has_msgcat_conflict",
    "is_preview",
    "word_count",
]


COMPLETENESS_BASIS = "source words with a reviewed translation"
"""What a catalog's completeness counts, in the words status, build and pages use."""
MSGCAT_CONFLICT = "#-#-#-#-#"
"""The marker ``msgcat`` writes around each of an entry's alternative translations."""


class State(StrEnum):
    """Where an entry stands in the review workflow, read from the PO file alone."""

    TRANSLATED = "translated"
    """A person wrote or accepted the text (not fuzzy)."""
    MACHINE = "machine"
    """Untouched machine output awaiting review."""
    PREVIEW = "preview"
    """Pseudo-localised text for layout checks: cannot be approved, never published. Its
    provenance says so, or its text carries the preview mark (``⟦…⟧``), fuzzy or not."""
    NEEDS_UPDATE = "needs update"
    """Fuzzy for any other reason: the source changed or a translator flagged it."""
    UNTRANSLATED = "untranslated"
    """No translation."""
    OBSOLETE = "obsolete"
    """No longer in the source; kept so the text is not lost."""


def entry_state(entry: polib.POEntry) -> State:
    """The state of one entry."""
    if entry.obsolete:
        return State.OBSOLETE
    if not entry.msgstr:
        return State.UNTRANSLATED
    if is_preview(entry) or carries_preview_mark(entry):
        return State.PREVIEW
    if "fuzzy" not in entry.flags:
        return State.TRANSLATED
    if entry.previous_msgid is None and is_untouched_machine_output(entry):
        return State.MACHINE
    return State.NEEDS_UPDATE


def is_preview(entry: polib.POEntry) -> bool:
    """Still exactly the text a preview engine wrote, fuzzy or not, accepted or not."""
    provenance = read_provenance(entry.tcomment or "")
    return (
        provenance is not None
        and engine_capabilities(provenance.engine).preview
        and provenance.digest == text_hash(entry.msgstr)
    )


def carries_preview_mark(entry: polib.POEntry) -> bool:
    """Whether the entry's text carries the preview mark (``⟦…⟧``) that its msgid lacks.

    Pseudo-localised text stays a preview whatever tool it passed through: an editor that
    cleared fuzzy and dropped the provenance comment, a TMX round trip, the memory.
    """
    return has_preview_mark(entry.msgstr, entry.msgid)


def word_count(text: str) -> int:
    """Words in ``text``; each Han, kana or Hangul character counts as one word.

    A word is a run of letters and digits; apostrophes and hyphens inside it (``don't``,
    ``well-known``) do not split it.
    """
    return len(_IDEOGRAPH.findall(text)) + len(_WORD.findall(text))


_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_IDEOGRAPH = re.compile(f"[{_IDEOGRAPHS}]")
# [^\W_] is exactly str.isalnum(); the character class is possessive, so a run is
# matched once from its start (linear on any input).
_LETTER = f"[^\\W_{_IDEOGRAPHS}]"
_WORD = re.compile(f"{_LETTER}++(?:['’-]++{_LETTER}++)*+")


@dataclass(frozen=True, slots=True)
class CatalogStatus:
    """Counts for one document in one language."""

    document: str
    """The document (gettext domain) name."""
    language: str
    """The gettext language code."""
    entries: dict[State, int]
    """Number of entries in each state."""
    words: dict[State, int]
    """Source words in each state, every occurrence counted (as editions count them)."""
    qa_errors: int = 0
    """QA findings of severity error (``translatio check``)."""
    qa_warnings: int = 0
    """QA findings of severity warning."""
    derived: int = 0
    """Entries whose machine output was converted from another variant (zh_TW from zh_CN)."""
    stale: bool = False
    """The catalog's msgids no longer match the source (``translatio extract`` is due)."""
    extracted: bool = True
    """False for a document with no catalog yet in the language (all counts zero)."""

    @property
    def total_entries(self) -> int:
        """Active entries (obsolete ones are not part of the document)."""
        return sum(count for state, count in self.entries.items() if state is not State.OBSOLETE)

    @property
    def total_words(self) -> int:
        """Source words of the active entries."""
        return sum(count for state, count in self.words.items() if state is not State.OBSOLETE)

    @property
    def completeness(self) -> float:
        """The catalog's one completeness figure: percent of source words reviewed."""
        return self.percent(State.TRANSLATED)

    def percent(self, *states: State) -> float:
        """Share of source words in the given states, 0–100."""
        total = self.total_words
        if total == 0:
            return 100.0
        return 100.0 * sum(self.words[state] for state in states) / total

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "document": self.document,
            "language": self.language,
            "entries": {state.value: self.entries[state] for state in State},
            "words": {state.value: self.words[state] for state in State},
            "total_entries": self.total_entries,
            "total_words": self.total_words,
            "translated_percent": round(self.percent(State.TRANSLATED), 1),
            "completeness": round(self.completeness, 1),
            "completeness_basis": COMPLETENESS_BASIS,
            "qa": {"errors": self.qa_errors, "warnings": self.qa_warnings},
            "derived": self.derived,
            "stale": self.stale,
            "extracted": self.extracted,
        }


def catalog_status(
    document: str,
    language: str,
    catalog: polib.POFile,
    *,
    qa: tuple[int, int] = (0, 0),
    stale: bool = False,
) -> CatalogStatus:
    """Count entries and source words by state; ``qa`` is (errors, warnings)."""
    entries = dict.fromkeys(State, 0)
    words = dict.fromkeys(State, 0)
    derived = 0
    for entry in catalog:
        if entry.msgid == "" and not entry.obsolete:
            continue
        state = entry_state(entry)
        entries[state] += 1
        # every occurrence counts, as in an edition: a repeated paragraph is read twice
        words[state] += word_count(entry.msgid) * max(1, len(entry.occurrences))
        if state is not State.OBSOLETE and "+opencc-" in (entry.tcomment or ""):
            derived += 1
    return CatalogStatus(document, language, entries, words, *qa, derived=derived, stale=stale)


def completeness(catalog: polib.POFile) -> float:
    """Percent of the catalog's source words (every occurrence) whose translation is
    reviewed: the one figure ``status``, ``build`` and the review page give."""
    return catalog_status("", "", catalog).completeness


def has_msgcat_conflict(msgstr: str) -> bool:
    """Whether ``msgstr`` still holds ``msgcat``'s alternatives: never published or reused."""
    return MSGCAT_CONFLICT in msgstr
