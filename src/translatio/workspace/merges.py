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

from translatio.workspace.records import read_rows, write_rows
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
        rows = read_rows(
            self._workspace,
            self.path,
            valid=lambda fields: len(fields) == 2 and bool(_FINGERPRINT.fullmatch(fields[1])),
            shape="<catalog> <template fingerprint>",
            hint="restore the file from version control, or remove the line (the catalog's "
            "next extract records it again)",
        )
        return {catalog: fingerprint for catalog, fingerprint in rows}

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
        write_rows(self._workspace, self.path, _HEADER, self._lines.items())
        self._saved = dict(self._lines)
        return True
