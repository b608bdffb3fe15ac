"""The project on disk: where files are, reading sources and catalogs, writing atomically.

This is the only module (with ``config``) that touches the filesystem. Writes go to a
temporary file in the same directory, are flushed and synced, then renamed over the old
file, and only happen when the bytes differ: a rerun with nothing changed writes nothing.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polib

from translatio.config import Settings, load_settings
from translatio.document import Document
from translatio.errors import BusyError, CatalogError, ConfigError, SourceError
from translatio.glossary import EMPTY, Glossary, parse_glossary
from translatio.languages import Language
from translatio.poread import parse_po
from translatio.segment import format_for_suffix, segment

__all__ = ["Workspace"]

_TEMPORARY = ".translatio-tmp-"
_DOCUMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class Workspace:
    """A translatio project directory and its settings."""

    settings: Settings
    """The validated settings; ``settings.root`` is the project directory."""

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
        """Source documents translatio can read, sorted by name."""
        directory = self.root / self.settings.source_dir
        if not directory.is_dir():
            raise SourceError(
                "the source directory does not exist",
                path=directory,
                hint=f"create {self.settings.source_dir}/ and put Markdown or text files in it",
            )
        paths = sorted(
            path
            for path in directory.iterdir()
            if not path.name.startswith(".")
            and path.is_file()
            and format_for_suffix(path.suffix) is not None
        )
        if not paths:
            raise SourceError(
                "no source documents",
                path=self.relative(directory),
                hint=f"put Markdown (.md) or plain text (.txt) files in "
                f"{self.settings.source_dir}/",
            )
        seen: dict[str, Path] = {}
        for path in paths:
            if path.stem in seen:
                raise SourceError(
                    f"two sources share the name {path.stem!r}: {seen[path.stem].name} "
                    f"and {path.name}",
                    path=path,
                    hint="rename one: each document needs its own catalog name",
                )
            seen[path.stem] = path
        return paths

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

    def read_document(self, path: Path) -> Document:
        """Read and segment one source: UTF-8 (BOM dropped), LF newlines, NFC."""
        if not _DOCUMENT_NAME.match(path.stem):
            raise SourceError(
                f"{path.name!r} cannot name a catalog",
                path=self.relative(path),
                hint="use letters, digits, '.', '_' and '-' in source file names",
            )
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise SourceError(
                "the source leaves the project directory",
                path=self.relative(path),
                hint="copy the file into the project instead of linking to it",
            )
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise SourceError(
                f"not UTF-8: byte {data[error.start]:#04x} at offset {error.start}",
                path=self.relative(path),
                line=line,
                hint="save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
            ) from None
        if "\x00" in text:
            offset = data.index(b"\x00")
            raise SourceError(
                f"NUL byte at offset {offset} (a binary file?)",
                path=self.relative(path),
                line=data.count(b"\n", 0, offset) + 1,
                hint="remove the NUL byte; catalogs cannot hold it",
            )
        text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        format = format_for_suffix(path.suffix)
        assert format is not None
        return segment(text, name=path.stem, path=self.relative(path), format=format)

    def read_catalog(self, path: Path) -> polib.POFile | None:
        """The catalog at ``path`` read strictly, or ``None`` when there is none yet."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise CatalogError(
                f"cannot read the catalog: {error.strerror}", path=self.relative(path)
            ) from None
        try:
            return parse_po(data, path=self.relative(path))
        except CatalogError as error:
            if error.path is None:
                error.path = Path(self.relative(path))
            raise

    def require_catalog(self, document: str, language: Language) -> tuple[Path, polib.POFile]:
        """The catalog of a document in a language; ``CatalogError`` if not extracted yet."""
        path = self.catalog_path(document, language)
        catalog = self.read_catalog(path)
        if catalog is None:
            raise CatalogError(
                f"no {language.code} catalog for {document}",
                path=self.relative(path),
                hint="run `translatio extract` first (or `translatio run`)",
            )
        return path, catalog

    def read_glossary(self, language: Language) -> Glossary:
        """``locales/glossary.tsv`` (all languages) merged with ``locales/<lang>/glossary.tsv``."""
        glossary = EMPTY
        locales = self.root / self.settings.locales_dir
        for path in (locales / "glossary.tsv", locales / language.code / "glossary.tsv"):
            if path.is_file():
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

        The lock is ``flock`` on the project directory itself: no lock file is left behind,
        and the kernel releases it when the holder dies, so a killed run never blocks.
        """
        descriptor = os.open(self.root, os.O_RDONLY)
        try:
            deadline = time.monotonic() + wait
            waited = False
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise BusyError(
                            "another translatio process is working on this project",
                            path=self.root,
                            hint="wait for it to finish, or pass --wait SECONDS",
                        ) from None
                    if not waited and on_wait is not None:
                        on_wait()
                    waited = True
                    time.sleep(0.1)
            self._remove_stale_temporaries()
            yield
        finally:
            os.close(descriptor)  # closing the descriptor releases the lock

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of a killed run (only ever removed while holding the lock)."""
        for directory in (self.settings.locales_dir, self.settings.editions_dir):
            base = self.root / directory
            if base.is_dir():
                for stale in base.rglob(f"{_TEMPORARY}*"):
                    stale.unlink(missing_ok=True)

    # -- writing ---------------------------------------------------------------------------

    def write(self, path: Path, data: bytes) -> bool:
        """Write ``data`` atomically unless the file already holds it; True when written."""
        try:
            if path.read_bytes() == data:
                return False
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            prefix=f"{_TEMPORARY}{path.name}.", dir=path.parent
        )
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fchmod(handle.fileno(), mode)
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_directory(path.parent)  # make the rename itself survive a power cut
        return True


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
