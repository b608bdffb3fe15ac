"""The values the project's steps return, and the progress interface they report to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from translatio.catalog.fill import TranslateReport
from translatio.catalog.merge import MergeReport

__all__ = [
    "ApprovalReport",
    "CatalogUpdate",
    "EditionReport",
    "EditionState",
    "NullProgress",
    "Progress",
    "TranslationUpdate",
]


class Progress(Protocol):
    """Receives progress of long steps (the CLI shows a bar on stderr)."""

    def start(self, description: str, total: int) -> None:
        """A step with ``total`` units of work begins."""

    def advance(self, amount: int) -> None:
        """``amount`` more units are done."""


class NullProgress:
    """Progress that goes nowhere."""

    def start(self, description: str, total: int) -> None:
        """Ignore."""

    def advance(self, amount: int) -> None:
        """Ignore."""


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
    """Percent of source words translated under the policy."""
    paths: tuple[str, ...]
    """Edition files, relative to the project (empty when skipped)."""
    policy: str = "reviewed"
    """The policy it was built under: ``reviewed`` or ``draft``."""
    keep: float | None = None
    """The threshold it fell below, when it was skipped for being incomplete."""


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
