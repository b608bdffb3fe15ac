"""A strict reader for PO files: what gettext accepts and people produce, nothing damaged.

polib accepts damaged files silently (an unclosed string loses its last character, most
truncated files parse), so translatio reads PO files itself and builds the
``polib.POFile``. Rejected, with the file and line(s): unclosed strings, text after a
string, bad escapes, a string with no keyword, a msgid without msgstr, ``msgid_plural``
with a plain msgstr (or the reverse), plural indexes out of range, duplicate entries
(active twice, or active and obsolete), git conflict markers, invalid UTF-8, NUL bytes,
and charsets that cannot be transcoded safely. Accepted: a BOM, CRLF line ends,
``#,fuzzy`` without a space, and msgcat's ``#-#-#-#-#`` conflict blocks (left fuzzy).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from translatio.catalog.po.escapes import EscapeError, unescape
from translatio.catalog.po.references import parse_references
from translatio.errors import CatalogError

__all__ = ["parse_po", "parse_po_leaving_broken_plurals"]

_SAFE_CHARSETS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8",
        "ascii",
        "iso-8859-1",
        "iso-8859-2",
        "iso-8859-5",
        "iso-8859-7",
        "iso-8859-9",
        "iso-8859-15",
        "cp1250",
        "cp1251",
        "cp1252",
        "cp1253",
        "cp1254",
        "koi8-r",
        "koi8-u",
        "gb2312",
        "gbk",
        "gb18030",
        "big5",
        "euc-jp",
        "shift_jis",
        "euc-kr",
    )
)
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*(.*)$")
# A quoted string up to its first unescaped quote, in one pass (possessive: no backtracking).
_STRING = re.compile(r'"((?:[^"\\]++|\\.)*+)"', re.DOTALL)
_CONFLICT = re.compile(r"^(<<<<<<<|=======|>>>>>>>)(\s|$)")
_CONFLICT_STARTS = frozenset("<=>")


@dataclass
class _Entry:
    line: int
    obsolete: bool = False
    fields: dict[str, list[str]] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    plurals: dict[int, list[str]] = field(default_factory=dict)
    previous: dict[str, list[str]] = field(default_factory=dict)
    tcomment: list[str] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    """The text of its ``#:`` lines (``references.parse_references`` reads them)."""
    flags: list[str] = field(default_factory=list)
    last: tuple[str, int | None] | None = None
    last_previous: str | None = None

    @property
    def started(self) -> bool:
        return bool(self.fields or self.plurals)


def parse_po(data: bytes, *, path: str) -> polib.POFile:
    """Parse PO ``data`` strictly into a ``polib.POFile``; ``CatalogError`` names the line."""
    text, charset = _decode(data, path)
    return _Parser(text, path, charset).parse()


def parse_po_leaving_broken_plurals(data: bytes, *, path: str) -> tuple[polib.POFile, list[int]]:
    """``parse_po``, but an entry with more ``msgstr[N]`` than Plural-Forms allows is left
    out (with its line in the list) instead of refusing the file: for a memory import."""
    text, charset = _decode(data, path)
    parser = _Parser(text, path, charset)
    parser.broken_plurals = []
    return parser.parse(), parser.broken_plurals


