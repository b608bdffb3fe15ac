"""The project on disk: where files are, reading sources and catalogs, writing atomically.

This is the only module (with ``config``) that touches the filesystem. Writes go to a
temporary file in the same directory, are flushed and synced, then renamed over the old
file, and only happen when the bytes differ: a rerun with nothing changed writes nothing.

Catalogs are written by compare-and-swap, because people edit them while translatio
works: a step reads a catalog into a ``Snapshot``, and right before the rename the file is
compared with what was read. If a person saved it in between, the step's change is applied
again to the person's version (``commit_catalog``'s ``redo``), so no save is ever lost.

Every path written or read is resolved and must stay inside the project, whatever
symbolic links sit on the way (the project root, ``editions/``, ``locales/<lang>/``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import polib

from translatio.catalog.merge import only_bookkeeping_differs
from translatio.catalog.po import parse_po, remembering_line_breaks
from translatio.catalog.values import same_content, serialize
from translatio.config import Settings, load_settings
from translatio.errors import CatalogError, ConfigError, SourceError, TranslatioError
from translatio.languages import Language
from translatio.text.document import Document
from translatio.text.glossary import EMPTY, Glossary, parse_glossary
from translatio.text.segment import format_for_suffix, segment
from translatio.workspace import storage
from translatio.workspace.sources import decode_source, document_id, find_sources, ignored_because
from translatio.workspace.storage import hold_directory, remove_temporaries, replace_atomically

__all__ = ["CatalogSlot", "Snapshot", "Workspace"]

R = TypeVar("R")

_ATTEMPTS = 5
"""How often a step re-applies its change to a catalog a person keeps saving."""
_logger = logging.getLogger("translatio")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A catalog file as a step read it: what a write must find there to replace it."""

    path: Path
    """The catalog's path."""
    data: bytes | None
    """The bytes read, or ``None`` when there was no file."""
    catalog: polib.POFile | None = None
    """Those bytes parsed (never changed afterwards: steps work on copies)."""


@dataclass(frozen=True, slots=True)
class CatalogSlot:
    """One document's catalog in one language, as a step finds it."""

    source: Path
    """The source document (``Workspace.read_document`` segments it)."""
    document: str
    """The document's id: its source path without suffix (``blog/2026/op-ed``)."""
    language: Language
    """The catalog's language."""
    path: Path
    """The catalog file."""
    catalog: polib.POFile
    """Its content (shared: change a copy)."""
    snapshot: Snapshot
    """What was read, for ``commit_catalog``."""


class _Loaded:
    """Sources and catalogs read in the current ``Workspace.loading_once`` block."""

    __slots__ = ("catalogs", "depth", "documents", "sources")

    def __init__(self) -> None:
        self.depth = 0
        self.sources: list[Path] | None = None
        self.documents: dict[Path, Document] = {}
        self.catalogs: dict[Path, tuple[polib.POFile | None, Snapshot]] = {}


