"""Imported memories: a compendium PO or a TMX file, kept in the project as memory files.

An import is read once and stored as one PO file per language under
``locales/memory/<lang>/<file name>-<hash>.po``, the hash that of the file's path
(relative to the project, absolute outside it; a pipe's content), which the header
names in full (``X-Translatio-Imported-From``): two files of one name never share a
memory file, and importing the same file again replaces what it brought before. Files
named before the hash (``<file name>.po``) are read all the same. Entries are reviewed
ones only, each with a translator comment naming its origin (``origin:
old-site.tmx:120``) and reviewer, made one line whatever the source held. Those files
are what the index is built from, so an imported memory survives a lost or damaged
index, travels with the project under version control, and can be read or trimmed in
any PO editor. A unit whose target carries the preview mark (``⟦…⟧``: the pseudo
engine's layout preview, whatever tool exported it) is refused and counted, never stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import polib

from translatio.catalog.po.read import parse_po_leaving_broken_plurals
from translatio.catalog.provenance import logical_lines
from translatio.catalog.values import GENERATOR
from translatio.errors import CatalogError, ConfigError
from translatio.languages import Language, parse_language
from translatio.tm.history import one_line
from translatio.tm.tmx import read_tmx
from translatio.tm.units import MemoryUnit, Origin, preview_unit, reviewed, reviewer_of

__all__ = [
    "MEMORY_FOLDER",
    "Import",
    "imported_units",
    "memory_catalog",
    "memory_file_name",
    "read_import",
    "sniffed_format",
]

MEMORY_FOLDER = "memory"
"""Below the locales folder: ``locales/memory/<lang>/<file>.po`` hold imported memories."""
_ORIGIN = "origin:"
_REVIEWER = "reviewer:"
_IMPORTED_FROM = "X-Translatio-Imported-From"
"""The header naming the file an import came from, in full."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def memory_file_name(name: str, identity: str) -> str:
    """The memory file an import is kept in: its name made safe, a hash of ``identity``.

    ``identity`` is what tells two imports apart: the file's path (relative to the
    project, or absolute), or a pipe's content.

    >>> memory_file_name("old site.tmx", "old site.tmx")
    'old_site.tmx-64be1151.po'
    """
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{_UNSAFE.sub('_', name).strip('._') or 'memory'}-{digest}.po"


def sniffed_format(data: bytes) -> str:
    """``.tmx`` or ``.po``, from the first bytes: for a pipe, whose name says nothing."""
    start = data[:4096]
    for mark in _BYTE_ORDER_MARKS:
        start = start.removeprefix(mark)
    if data[:2] in _BYTE_ORDER_MARKS[1:]:
        return ".tmx"  # UTF-16: XML, never a PO file
    return ".tmx" if start.lstrip().startswith(b"<") else ".po"


@dataclass(frozen=True, slots=True)
class Import:
    """What a PO or TMX file offers the memory."""

    units: dict[Language, list[MemoryUnit]]
    """The reviewed units per target language (languages without any are absent)."""
    skipped: int
    """PO entries left out: fuzzy, untranslated, plural or a conflict block."""
    previews: int
    """Units (TMX) or entries (PO) refused because their target carries the preview mark."""
    unreadable: int = 0
    """TMX units refused: a segment holds an entity neither XML nor HTML defines."""
    first_unreadable: int = 0
    """Line of the first unit refused as unreadable (0: none)."""
    broken_plurals: int = 0
    """PO entries left out: more plural forms than the header's Plural-Forms allows."""
    first_broken_plural: int = 0
    """Line of the first of those (0: none)."""
    languages: tuple[tuple[str, str], ...] = ()
    """A TMX file's languages as written, each with what became of it (``TmxContent``)."""


