"""The revisions of a document's paragraphs: which wording translatio saw first, and when.

A paragraph's revision is a content hash of its source text (its msgid, with its
msgctxt). ``extract`` records each new revision in ``locales/<doc>.revisions``, one line
per revision, with the time it first saw it and the revision it replaces when the
paragraph was changed (the old wording the merge carries over as fuzzy, found the way
``msgmerge`` finds it)::

    # translatio: revisions of source/article.txt (extract records them; keep this file)
    2026-12-05T18:40:12Z  3f2a9c1d0b7e6a55  -                 original
    2026-12-06T09:12:40Z  9e01c4d2b3a8f710  3f2a9c1d0b7e6a55  correction

(fields are separated by one tab). Lines are only added. The file lives in the project,
versioned with it, so a clone knows when each wording appeared (a file's mtime is the
clone's time). ``build`` reads it to tell which paragraphs changed after publication.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import polib

from translatio.errors import CatalogError
from translatio.languages import Language

__all__ = [
    "REVISIONS_SUFFIX",
    "Kind",
    "Revision",
    "parse_revisions",
    "revision_of",
    "revision_stamp",
    "serialize_revisions",
    "template_revisions",
]

REVISIONS_SUFFIX = ".revisions"
"""``locales/<doc>.revisions``, beside the document's template."""
_HEADER = "# translatio: revisions of {source} (extract records them; keep this file)\n"
_LIMIT = 64 * 1024 * 1024
"""The most bytes a revisions file may hold (a line is about 60 bytes)."""


class Kind(StrEnum):
    """How a revision came to be."""

    ORIGINAL = "original"
    """The wording translatio first found (the document as first extracted)."""
    ADDED = "added"
    """A paragraph added later."""
    CORRECTION = "correction"
    """A changed paragraph: it replaces an earlier revision."""
    MINOR = "minor"
    """A change recorded as minor (``extract --minor``): typos, punctuation."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One wording of one paragraph, as first seen."""

    revision: str
    """Its content hash (``revision_of``)."""
    seen: str
    """When ``extract`` first saw it: ``2026-12-05T18:40:12Z`` (UTC)."""
    replaces: str | None
    """The revision it replaces, for a correction or a minor change."""
    kind: Kind
    """How it came to be."""


def revision_of(msgid: str, msgctxt: str | None = None) -> str:
    """The content hash of a paragraph's source text: 16 hex digits of its SHA-256."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def revision_stamp() -> str:
    """Now, as revisions record it; ``SOURCE_DATE_EPOCH`` wins for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def parse_revisions(data: bytes, *, path: str) -> dict[str, Revision]:
    """The revisions a file holds, by hash; a damaged line is an error naming it."""
    if len(data) > _LIMIT:
        raise CatalogError(
            f"the revisions file holds {len(data)} bytes, more than {_LIMIT}",
            path=path,
            hint="it is translatio's record of the source's wordings: restore it from "
            "version control",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(
            f"the revisions file is not UTF-8 (byte offset {error.start})",
            path=path,
            hint="restore it from version control",
        ) from None
    found: dict[str, Revision] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            seen, revision, replaces, kind = fields
            parsed = Revision(revision, seen, None if replaces == "-" else replaces, Kind(kind))
        except ValueError:
            raise CatalogError(
                "this line is not <time> <revision> <replaces> <kind>, separated by tabs",
                path=path,
                line=number,
                hint="restore the file from version control, or remove the line (its "
                "paragraph then counts as first seen at the next extract)",
            ) from None
        found.setdefault(parsed.revision, parsed)
    return found


def serialize_revisions(source: str, revisions: Iterable[Revision]) -> bytes:
    """The file's bytes: the header, then one line per revision in the order given."""
    lines = [_HEADER.format(source=source)]
    for item in revisions:
        replaces = item.replaces or "-"
        lines.append(f"{item.seen}\t{item.revision}\t{replaces}\t{item.kind.value}\n")
    return "".join(lines).encode("utf-8")


def template_revisions(
    old: polib.POFile | None,
    new: polib.POFile,
    known: Mapping[str, Revision],
    *,
    language: Language,
    minor: bool,
    seen: str,
) -> list[Revision]:
    """The revisions of ``new``'s paragraphs that ``known`` lacks, in template order.

    A paragraph whose wording replaces one of ``old`` that ``new`` no longer has (found
    as ``msgmerge`` finds a fuzzy match) is a correction (``minor``: a minor change);
    any other is added, or original when nothing was known yet (a first extract, or a
    project older than this file: ``old``'s own paragraphs are then recorded first).
    """
    from translatio.catalog.merge import merge_catalog

    found: list[Revision] = []
    known = dict(known)
    if not known and old is not None:
        for entry in old:
            if entry.msgid and not entry.obsolete:
                revision = revision_of(entry.msgid, entry.msgctxt)
                if revision not in known:
                    known[revision] = Revision(revision, seen, None, Kind.ORIGINAL)
                    found.append(known[revision])
    first = not known
    current = {(entry.msgctxt, entry.msgid) for entry in new if entry.msgid}
    gone = polib.POFile(wrapwidth=0)
    for entry in old or ():
        if entry.msgid and not entry.obsolete and (entry.msgctxt, entry.msgid) not in current:
            gone.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr="x"))
    fresh = polib.POFile(wrapwidth=0)
    for entry in new:
        if entry.msgid and revision_of(entry.msgid, entry.msgctxt) not in known:
            fresh.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid))
    merged, _ = merge_catalog(fresh, gone, language) if len(gone) else (fresh, None)
    for entry in merged:
        if not entry.msgid or entry.obsolete:
            continue
        revision = revision_of(entry.msgid, entry.msgctxt)
        if revision in known:
            continue
        previous = entry.previous_msgid if "fuzzy" in entry.flags else None
        if previous:
            replaced = revision_of(previous, entry.previous_msgctxt or None)
            kind = Kind.MINOR if minor else Kind.CORRECTION
            known[revision] = Revision(revision, seen, replaced, kind)
        else:
            known[revision] = Revision(revision, seen, None, Kind.ORIGINAL if first else Kind.ADDED)
        found.append(known[revision])
    return found
