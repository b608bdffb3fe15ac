"""The memory's SQLite index: one file per project in the cache directory.

The index holds, per language, the paragraph and sentence units of every file that
feeds the memory (each catalog, each imported memory), with a digest of the bytes they
were taken from, so a file that did not change is not read into it again. It is only an
index: the project's files are the truth, and the index is rebuilt from them whenever it
is missing, damaged, from another version, or written for another project.

Nothing about it is ever fatal. A damaged file is moved aside to ``<name>.damaged`` and
rebuilt; a file that cannot be opened at all (a directory stands there, the cache
directory cannot be created) is replaced by an index in memory for this run. Each such
event is one warning on the ``translatio`` logger, which the CLI shows.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable
from enum import IntEnum
from pathlib import Path
from typing import TypeVar

from translatio.memory import default_memory_path
from translatio.tm.units import MemoryUnit, normalise

__all__ = ["Level", "MemoryIndex", "index_path"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_VERSION = "1"
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE files (path TEXT PRIMARY KEY, language TEXT NOT NULL, digest TEXT NOT NULL)",
    """CREATE TABLE units (
        file TEXT NOT NULL, language TEXT NOT NULL, level INTEGER NOT NULL,
        key TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
        origin TEXT NOT NULL, document TEXT NOT NULL, reviewer TEXT NOT NULL)""",
    "CREATE INDEX units_by_key ON units (language, level, key)",
    "CREATE INDEX units_by_file ON units (file)",
)


class Level(IntEnum):
    """What a unit covers."""

    PARAGRAPH = 0
    """A whole catalog entry."""
    SENTENCE = 1
    """One sentence of a reviewed paragraph."""


def index_path(root: Path) -> Path:
    """``<cache>/tm/<hash of the project directory>.sqlite3``: projects never mix."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return default_memory_path().parent / "tm" / f"{name}.sqlite3"


