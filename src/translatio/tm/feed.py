"""Keeping the index in step with what feeds it: catalogs, imported memories, the history.

Each file is indexed under its project-relative path with a digest of its bytes (and of
the source language, which decides how sentences are cut); a file whose digest is
unchanged is not read into the index again, one that is gone is dropped from it. An
imported memory file that cannot be read, or that a symbolic link takes out of the
project, is left out with a warning (catalogs are held to the usual rules: the steps that
use them refuse a broken one, or one linked outside, anyway).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from translatio.errors import CatalogError
from translatio.languages import Language
from translatio.tm.compendium import MEMORY_FOLDER, imported_units
from translatio.tm.history import history_path, history_units, record_history
from translatio.tm.index import Level, MemoryIndex
from translatio.tm.units import MemoryUnit, catalog_units, sentence_units
from translatio.workspace.workspace import Workspace

__all__ = ["memory_folder", "memory_paths", "open_memory", "sync"]

log = logging.getLogger(__name__)


def memory_folder(workspace: Workspace, language: Language) -> Path:
    """``locales/memory/<lang>/``: the imported memories of one language."""
    return workspace.root / workspace.settings.locales_dir / MEMORY_FOLDER / language.code


def memory_paths(workspace: Workspace, language: Language) -> list[Path]:
    """The imported memory files of one language, by name.

    A folder that a symbolic link takes out of the project is not listed: it is left out
    with a warning, as a memory file linked outside is when ``sync`` reads it.
    """
    folder = memory_folder(workspace, language)
    try:
        workspace.inside(folder)
    except CatalogError as error:
        log.warning("%s; the translation memory goes on without it", error)
        return []
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def open_memory(
    workspace: Workspace, languages: Iterable[Language], *, record: bool = True
) -> MemoryIndex:
    """The project's index, brought up to date for ``languages``.

    With ``record`` (the caller holds the project lock), reviewed pairs of changed
    catalogs the history lacks are added to it first (``tm.history``).
    """
    index = MemoryIndex(workspace.root)
    for language in languages:
        sync(index, workspace, language, record=record)
    return index


def sync(
    index: MemoryIndex, workspace: Workspace, language: Language, *, record: bool = True
) -> None:
    """Index every catalog, imported memory and history of ``language`` that changed.

    Files that are gone are dropped. An index replaced on the way (damaged, or moved into
    memory) is synced once more: the new one is empty.
    """
    for _ in range(2):
        epoch = index.epoch
        _sync(index, workspace, language, record=record)
        if index.epoch == epoch:
            return


def _sync(index: MemoryIndex, workspace: Workspace, language: Language, *, record: bool) -> None:
    source = workspace.settings.source_language
    known = index.digests(language.code)
    seen: set[str] = set()
    changed = []
    for slot in workspace.catalogs([language], skip_missing=True):  # not extracted yet
        path = workspace.relative(slot.path)
        seen.add(path)
        digest = _digest(slot.snapshot.data, source)
        if known.get(path) != digest:
            units = catalog_units(slot.catalog, slot.document, path=path)
            index.replace_file(path, language.code, digest, _levels(units, source))
            changed.append((slot.document, slot.catalog))
    if record and changed:
        record_history(workspace, language, changed)
    history = history_path(workspace, language)
    catalog, snapshot = workspace.read_snapshot(history)
    if catalog is not None:
        path = workspace.relative(history)
        seen.add(path)
        digest = _digest(snapshot.data, source)
        if known.get(path) != digest:
            units = history_units(catalog, path=path)
            index.replace_file(path, language.code, digest, _levels(units, source))
    for file in memory_paths(workspace, language):
        path = workspace.relative(file)
        try:
            catalog, snapshot = workspace.read_snapshot(file)
        except CatalogError as error:  # the memory helps; a damaged part of it never stops a run
            log.warning("%s; the translation memory goes on without it", error)
            continue
        if catalog is None:
            continue
        seen.add(path)
        digest = _digest(snapshot.data, source)
        if known.get(path) != digest:
            units = imported_units(catalog, path=path)
            index.replace_file(path, language.code, digest, _levels(units, source))
    for path in set(known) - seen:
        index.forget_file(path)


def _levels(
    units: Iterable[MemoryUnit], source: Language
) -> Iterator[tuple[Level, str, MemoryUnit]]:
    """Each unit under its source, and its sentences (sure ones, and candidates)."""
    for unit in units:
        yield Level.PARAGRAPH, unit.source, unit
        sure, candidates = sentence_units(unit, source=source)
        for sentence in sure:
            yield Level.SENTENCE, sentence.source, sentence
        for key, paragraph in candidates:
            yield Level.CANDIDATE, key, paragraph


def _digest(data: bytes | None, source: Language) -> str:
    digest = hashlib.sha256(source.code.encode("ascii") + b"\0")
    digest.update(data or b"")
    return digest.hexdigest()[:32]
