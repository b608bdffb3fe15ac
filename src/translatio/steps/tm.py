"""The memory's exchange steps: import a compendium PO or TMX file, export TMX, statistics.

An import is stored in the project (``locales/memory/<lang>/<file>-<hash>.po``, see
``tm.compendium``), so the index can always be rebuilt from files. The file to import is
opened before the project lock is taken (``import_source``): a regular file, or a pipe
copied to a temporary file, both at most ``MAX_IMPORT_SIZE`` bytes unless the caller
allows more; a device or a directory is refused. An export writes TMX 1.4b of every
reviewed paragraph, from the catalogs and from imports, as it goes: to a stream, or to
a temporary file renamed over the target, which must be absent, empty or an earlier
export of translatio's unless ``force``. Statistics count what the index holds after
bringing it up to date.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from translatio.catalog.values import serialize
from translatio.errors import CatalogError
from translatio.languages import Language
from translatio.reports import ExportReport, ImportReport, MemoryStats
from translatio.tm.compendium import (
    memory_catalog,
    memory_file_name,
    read_import,
    sniffed_format,
)
from translatio.tm.feed import memory_folder, open_memory
from translatio.tm.index import Feed, Level, MemoryIndex, preferred
from translatio.tm.tmx import tmx_chunks, writable, written_by_translatio
from translatio.tm.units import MemoryUnit
from translatio.workspace.partial import report_missing
from translatio.workspace.storage import TEMPORARY
from translatio.workspace.workspace import Workspace

__all__ = [
    "MAX_IMPORT_SIZE",
    "ImportSource",
    "export_tmx",
    "import_memory",
    "import_source",
    "memory_stats",
]

MAX_IMPORT_SIZE = 256 * 1024 * 1024
"""The largest file or pipe ``tm import`` reads unless told more (``--max-size``)."""
_MIB = 1024 * 1024
_CHUNK = 1024 * 1024
_HEAD = 4096
"""How much of an existing file is read to recognise an export of translatio's."""
_FORMATS = (".tmx", ".po", ".pot")


@dataclass(frozen=True, slots=True)
class ImportSource:
    """A file to import, opened and checked before the project lock is taken."""

    path: Path
    """The path as given."""
    handle: BinaryIO
    """Its content: the file itself, or the temporary copy of a pipe."""
    piped: bool
    """Whether it came through a pipe (named by its content, not its path)."""
    limit: int
    """The most bytes it may hold."""


@contextmanager
def import_source(file: Path, *, max_size: int = MAX_IMPORT_SIZE) -> Iterator[ImportSource]:
    """``file`` opened for ``import_memory``: a regular file, or a pipe copied to a temporary file.

    A pipe (``<(xz -dc old.tmx.xz)``, a named pipe) is read to its end here, so that no
    project lock is held while its writer takes its time; a directory, a device or a
    socket, and more than ``max_size`` bytes, are refused with the path.
    """
    kind = os.stat(file).st_mode  # an OSError names the file
    _refuse_special(file, kind)
    if stat.S_ISFIFO(kind):
        with file.open("rb") as pipe, tempfile.TemporaryFile() as copy:
            copied = 0
            while chunk := pipe.read(_CHUNK):
                copied += len(chunk)
                if copied > max_size:
                    raise _too_large(file, max_size)
                copy.write(chunk)
            copy.seek(0)
            yield ImportSource(file, copy, True, max_size)
        return
    with file.open("rb") as handle:
        opened = os.fstat(handle.fileno())
        _refuse_special(file, opened.st_mode)
        if opened.st_size > max_size:
            raise _too_large(file, max_size)
        yield ImportSource(file, handle, False, max_size)


def import_memory(
    workspace: Workspace, source: ImportSource, *, language: Language | None
) -> ImportReport:
    """Store the reviewed units of a PO or TMX file as the project's memory files."""
    settings = workspace.settings
    file = source.path
    data = source.handle.read(source.limit + 1)
    if len(data) > source.limit:  # a file that grew since it was opened
        raise _too_large(file, source.limit)
    name = file.name
    if source.piped:
        name = name if name.lower().endswith(_FORMATS) else "pipe" + sniffed_format(data)
        identity = "pipe:" + hashlib.sha256(data).hexdigest()
        imported_from = f"{file} (a pipe)"
    else:
        identity = imported_from = workspace.relative(Path(os.path.realpath(file)))
    found = read_import(
        data,
        name=name,
        path=str(file),
        source=settings.source_language,
        languages=settings.languages,
        requested=language,
    )
    if not found.units:
        wanted = ", ".join(code.code for code in ([language] if language else settings.languages))
        refusals = []
        if found.previews:
            refusals.append(f"{found.previews} refused: preview text marked ⟦…⟧, not translations")
        if found.broken_plurals:
            refusals.append(
                f"{found.broken_plurals} left out: more plural forms than Plural-Forms "
                f"allows, the first at line {found.first_broken_plural}"
            )
        if found.unreadable:
            refusals.append(
                f"{found.unreadable} refused as unreadable, the first at line "
                f"{found.first_unreadable}"
            )
        left = [tag or "(none)" for tag, role in found.languages if not role]
        if left:
            refusals.append(f"languages it holds left out: {', '.join(left)}")
        refused = f" ({'; '.join(refusals)})" if refusals else ""
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
        path = memory_folder(workspace, target) / memory_file_name(name, identity)
        catalog = memory_catalog(
            found.units[target], target, name=name, imported_from=imported_from
        )
        workspace.write(path, serialize(catalog, wrap=settings.wrap))
        stored.append((target.code, workspace.relative(path), len(catalog)))
    return ImportReport(
        str(file),
        tuple(stored),
        found.skipped,
        found.previews,
        found.unreadable,
        found.first_unreadable,
        found.broken_plurals,
        found.first_broken_plural,
        languages=found.languages,
    )


