"""The files of one tree of the site (editions, drafts or review pages), kept exact.

``build`` writes reviewed editions to ``editions/`` and drafts to ``drafts/``, ``review``
writes its pages to ``review/``: each tree holds exactly what its step last decided. A
``Tree`` writes through the manifest (``workspace.records``), remembers what the step
keeps, and at the end removes what translatio wrote earlier and no longer keeps; files
it did not write (a publisher's ``robots.txt``, images) are never touched. Pages an
earlier translatio wrote before the manifest existed are named once, for a person to
remove: translatio cannot tell them from a publisher's own.
"""

from __future__ import annotations

import logging
from pathlib import Path

from translatio.catalog.revisions import revision_stamp
from translatio.workspace.records import Manifest, Pruned
from translatio.workspace.sources import walk
from translatio.workspace.workspace import Workspace

__all__ = ["Tree"]

_logger = logging.getLogger(__name__)
_GENERATOR = b'<meta name="generator" content="translatio">'


class Tree:
    """One folder of the site as a step writes it."""

    def __init__(self, workspace: Workspace, folder: str, *, why: str) -> None:
        self.workspace = workspace
        self.root = workspace.root / folder
        self.manifest = Manifest(workspace)
        self.seen = revision_stamp()
        self.kept: set[Path] = set()
        self._left: set[Path] = set()
        self._why = why

    def path(self, relative: str) -> Path:
        """A file of the tree, by its path inside it (``zh_CN/article.html``)."""
        return self.root / relative

    def write(self, path: Path, data: bytes) -> bool:
        """Write a file of the tree, record it, and keep it; True when written.

        A file translatio wrote that someone changed since is left as it is, with a
        warning: a person's edit is never overwritten (remove the file to let translatio
        write it again)."""
        self.kept.add(path)
        if self.manifest.changed_by_hand(path):
            if path not in self._left:
                self._left.add(path)
                _logger.warning(
                    "%s was changed since translatio wrote it: left as it is (remove it to "
                    "let translatio write it again)",
                    self.workspace.relative(path),
                )
            return False
        return self.manifest.write(path, data, seen=self.seen)

    def keep(self, path: Path) -> None:
        """Keep a file an earlier run wrote, as it is."""
        self.kept.add(path)

    def keep_listed(self, suffixes: tuple[str, ...]) -> None:
        """Keep every file the manifest lists in the tree with one of ``suffixes``."""
        for path in self.manifest.listed(self.root):
            if path.name.endswith(suffixes):
                self.kept.add(path)

    def finish(self, *, under: Path | None = None) -> Pruned:
        """Remove what translatio wrote in the tree (or ``under`` it) and did not keep;
        save the manifest. Each removal is one warning line, with the reason."""
        pruned = self.manifest.prune([under or self.root], self.kept)
        for path in pruned.removed:
            _logger.warning("removed %s: %s", path, self._why)
        self.manifest.save()
        theirs = {self.workspace.root / path for path in pruned.kept}
        self._name_unlisted(under or self.root, theirs)
        return pruned

    def _name_unlisted(self, folder: Path, theirs: set[Path]) -> None:
        """Warn about translatio pages in the tree that the manifest does not list."""
        if not folder.is_dir():
            return
        listed = set(self.manifest.listed(self.root))
        for path in walk(folder):  # its own stack: a tree of any depth
            if path in listed or path in self.kept or path in theirs:
                continue
            if not path.name.endswith(".html"):
                continue
            if path.is_symlink() or not _ours(path):
                continue
            _logger.warning(
                "%s was written by an earlier translatio (before the manifest, %s): "
                "translatio leaves it; remove it by hand if it should not be there",
                self.workspace.relative(path),
                self.workspace.relative(self.manifest.path),
            )


def _ours(path: Path) -> bool:
    """Whether the first 2 KiB of an HTML file carry translatio's generator tag."""
    try:
        with path.open("rb") as stream:
            return _GENERATOR in stream.read(2048)
    except OSError:
        return False
