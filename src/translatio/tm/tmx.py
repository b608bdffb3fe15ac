"""TMX 1.4b, the exchange format of translation memories: read and written.

Reading takes every ``<tu>`` with a variant in the source language and one in a
target language; a segment's text is all the character data of its ``<seg>``, inline
elements included (``<bpt>``, ``<ph>`` and the like hold the original markup). Each unit
remembers the line of its ``<tu>`` and its ``changeid`` or ``creationid`` (the reviewer).
Entity declarations are refused (no entity expansion, no external files).

Writing gives one ``<tu>`` per unit and language: the header attributes TMX 1.4b
requires, properties ``x-origin`` (where the unit came from), ``x-written-by`` (a
person, approved machine output, imported) and ``x-earlier-version`` (from the history:
a paragraph since edited or removed), the source variant first, deterministic bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from translatio import __version__
from translatio.errors import CatalogError, ConfigError
from translatio.languages import Language, parse_language
from translatio.tm.units import MemoryUnit

__all__ = ["TmxUnit", "matches", "read_tmx", "tmx_language", "writable", "write_tmx"]

_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"
_INVALID_XML = {*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF}


@dataclass(frozen=True, slots=True)
class TmxUnit:
    """One translation unit of a TMX file, reduced to one language pair."""

    source: str
    """The source segment."""
    target: str
    """The target segment."""
    language: Language
    """The target language, as the project names it."""
    line: int
    """Line of the ``<tu>`` in the file."""
    reviewer: str = ""
    """``changeid`` or ``creationid`` of the unit."""


def tmx_language(language: Language) -> str:
    """A language as TMX files name it (RFC 3066: ``zh-CN``, ``pt-BR``, ``fr``)."""
    return language.code.replace("_", "-")


def matches(tag: str, language: Language) -> bool:
    """Whether a TMX ``xml:lang`` names ``language`` (``fr-FR`` is ``fr``; ``zh`` is no variant)."""
    try:
        found = parse_language(tag)
    except ConfigError:
        return False
    if found == language:
        return True
    if found.primary != language.primary or language.is_chinese:
        return False
    return found.code == found.primary or language.code == language.primary


def read_tmx(
    data: bytes, *, path: str, source: Language, targets: Iterable[Language]
) -> list[TmxUnit]:
    """The units of a TMX file for ``source`` → each of ``targets``, in file order."""
    reader = _Reader(source, tuple(targets))
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.EntityDeclHandler = _refuse_entities
    reader.parser = parser
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise CatalogError(
            f"not a readable TMX file: {expat.ErrorString(error.code)}",
            path=path,
            line=error.lineno,
            hint="check that the file is complete TMX (XML) as exported by a CAT tool",
        ) from None
    except _EntityRefused:
        raise CatalogError(
            "the TMX file declares XML entities, which translatio does not expand",
            path=path,
            line=parser.CurrentLineNumber,
            hint="export the memory again without a DOCTYPE internal subset",
        ) from None
    if not reader.seen_tmx:
        raise CatalogError(
            "not a TMX file (no <tmx> element)",
            path=path,
            hint="give a .tmx file or a compendium .po file",
        )
    return reader.units


def write_tmx(units: Iterable[tuple[Language, MemoryUnit]], *, source: Language) -> bytes:
    """A TMX 1.4b document of ``(language, unit)`` pairs, in the order given."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tmx version="1.4">',
        f'  <header creationtool="translatio" creationtoolversion={quoteattr(__version__)} '
        'datatype="plaintext" segtype="paragraph" adminlang="en" '
        f'srclang={quoteattr(tmx_language(source))} o-tmf="translatio"/>',
        "  <body>",
    ]
    for language, unit in units:
        reviewer = f" changeid={quoteattr(_clean(unit.reviewer))}" if unit.reviewer else ""
        lines += [
            f"    <tu{reviewer}>",
            f'      <prop type="x-origin">{escape(_clean(unit.origin))}</prop>',
            f'      <prop type="x-written-by">{escape(unit.kind.value)}</prop>',
            *(['      <prop type="x-earlier-version">yes</prop>'] if unit.earlier else []),
            f"      <tuv xml:lang={quoteattr(tmx_language(source))}>"
            f"<seg>{escape(_clean(unit.source))}</seg></tuv>",
            f"      <tuv xml:lang={quoteattr(tmx_language(language))}>"
            f"<seg>{escape(_clean(unit.target))}</seg></tuv>",
            "    </tu>",
        ]
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")


def writable(unit: MemoryUnit) -> bool:
    """Whether XML 1.0 can hold the unit's texts (no control characters but tab and newlines)."""
    return not any(ord(char) in _INVALID_XML for char in unit.source + unit.target)


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (for attributes and properties)."""
    return "".join(char for char in text if ord(char) not in _INVALID_XML)


def _refuse_entities(*_: Any) -> None:
    raise _EntityRefused


class _EntityRefused(Exception):
    """A TMX file declared an entity."""


@dataclass(slots=True)
class _Reader:
    """The expat handlers' state while a TMX file is read."""

    source: Language
    targets: tuple[Language, ...]
    parser: Any = None
    units: list[TmxUnit] = field(default_factory=list)
    seen_tmx: bool = False
    _tu_line: int = 0
    _tu_reviewer: str = ""
    _variants: list[tuple[str, str]] = field(default_factory=list)
    _lang: str = ""
    _seg: list[str] | None = None
    _depth_in_seg: int = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if self._seg is not None:
            self._depth_in_seg += 1
        elif local == "tmx":
            self.seen_tmx = True
        elif local == "tu":
            self._tu_line = self.parser.CurrentLineNumber
            self._tu_reviewer = attributes.get("changeid") or attributes.get("creationid", "")
            self._variants = []
        elif local == "tuv":
            self._lang = attributes.get(_XML_LANG) or attributes.get("lang", "")
        elif local == "seg":
            self._seg = []

    def end(self, name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if self._seg is not None and self._depth_in_seg:
            self._depth_in_seg -= 1
        elif local == "seg" and self._seg is not None:
            self._variants.append((self._lang, "".join(self._seg)))
            self._seg = None
        elif local == "tu":
            self._finish_unit()

    def text(self, data: str) -> None:
        if self._seg is not None:
            self._seg.append(data)

    def _finish_unit(self) -> None:
        sources = [text for lang, text in self._variants if matches(lang, self.source)]
        if not sources or not sources[0].strip():
            return
        for target in self.targets:
            translations = [text for lang, text in self._variants if matches(lang, target)]
            if translations and translations[0].strip():
                self.units.append(
                    TmxUnit(sources[0], translations[0], target, self._tu_line, self._tu_reviewer)
                )