def export_tmx(
    workspace: Workspace,
    languages: Sequence[Language],
    destination: Path | BinaryIO,
    *,
    force: bool = False,
) -> ExportReport:
    """Write every reviewed paragraph of ``languages`` (catalogs and imports) as TMX 1.4b.

    ``destination`` is a file, replaced only when absent, empty or a TMX file translatio
    wrote (unless ``force``) and only when the export differs, or a binary stream. The
    document is written as it is made, never held whole.
    """
    target = _export_target(destination, force=force) if isinstance(destination, Path) else None
    report_missing(workspace, languages)
    index = open_memory(workspace, languages)
    try:
        tally = _Tally()
        chunks = tmx_chunks(
            tally.exported(index, languages), source=workspace.settings.source_language
        )
        if isinstance(destination, Path):
            assert target is not None
            written = _replace_with(target, chunks, shown=destination, force=force)
        else:
            _write_stream(destination, chunks)
            written = True
    finally:
        index.close()
    name = str(destination) if isinstance(destination, Path) else "-"
    return ExportReport(name, tally.units, tally.skipped, written)


class _Tally:
    """What an export wrote and left out, counted while the document is written."""

    __slots__ = ("skipped", "units")

    def __init__(self) -> None:
        self.units = 0
        self.skipped = 0

    def exported(
        self, index: MemoryIndex, languages: Sequence[Language]
    ) -> Iterator[tuple[Language, MemoryUnit]]:
        """The units an export writes, language by language, one per pair of texts."""
        for language in languages:
            for unit in _distinct(index.units(language.code, Level.PARAGRAPH)):
                if writable(unit):
                    self.units += 1
                    yield language, unit
                else:
                    self.skipped += 1


def _export_target(path: Path, *, force: bool) -> Path:
    """The file an export may replace (``path`` through its links), or a ``CatalogError``."""
    target = Path(os.path.realpath(path))
    try:
        status = target.stat()
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(status.st_mode):
        raise CatalogError(
            "a directory stands where the TMX file should go",
            path=path,
            hint="name a file in it: --tmx DIRECTORY/memory.tmx",
        )
    if not stat.S_ISREG(status.st_mode):
        raise CatalogError(
            "not a regular file: tm export writes a file, or standard output for -",
            path=path,
            hint="name a file, or write --tmx - to send the TMX to standard output",
        )
    if force or status.st_size == 0:
        return target
    with target.open("rb") as handle:
        head = handle.read(_HEAD)
    if not written_by_translatio(head):
        raise CatalogError(
            "the file exists and is not a TMX export of translatio; it was left as it is",
            path=path,
            hint="choose another file name, or pass --force to replace it",
        )
    return target


def _replace_with(target: Path, chunks: Iterable[bytes], *, shown: Path, force: bool) -> bool:
    """Write ``chunks`` to a temporary file beside ``target`` and rename it over it.

    False, and nothing replaced, when ``target`` already holds those bytes. An
    ``OSError`` (a full disk) names the file as given.
    """
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY}{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if target.exists() and filecmp.cmp(temporary, target, shallow=False):
            Path(temporary).unlink()
            return False
        _export_target(target, force=force)  # nobody put another file there meanwhile
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(shown)) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself survive a power cut
    finally:
        os.close(directory)
    return True


def _write_stream(stream: BinaryIO, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``stream`` as they come; an ``OSError`` names the stream."""
    try:
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
    except OSError as error:
        name = getattr(stream, "name", None)
        shown = name if isinstance(name, str) and not name.startswith("<") else "standard output"
        raise OSError(error.errno, error.strerror, shown) from error


def _refuse_special(file: Path, mode: int) -> None:
    """A ``CatalogError`` for what an import cannot read: a directory, a device, a socket."""
    if stat.S_ISDIR(mode):
        raise CatalogError(
            "a directory, not a file to import",
            path=file,
            hint="give a compendium .po file or a .tmx file",
        )
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise CatalogError(
            "a device or socket, not a file to import",
            path=file,
            hint="give a .po or .tmx file, or a pipe: tm import <(xz -dc old.tmx.xz)",
        )


def _too_large(file: Path, limit: int) -> CatalogError:
    return CatalogError(
        f"more than {limit / _MIB:g} MiB, the most tm import reads",
        path=file,
        hint="if the file is right, raise the limit: tm import --max-size MIB",
    )


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


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
    """What the memory holds per language, after bringing the index up to date.

    Documents not extracted yet in a language are named in a warning; the memory holds
    what the other catalogs give.
    """
    report_missing(workspace, languages)
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
