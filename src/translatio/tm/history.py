"""The memory's history: every reviewed translation translatio has seen, kept in the project.

A reviewed translation leaves its catalog when its paragraph is edited (the merge makes
it fuzzy, with the old source as ``#|``; a translator may then rewrite it) or removed
(obsolete, and one day purged). The history keeps it as it was reviewed:
``locales/<lang>/history.po``, one PO compendium per language, one entry per pair of
source and reviewed text, with translator comments::

    # from: article:12
    # origin: person
    # reviewer: Ada Lovelace
    # first seen: 2026-12-05 18:40+0000

``origin`` is who wrote the text (``units.Origin``): a person (typed or rewritten in any editor,
so its text no longer matches the engine's hash), or machine output a reviewer approved
unchanged. ``reviewer`` is the one the catalog names (``approve``'s, else its
Last-Translator), ``first seen`` when translatio first found the pair reviewed.

Pairs are only ever added, by the steps that read catalogs under the project lock
before they change them: ``extract`` before it merges, ``approve`` after, and every step
that brings the memory's index up to date (``translate``, ``recall``, the ``tm``
commands). Nothing in it is rewritten but the one context-less entry of a source, which
is its best-ranked translation (``msgmerge --compendium locales/fr/history.po`` uses
that one; the others carry their ``from`` and date as ``msgctxt``). The memory indexes
it as its own file: its units count as from an earlier version of their document.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import polib

from translatio.catalog.provenance import logical_lines
from translatio.catalog.values import GENERATOR, now_stamp, serialize
from translatio.languages import Language
from translatio.tm.units import MemoryUnit, Origin, catalog_units
from translatio.workspace.workspace import Workspace

__all__ = [
    "HISTORY_FILE",
    "earlier_translations",
    "history_path",
    "history_units",
    "one_line",
    "record_history",
]

HISTORY_FILE = "history.po"
"""Its name in each language's folder under the catalog folder."""
_FROM, _ORIGIN, _REVIEWER, _SEEN = "from:", "origin:", "reviewer:", "first seen:"
_BREAKING = {"Cc", "Zl", "Zp"}
"""Control characters and Unicode line and paragraph separators: never raw in a comment."""


@dataclass(frozen=True, slots=True)
class _Record:
    """One pair of the history, as written."""

    unit: MemoryUnit
    seen: str


def history_path(workspace: Workspace, language: Language) -> Path:
    """``locales/<lang>/history.po``."""
    return workspace.root / workspace.settings.locales_dir / language.code / HISTORY_FILE


def record_history(
    workspace: Workspace,
    language: Language,
    catalogs: Iterable[tuple[str, polib.POFile | None]],
) -> int:
    """Add the reviewed pairs of ``catalogs`` (``(document, catalog)``) the history lacks.

    Returns how many were added; the file is written only then. The caller holds the
    project lock.
    """
    path = history_path(workspace, language)
    records = _read(workspace, path)
    known = {(record.unit.source, record.unit.target) for record in records}
    seen = now_stamp()
    added = 0
    for document, catalog in catalogs:
        if catalog is None:
            continue
        for unit in catalog_units(catalog, document):
            if (unit.source, unit.target) in known or _unwritable(unit):
                continue
            known.add((unit.source, unit.target))
            records.append(_Record(unit, seen))
            added += 1
    if added:
        data = serialize(_catalog(records, language), wrap=workspace.settings.wrap)
        workspace.write(path, data)
    return added


def history_units(catalog: polib.POFile, *, path: str) -> Iterator[MemoryUnit]:
    """The units a history file holds, each marked as from an earlier version."""
    for entry in catalog:
        if entry.msgid and entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
            yield _unit(entry, path)