@dataclass(frozen=True, slots=True)
class Workspace:
    """A translatio project directory and its settings."""

    settings: Settings
    """The validated settings; ``settings.root`` is the project directory."""
    _loaded: _Loaded = field(default_factory=_Loaded, compare=False, repr=False)
    """What ``loading_once`` keeps: each source and catalog is read once per block."""

    @classmethod
    def open(cls, root: Path | str = ".") -> Workspace:
        """The project at ``root`` (settings read and checked)."""
        return cls(load_settings(Path(root)))

    @property
    def root(self) -> Path:
        """The project directory."""
        return self.settings.root

    # -- paths -----------------------------------------------------------------------------

    def source_paths(self) -> list[Path]:
        """Source documents translatio can read, subfolders included, in document-id order.

        Within a ``loading_once`` block the folder is walked once, so each file that is
        not a source is reported once per run.
        """
        if self._loaded.depth and self._loaded.sources is not None:
            return self._loaded.sources
        paths = self._source_paths()
        if self._loaded.depth:
            self._loaded.sources = paths
        return paths

    def _source_paths(self) -> list[Path]:
        directory = self.root / self.settings.source_dir
        if not directory.is_dir():
            raise SourceError(
                "the source directory does not exist",
                path=directory,
                hint=f"create {self.settings.source_dir}/ and put Markdown or text files in it",
            )
        self.inside(directory, error=SourceError)
        return find_sources(directory, self.relative, self._readable)

    def document_id(self, source: Path) -> str:
        """A source's path below the source folder, without suffix: ``blog/2026/op-ed``."""
        return document_id(self.root / self.settings.source_dir, source)

    def _readable(self, path: Path) -> bool:
        """Whether ``path`` is a source; files that are not are reported, once per call."""
        problem = ignored_because(path)
        if problem:
            _logger.warning("%s is ignored: %s", self.relative(path), problem)
        return problem is None

    def template_path(self, document: str) -> Path:
        """``locales/<doc>.pot``."""
        return self.root / self.settings.locales_dir / f"{document}.pot"

    def catalog_path(self, document: str, language: Language) -> Path:
        """``locales/<lang>/LC_MESSAGES/<doc>.po``."""
        return (
            self.root / self.settings.locales_dir / language.code / "LC_MESSAGES" / f"{document}.po"
        )

    def edition_path(self, document: str, language: Language, suffix: str) -> Path:
        """``editions/<lang>/<doc><suffix>``."""
        return self.root / self.settings.editions_dir / language.code / f"{document}{suffix}"

    def relative(self, path: Path) -> str:
        """``path`` relative to the project, with forward slashes (for messages and ``#:``)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    # -- reading ---------------------------------------------------------------------------

    @contextmanager
    def loading_once(self) -> Iterator[None]:
        """Within this block each source is segmented and each catalog parsed once.

        Steps run in one block (``run``: extract, translate, build) hand each other what
        was read and written instead of reading it again. Catalogs stay safe all the same:
        every write still compares the file with what was read (``commit_catalog``).
        """
        loaded = self._loaded
        loaded.depth += 1
        try:
            with remembering_line_breaks():
                yield
        finally:
            loaded.depth -= 1
            if not loaded.depth:
                loaded.documents.clear()
                loaded.catalogs.clear()
                loaded.sources = None

    def read_document(self, path: Path) -> Document:
        """Read and segment one source: UTF-8 (BOM dropped), LF newlines, NFC."""
        if self._loaded.depth and path in self._loaded.documents:
            return self._loaded.documents[path]
        document = self._read_document(path)
        if self._loaded.depth:
            self._loaded.documents[path] = document
        return document

    def _read_document(self, path: Path) -> Document:
        document = self.document_id(path)
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise SourceError(
                "the source leaves the project directory",
                path=self.relative(path),
                hint="copy the file into the project instead of linking to it",
            )
        text = decode_source(path.read_bytes(), path=self.relative(path))
        format = format_for_suffix(path.suffix)
        assert format is not None
        return segment(text, name=document, path=self.relative(path), format=format)

    def read_catalog(self, path: Path) -> polib.POFile | None:
        """The catalog at ``path`` read strictly, or ``None`` when there is none yet.

        The value is shared within a ``loading_once`` block: change a copy
        (``catalog.copy_catalog``), never the catalog itself.
        """
        return self.read_snapshot(path)[0]

    def catalogs(
        self, languages: Iterable[Language], *, skip_missing: bool = False
    ) -> Iterator[CatalogSlot]:
        """Every document's catalog in each of ``languages``: the one way steps visit them.

        Documents come in name order, languages in the order given. A missing catalog is
        a ``CatalogError`` naming it, with the hint to extract first (only ``extract``
        creates catalogs); with ``skip_missing`` (steps that only read: a project half
        extracted is normal, ``workspace.partial`` names what is missing) it is passed by.
        """
        chosen = tuple(languages)
        for source in self.source_paths():
            document = self.document_id(source)
            for language in chosen:
                path = self.catalog_path(document, language)
                catalog, snapshot = self.read_snapshot(path)
                if catalog is None and skip_missing:
                    continue
                if catalog is None:
                    raise CatalogError(
                        f"no {language.code} catalog for {document}",
                        path=self.relative(path),
                        hint="run `translatio extract` first (or `translatio run`)",
                    )
                yield CatalogSlot(source, document, language, path, catalog, snapshot)

    def read_glossary(self, language: Language) -> Glossary:
        """``locales/glossary.tsv`` (all languages) merged with ``locales/<lang>/glossary.tsv``."""
        glossary = EMPTY
        locales = self.root / self.settings.locales_dir
        for path in (locales / "glossary.tsv", locales / language.code / "glossary.tsv"):
            if path.is_file():
                self.inside(path, error=ConfigError)
                try:
                    text = path.read_text("utf-8")
                except UnicodeDecodeError as error:
                    raise ConfigError(
                        f"the glossary is not UTF-8 (byte offset {error.start})",
                        path=self.relative(path),
                        hint="save the glossary as UTF-8",
                    ) from None
                glossary = glossary.merged(parse_glossary(text, path=self.relative(path)))
        return glossary

    # -- locking ---------------------------------------------------------------------------

    @contextmanager
    def lock(
        self, *, wait: float = 0.0, on_wait: Callable[[], None] | None = None
    ) -> Iterator[None]:
        """Hold the project for this process; others wait up to ``wait`` seconds, then fail.

        Temporary files a killed run left behind are removed once the lock is held.
        """
        with hold_directory(self.root, wait=wait, on_wait=on_wait):
            for directory in (self.settings.locales_dir, self.settings.editions_dir):
                base = self.root / directory
                if base.is_dir() and base.resolve().is_relative_to(self.root):
                    remove_temporaries(base)
            yield

    # -- writing ---------------------------------------------------------------------------

    def inside(self, path: Path, *, error: type[TranslatioError] = CatalogError) -> Path:
        """``path`` resolved through every symbolic link; ``error`` if that leaves the project."""
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise error(
                f"{self.relative(path)} leads outside the project (to {resolved})",
                path=self.relative(path),
                hint="translatio only reads and writes inside the project: replace the "
                "symbolic link on the way with a real directory or file",
            )
        return resolved

    def write(
        self, path: Path, data: bytes, *, error: type[TranslatioError] = CatalogError
    ) -> bool:
        """Write ``data`` atomically unless the file already holds it; True when written."""
        target = self.inside(path, error=error)
        self._loaded.catalogs.pop(target, None)
        try:
            if target.read_bytes() == data:
                return False
        except FileNotFoundError:
            pass
        replace_atomically(target, data)
        return True

    def read_snapshot(self, path: Path) -> tuple[polib.POFile | None, Snapshot]:
        """The catalog at ``path`` (``None`` if there is none yet) and what was read.

        A file caught while another program writes it in place is read again until it is
        whole (``storage.read_settled``, up to a second) before its error stands.
        """
        target = self.inside(path)
        if self._loaded.depth and target in self._loaded.catalogs:
            return self._loaded.catalogs[target]
        data, catalog = storage.read_settled(
            lambda: self._read_bytes(target, path), lambda data: self._parse(data, path)
        )
        read = catalog, Snapshot(path, data, catalog)
        if self._loaded.depth:
            self._loaded.catalogs[target] = read
        return read

    def commit_catalog(
        self,
        snapshot: Snapshot,
        result: tuple[polib.POFile | None, R],
        redo: Callable[[polib.POFile | None], tuple[polib.POFile | None, R]],
    ) -> tuple[bool, R]:
        """Write a step's ``result`` over the catalog it read, unless a person saved meanwhile.

        ``result`` is the step's new catalog (``None``: nothing to write) and its report.
        When the file no longer holds what ``snapshot`` saw, the person's version is read
        and ``redo`` applies the step's change to it; what is written always contains the
        latest save. A file whose content equals the new catalog is not rewritten, however
        another tool laid it out. Returns (written, the report of the change applied).
        """
        target = self.inside(snapshot.path)
        source = snapshot.path
        for _ in range(_ATTEMPTS):
            catalog, report = result
            if catalog is None:
                return False, report
            data = self._serialize(catalog)
            if self._same_content(snapshot, catalog, data):
                if self._read_bytes(target, snapshot.path) == snapshot.data:
                    return False, report
            elif replace_atomically(target, data, check=True, expected=snapshot.data):
                if self._loaded.depth:
                    self._loaded.catalogs[target] = (
                        catalog,
                        Snapshot(snapshot.path, data, catalog),
                    )
                return True, report
            try:  # an editor may be half-way through writing it in place: wait till whole
                current, parsed = storage.read_settled(
                    lambda: self._read_bytes(target, source), lambda data: self._parse(data, source)
                )
            except CatalogError:
                continue
            snapshot = Snapshot(snapshot.path, current, parsed)
            self._loaded.catalogs.pop(target, None)
            result = redo(parsed)
        raise CatalogError(
            "the catalog kept changing while translatio worked on it; it was left as saved",
            path=self.relative(snapshot.path),
            hint="save your work in the editor and run the command again",
        )

    def _serialize(self, catalog: polib.POFile) -> bytes:
        return serialize(catalog, wrap=self.settings.wrap)

    def _same_content(self, snapshot: Snapshot, catalog: polib.POFile, data: bytes) -> bool:
        """Whether the file ``snapshot`` read holds ``catalog`` (``data``), in any layout,
        or differs only in translatio's bookkeeping (``only_bookkeeping_differs``: another
        tool's headers, an editor's cleared flag not yet recorded)."""
        if snapshot.data is None or snapshot.catalog is None:
            return False
        return (
            snapshot.data == data
            or same_content(snapshot.catalog, catalog)
            or only_bookkeeping_differs(snapshot.catalog, catalog)
        )

    def _read_bytes(self, target: Path, path: Path) -> bytes | None:
        try:
            return target.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise CatalogError(
                "a directory stands where the catalog should be", path=self.relative(path)
            ) from None
        except OSError as error:
            raise CatalogError(
                f"cannot read the catalog: {error.strerror}", path=self.relative(path)
            ) from None

    def _parse(self, data: bytes | None, path: Path) -> polib.POFile | None:
        if data is None:
            return None
        try:
            return parse_po(data, path=self.relative(path))
        except CatalogError as error:
            if error.path is None:
                error.path = Path(self.relative(path))
            raise
