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

__all__ = ["Level", "MemoryIndex", "index_path", "key_hash", "preferred"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_VERSION = "2"
_BUSY = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE files (path TEXT PRIMARY KEY, language TEXT NOT NULL, digest TEXT NOT NULL)",
    """CREATE TABLE units (
        file TEXT NOT NULL, language TEXT NOT NULL, level INTEGER NOT NULL,
        hash INTEGER NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
        origin TEXT NOT NULL, document TEXT NOT NULL, reviewer TEXT NOT NULL)""",
    "CREATE INDEX units_by_hash ON units (language, level, hash)",
    "CREATE INDEX units_by_file ON units (file)",
)


class Level(IntEnum):
    """What a unit covers."""

    PARAGRAPH = 0
    """A whole catalog entry."""
    SENTENCE = 1
    """One sentence of a reviewed paragraph."""


def key_hash(key: str) -> int:
    """A 64-bit fingerprint of a key: the index looks keys up by it (paragraphs are long)."""
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True
    )


def preferred(unit: MemoryUnit) -> tuple[bool, str, str]:
    """The order units with one source are offered in: catalogs first, then by origin."""
    return (not unit.document, unit.origin, unit.target)


def index_path(root: Path) -> Path:
    """``<cache>/tm/<hash of the project directory>.sqlite3``: projects never mix."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return default_memory_path().parent / "tm" / f"{name}.sqlite3"


class MemoryIndex:
    """The index of one project; opened on first use, rebuilt when it cannot be trusted."""

    busy_timeout = 10.0
    """Seconds to wait for another process's write before building an index in memory."""

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

    def units(self, language: str, level: Level) -> list[tuple[str, MemoryUnit]]:
        """Every unit of ``language`` at ``level`` with its key (normalised source), unordered."""

        def select(db: sqlite3.Connection) -> list[tuple[str, ...]]:
            return db.execute(
                "SELECT key, source, target, origin, document, reviewer FROM units "
                "WHERE language = ? AND level = ?",
                (language, int(level)),
            ).fetchall()

        return [(key, MemoryUnit(*fields)) for key, *fields in self._run(select)]

    def keys(self, language: str, level: Level) -> set[str]:
        """The distinct keys (normalised sources) of ``language`` at ``level``."""

        def select(db: sqlite3.Connection) -> list[tuple[str]]:
            return db.execute(
                "SELECT key FROM units WHERE language = ? AND level = ?", (language, int(level))
            ).fetchall()

        return {key for (key,) in self._run(select)}

    def lookup(
        self, language: str, level: Level, texts: Iterable[str]
    ) -> dict[str, list[MemoryUnit]]:
        """Exact matches by normalised text: ``text → units``, best first (``preferred``)."""
        wanted: dict[str, list[str]] = {}
        for text in texts:
            wanted.setdefault(normalise(text), []).append(text)
        hashes = list(dict.fromkeys(key_hash(key) for key in wanted))
        found: dict[str, list[MemoryUnit]] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]

            def select(db: sqlite3.Connection, chunk: list[int] = chunk) -> list[tuple[str, ...]]:
                marks = ",".join("?" * len(chunk))
                return db.execute(
                    "SELECT key, source, target, origin, document, reviewer FROM units "
                    f"WHERE language = ? AND level = ? AND hash IN ({marks})",
                    (language, int(level), *chunk),
                ).fetchall()

            for key, *fields in self._run(select):
                for text in wanted.get(key, ()):  # a hash shared by two keys is told apart
                    found.setdefault(text, []).append(MemoryUnit(*fields))
        return {text: sorted(units, key=preferred) for text, units in found.items()}

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
        rows = [_row(path, language, level, unit) for level, unit in units]

        def replace(db: sqlite3.Connection) -> None:
            with db:
                db.execute("DELETE FROM units WHERE file = ?", (path,))
                db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
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
            if getattr(error, "sqlite_errorname", "") in _BUSY:  # in use: not damaged
                self._in_memory(f"another process holds it ({error})")
            else:
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
            connection = sqlite3.connect(
                ":memory:" if path is None else path, timeout=self.busy_timeout
            )
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
            if getattr(error, "sqlite_errorname", "") in _BUSY:
                raise  # in use by another process, not damaged: ``_run`` decides
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
        except (OSError, sqlite3.Error, _Unusable) as again:
            self._connection = self._open(None)
            where = f"cannot replace it ({again}); rebuilt it in memory for this run"
        self._warn(f"the translation memory index {self.path} was unusable ({problem}); {where}")

    def _in_memory(self, problem: str) -> None:
        """Leave the index file alone and build one in memory for this run."""
        self.close()
        self._connection = self._open(None)
        self._warn(
            f"the translation memory index {self.path} cannot be used now ({problem}); "
            "built one in memory for this run"
        )

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning("%s", message)


def _row(path: str, language: str, level: Level, unit: MemoryUnit) -> tuple[object, ...]:
    """The ``units`` row of one unit of ``path``."""
    key = normalise(unit.source)
    return (
        path,
        language,
        int(level),
        key_hash(key),
        key,
        unit.source,
        unit.target,
        unit.origin,
        unit.document,
        unit.reviewer,
    )


class _Unusable(Exception):
    """The file is not an index this version can use for this project."""