def earlier_translations(
    workspace: Workspace, language: Language, document: str
) -> dict[str, tuple[str, str]]:
    """source → (reviewed translation, first seen) as the history kept them for ``document``.

    Where a source was reviewed more than once, the latest review wins: it is the one an
    edition showed last. Pairs of other documents fill in sources this one never had.
    """
    found: dict[str, tuple[str, str]] = {}
    others: dict[str, tuple[str, str]] = {}
    for record in _read(workspace, history_path(workspace, language)):
        unit = record.unit
        (found if unit.document == document else others)[unit.source] = (unit.target, record.seen)
    return others | found


def _unit(entry: polib.POEntry, path: str) -> MemoryUnit:
    fields = {_FROM: "", _ORIGIN: "", _REVIEWER: ""}
    for line in logical_lines(entry.tcomment or ""):
        stripped = line.strip()
        for name in fields:
            if stripped.startswith(name):
                fields[name] = stripped[len(name) :].strip()
    where = fields[_FROM] or f"{path}:{entry.linenum or 0}"
    try:
        kind = Origin(fields[_ORIGIN])
    except ValueError:
        kind = Origin.PERSON  # a line a person changed: their text, not an engine's
    document = where.rsplit(":", 1)[0] if ":" in where else where
    return MemoryUnit(
        entry.msgid, entry.msgstr, where, document, fields[_REVIEWER], kind, earlier=True
    )


def _read(workspace: Workspace, path: Path) -> list[_Record]:
    """The history's records in file order; a damaged file stops the step with its name."""
    catalog, _ = workspace.read_snapshot(path)
    if catalog is None:
        return []
    records = []
    for entry in catalog:
        if entry.msgid and entry.msgstr and not entry.obsolete:
            seen = ""
            for line in logical_lines(entry.tcomment or ""):
                if line.strip().startswith(_SEEN):
                    seen = line.strip()[len(_SEEN) :].strip()
            unit = _unit(entry, workspace.relative(path))
            records.append(_Record(replace(unit, earlier=False), seen))
    return records


def _unwritable(unit: MemoryUnit) -> bool:
    """A pair a PO file cannot hold as it is (a NUL; names and origins are made one line)."""
    return "\x00" in unit.source + unit.target


def _catalog(records: list[_Record], language: Language) -> polib.POFile:
    """The history file: records in the order first seen, one context-less per source."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": "translation history: every reviewed translation seen",
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    best: dict[str, _Record] = {}
    for record in records:
        current = best.get(record.unit.source)
        if current is None or record.unit.kind.rank < current.unit.kind.rank:
            best[record.unit.source] = record
    contexts: set[tuple[str, str]] = set()
    for record in records:
        unit = record.unit
        where = one_line(unit.origin, spaces=False)
        context = None
        if best[unit.source] is not record:
            context = f"{where} {record.seen}".strip()
            number = 2
            while (context, unit.source) in contexts:
                context = f"{where} {record.seen} #{number}".strip()
                number += 1
            contexts.add((context, unit.source))
        comment = [f"{_FROM} {where}", f"{_ORIGIN} {unit.kind.value}"]
        if unit.reviewer:
            comment.append(f"{_REVIEWER} {one_line(unit.reviewer)}")
        if record.seen:
            comment.append(f"{_SEEN} {record.seen}")
        catalog.append(
            polib.POEntry(
                msgctxt=context, msgid=unit.source, msgstr=unit.target, tcomment="\n".join(comment)
            )
        )
    return catalog


def one_line(text: str, *, spaces: bool = True) -> str:
    """``text`` as one line any PO reader reads back as written: for names, origins, headers.

    With ``spaces`` runs of whitespace (line breaks included) become one space; every
    control character left, and every Unicode line or paragraph separator, is escaped
    as Python writes it (``\\r``, ``\\x07``, ``\\u2028``).

    >>> one_line("Ada\\r\\nLovelace\\x07")
    'Ada Lovelace\\\\x07'
    >>> one_line("old\\rsite.tmx", spaces=False)
    'old\\\\rsite.tmx'
    """
    if spaces:
        text = " ".join(text.split())
    return "".join(
        repr(char)[1:-1] if unicodedata.category(char) in _BREAKING else char for char in text
    )
