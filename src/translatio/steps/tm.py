"""The memory's exchange steps: import a compendium PO or TMX file, export TMX, statistics.

An import is stored in the project (``locales/memory/<lang>/<file>.po``, see
``tm.compendium``), so the index can always be rebuilt from files; an export writes TMX
1.4b of every reviewed paragraph, from the catalogs and from imports; statistics count
what the index holds after bringing it up to date.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translatio.catalog.values import serialize
from translatio.errors import CatalogError
from translatio.languages import Language
from translatio.reports import ExportReport, ImportReport, MemoryStats
from translatio.tm.compendium import memory_catalog, memory_file_name, read_import
from translatio.tm.feed import memory_folder, open_memory
from translatio.tm.index import Feed, Level, preferred
from translatio.tm.tmx import writable, write_tmx
from translatio.tm.units import MemoryUnit
from translatio.workspace.storage import replace_atomically
from translatio.workspace.workspace import Workspace

__all__ = ["export_tmx", "import_memory", "memory_stats"]


def import_memory(workspace: Workspace, file: Path, *, language: Language | None) -> ImportReport:
    """Store the reviewed units of a PO or TMX file as the project's memory files."""
    settings = workspace.settings
    found = read_import(
        file.read_bytes(),
        name=file.name,
        path=str(file),
        source=settings.source_language,
        languages=settings.languages,
        requested=language,
    )
    if not found.units:
        wanted = ", ".join(code.code for code in ([language] if language else settings.languages))
        refused = (
            f" ({found.previews} refused: preview text marked ⟦…⟧, not translations)"
            if found.previews
            else ""
        )
        raise CatalogError(
            f"no reviewed translation from {settings.source_language.code} into {wanted} "
            f"in it{refused}",
            path=str(file),
            hint="check the file's languages (xml:lang in TMX, Language in PO); -l LANG "
            "chooses a configured one; fuzzy and untranslated entries and the pseudo "
            "engine's previews are never imported",
        )
    stored = []
    for target in sorted(found.units):
        path = memory_folder(workspace, target) / memory_file_name(file.name)
        catalog = memory_catalog(found.units[target], target, name=file.name)
        workspace.write(path, serialize(catalog, wrap=settings.wrap))
        stored.append((target.code, workspace.relative(path), len(catalog)))
    return ImportReport(str(file), tuple(stored), found.skipped, found.previews)


def export_tmx(workspace: Workspace, languages: Sequence[Language], file: Path) -> ExportReport:
    """Write every reviewed paragraph of ``languages`` (catalogs and imports) as TMX 1.4b."""
    index = open_memory(workspace, languages)
    try:
        pairs = [
            (language, unit)
            for language in languages
            for unit in _distinct(index.units(language.code, Level.PARAGRAPH))
        ]
    finally:
        index.close()
    kept = [(language, unit) for language, unit in pairs if writable(unit)]
    data = write_tmx(kept, source=workspace.settings.source_language)
    try:
        unchanged = file.read_bytes() == data
    except FileNotFoundError:
        unchanged = False
    if not unchanged:
        replace_atomically(file, data)
    return ExportReport(str(file), len(kept), len(pairs) - len(kept), not unchanged)


def _distinct(units: Sequence[tuple[str, MemoryUnit]]) -> list[MemoryUnit]:
    """One unit per pair of source and translation (the best-ranked), in a stable order.

    A pair in a catalog is in the history too; the export gives it once, as the
    catalog has it, and gives the history's own pairs (edited or removed paragraphs)
    marked as from an earlier version.
    """
    best: dict[tuple[str, str], tuple[str, MemoryUnit]] = {}
    for key, unit in units:
        found = best.get((key, unit.target))
        if found is None or preferred(unit) < preferred(found[1]):
            best[key, unit.target] = (key, unit)
    return [
        unit
        for _, unit in sorted(
            best.values(), key=lambda pair: (pair[0], pair[1].origin, pair[1].target)
        )
    ]


def memory_stats(workspace: Workspace, languages: Sequence[Language]) -> list[MemoryStats]:
    """What the memory holds per language, after bringing the index up to date."""
    index = open_memory(workspace, languages, record=False)
    try:
        results = []
        for language in languages:
            counts = index.counts(language.code)
            own = counts.get((Level.PARAGRAPH, Feed.CATALOG), (0, 0))
            imported = counts.get((Level.PARAGRAPH, Feed.IMPORTED), (0, 0))
            history = counts.get((Level.PARAGRAPH, Feed.HISTORY), (0, 0))
            sources = len({key for key, _ in index.units(language.code, Level.PARAGRAPH)})
            sentences = len(
                index.keys(language.code, Level.SENTENCE)
                | index.keys(language.code, Level.CANDIDATE)
            )
            results.append(
                MemoryStats(
                    language.code,
                    own[0],
                    imported[0],
                    history[0],
                    sources,
                    sentences,
                    str(index.path),
                )
            )
        return results
    finally:
        index.close()
