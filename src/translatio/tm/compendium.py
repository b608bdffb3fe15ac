"""Imported memories: a compendium PO or a TMX file, kept in the project as memory files.

An import is read once and stored as one PO file per language under
``locales/memory/<lang>/<file name>.po``: reviewed entries only, each with a translator
comment naming its origin (``origin: old-site.tmx:120``) and reviewer. Those files are
what the index is built from, so an imported memory survives a lost or damaged index,
travels with the project under version control, and can be read or trimmed in any PO
editor. Importing the same file again replaces what it brought before. A unit whose
target carries the preview mark (``⟦…⟧``: the pseudo engine's layout preview, whatever
tool exported it) is refused and counted, never stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import polib

from translatio.catalog.po import parse_po
from translatio.catalog.provenance import logical_lines
from translatio.catalog.values import GENERATOR
from translatio.errors import CatalogError, ConfigError
from translatio.languages import Language, parse_language
from translatio.tm.tmx import read_tmx
from translatio.tm.units import MemoryUnit, Origin, preview_unit, reviewed, reviewer_of

__all__ = [
    "MEMORY_FOLDER",
    "Import",
    "imported_units",
    "memory_catalog",
    "memory_file_name",
    "read_import",
]

MEMORY_FOLDER = "memory"
"""Below the locales folder: ``locales/memory/<lang>/<file>.po`` hold imported memories."""
_ORIGIN = "origin:"
_REVIEWER = "reviewer:"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def memory_file_name(name: str) -> str:
    """The memory file an import is kept in: its own name, made safe, plus ``.po``."""
    return (_UNSAFE.sub("_", name).strip("._") or "memory") + ".po"


@dataclass(frozen=True, slots=True)
class Import:
    """What a PO or TMX file offers the memory."""

    units: dict[Language, list[MemoryUnit]]
    """The reviewed units per target language (languages without any are absent)."""
    skipped: int
    """PO entries left out: fuzzy, untranslated, plural or a conflict block."""
    previews: int
    """Units (TMX) or entries (PO) refused because their target carries the preview mark."""


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
        for unit in read_tmx(data, path=path, source=source, targets=targets):
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
        return Import(found, 0, previews)
    if not name.lower().endswith((".po", ".pot")):
        raise CatalogError(
            "cannot tell the format of this file",
            path=path,
            hint="give a compendium .po file or a .tmx file",
        )
    catalog = parse_po(data, path=path)
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
        {language: units} if units else {}, len(offered) - len(units) - previews, previews
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


def memory_catalog(units: Sequence[MemoryUnit], language: Language, *, name: str) -> polib.POFile:
    """The memory file of one import and language: one entry per distinct pair, in order.

    Two translations of one source both stay (the second gets its origin as context,
    since a PO file holds each source once per context).
    """
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": f"translation memory imported from {name}",
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
        comment = [f"{_ORIGIN} {unit.origin}"]
        if unit.reviewer:
            comment.append(f"{_REVIEWER} {unit.reviewer}")
        catalog.append(
            polib.POEntry(
                msgctxt=unit.origin if unit.source in seen_sources else None,
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
