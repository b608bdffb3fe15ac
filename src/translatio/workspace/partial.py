"""Projects half extracted: which documents have no catalog yet in which languages.

A project is often partial: ``extract -l es`` after a new document leaves the other
languages without its catalog until they are extracted too. The steps that only read
(``status``, ``check``, ``review``, ``tm stats``, ``tm export``) visit the catalogs there
are (``Workspace.catalogs(..., skip_missing=True)``) and name the rest with this module;
only ``check``, a gate for CI, fails for them (unless told to allow them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translatio.languages import Language
from translatio.workspace.workspace import Workspace

__all__ = ["MissingCatalog", "missing_catalogs", "missing_summary", "report_missing"]

_logger = logging.getLogger("translatio")
_NAMED = 5
"""How many documents a summary names before it counts the rest."""


@dataclass(frozen=True, slots=True)
class MissingCatalog:
    """A document with no catalog yet in one language: not extracted."""

    document: str
    """The document's id (``blog/2026/op-ed``)."""
    language: Language
    """The language it has no catalog in."""
    path: Path
    """Where ``extract`` would write that catalog."""
    source: Path
    """The source document."""


def missing_catalogs(workspace: Workspace, languages: Iterable[Language]) -> list[MissingCatalog]:
    """The documents × ``languages`` without a catalog, in the order ``catalogs`` visits."""
    chosen = tuple(languages)
    missing = []
    for source in workspace.source_paths():
        document = workspace.document_id(source)
        for language in chosen:
            path = workspace.catalog_path(document, language)
            if not path.exists():
                missing.append(MissingCatalog(document, language, path, source))
    return missing


def missing_summary(missing: Sequence[MissingCatalog]) -> list[str]:
    """One line per language: ``zh_CN: 2 documents not extracted (a, b): run …``."""
    lines = []
    for language in dict.fromkeys(item.language for item in missing):
        documents = [item.document for item in missing if item.language == language]
        named = ", ".join(documents[:_NAMED])
        if len(documents) > _NAMED:
            named += f" and {len(documents) - _NAMED} more"
        count = "1 document" if len(documents) == 1 else f"{len(documents)} documents"
        lines.append(
            f"{language.code}: {count} not extracted ({named}): "
            f"run `translatio extract -l {language.code}`"
        )
    return lines


def report_missing(workspace: Workspace, languages: Iterable[Language]) -> list[MissingCatalog]:
    """``missing_catalogs``, each language's summary given as a ``translatio`` warning."""
    missing = missing_catalogs(workspace, languages)
    for line in missing_summary(missing):
        _logger.warning("%s", line)
    return missing
