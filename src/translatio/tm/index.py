"""The memory's SQLite index: one file per project in the cache directory.

The index holds, per language, the paragraph and sentence units of every file that
feeds the memory (each catalog, each imported memory), with a digest of the bytes they
were taken from, so a file that did not change is not read into it again. It is only an
index: the project's files are the truth, and the index is rebuilt from them whenever it
is missing, damaged, from another version, or written for another project.

Nothing about it is ever fatal. A damaged or foreign file (garbage, cut off, another
version or project, a directory standing there) is moved aside to ``<name>.damaged`` and
rebuilt, with a warning on the ``translatio`` logger, which the CLI shows. A file that
cannot be used here and now (a cache directory that cannot be created, a read-only file,
a full disk, another process holding it) is left alone and an index is built in memory
for this run: nothing is lost, so that is only logged at INFO level. A cache directory
that refuses access (EACCES: no search permission on it or a parent) is the one warning
line a run gives about it, shared with the sentence cache
(``sentence_cache.refused_cache_directory``): the index is then built in memory too.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar

from translatio.config import cache_directory
from translatio.engines.argos.sentence_cache import refused_cache_directory
from translatio.tm.units import MemoryUnit, Origin, normalise

__all__ = ["Feed", "Level", "MemoryIndex", "index_path", "key_hash", "preferred"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_VERSION = "4"
_UNIT_COLUMNS = "source, target, origin, document, reviewer, kind, earlier"
_DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
_sqlite_connect = sqlite3.connect
"""Bound once: the machine-output cache's tests replace ``sqlite3.connect`` to break it."""
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE files (path TEXT PRIMARY KEY, language TEXT NOT NULL, digest TEXT NOT NULL)",
    """CREATE TABLE units (
        file TEXT NOT NULL, language TEXT NOT NULL, level INTEGER NOT NULL,
        hash INTEGER NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
        origin TEXT NOT NULL, document TEXT NOT NULL, reviewer TEXT NOT NULL,
        kind TEXT NOT NULL, earlier INTEGER NOT NULL)""",
    "CREATE INDEX units_by_hash ON units (language, level, hash)",
    "CREATE INDEX units_by_file ON units (file)",
)


class Level(IntEnum):
    """What a unit covers."""

    PARAGRAPH = 0
    """A whole catalog entry."""
    SENTENCE = 1
    """A reviewed paragraph of one sentence, under that sentence."""
    CANDIDATE = 2
    """A reviewed paragraph of several sentences, under each of them (the aligner decides)."""


class Feed(IntEnum):
    """Which kind of file a unit came from."""

    CATALOG = 0
    """A document's catalog: its reviewed entries now."""
    IMPORTED = 1
    """An imported memory (``locales/memory/``)."""
    HISTORY = 2
    """The history (``locales/<lang>/history.po``): every reviewed pair ever seen."""


def key_hash(key: str) -> int:
    """A 64-bit fingerprint of a key: the index looks keys up by it (paragraphs are long)."""
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True
    )


def preferred(unit: MemoryUnit) -> tuple[int, bool, bool, str, str]:
    """The order units with one source are offered in.

    A person's own text first, then machine output a reviewer approved, then imported
    memories (``Origin.rank``); at equal rank the current catalogs before the history,
    catalogs before imports, then by origin and text (a stable order).
    """
    return (unit.kind.rank, unit.earlier, not unit.document, unit.origin, unit.target)


