"""The project's own records of what translatio wrote: the manifest of the site's files.

``locales/manifest.tsv`` lists every file ``build`` and ``review`` wrote outside the
catalog folder (editions, drafts, review pages, the index and the sitemap), one line
each, with the SHA-256 of what was written and when that path was first written::

    # translatio: the files it wrote (build, review); it removes only these, unchanged
    editions/fr/article.html	5d41402abc4b2a76b9719d911017c592…	2026-12-05T18:40:12Z

translatio removes a file only when the manifest lists it and it still holds what was
written: a publisher's own ``robots.txt`` or images, or a page someone edited by hand,
stay. The first-written time tells ``build`` when an edition was first published (the
corrections log lists the changes after it). The file is sorted by path and written only
when it changes; it belongs in version control with the catalogs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from translatio.errors import CatalogError, EditionError
from translatio.workspace.workspace import Workspace

__all__ = ["MANIFEST", "Manifest", "Pruned", "read_record", "read_rows", "write_rows"]

MANIFEST = "manifest.tsv"
"""Its name in the catalog folder."""
_HEADER = "# translatio: the files it wrote (build, review); it removes only these, unchanged\n"
_LIMIT = 64 * 1024 * 1024
_logger = logging.getLogger(__name__)


def read_record(workspace: Workspace, path: Path, *, limit: int = _LIMIT) -> bytes | None:
    """A record file's bytes (``None`` when there is none), read no further than ``limit``."""
    target = workspace.inside(path)
    try:
        with target.open("rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CatalogError(
            f"cannot read translatio's record: {error.strerror}", path=workspace.relative(path)
        ) from None
    if len(data) > limit:
        raise CatalogError(
            f"translatio's record holds more than {limit} bytes",
            path=workspace.relative(path),
            hint="restore it from version control",
        )
    return data


def read_rows(
    workspace: Workspace,
    path: Path,
    *,
    valid: Callable[[list[str]], bool],
    shape: str,
    hint: str,
) -> Iterator[list[str]]:
    """The tab-separated rows of a record file (comments and blank lines skipped); a row
    ``valid`` refuses is a ``CatalogError`` naming its line, ``shape`` and ``hint``."""
    data = read_record(workspace, path)
    if data is None:
        return
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not valid(fields):
            raise CatalogError(
                f"this line is not {shape}, separated by tabs",
                path=workspace.relative(path),
                line=number,
                hint=hint,
            )
        yield fields


def write_rows(
    workspace: Workspace, path: Path, header: str, rows: Iterable[tuple[str, ...]]
) -> None:
    """Write a record file: its comment line, then its rows sorted, tab-separated."""
    body = "".join("\t".join(row) + "\n" for row in sorted(rows))
    workspace.write(path, (header + body).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class _Line:
    digest: str
    first: str


@dataclass(frozen=True, slots=True)
class Pruned:
    """What pruning did."""

    removed: tuple[str, ...]
    """Project-relative paths of the files removed."""
    kept: tuple[str, ...]
    """Files the manifest lists that someone changed since: left in place, now theirs."""


class Manifest:
    """The manifest, read once per step, changed in memory and saved at the end."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self.path = workspace.root / workspace.settings.locales_dir / MANIFEST
        self._lines = self._read()
        self._saved = dict(self._lines)

    def _read(self) -> dict[str, _Line]:
        rows = read_rows(
            self._workspace,
            self.path,
            valid=lambda fields: len(fields) == 3 and len(fields[1]) == 64,
            shape="<path> <sha256> <first written>",
            hint="restore the file from version control, or remove the line (translatio "
            "then never removes that file)",
        )
        return {path: _Line(digest, first) for path, digest, first in rows}

    def first_written(self, path: Path) -> str | None:
        """When translatio first wrote ``path`` (``None``: never, as far as it knows)."""
        line = self._lines.get(self._workspace.relative(path))
        return line.first if line else None

    def write(self, path: Path, data: bytes, *, seen: str) -> bool:
        """Write ``data`` at ``path`` (unless it holds it already) and record it."""
        written = self._workspace.write(path, data, error=EditionError)
        key = self._workspace.relative(path)
        digest = hashlib.sha256(data).hexdigest()
        earlier = self._lines.get(key)
        self._lines[key] = _Line(digest, earlier.first if earlier else seen)
        return written

    def changed_by_hand(self, path: Path) -> bool:
        """Whether the manifest lists ``path`` and the file there holds something else."""
        return (
            self._workspace.relative(path) in self._lines
            and path.is_file()
            and not self.holds(path)
        )

    def holds(self, path: Path) -> bool:
        """Whether the manifest lists ``path`` and the file still holds what was written."""
        line = self._lines.get(self._workspace.relative(path))
        if line is None:
            return False
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest() == line.digest
        except OSError:
            return False

    def prune(self, folders: Iterable[Path], keep: set[Path]) -> Pruned:
        """Remove the files translatio wrote under ``folders`` that are not in ``keep``.

        A listed file that is gone is forgotten; one someone changed since is left in
        place and forgotten too (it is theirs now); empty folders translatio's files
        leave are removed.
        """
        folders = list(folders)
        roots = [self._workspace.relative(folder) + "/" for folder in folders]
        wanted = {self._workspace.relative(path) for path in keep}
        removed: list[str] = []
        kept: list[str] = []
        for key in sorted(self._lines):
            if key in wanted or not any(key.startswith(root) for root in roots):
                continue
            path = self._workspace.inside(self._workspace.root / key, error=EditionError)
            if not path.exists():
                del self._lines[key]
            elif self.holds(path):
                path.unlink()
                del self._lines[key]
                removed.append(key)
                top = next(f for f in folders if key.startswith(self._workspace.relative(f) + "/"))
                _remove_empty_parents(path.parent, top)
            else:
                del self._lines[key]
                kept.append(key)
                _logger.warning(
                    "%s was changed since translatio wrote it: left in place (remove it by "
                    "hand if it should not be published)",
                    key,
                )
        return Pruned(tuple(removed), tuple(kept))

    def forget(self, path: Path) -> None:
        """Drop ``path`` from the manifest (it was not written after all)."""
        self._lines.pop(self._workspace.relative(path), None)

    def save(self) -> bool:
        """Write the manifest if it changed; True when written."""
        if self._lines == self._saved:
            return False
        rows = ((key, line.digest, line.first) for key, line in self._lines.items())
        write_rows(self._workspace, self.path, _HEADER, rows)
        self._saved = dict(self._lines)
        return True

    def listed(self, folder: Path) -> list[Path]:
        """The files the manifest lists under ``folder``."""
        root = self._workspace.relative(folder) + "/"
        return [self._workspace.root / key for key in sorted(self._lines) if key.startswith(root)]


def _remove_empty_parents(folder: Path, top: Path) -> None:
    """Remove ``folder`` and its parents while they are empty, up to ``top`` (kept)."""
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
