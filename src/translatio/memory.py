"""The sentence-level translation memory: SQLite, keyed by model checksum and sentence.

It makes reruns cheap: a paragraph with one edited sentence re-translates only that
sentence, and a rerun with nothing new never loads a model. It lives in the cache
directory (``TRANSLATIO_CACHE_DIR``, else ``$XDG_CACHE_HOME/translatio``); deleting it
only costs time.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["TranslationMemory", "default_memory_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    model  TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    score  REAL NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID
"""


def default_memory_path() -> Path:
    """``$TRANSLATIO_CACHE_DIR/memory.sqlite3`` or the XDG cache equivalent."""
    configured = os.environ.get("TRANSLATIO_CACHE_DIR")
    if configured:
        return Path(configured) / "memory.sqlite3"
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "translatio" / "memory.sqlite3"


class TranslationMemory:
    """Sentence translations remembered per model."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_memory_path()
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            self._connection = connection
        return self._connection

    def lookup(self, model: str, sources: Sequence[str]) -> dict[str, tuple[str, float]]:
        """Remembered ``source → (target, score)`` for ``model``."""
        found: dict[str, tuple[str, float]] = {}
        connection = self._connect()
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(
                f"SELECT source, target, score FROM memory WHERE model = ? AND source IN ({marks})",
                [model, *chunk],
            )
            for source, target, score in rows:
                found[source] = (target, score)
        return found

    def store(self, model: str, items: Iterable[tuple[str, str, float]]) -> None:
        """Remember ``(source, target, score)`` triples for ``model``."""
        connection = self._connect()
        with connection:
            connection.executemany(
                "INSERT OR REPLACE INTO memory (model, source, target, score) VALUES (?, ?, ?, ?)",
                [(model, source, target, score) for source, target, score in items],
            )

    def close(self) -> None:
        """Close the database connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