def index_path(root: Path) -> Path:
    """``<cache>/tm/<hash of the project directory>.sqlite3``: projects never mix."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_directory() / "tm" / f"{name}.sqlite3"


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
        self.epoch = 0
        """How many times the index was replaced in this run (a sync then starts over)."""
        self._connection: sqlite3.Connection | None = None
        self._given_up = False

    # -- reading ----------------------------------------------------------------------------

    def digests(self, language: str) -> dict[str, str]:
        """``file → digest`` of the files indexed for ``language``."""
        rows: list[tuple[str, str]] = (
            self._run(
                lambda db: db.execute(
                    "SELECT path, digest FROM files WHERE language = ?", (language,)
                ).fetchall()
            )
            or []
        )
        return dict(rows)

    def units(self, language: str, level: Level) -> list[tuple[str, MemoryUnit]]:
        """Every unit of ``language`` at ``level`` with its key (normalised source), unordered."""

        def select(db: sqlite3.Connection) -> list[tuple[str, ...]]:
            return db.execute(
                f"SELECT key, {_UNIT_COLUMNS} FROM units WHERE language = ? AND level = ?",
                (language, int(level)),
            ).fetchall()

        return [(key, _unit(fields)) for key, *fields in (self._run(select) or [])]

    def keys(self, language: str, level: Level) -> set[str]:
        """The distinct keys (normalised sources) of ``language`` at ``level``."""

        def select(db: sqlite3.Connection) -> list[tuple[str]]:
            return db.execute(
                "SELECT key FROM units WHERE language = ? AND level = ?", (language, int(level))
            ).fetchall()

        return {key for (key,) in (self._run(select) or [])}

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
                    f"SELECT key, {_UNIT_COLUMNS} FROM units "
                    f"WHERE language = ? AND level = ? AND hash IN ({marks})",
                    (language, int(level), *chunk),
                ).fetchall()

            for key, *fields in self._run(select) or []:
                for text in wanted.get(key, ()):  # a hash shared by two keys is told apart
                    found.setdefault(text, []).append(_unit(fields))
        return {text: sorted(units, key=preferred) for text, units in found.items()}

    def counts(self, language: str) -> dict[tuple[Level, Feed], tuple[int, int]]:
        """``(level, feed) → (units, distinct sources)`` for ``language``."""

        def count(db: sqlite3.Connection) -> list[tuple[int, int, int, int]]:
            return db.execute(
                "SELECT level, CASE WHEN earlier THEN 2 WHEN document = '' THEN 1 ELSE 0 END "
                "AS feed, COUNT(*), COUNT(DISTINCT key) FROM units "
                "WHERE language = ? GROUP BY level, feed",
                (language,),
            ).fetchall()

        return {
            (Level(level), Feed(feed)): (units, sources)
            for level, feed, units, sources in (self._run(count) or [])
        }

    # -- writing ----------------------------------------------------------------------------

    def replace_file(
        self,
        path: str,
        language: str,
        digest: str,
        units: Iterable[tuple[Level, str, MemoryUnit]],
    ) -> None:
        """Index ``path``'s units afresh, each under its key text (its old ones are dropped)."""
        rows = [_row(path, language, level, key, unit) for level, key, unit in units]

        def replace(db: sqlite3.Connection) -> None:
            with db:
                db.execute("DELETE FROM units WHERE file = ?", (path,))
                db.executemany(
                    "INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
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

    def _run(self, action: Callable[[sqlite3.Connection], T]) -> T | None:
        """``action`` on the index, retried once on a fresh index if the first one fails.

        A damaged index is moved aside and rebuilt (a warning); one that cannot be used
        here and now (read-only, full disk, held by another process) is replaced by an
        index in memory for this run (``epoch`` tells the sync to index every file again).
        ``None`` is the answer when not even an index in memory can be had.
        """
        for _ in range(2):
            connection = self._connect()
            if connection is None:
                return None
            try:
                return action(connection)
            except sqlite3.DatabaseError as error:
                if getattr(error, "sqlite_errorname", "") in _DAMAGED:
                    self._start_afresh(str(error))
                else:
                    self._in_memory(str(error))
        return None

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is None and not self._given_up:
            try:
                self._connection = self._open(self.path)
            except _Unusable as problem:
                self._start_afresh(str(problem))
            except _Unavailable as problem:
                self._in_memory(str(problem))
        return self._connection

    def _open(self, path: Path | None) -> sqlite3.Connection:
        """The index at ``path`` (``None``: in memory), checked and ready.

        ``_Unusable``: the file is damaged or not ours; ``_Unavailable``: it cannot be
        opened or written here and now.
        """
        try:
            if path is not None and path.is_dir():
                raise _Unusable("a directory stands there")
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            connection = _sqlite_connect(
                ":memory:" if path is None else path, timeout=self.busy_timeout
            )
        except PermissionError as error:  # the cache directory refuses access
            if path is not None:
                refused_cache_directory(path, error)
            raise _Unavailable(str(error)) from None
        except (OSError, sqlite3.Error) as error:
            raise _Unavailable(str(error)) from None
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
        except sqlite3.DatabaseError as error:
            connection.close()
            if getattr(error, "sqlite_errorname", "") in _DAMAGED or "no such table" in str(error):
                raise _Unusable(str(error)) from None
            raise _Unavailable(str(error)) from None
        except _Unusable:
            connection.close()
            raise
        return connection

    def _start_afresh(self, problem: str) -> None:
        """Move the damaged index aside and start an empty one (in memory if need be)."""
        self.close()
        self.epoch += 1
        aside = self.path.with_name(f"{self.path.name}.damaged")
        try:
            if self.path.exists():
                if aside.is_dir():
                    shutil.rmtree(aside)
                self.path.replace(aside)
            for suffix in ("-wal", "-shm", "-journal"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            self._connection = self._open(self.path)
            where = f"moved it to {aside.name} and rebuilt it from the catalogs"
        except (OSError, _Unusable, _Unavailable) as again:
            self._connection = self._memory()
            where = f"cannot replace it ({again}); rebuilt it in memory for this run"
        self._warn(f"the translation memory index {self.path} was unusable ({problem}); {where}")

    def _in_memory(self, problem: str) -> None:
        """Leave the index file alone and build one in memory for this run.

        Nothing is lost (the index is rebuilt from the catalogs), so this is no warning:
        a cache directory that cannot be written already has ``memory``'s.
        """
        self.close()
        self.epoch += 1
        self._connection = self._memory()
        log.info(
            "the translation memory index %s cannot be used (%s); in memory", self.path, problem
        )

    def _memory(self) -> sqlite3.Connection | None:
        """An empty index in memory, or ``None`` (with a warning) when not even that works."""
        try:
            return self._open(None)
        except (_Unusable, _Unavailable) as problem:
            self._given_up = True
            self._warn(f"no translation memory index can be made ({problem}); going on without it")
            return None

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning("%s", message)


def _row(path: str, language: str, level: Level, text: str, unit: MemoryUnit) -> tuple[object, ...]:
    """The ``units`` row of one unit of ``path``, looked up by ``text``."""
    key = normalise(text)
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
        unit.kind.value,
        int(unit.earlier),
    )


def _unit(fields: list[Any]) -> MemoryUnit:
    """A unit from its row's ``_UNIT_COLUMNS``."""
    source, target, origin, document, reviewer, kind, earlier = fields
    return MemoryUnit(source, target, origin, document, reviewer, Origin(kind), bool(earlier))


class _Unusable(Exception):
    """The file is damaged, or not an index this version can use for this project."""


class _Unavailable(Exception):
    """The file cannot be opened or written here and now (permissions, disk, a lock)."""