class MemoryIndex:
    """The index of one project; opened on first use, rebuilt when it cannot be trusted."""

    def __init__(self, root: Path, *, path: Path | None = None) -> None:
        self.root = root.resolve()
        """The project directory the index belongs to."""
        self.path = path or index_path(self.root)
        """The SQLite file."""
        self.warnings: list[str] = []
        """What went wrong with the index in this run (also logged), oldest first."""
        self._connection: sqlite3.Connection | None = None

    # -- reading ----------------------------------------------------------------------------

    def digests(self, language: str) -> dict[str, str]:
        """``file → digest`` of the files indexed for ``language``."""
        rows = self._run(
            lambda db: db.execute(
                "SELECT path, digest FROM files WHERE language = ?", (language,)
            ).fetchall()
        )
        return dict(rows)

    def units(self, language: str, level: Level) -> list[MemoryUnit]:
        """Every unit of ``language`` at ``level``, catalogs before imports, by key and origin."""
        rows = self._run(
            lambda db: db.execute(
                "SELECT source, target, origin, document, reviewer FROM units "
                "WHERE language = ? AND level = ? ORDER BY document = '', key, origin, target",
                (language, int(level)),
            ).fetchall()
        )
        return [MemoryUnit(*row) for row in rows]

    def lookup(self, language: str, level: Level, texts: Iterable[str]) -> dict[str, MemoryUnit]:
        """Exact matches by normalised text: ``text → unit`` (catalogs first, then origin)."""
        wanted: dict[str, list[str]] = {}
        for text in texts:
            wanted.setdefault(normalise(text), []).append(text)
        keys = list(wanted)
        found: dict[str, MemoryUnit] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]

            def select(db: sqlite3.Connection, chunk: list[str] = chunk) -> list[tuple[str, ...]]:
                marks = ",".join("?" * len(chunk))
                return db.execute(
                    "SELECT key, source, target, origin, document, reviewer FROM units "
                    f"WHERE language = ? AND level = ? AND key IN ({marks}) "
                    "ORDER BY document = '' DESC, origin DESC, target DESC",
                    (language, int(level), *chunk),
                ).fetchall()

            for key, *fields in self._run(select):  # a key's last row is the preferred one
                for text in wanted[key]:
                    found[text] = MemoryUnit(*fields)
        return found

    def counts(self, language: str) -> dict[tuple[Level, bool], tuple[int, int]]:
        """``(level, imported) → (units, distinct sources)`` for ``language``."""

        def count(db: sqlite3.Connection) -> list[tuple[int, int, int, int]]:
            return db.execute(
                "SELECT level, document = '', COUNT(*), COUNT(DISTINCT key) FROM units "
                "WHERE language = ? GROUP BY level, document = ''",
                (language,),
            ).fetchall()

        return {
            (Level(level), bool(imported)): (units, sources)
            for level, imported, units, sources in self._run(count)
        }

    # -- writing ----------------------------------------------------------------------------

    def replace_file(
        self,
        path: str,
        language: str,
        digest: str,
        units: Iterable[tuple[Level, MemoryUnit]],
    ) -> None:
        """Index ``path``'s units afresh (its old ones are dropped)."""
        rows = [
            (
                path,
                language,
                int(level),
                normalise(unit.source),
                unit.source,
                unit.target,
                unit.origin,
                unit.document,
                unit.reviewer,
            )
            for level, unit in units
        ]

        def replace(db: sqlite3.Connection) -> None:
            with db:
                db.execute("DELETE FROM units WHERE file = ?", (path,))
                db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                db.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (path, language, digest)
                )

        self._run(replace)

    def forget_file(self, path: str) -> None:
        """Drop a file that no longer feeds the memory."""

        def forget(db: sqlite3.Connection) -> None:
            with db:
                db.execute("DELETE FROM units WHERE file = ?", (path,))
                db.execute("DELETE FROM files WHERE path = ?", (path,))

        self._run(forget)

    def close(self) -> None:
        """Close the database connection."""
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    # -- internals --------------------------------------------------------------------------

    def _run(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """``action`` on the connection; a damaged index is rebuilt empty and ``action`` retried.

        An empty index simply has every file indexed again by the next sync.
        """
        try:
            return action(self._connect())
        except sqlite3.DatabaseError as error:
            self._start_afresh(str(error))
            return action(self._connect())

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            try:
                self._connection = self._open(self.path)
            except _Unusable as problem:
                self._start_afresh(str(problem))
                assert self._connection is not None
        return self._connection

    def _open(self, path: Path | None) -> sqlite3.Connection:
        """The index at ``path`` (``None``: in memory), checked; ``_Unusable`` if it is not ours."""
        try:
            if path is not None:
                if path.is_dir():
                    raise _Unusable("a directory stands there")
                path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(":memory:" if path is None else path, timeout=30)
        except (OSError, sqlite3.Error) as error:
            raise _Unusable(str(error)) from None
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("version", _VERSION), ("project", str(self.root))],
                )
                connection.commit()
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            if meta != {"version": _VERSION, "project": str(self.root)}:
                raise _Unusable(f"it was written by another version or project ({meta})")
        except sqlite3.Error as error:
            connection.close()
            raise _Unusable(str(error)) from None
        except _Unusable:
            connection.close()
            raise
        return connection

    def _start_afresh(self, problem: str) -> None:
        """Move the unusable index aside and open an empty one (in memory if need be)."""
        self.close()
        aside = self.path.with_name(f"{self.path.name}.damaged")
        try:
            if self.path.is_file():
                self.path.replace(aside)
            for suffix in ("-wal", "-shm", "-journal"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            self._connection = self._open(self.path)
            where = f"moved it to {aside.name} and rebuilt it from the catalogs"
        except (OSError, _Unusable) as again:
            self._connection = self._open(None)
            where = f"cannot replace it ({again}); rebuilt it in memory for this run"
        message = f"the translation memory index {self.path} was unusable ({problem}); {where}"
        self.warnings.append(message)
        log.warning("%s", message)


class _Unusable(Exception):
    """The file is not an index this version can use for this project."""
