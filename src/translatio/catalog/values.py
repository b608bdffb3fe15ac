"""Catalogs as values: a ``Document`` → template (POT), headers, and deterministic bytes.

Catalogs are ``polib.POFile`` objects. This module builds templates, fills headers and
serialises a catalog to the exact bytes written on disk: UTF-8 in GNU gettext's layout
(``translatio.catalog.po``), entries in source order, obsolete entries last, so an unchanged catalog
is byte-identical.
"""

from __future__ import annotations

import copy
import hashlib
import os
import time
from collections.abc import Iterable
from typing import TypeVar

import polib

from translatio import __version__
from translatio.catalog.po import DEFAULT_WIDTH, write_po
from translatio.languages import Language
from translatio.text.document import Document

__all__ = [
    "GENERATOR",
    "TEMPLATE_HEADER",
    "build_template",
    "copy_catalog",
    "header_for_language",
    "now_stamp",
    "same_content",
    "same_entries",
    "serialize",
    "template_fingerprint",
]

_T = TypeVar("_T")

GENERATOR = f"translatio {__version__}"
TEMPLATE_HEADER = "X-Translatio-Template"
"""Header naming the template a catalog was last merged from (its fingerprint)."""
_TEMPLATE_HEADER = (
    "Translations of {name}.\n"
    "This file is distributed under the same license as the source document."
)


def now_stamp() -> str:
    """The current time as a PO header date; ``SOURCE_DATE_EPOCH`` wins for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(seconds))


def build_template(document: Document, *, created: str) -> polib.POFile:
    """The POT of one document: one entry per distinct segment text, in order of first use.

    Identical paragraphs share one entry with several ``#:`` references (po4a's rule);
    no positional msgctxt, so inserting a paragraph never makes the rest fuzzy.
    """
    catalog = polib.POFile(wrapwidth=0)
    catalog.header = _TEMPLATE_HEADER.format(name=document.name)
    catalog.metadata = {
        "Project-Id-Version": document.name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    entries: dict[str, polib.POEntry] = {}
    kinds: dict[str, list[str]] = {}
    for segment in document.segments:
        entry = entries.get(segment.text)
        if entry is None:
            entry = polib.POEntry(msgid=segment.text, msgstr="")
            entries[segment.text] = entry
            kinds[segment.text] = []
            catalog.append(entry)
        entry.occurrences.append((document.path, str(segment.line)))
        if segment.kind.value not in kinds[segment.text]:
            kinds[segment.text].append(segment.kind.value)
    for text, entry in entries.items():
        entry.comment = "type: " + ", ".join(kinds[text])
    return catalog


def header_for_language(
    template: polib.POFile, previous: polib.POFile | None, language: Language
) -> tuple[str, dict[str, str]]:
    """Header comment and metadata of a language catalog merged from ``template``.

    Fields a translator owns (Last-Translator, Language-Team, PO-Revision-Date and any
    ``X-`` field) are kept from ``previous``; the rest follows the template and the language.
    """
    old = dict(previous.metadata) if previous is not None else {}
    metadata = {
        "Project-Id-Version": template.metadata.get("Project-Id-Version", ""),
        "Report-Msgid-Bugs-To": template.metadata.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": template.metadata.get("POT-Creation-Date", ""),
        "PO-Revision-Date": old.get("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        "Last-Translator": old.get("Last-Translator", ""),
        "Language-Team": old.get("Language-Team", ""),
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": language.plural_forms,
    }
    for key, value in old.items():
        if key.startswith("X-") and key not in metadata:
            metadata[key] = value
    metadata["X-Generator"] = GENERATOR
    metadata[TEMPLATE_HEADER] = template_fingerprint(template)
    header = previous.header if previous is not None and previous.header else template.header
    return header, metadata


def template_fingerprint(template: polib.POFile) -> str:
    """A short hash of a template's msgids, in order: which template a catalog came from."""
    digest = hashlib.sha256()
    for entry in template:
        if entry.msgid and not entry.obsolete:
            digest.update(f"{entry.msgctxt or ''}\x04{entry.msgid}\x00".encode())
    return digest.hexdigest()[:16]


def serialize(catalog: polib.POFile, *, wrap: int = DEFAULT_WIDTH) -> bytes:
    """The bytes of ``catalog`` as written to disk: UTF-8 in GNU gettext's layout.

    Strings are wrapped at ``wrap`` columns as msgcat wraps them (79 by default);
    ``wrap=0`` writes each string on one line, as ``msgcat --no-wrap`` does.
    """
    catalog.encoding = "utf-8"
    return write_po(catalog, width=wrap)


def same_entries(first: Iterable[polib.POEntry], second: Iterable[polib.POEntry]) -> bool:
    """Whether two entry lists would be written identically (headers ignored)."""
    return [_fields(entry) for entry in first] == [_fields(entry) for entry in second]


def copy_catalog(catalog: polib.POFile) -> polib.POFile:
    """A copy of ``catalog`` sharing nothing mutable with it (``copy.deepcopy``, faster).

    Entries hold strings, tuples of strings and one level of lists and dicts of them, so
    copying those containers is a deep copy.
    """
    result = copy.copy(catalog)
    _copy_containers(result)
    result[:] = [_copy_containers(copy.copy(entry)) for entry in catalog]
    return result


def _copy_containers(value: _T) -> _T:
    for name, attribute in vars(value).items():
        if isinstance(attribute, list | dict):
            setattr(value, name, copy.copy(attribute))
    return value


def same_content(first: polib.POFile, second: polib.POFile) -> bool:
    """Whether two catalogs say the same thing, however their files are laid out.

    Compares what the writer writes (header, metadata in order, and every entry's
    strings, comments, flags and references), as the writer normalises it: flags as a
    set, references without repeats. Cheaper than serialising both.
    """
    if first.header != second.header or list(first.metadata.items()) != list(
        second.metadata.items()
    ):
        return False
    if len(first) != len(second):
        return False
    return all(_fields(a) == _fields(b) for a, b in zip(first, second, strict=True))


def _fields(entry: polib.POEntry) -> tuple[object, ...]:
    return (
        entry.obsolete,
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        sorted(entry.msgstr_plural.items()),
        frozenset(entry.flags),
        entry.comment,
        entry.tcomment,
        list(dict.fromkeys(entry.occurrences)),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
    )
