"""Source documents on disk: which files are sources, and their bytes as clean text.

A source is a regular file with a suffix translatio reads (``.md``, ``.markdown``,
``.txt``) and a name that does not start with a dot. Its path names its catalogs and
editions, so any letters, digits, spaces and punctuation may be in it; a character that a
catalog's ``#:`` reference or a terminal cannot hold safely (control characters, bidi
controls, line separators, bytes that are not UTF-8) leaves that file out, with a warning
naming it, while the other sources go on. Its bytes must be UTF-8 without NUL; the text
comes back with the BOM dropped, CR and CRLF as LF, and NFC normalised.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from translatio.errors import SourceError
from translatio.text.segment import format_for_suffix

__all__ = [
    "decode_source",
    "document_id",
    "find_sources",
    "ignored_because",
    "name_problem",
    "walk",
]

_RESERVED_SUFFIXES = (".review", ".bilingual")
"""Document names may not end like this: their editions would overwrite another's pages."""
_UNSAFE_FORMAT = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Bidi controls: they would reorder a name on screen, and U+2068/U+2069 enclose names
with spaces in ``#:`` references."""
_logger = logging.getLogger("translatio")


def name_problem(document: str) -> str | None:
    """Why ``document`` (a source path below the source folder) cannot name a catalog, or
    ``None`` when it can: any letters, digits, spaces and punctuation can.

    >>> name_problem("blog/café au lait") is None
    True
    >>> name_problem("bad\\x07name")
    'its name holds U+0007, a control character, which catalogs and terminals cannot show'
    """
    for char in document:
        category = unicodedata.category(char)
        if category == "Cc":
            kind = "a control character"
        elif char in _UNSAFE_FORMAT:
            kind = "a bidirectional control"
        elif category in {"Zl", "Zp"}:
            kind = "a line separator"
        elif category == "Cs":
            kind = "a byte that is not UTF-8"
        else:
            continue
        return f"its name holds U+{ord(char):04X}, {kind}, which catalogs and terminals cannot show"
    return None


def ignored_because(path: Path) -> str | None:
    """Why a file in the source folder is not a source, or ``None`` when it is one.

    The reason is empty for what is skipped without a word (folders, hidden files such
    as ``.DS_Store``), and says why for what looks like a source but is not read, and for
    a symbolic link to a folder (never followed).
    """
    if not path.is_file():
        linked_folder = path.is_symlink() and path.is_dir() and not path.name.startswith(".")
        return (
            "it links to a folder, and translatio does not follow such links"
            if linked_folder
            else ""
        )
    known = format_for_suffix(path.suffix) is not None
    if path.name.startswith("."):
        return "its name starts with a dot" if known else ""
    if not known:
        return "translatio reads .md, .markdown and .txt sources"
    return None


def document_id(directory: Path, source: Path) -> str:
    """A source's path below ``directory``, without suffix: ``blog/2026/op-ed``.

    A ``SourceError`` when that cannot name a catalog (``name_problem``).
    """
    document = _document(directory, source)
    problem = name_problem(document)
    if problem:
        raise SourceError(
            f"{document!r} cannot name a catalog: {problem}", path=source, hint="rename it"
        )
    return document


def _document(directory: Path, source: Path) -> str:
    return source.relative_to(directory).with_suffix("").as_posix()


def find_sources(
    directory: Path, relative: Callable[[Path], str], readable: Callable[[Path], bool]
) -> list[Path]:
    """The sources under ``directory`` and its subfolders (hidden ones skipped), by id.

    ``readable`` says whether a file is a source (and reports it when it is not);
    ``relative`` names paths in messages.
    """
    paths = []
    for path in walk(directory):
        if not readable(path):
            continue
        problem = name_problem(_document(directory, path))
        if problem:
            _logger.error("%s is left out: %s; rename it", relative(path), problem)
            continue
        paths.append(path)
    if not paths:
        raise SourceError(
            "no source documents",
            path=relative(directory),
            hint=f"put Markdown (.md) or plain text (.txt) files in {relative(directory)}/",
        )
    paths.sort(key=lambda path: document_id(directory, path))
    seen: dict[str, Path] = {}
    for path in paths:
        document = document_id(directory, path)
        if path.stem.endswith(_RESERVED_SUFFIXES):
            raise SourceError(
                f"{path.name!r} would overwrite the review or bilingual page of "
                f"{path.stem.rsplit('.', 1)[0]!r}",
                path=relative(path),
                hint="rename it: document names may not end in .review or .bilingual",
            )
        if document in seen:
            raise SourceError(
                f"two sources share the document id {document!r}: "
                f"{relative(seen[document])} and {relative(path)}",
                path=relative(path),
                hint="rename one: each document needs its own catalog name",
            )
        seen[document] = path
    return paths


def walk(directory: Path) -> Iterator[Path]:
    """Everything under ``directory`` but folders: each folder's entries by name, then its
    subfolders, depth first, as ``os.walk`` goes.

    Hidden folders are skipped, and so are the contents of folders that are symbolic links
    (the link itself is yielded, for ``ignored_because`` to name). The walk keeps its own
    stack instead of recursing, so a tree of any depth is walked.
    """
    pending = [directory]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        subfolders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    subfolders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        pending.extend(reversed(subfolders))


def decode_source(data: bytes, *, path: str) -> str:
    """The text of a source's bytes; ``SourceError`` with the offset and line otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            f"not UTF-8: byte {data[error.start]:#04x} at offset {error.start}",
            path=path,
            line=line,
            hint="save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
        ) from None
    if "\x00" in text:
        offset = data.index(b"\x00")
        raise SourceError(
            f"NUL byte at offset {offset} (a binary file?)",
            path=path,
            line=data.count(b"\n", 0, offset) + 1,
            hint="remove the NUL byte; catalogs cannot hold it",
        )
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    return text.replace("\r\n", "\n").replace("\r", "\n")
