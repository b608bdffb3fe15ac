"""The records that cross stages: what an engine answers and what each step reports.

Every step of ``Project`` returns these values (or ``CatalogStatus`` from
``catalog.states`` and ``Finding`` from ``qa.findings``, the vocabularies of their
stages); the CLI only puts them into words. They are frozen, slotted dataclasses that
import nothing of translatio but the language record, so any stage can use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ApprovalReport",
    "CatalogUpdate",
    "EditionReport",
    "EditionState",
    "ExportReport",
    "ImportReport",
    "MemoryStats",
    "MergeReport",
    "RecallReport",
    "RecallUpdate",
    "TranslateReport",
    "Translation",
    "TranslationUpdate",
    "Unserved",
]


@dataclass(frozen=True, slots=True)
class Translation:
    """An engine's answer for one sentence; what an engine can say grows here, not in the
    engine protocol."""

    text: str
    """The translated text, inline markup kept."""
    score: float
    """Mean log-probability per token (0.0 is certain; engines without scores give 0.0)."""
    model: str
    """The model or package that produced it, with its version (``pseudo-1``)."""
    unknown_words: tuple[str, ...] = ()
    """Words the engine could not translate and passed through (for the reviewer)."""
    decoding: str = ""
    """What else changes the model's output (beam, lengths, batches), for provenance."""
    alignment: tuple[tuple[int, int], ...] = ()
    """Word alignment where the engine gives one: (source word, target word) index pairs,
    0-based over whitespace-separated words, for putting markup back on the output."""
    alternatives: tuple[str, ...] = ()
    """Other translations the engine considered, best first, for the reviewer."""
    unsure_markup: bool = False
    """Whether the sentence's inline markup was put back by the safe placement (no
    alignment said where it goes): QA flags the entry for the reviewer."""


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did, entry by entry counted."""

    kept: int = 0
    """Entries whose msgid was found unchanged."""
    fuzzy: int = 0
    """Entries that inherited a similar old entry's translation, marked fuzzy."""
    new: int = 0
    """Entries with no translation to inherit."""
    obsoleted: int = 0
    """Translated entries no longer in the template, kept as obsolete."""
    resurrected: int = 0
    """Obsolete entries that came back."""


@dataclass(frozen=True, slots=True)
class TranslateReport:
    """What one catalog's machine translation did."""

    filled: int
    """Empty entries the engine filled (at least one sentence of each is the engine's)."""
    refreshed: int
    """Untouched machine output translated again to a different text (an identical
    output is no change and is not counted)."""
    protected: int
    """Human translations left alone: a person wrote, edited or approved them (memory
    fills awaiting review are not counted here)."""
    other_engine: int = 0
    """Untouched machine output of another engine, left alone (``refresh`` replaces it)."""
    memory: int = 0
    """Empty entries this step filled from the translation memory alone, every sentence
    a memory answer (the paragraphs recall filled before are in ``RecallReport``)."""


@dataclass(frozen=True, slots=True)
class CatalogUpdate:
    """The outcome of extracting one document into one language catalog."""

    document: str
    """Document name."""
    language: str
    """Gettext language code."""
    path: str
    """The catalog, relative to the project."""
    merge: MergeReport
    """What the merge kept, carried over, added and obsoleted."""
    written: bool
    """Whether the file changed on disk."""


@dataclass(frozen=True, slots=True)
class TranslationUpdate:
    """The outcome of machine-translating one catalog."""

    document: str
    """Document name."""
    language: str
    """Gettext language code."""
    path: str
    """The catalog, relative to the project."""
    report: TranslateReport
    """How many entries were filled, refreshed and protected."""
    written: bool
    """Whether the file changed on disk."""
    unserved: Unserved | None = None
    """Why its engine gave it nothing (the engine cannot serve its language), if so."""


@dataclass(frozen=True, slots=True)
class Unserved:
    """A language the run's engine for it cannot translate: reported, the others go on."""

    engine: str
    """The engine chosen for the language."""
    message: str
    """What is missing, as the engine says it (``no Apertium pair eng-zho …``)."""
    hint: str | None
    """How to get it, or which other engine to choose."""


