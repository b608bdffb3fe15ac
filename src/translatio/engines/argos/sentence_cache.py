"""The sentence cache: machine output per model and sentence, in SQLite.

Not to be confused with the translation memory (``translatio.tm``), which holds reviewed
human work; this cache holds only what a model decoded, keyed by the model's checksum.

Beside each translation it keeps the other hypotheses of the beam that were asked for
(``alternatives`` table, best first, near-duplicates already removed), so a rerun, and
the review page, still have them; they never reach a catalog's ``msgstr``. Likewise the
word alignment of each output (``word_alignments`` table: which source word each output
word attends to most, ``WordAlignment``), a review aid only. Both tables are created when
first written, so a cache file from before them opens as it is.

It makes reruns cheap: a paragraph with one edited sentence re-translates only that
sentence, and a rerun with nothing new never loads a model. It lives in the cache
directory (``TRANSLATIO_CACHE_DIR``, else ``$XDG_CACHE_HOME/translatio``); deleting it
only costs time.

It is disposable, so it never stops a run. A damaged file (garbage, cut off, another
schema) is moved aside to ``sentences.sqlite3.damaged`` and a fresh one started; a cache that
cannot be opened (a directory, an unusable cache directory) is done without; one that
cannot be written (read-only, disk full) is still read. Each such event is one warning on
the ``translatio.engines.argos.sentence_cache`` logger, which the CLI shows as a
``warning: …`` line. A cache directory that refuses access (no search permission on it
or a parent: EACCES) is named once per process by ``refused_cache_directory``, which the
translation memory's index (``tm.index``) shares, so a run says so in one line however
many caches live there.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translatio.config import cache_directory

__all__ = ["SentenceCache", "WordAlignment", "default_cache_path", "refused_cache_directory"]

log = logging.getLogger(__name__)
_NOTICES = logging.getLogger("translatio.cache")
"""Where an unusable cache directory is named; the directories named hang on it."""

_SCHEMA = """
CREATE TABLE sentences (
    model  TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    score  REAL NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID
"""
_ALTERNATIVES_SCHEMA = """
CREATE TABLE IF NOT EXISTS alternatives (
    model  TEXT NOT NULL,
    source TEXT NOT NULL,
    texts  TEXT NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID
"""
_WORDS_SCHEMA = """
CREATE TABLE IF NOT EXISTS word_alignments (
    model     TEXT NOT NULL,
    source    TEXT NOT NULL,
    alignment TEXT NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID
"""
_COLUMNS = [("model", "TEXT"), ("source", "TEXT"), ("target", "TEXT"), ("score", "REAL")]
_DAMAGED_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class WordAlignment:
    """Which source word each word of a sentence's machine output answers (by attention)."""

    source_words: tuple[str, ...]
    """The source sentence's words, in order, as the model's tokenizer cut them."""
    target_words: tuple[str, ...]
    """The output's words, in order, as the model wrote them (before any polishing)."""
    links: tuple[int, ...]
    """For each target word, the index of its source word."""

    def to_json(self) -> str:
        """The stored form."""
        return json.dumps(
            {"source": self.source_words, "target": self.target_words, "links": self.links},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> WordAlignment:
        """Read the stored form; ``ValueError`` when it is not one."""
        data = json.loads(text)
        found = cls(
            tuple(str(word) for word in data["source"]),
            tuple(str(word) for word in data["target"]),
            tuple(int(link) for link in data["links"]),
        )
        if len(found.links) != len(found.target_words) or any(
            not 0 <= link < len(found.source_words) for link in found.links
        ):
            raise ValueError("word links do not fit the words")
        return found


class _Damaged(Exception):
    """The file is a database, but not a sentence cache this version can use."""


def default_cache_path() -> Path:
    """``sentences.sqlite3`` in translatio's cache directory (``config.cache_directory``)."""
    return cache_directory() / "sentences.sqlite3"


def refused_cache_directory(path: Path, error: OSError) -> bool:
    """Say that the cache directory holding ``path`` refuses access, once per process for
    all of translatio's caches; whether this call said it (``False``: said before)."""
    root = cache_directory()
    directory = root if path.is_relative_to(root) else path.parent
    named: set[str] = _NOTICES.__dict__.setdefault("refused_directories", set())
    if str(directory) in named:
        return False
    named.add(str(directory))
    reason = error.strerror or type(error).__name__
    where = (
        f" ({error.filename})" if error.filename and str(error.filename) != str(directory) else ""
    )
    _NOTICES.warning(
        "cannot use the cache directory %s: %s%s; going on without its caches for this run "
        "(they only save time)",
        directory,
        reason,
        where,
    )
    return True


class SentenceCache:
    """Sentence translations remembered per model; failures are warnings, never errors."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self._connection: sqlite3.Connection | None = None
        self._usable = True
        self._writable = True
        self._alternatives = False
        self._words = False
        self.warnings: list[str] = []
        """What went wrong with the cache in this run (also logged), oldest first."""

    def lookup(self, model: str, sources: Sequence[str]) -> dict[str, tuple[str, float]]:
        """Remembered ``source → (target, score)`` for ``model``; empty if the cache fails."""
        unique = list(dict.fromkeys(sources))
        try:
            return self._lookup(model, unique)
        except (sqlite3.Error, _Damaged) as error:
            if self._is_damaged(error):
                self._start_afresh(error)
            else:
                self._give_up(f"cannot read the sentence cache {self.path}: {error}")
            return {}

    def lookup_alternatives(self, model: str, sources: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Remembered ``source → alternatives`` for ``model`` (sentences decoded with
        alternatives asked for; an empty tuple when they were all near-duplicates)."""
        unique = list(dict.fromkeys(sources))
        try:
            return self._lookup_alternatives(model, unique)
        except (sqlite3.Error, ValueError, TypeError) as error:
            self._warn(f"cannot read the alternatives of the sentence cache {self.path}: {error}")
            return {}

    def lookup_word_alignments(
        self, model: str, sources: Sequence[str]
    ) -> dict[str, WordAlignment]:
        """Remembered ``source → WordAlignment`` for ``model`` (sentences decoded with
        attention asked for; a sentence cut into pieces has none)."""
        unique = list(dict.fromkeys(sources))
        found: dict[str, WordAlignment] = {}
        try:
            connection = self._connect()
            if connection is None or not self._words:
                return found
            for source, alignment in _rows(
                connection, "word_alignments", "alignment", model, unique
            ):
                found[source] = WordAlignment.from_json(alignment)
        except (sqlite3.Error, ValueError, TypeError, KeyError) as error:
            self._warn(
                f"cannot read the word alignments of the sentence cache {self.path}: {error}"
            )
            return {}
        return found

    def store(
        self,
        model: str,
        items: Iterable[tuple[str, str, float]],
        *,
        alternatives: Mapping[str, Sequence[str]] | None = None,
        word_alignments: Mapping[str, WordAlignment] | None = None,
    ) -> None:
        """Remember ``(source, target, score)`` triples for ``model``, and each source's
        ``alternatives`` and ``word_alignments`` when given, if the cache allows."""
        rows = [(model, source, target, score) for source, target, score in items]
        others = [
            (model, source, json.dumps(list(texts), ensure_ascii=False))
            for source, texts in (alternatives or {}).items()
        ]
        words = [
            (model, source, alignment.to_json())
            for source, alignment in (word_alignments or {}).items()
        ]
        for attempt in range(2):
            if not (self._usable and self._writable):
                return
            try:
                self._store(rows, others, words)
                return
            except (sqlite3.Error, _Damaged) as error:
                if attempt == 0 and self._is_damaged(error):
                    self._start_afresh(error)
                    continue
                self._writable = False
                self._warn(
                    f"cannot write the sentence cache {self.path}: {error}; "
                    "the sentences translated now will be translated again next time"
                )
                return

    def close(self) -> None:
        """Close the database connection."""
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):  # a broken one is dropped all the same
                self._connection.close()
            self._connection = None

    # -- internals -------------------------------------------------------------------------

    def _lookup(self, model: str, unique: list[str]) -> dict[str, tuple[str, float]]:
        found: dict[str, tuple[str, float]] = {}
        connection = self._connect()
        if connection is None:
            return found
        for source, target, score in _rows(connection, "sentences", "target, score", model, unique):
            found[source] = (target, score)
        return found

    def _lookup_alternatives(self, model: str, unique: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        connection = self._connect()
        if connection is None or not self._alternatives:
            return found
        for source, texts in _rows(connection, "alternatives", "texts", model, unique):
            found[source] = tuple(str(text) for text in json.loads(texts))
        return found

    def _store(
        self,
        rows: list[tuple[str, str, str, float]],
        others: list[tuple[str, str, str]],
        words: list[tuple[str, str, str]],
    ) -> None:
        connection = self._connect()
        if connection is None:
            return
        with connection:
            connection.executemany(
                "INSERT OR REPLACE INTO sentences (model, source, target, score)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )
            if others:
                if not self._alternatives:
                    connection.execute(_ALTERNATIVES_SCHEMA)
                    self._alternatives = True
                connection.executemany(
                    "INSERT OR REPLACE INTO alternatives (model, source, texts) VALUES (?, ?, ?)",
                    others,
                )
            if words:
                if not self._words:
                    connection.execute(_WORDS_SCHEMA)
                    self._words = True
                connection.executemany(
                    "INSERT OR REPLACE INTO word_alignments (model, source, alignment)"
                    " VALUES (?, ?, ?)",
                    words,
                )

    def _connect(self) -> sqlite3.Connection | None:
        """The open connection; opening it, or moving a damaged file aside, as needed."""
        if self._connection is not None or not self._usable:
            return self._connection
        try:
            self._connection = self._open()
        except (sqlite3.Error, _Damaged) as error:
            if not self._is_damaged(error):
                self._give_up(f"cannot open the sentence cache {self.path}: {error}")
                return None
            self._start_afresh(error)
        except PermissionError as error:  # the directory refuses access: said once for all
            self.close()
            self._usable = False
            if refused_cache_directory(self.path, error):
                self.warnings.append(f"cannot use the cache directory of {self.path}: {error}")
        except OSError as error:
            self._give_up(f"cannot open the sentence cache {self.path}: {error}")
        return self._connection

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise sqlite3.OperationalError("it is a directory")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            columns = [
                (name, kind)
                for _, name, kind, *_ in connection.execute("PRAGMA table_info(sentences)")
            ]
            if columns and columns != _COLUMNS:  # checked first: a foreign file stays unchanged
                raise _Damaged(f"unexpected table layout {columns}")
            connection.execute("PRAGMA journal_mode=WAL")
            if not columns:  # a read-only cache that has its table can still be read
                connection.execute(_SCHEMA)
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name IN ('alternatives', 'word_alignments')"
                )
            }
            self._alternatives = "alternatives" in tables
            self._words = "word_alignments" in tables
        except BaseException:
            connection.close()
            raise
        return connection

    def _start_afresh(self, error: BaseException) -> None:
        """Move the damaged file (and its journals) aside and open a new, empty cache."""
        self.close()
        aside = self.path.with_name(f"{self.path.name}.damaged")
        try:
            for suffix in ("", *_SIDE_FILES):
                damaged = self.path.with_name(self.path.name + suffix)
                if damaged.is_file():
                    damaged.replace(aside.with_name(aside.name + suffix))
            self._connection = self._open()
        except (OSError, sqlite3.Error, _Damaged) as again:
            self.close()
            self._give_up(
                f"the sentence cache {self.path} is damaged ({error}) and cannot be "
                f"replaced ({again})"
            )
            return
        self._warn(
            f"the sentence cache {self.path} was damaged ({error}); "
            f"moved it to {aside.name} and started a new one"
        )

    def _give_up(self, message: str) -> None:
        """Go on without the cache for the rest of this run."""
        self.close()
        self._usable = False
        self._warn(f"{message}; going on without it (translations are not remembered)")

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning("%s", message)

    @staticmethod
    def _is_damaged(error: BaseException) -> bool:
        if isinstance(error, _Damaged):
            return True
        return getattr(error, "sqlite_errorname", None) in _DAMAGED_CODES


def _rows(
    connection: sqlite3.Connection, table: str, columns: str, model: str, sources: list[str]
) -> Iterator[tuple[Any, ...]]:
    """``source, <columns>`` of ``table`` for ``model`` and ``sources``, 500 sources a query
    (SQLite's limit on bound parameters is 999 in older builds)."""
    for start in range(0, len(sources), 500):
        chunk = sources[start : start + 500]
        marks = ",".join("?" * len(chunk))
        yield from connection.execute(
            f"SELECT source, {columns} FROM {table} WHERE model = ? AND source IN ({marks})",
            [model, *chunk],
        )
