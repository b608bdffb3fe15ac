"""TMX 1.4b, the exchange format of translation memories: read and written.

Reading takes every ``<tu>`` with a variant in the source language and one in a
target language; a segment's text is all the character data of its ``<seg>``, inline
elements included (``<bpt>``, ``<ph>`` and the like hold the original markup). Each unit
remembers the line of its ``<tu>`` and its ``changeid`` or ``creationid`` (the reviewer).
Entity declarations are refused (no entity expansion, no external files), but HTML's
named entities (``&nbsp;``, ``&euro;``: other tools export them by mistake) are read as
their characters; a unit whose segment holds any other entity is refused and counted,
never imported with the reference silently dropped. An encoding Python knows but expat
does not (Shift_JIS, GB18030) is read through Python's codec; one nobody knows is named.

Writing gives one ``<tu>`` per unit and language: the header attributes TMX 1.4b
requires (``creationtool="translatio"``, by which ``written_by_translatio`` knows its
own files), properties ``x-origin`` (where the unit came from), ``x-written-by`` (a
person, approved machine output, imported) and ``x-earlier-version`` (from the history:
a paragraph since edited or removed), the source variant first, deterministic bytes,
given piece by piece so that an export never holds the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html.entities import html5
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from translatio import __version__
from translatio.errors import CatalogError, ConfigError
from translatio.languages import Language, parse_language
from translatio.tm.units import MemoryUnit

__all__ = [
    "TmxContent",
    "TmxUnit",
    "matches",
    "read_tmx",
    "tmx_chunks",
    "tmx_language",
    "writable",
    "written_by_translatio",
]

_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"
_INVALID_XML = {*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF}
_SIGNATURE = b'creationtool="translatio"'
"""In the header of every TMX file translatio writes (``written_by_translatio``)."""
_DECLARED_ENCODING = re.compile(rb"""\A<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_EXPAT_ENCODINGS = {"UTF-8", "UTF-16", "ISO-8859-1", "US-ASCII"}
"""What expat reads itself; for anything else Python's codec decodes the file first."""
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


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


@dataclass(frozen=True, slots=True)
class TmxContent:
    """What a TMX file offers: its units, and those it holds but cannot be read."""

    units: list[TmxUnit]
    """The readable units, in file order."""
    unreadable: int = 0
    """Units refused: a segment of theirs holds an entity neither XML nor HTML defines."""
    first_unreadable: int = 0
    """Line of the first unit refused (0: none)."""
    languages: tuple[tuple[str, str], ...] = ()
    """Every ``xml:lang`` of the file's segments as written, in order of first use, with
    what became of it: ``source``, the project's target code it was taken as, or ``""``
    (left out: not a configured language, or not the one asked for)."""


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
) -> TmxContent:
    """The units of a TMX file for ``source`` → each of ``targets``, in file order."""
    data, encoding = _readable_encoding(data, path)
    reader = _Reader(source, tuple(targets))
    parser = expat.ParserCreate(encoding, namespace_separator=" ")
    # HTML's named entities come from a DTD of translatio's own, whatever the document
    # names as its DTD (never read); any other entity is skipped, and its unit refused
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_ALWAYS)
    parser.UseForeignDTD(True)
    parser.ExternalEntityRefHandler = reader.external
    parser.SkippedEntityHandler = reader.skipped
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
    languages = tuple((tag, _taken_as(tag, source, reader.targets)) for tag in reader.seen)
    return TmxContent(reader.units, reader.unreadable, reader.first_unreadable, languages)


def _taken_as(tag: str, source: Language, targets: tuple[Language, ...]) -> str:
    """``source``, the target code ``tag`` is read as, or ``""`` when it is left out."""
    if matches(tag, source):
        return "source"
    return next((target.code for target in targets if matches(tag, target)), "")


def tmx_chunks(
    units: Iterable[tuple[Language, MemoryUnit]], *, source: Language
) -> Iterator[bytes]:
    """A TMX 1.4b document of ``(language, unit)`` pairs, in the order given, piece by piece."""
    yield "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<tmx version="1.4">',
            f'  <header creationtool="translatio" creationtoolversion={quoteattr(__version__)} '
            'datatype="plaintext" segtype="paragraph" adminlang="en" '
            f'srclang={quoteattr(tmx_language(source))} o-tmf="translatio"/>',
            "  <body>",
            "",
        ]
    ).encode("utf-8")
    for language, unit in units:
        reviewer = f" changeid={quoteattr(_clean(unit.reviewer))}" if unit.reviewer else ""
        lines = [
            f"    <tu{reviewer}>",
            f'      <prop type="x-origin">{escape(_clean(unit.origin))}</prop>',
            f'      <prop type="x-written-by">{escape(unit.kind.value)}</prop>',
            *(['      <prop type="x-earlier-version">yes</prop>'] if unit.earlier else []),
            f"      <tuv xml:lang={quoteattr(tmx_language(source))}>"
            f"<seg>{escape(_clean(unit.source))}</seg></tuv>",
            f"      <tuv xml:lang={quoteattr(tmx_language(language))}>"
            f"<seg>{escape(_clean(unit.target))}</seg></tuv>",
            "    </tu>",
            "",
        ]
        yield "\n".join(lines).encode("utf-8")
    yield b"  </body>\n</tmx>\n"