class EditionState(StrEnum):
    """What happened to one edition."""

    WRITTEN = "written"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class EditionReport:
    """The outcome of building one document's edition in one language."""

    document: str
    """Document name."""
    language: str
    """Gettext language code."""
    state: EditionState
    """Written, unchanged on disk, or skipped."""
    completeness: float
    """Percent of source words translated under the policy (what ``keep`` is held to)."""
    paths: tuple[str, ...]
    """Edition files, relative to the project (empty when skipped)."""
    policy: str = "reviewed"
    """The policy it was built under: ``reviewed`` or ``draft``."""
    keep: float | None = None
    """The threshold it fell below, when it was skipped for being incomplete."""
    preview: float = 0.0
    """Percent of source words shown as a layout preview (drafts): counted as untranslated."""
    reviewed: float = 0.0
    """The catalog's completeness: percent of source words with a reviewed translation
    (``catalog.states.completeness``), the figure ``status`` and the review page give."""


@dataclass(frozen=True, slots=True)
class ApprovalReport:
    """What ``approve`` did in one language."""

    language: str
    """Gettext language code."""
    approved: tuple[str, ...]
    """Source references of the entries now marked reviewed."""
    refused: tuple[tuple[str, tuple[str, ...]], ...]
    """Entries left unapproved because of QA errors, with the error codes."""
    unmatched: tuple[str, ...]
    """Requested references that name no machine-translated entry."""


@dataclass(frozen=True, slots=True)
class RecallReport:
    """What recall did to one catalog."""

    exact: int
    """Empty entries filled from an exact match."""
    close: int
    """Empty entries filled from a close match."""
    accepted: int = 0
    """Of the exact ones, those accepted as translated (same document, setting on)."""


@dataclass(frozen=True, slots=True)
class RecallUpdate:
    """Recall in one catalog."""

    document: str
    """The document."""
    language: str
    """The gettext language code."""
    path: str
    """The catalog, relative to the project."""
    report: RecallReport
    """What was filled."""
    written: bool
    """Whether the catalog file was written."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What ``translatio tm import`` brought into the project."""

    file: str
    """The file imported, as given."""
    stored: tuple[tuple[str, str, int], ...]
    """``(language, memory file, units)`` for each language that received units."""
    skipped: int
    """Entries left out: fuzzy, untranslated, plural or a conflict block (PO only)."""
    previews: int = 0
    """Units refused because their target carries the preview mark (``⟦…⟧``): the pseudo
    engine's layout previews, whatever tool exported them."""
    unreadable: int = 0
    """TMX units refused because a segment holds an entity neither XML nor HTML defines."""
    first_unreadable: int = 0
    """The line of the first unit refused as unreadable (0: none)."""
    broken_plurals: int = 0
    """PO entries left out for more plural forms than the header's Plural-Forms allows."""
    first_broken_plural: int = 0
    """The line of the first of those (0: none)."""
    languages: tuple[tuple[str, str], ...] = ()
    """Every language a TMX file holds (``xml:lang`` as written, in order of first use)
    with what became of it: ``source``, the target code it was taken as, or ``""`` when
    it was left out (not configured, or not the one asked for with ``-l``)."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What ``translatio tm export`` wrote."""

    path: str
    """The TMX file, as given; ``-`` for a stream."""
    units: int
    """Translation units written (one per reviewed paragraph and language)."""
    skipped: int
    """Units left out because XML cannot hold a character of theirs (control characters)."""
    written: bool
    """False when the file already held exactly this export (a stream is always written)."""


@dataclass(frozen=True, slots=True)
class MemoryStats:
    """What the memory holds for one language."""

    language: str
    """The gettext language code."""
    paragraphs: int
    """Reviewed paragraphs from the catalogs."""
    imported: int
    """Paragraphs from imported memories."""
    history: int
    """Pairs in the history (``locales/<lang>/history.po``): every reviewed translation
    seen, those of edited and removed paragraphs included."""
    sources: int
    """Distinct sources among all paragraphs (whitespace normalised)."""
    sentences: int
    """Distinct source sentences the memory may answer one by one: one-sentence reviewed
    paragraphs, and the sentences of longer ones (reused where the aligner pairs them)."""
    index: str
    """The index file."""

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "language": self.language,
            "paragraphs": self.paragraphs,
            "imported": self.imported,
            "history": self.history,
            "sources": self.sources,
            "sentences": self.sentences,
            "index": self.index,
        }