def _decode(data: bytes, path: str) -> tuple[str, str]:
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise CatalogError(
            "NUL byte in the file (binary data?)",
            path=path,
            line=data.count(b"\n", 0, offset) + 1,
            hint="restore the file from version control",
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        raise CatalogError(
            "the catalog is empty",
            path=path,
            hint="if an editor was saving it, run the command again once it is saved; "
            "otherwise restore it from version control",
        )
    if not data.endswith(b"\n"):
        raise CatalogError(
            "the file does not end with a line break (cut short?)",
            path=path,
            line=data.count(b"\n") + 1,
            hint="if the file was truncated, restore it from version control; "
            "otherwise add a newline at the end",
        )
    try:
        charset = _declared_charset(data)
    except CatalogError as error:
        error.path = Path(path)
        raise
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as error:
        raise CatalogError(
            f"not valid {charset}: byte {data[error.start]:#04x} at offset {error.start}",
            path=path,
            line=data.count(b"\n", 0, error.start) + 1,
            hint="the file's bytes do not match its Content-Type charset; re-save it as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n"), charset


def _declared_charset(data: bytes) -> str:
    match = re.search(rb"charset=([A-Za-z0-9_.:-]+)", data[:4096])
    if match is None:
        return "utf-8"
    name = match.group(1).decode("ascii")
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = ""
    if canonical not in _SAFE_CHARSETS:
        raise CatalogError(
            f"charset {name!r} cannot be read safely",
            hint="convert the file to UTF-8 (msgconv --to-code=UTF-8) and set charset=UTF-8",
        )
    return canonical


class _Parser:
    def __init__(self, text: str, path: str, charset: str = "utf-8") -> None:
        self.text = text
        self.charset = charset
        self.path = path
        self.entries: list[_Entry] = []
        self.current = _Entry(1)
        self.nplurals = 2
        self.broken_plurals: list[int] | None = None
        """Lines of entries left out for too many plural forms (``None``: refuse them)."""

    def fail(self, message: str, line: int, hint: str | None = None) -> CatalogError:
        return CatalogError(
            message,
            path=self.path,
            line=line,
            hint=hint or "fix the file by hand or restore it from version control",
        )

    def parse(self) -> polib.POFile:
        lines = self.text.split("\n")
        for number, raw in enumerate(lines, start=1):
            self.line(raw, number)
        self.finish(len(lines))
        return self.build()

    def line(self, raw: str, number: int) -> None:
        stripped = raw.strip()
        if raw[:1] in _CONFLICT_STARTS and _CONFLICT.match(raw):
            raise self.fail(
                "git conflict marker", number, "resolve the merge conflict, then run again"
            )
        if not stripped:
            self.finish(number)
            return
        obsolete = False
        if stripped.startswith("#~"):
            obsolete = True
            stripped = stripped[2:].strip()
            if not stripped:
                return
            if stripped.startswith("|"):
                stripped = "#" + stripped
        if stripped.startswith("#"):
            self.comment(stripped, number, obsolete)
            return
        if self.current.started and self.current.obsolete != obsolete:
            self.finish(number)
        self.current.obsolete = obsolete
        self.keyword(stripped, number)

    def comment(self, stripped: str, number: int, obsolete: bool) -> None:
        entry = self.current
        if entry.started and self._complete(entry):
            self.finish(number)
            entry = self.current
        if entry.started:
            raise self.fail("comment inside an entry", number)
        if _is_empty(entry):
            entry.line = number
        kind, rest = stripped[:2], stripped[2:].strip()
        if kind == "#,":
            entry.flags.extend(flag.strip() for flag in rest.split(",") if flag.strip())
        elif kind == "#.":
            entry.comment.append(rest)
        elif kind == "#:":
            entry.references.append(rest)
        elif kind == "#|":
            self.previous(entry, rest, number)
        else:
            entry.tcomment.append(stripped[2:] if stripped.startswith("# ") else stripped[1:])

    def previous(self, entry: _Entry, rest: str, number: int) -> None:
        """A ``#|`` line: a previous msgctxt/msgid/msgid_plural or its continuation."""
        if rest.startswith('"'):
            if entry.last_previous is None:
                raise self.fail("a #| string with no keyword before it", number)
            entry.previous[entry.last_previous].append(self.string(rest, number))
            return
        match = _KEYWORD.match(rest)
        if match is None or match.group(1).startswith("msgstr"):
            raise self.fail("a #| line must hold msgctxt, msgid or msgid_plural", number)
        entry.previous[match.group(1)] = [self.string(match.group(3), number)]
        entry.last_previous = match.group(1)

    def keyword(self, stripped: str, number: int) -> None:
        entry = self.current
        if stripped.startswith('"'):
            if entry.last is None:
                raise self.fail("a string with no keyword before it", number)
            name, index = entry.last
            value = self.string(stripped, number)
            if index is None:
                entry.fields[name].append(value)
            else:
                entry.plurals[index].append(value)
            return
        match = _KEYWORD.match(stripped)
        if match is None:
            raise self.fail(f"not PO syntax: {stripped[:40]!r}", number)
        name, index_text, rest = match.group(1), match.group(2), match.group(3)
        if name in {"msgctxt", "msgid"} and self._complete(entry):
            self.finish(number)
            entry = self.current
        if _is_empty(entry):
            entry.line = number
        base = "msgstr" if name.startswith("msgstr") else name
        index = int(index_text) if index_text is not None else None
        if index is not None:
            if index in entry.plurals:
                raise self.fail(f"msgstr[{index}] appears twice", number)
            entry.plurals[index] = [self.string(rest, number)]
        else:
            if base in entry.fields:
                raise self.fail(f"{base} appears twice in one entry", number)
            entry.fields[base] = [self.string(rest, number)]
        entry.field_lines[base] = number
        entry.last = (base, index)

    def string(self, token: str, number: int) -> str:
        token = token.strip()
        if not token.startswith('"'):
            raise self.fail("expected a quoted string", number)
        string = _STRING.match(token)
        if string is None:
            raise self.fail("unclosed string (no closing quote)", number)
        after = token[string.end() :].strip()
        if after:
            raise self.fail(f"text after the string: {after[:20]!r}", number)
        body = string.group(1)
        if "\\" not in body:
            return body
        try:
            return unescape(body, self.charset)
        except EscapeError as error:
            raise self.fail(str(error), number) from None

    @staticmethod
    def _complete(entry: _Entry) -> bool:
        return "msgstr" in entry.fields or bool(entry.plurals)

    def finish(self, number: int) -> None:
        entry = self.current
        if entry.started:
            if "msgid" not in entry.fields:
                raise self.fail("msgstr without msgid", entry.line)
            has_plural = "msgid_plural" in entry.fields
            if not self._complete(entry):
                raise self.fail("msgid without msgstr", entry.field_lines["msgid"])
            if has_plural and "msgstr" in entry.fields:
                raise self.fail(
                    "msgid_plural with a plain msgstr (use msgstr[0], msgstr[1], …)",
                    entry.field_lines["msgstr"],
                )
            if entry.plurals and not has_plural:
                raise self.fail("msgstr[N] without msgid_plural", entry.field_lines["msgstr"])
            if not self.entries and "".join(entry.fields["msgid"]) == "" and not entry.obsolete:
                self.nplurals = _nplurals("".join(entry.fields.get("msgstr", [""])))
            for index in entry.plurals:
                if index >= self.nplurals and self.broken_plurals is None:
                    raise self.fail(
                        f"msgstr[{index}] but Plural-Forms allows {self.nplurals} forms",
                        entry.field_lines["msgstr"],
                    )
            if max(entry.plurals, default=0) >= self.nplurals and self.broken_plurals is not None:
                self.broken_plurals.append(entry.field_lines["msgstr"])
            else:
                self.entries.append(entry)
        elif entry.previous or entry.flags or entry.references:
            raise self.fail("comments with no entry after them (truncated file?)", entry.line)
        self.current = _Entry(number + 1)

    def build(self) -> polib.POFile:
        catalog = polib.POFile(wrapwidth=0)
        seen: dict[tuple[str | None, str], _Entry] = {}
        for entry in self.entries:
            msgid = "".join(entry.fields["msgid"])
            msgctxt = "".join(entry.fields["msgctxt"]) if "msgctxt" in entry.fields else None
            key = (msgctxt, msgid)
            if key in seen:
                other = seen[key]
                kind = "obsolete and active" if other.obsolete != entry.obsolete else "duplicate"
                raise self.fail(
                    f"{kind} entries for msgid {msgid[:40]!r} "
                    f"(lines {other.line} and {entry.line})",
                    entry.line,
                    "keep one of them (merge the translations by hand)",
                )
            seen[key] = entry
            if msgid == "" and msgctxt is None and not entry.obsolete:
                catalog.header = "\n".join(entry.tcomment)
                catalog.metadata = _metadata("".join(entry.fields.get("msgstr", [""])))
                if "Content-Type" in catalog.metadata:  # the text is Unicode now: say so
                    catalog.metadata["Content-Type"] = re.sub(
                        r"charset=[^\s;]+", "charset=UTF-8", catalog.metadata["Content-Type"]
                    )
                catalog.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in entry.flags else []
                continue
            po_entry = polib.POEntry(
                msgid=msgid,
                msgctxt=msgctxt,
                tcomment="\n".join(entry.tcomment),
                comment="\n".join(entry.comment),
                occurrences=parse_references(entry.references),
                flags=entry.flags,
                obsolete=entry.obsolete,
                linenum=entry.line,
            )
            if "msgid_plural" in entry.fields:
                po_entry.msgid_plural = "".join(entry.fields["msgid_plural"])
                po_entry.msgstr_plural = {i: "".join(v) for i, v in sorted(entry.plurals.items())}
            else:
                po_entry.msgstr = "".join(entry.fields["msgstr"])
            for name, attribute in (
                ("msgctxt", "previous_msgctxt"),
                ("msgid", "previous_msgid"),
                ("msgid_plural", "previous_msgid_plural"),
            ):
                if name in entry.previous:
                    setattr(po_entry, attribute, "".join(entry.previous[name]))
            catalog.append(po_entry)
        return catalog


def _is_empty(entry: _Entry) -> bool:
    return not (
        entry.started
        or entry.tcomment
        or entry.comment
        or entry.flags
        or entry.references
        or entry.previous
    )


def _metadata(header: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for line in header.split("\n"):
        if ":" in line:
            key, _, value = line.partition(":")
            metadata[key.strip()] = value.strip()
    return metadata


def _nplurals(header: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(match.group(1)) if match else 2