def written_by_translatio(head: bytes) -> bool:
    """Whether a file starting with ``head`` (its first KiB or more) is a TMX export of ours."""
    return head.lstrip().startswith(b"<?xml") and b"<tmx" in head and _SIGNATURE in head


def writable(unit: MemoryUnit) -> bool:
    """Whether XML 1.0 can hold the unit's texts (no control characters but tab and newlines)."""
    return not any(ord(char) in _INVALID_XML for char in unit.source + unit.target)


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (for attributes and properties)."""
    return "".join(char for char in text if ord(char) not in _INVALID_XML)


def _readable_encoding(data: bytes, path: str) -> tuple[bytes, str | None]:
    """``data`` in an encoding expat reads, and the name to tell it (``None``: as declared).

    An encoding expat lacks but Python knows is decoded by Python and handed on as UTF-8
    (line numbers stay the same); one Python does not know either stops with its name.
    """
    found = _DECLARED_ENCODING.match(data)
    if found is None:
        return data, None
    declared = found.group(1).decode("ascii", "replace")
    if declared.upper() in _EXPAT_ENCODINGS:
        return data, None
    try:
        text = data.decode(declared)
    except LookupError:
        raise CatalogError(
            f"the TMX file declares the encoding {declared!r}, which translatio cannot read",
            path=path,
            line=1,
            hint="convert the file to UTF-8 (iconv -f ENCODING -t UTF-8) and change "
            'its declaration to encoding="UTF-8"',
        ) from None
    except UnicodeDecodeError as error:
        raise CatalogError(
            f"the TMX file is not valid {declared} (byte offset {error.start})",
            path=path,
            hint="check the encoding its XML declaration names, or convert the file to UTF-8",
        ) from None
    return text.encode("utf-8"), "UTF-8"


@cache
def _html_entities() -> bytes:
    """A DTD declaring HTML's named entities, each as character references."""
    declarations = [
        f'<!ENTITY {name[:-1]} "{"".join(f"&#38;#{ord(char)};" for char in text)}">'
        for name, text in html5.items()
        if name.endswith(";") and name[:-1] not in _XML_ENTITIES
    ]
    return "\n".join(declarations).encode("ascii")


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
    unreadable: int = 0
    first_unreadable: int = 0
    _dtd_given: bool = False
    _variants: list[tuple[str, str, bool]] = field(default_factory=list)
    _lang: str = ""
    seen: dict[str, None] = field(default_factory=dict)
    _seg: list[str] | None = None
    _seg_unreadable: bool = False
    _depth_in_seg: int = 0

    def external(self, context: str | None, *_: Any) -> int:
        """The document's DTD, whatever it names: HTML's entities; nothing else is read."""
        if context is not None or self._dtd_given:
            raise _EntityRefused
        self._dtd_given = True
        dtd = self.parser.ExternalEntityParserCreate(None)
        dtd.EntityDeclHandler = None
        dtd.Parse(_html_entities(), True)
        return 1

    def skipped(self, _name: str, _parameter: bool) -> None:
        """An entity no DTD declares: the segment it is in cannot be read as written."""
        if self._seg is not None:
            self._seg_unreadable = True

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
            self._seg_unreadable = False

    def end(self, name: str) -> None:
        local = name.rsplit(" ", 1)[-1]
        if self._seg is not None and self._depth_in_seg:
            self._depth_in_seg -= 1
        elif local == "seg" and self._seg is not None:
            self._variants.append((self._lang, "".join(self._seg), self._seg_unreadable))
            self.seen.setdefault(self._lang)
            self._seg = None
        elif local == "tu":
            self._finish_unit()

    def text(self, data: str) -> None:
        if self._seg is not None:
            self._seg.append(data)

    def _finish_unit(self) -> None:
        """The unit's pairs; one with a segment that cannot be read as written is refused."""
        sources = [(text, bad) for lang, text, bad in self._variants if matches(lang, self.source)]
        if not sources or not (sources[0][0].strip() or sources[0][1]):
            return
        source, source_unreadable = sources[0]
        refused = False
        for target in self.targets:
            translations = [
                (text, bad) for lang, text, bad in self._variants if matches(lang, target)
            ]
            if not translations or not (translations[0][0].strip() or translations[0][1]):
                continue
            translation, unreadable = translations[0]
            if source_unreadable or unreadable:
                refused = True
                continue
            self.units.append(
                TmxUnit(source, translation, target, self._tu_line, self._tu_reviewer)
            )
        if refused:
            self.unreadable += 1
            self.first_unreadable = self.first_unreadable or self._tu_line
