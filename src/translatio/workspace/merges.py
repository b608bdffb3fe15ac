"""The project's record of which template each catalog was last merged from.

``locales/merged.tsv`` holds, for every catalog ``extract`` merged, the fingerprint of
the template it was merged from (``catalog.values.template_fingerprint``)::

    # translatio: the template each catalog was last merged from (extract's guard)
    locales/fr/LC_MESSAGES/article.po	6fa0759c8138f8e3

The catalog's own ``X-Translatio-Template`` header says the same, but other tools drop
it (Babel's re-save does); this record lets ``extract`` still see that a catalog lacks
entries of the very template it was merged from (cut short, or entries deleted by hand).
It is sorted by path, written only when it changes, and belongs in version control with
the catalogs.
"""

from __future__ import annotations

import re
from pathlib import Path

from translatio.errors import CatalogError
from translatio.workspace.records import read_record
from translatio.workspace.workspace import Workspace

__all__ = ["MERGED", "MergeRecord"]

MERGED = "merged.tsv"
"""Its name in the catalog folder."""
_HEADER = "# translatio: the template each catalog was last merged from (extract's guard)\n"
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


class MergeRecord:
    """The record, read once per step, changed in memory and saved at the end."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self.path = workspace.root / workspace.settings.locales_dir / MERGED
        self._lines = self._read()
        self._saved = dict(self._lines)

    def _read(self) -> dict[str, str]:
        data = read_record(self._workspace, self.path)
        lines: dict[str, str] = {}
        if data is None:
            return lines
        where = self._workspace.relative(self.path)
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 2 or not _FINGERPRINT.fullmatch(fields[1]):
                raise CatalogError(
                    "this line is not <catalog> <template fingerprint>, separated by a tab",
                    path=where,
                    line=number,
                    hint="restore the file from version control, or remove the line "
                    "(the catalog's next extract records it again)",
                )
            lines[fields[0]] = fields[1]
        return lines

    def merged_from(self, catalog: Path) -> str | None:
        """The fingerprint of the template ``catalog`` was last merged from, if recorded."""
        return self._lines.get(self._workspace.relative(catalog))

    def record(self, catalog: Path, fingerprint: str) -> None:
        """``catalog`` now holds a merge of the template with ``fingerprint``."""
        self._lines[self._workspace.relative(catalog)] = fingerprint

    def save(self) -> bool:
        """Write the record if it changed; True when written."""
        if self._lines == self._saved:
            return False
        body = "".join(f"{key}\t{value}\n" for key, value in sorted(self._lines.items()))
        self._workspace.write(self.path, (_HEADER + body).encode("utf-8"))
        self._saved = dict(self._lines)
        return True