def read_import(
    data: bytes,
    *,
    name: str,
    path: str,
    source: Language,
    languages: Sequence[Language],
    requested: Language | None,
) -> Import:
    """The units a PO or TMX file offers per target language, and what was left out.

    A PO file holds one language: ``requested`` or its ``Language`` header. A TMX file
    gives every configured language it has, or just ``requested``.
    """
    if name.lower().endswith(".tmx"):
        targets = [requested] if requested else list(languages)
        found: dict[Language, list[MemoryUnit]] = {}
        previews = 0
        content = read_tmx(data, path=path, source=source, targets=targets)
        for unit in content.units:
            if preview_unit(unit.source, unit.target):
                previews += 1
                continue
            found.setdefault(unit.language, []).append(
                MemoryUnit(
                    unit.source,
                    unit.target,
                    f"{name}:{unit.line}",
                    "",
                    unit.reviewer,
                    Origin.IMPORTED,
                )
            )
        return Import(
            found,
            0,
            previews,
            content.unreadable,
            content.first_unreadable,
            languages=content.languages,
        )
    if not name.lower().endswith((".po", ".pot")):
        raise CatalogError(
            "cannot tell the format of this file",
            path=path,
            hint="give a compendium .po file or a .tmx file",
        )
    catalog, broken = parse_po_leaving_broken_plurals(data, path=path)
    language = requested or _header_language(catalog, path)
    if language not in languages:
        raise ConfigError(
            f"{language.code} is not a configured target language",
            path=path,
            hint="import it with -l LANG naming a configured language, or add it to languages",
        )
    units = [
        MemoryUnit(
            entry.msgid,
            entry.msgstr,
            f"{name}:{entry.linenum or 0}",
            "",
            reviewer_of(entry, catalog),
            Origin.IMPORTED,
        )
        for entry in catalog
        if reviewed(entry) and not entry.obsolete
    ]
    offered = [entry for entry in catalog if entry.msgid and not entry.obsolete]
    previews = sum(1 for entry in offered if preview_unit(entry.msgid, entry.msgstr))
    return Import(
        {language: units} if units else {},
        len(offered) - len(units) - previews,
        previews,
        broken_plurals=len(broken),
        first_broken_plural=min(broken, default=0),
    )


def _header_language(catalog: polib.POFile, path: str) -> Language:
    header = catalog.metadata.get("Language", "").strip()
    if not header:
        raise CatalogError(
            "the PO file has no Language header",
            path=path,
            hint="say which language it holds: translatio tm import FILE.po -l LANG",
        )
    try:
        return parse_language(header)
    except ConfigError:
        raise CatalogError(
            f"the PO file's Language header {header!r} is not a language code",
            path=path,
            hint="say which language it holds: translatio tm import FILE.po -l LANG",
        ) from None


def memory_catalog(
    units: Sequence[MemoryUnit], language: Language, *, name: str, imported_from: str = ""
) -> polib.POFile:
    """The memory file of one import and language: one entry per distinct pair, in order.

    Two translations of one source both stay (the second gets its origin as context,
    since a PO file holds each source once per context). ``imported_from`` is the path
    the header names. Names, origins and reviewers are written on one line, their
    control characters escaped (``tm.history.one_line``), so the file always reads back.
    """
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": f"translation memory imported from {one_line(name)}",
        **({_IMPORTED_FROM: one_line(imported_from, spaces=False)} if imported_from else {}),
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    seen_pairs: set[tuple[str, str]] = set()
    seen_sources: set[str] = set()
    for unit in units:
        if (unit.source, unit.target) in seen_pairs or "\x00" in unit.source + unit.target:
            continue
        seen_pairs.add((unit.source, unit.target))
        origin = one_line(unit.origin, spaces=False)
        comment = [f"{_ORIGIN} {origin}"]
        if unit.reviewer:
            comment.append(f"{_REVIEWER} {one_line(unit.reviewer)}")
        catalog.append(
            polib.POEntry(
                msgctxt=origin if unit.source in seen_sources else None,
                msgid=unit.source,
                msgstr=unit.target,
                tcomment="\n".join(comment),
            )
        )
        seen_sources.add(unit.source)
    return catalog


def imported_units(catalog: polib.POFile, *, path: str) -> Iterator[MemoryUnit]:
    """The units a memory file holds (reviewed entries; a fuzzy one was set aside by a person)."""
    for entry in catalog:
        if not reviewed(entry) or entry.obsolete:
            continue
        origin, reviewer = f"{path}:{entry.linenum or 0}", ""
        for line in logical_lines(entry.tcomment or ""):
            stripped = line.strip()
            if stripped.startswith(_ORIGIN):
                origin = stripped[len(_ORIGIN) :].strip() or origin
            elif stripped.startswith(_REVIEWER):
                reviewer = stripped[len(_REVIEWER) :].strip()
        yield MemoryUnit(entry.msgid, entry.msgstr, origin, "", reviewer, Origin.IMPORTED)
