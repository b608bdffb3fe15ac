"""Source documents on disk: which files are sources, and their bytes as clean text.

A source is a regular file with a suffix translatio reads (``.md``, ``.markdown``,
``.txt``) and a name that does not start with a dot. Its bytes must be UTF-8 without NUL;
the text comes back with the BOM dropped, CR and CRLF as LF, and NFC normalised.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from translatio.errors import SourceError
from translatio.segment import format_for_suffix

__all__ = ["decode_source", "ignored_because"]


def ignored_because(path: Path) -> str | None:
    """Why a file in the source folder is not a source, or ``None`` when it is one.

    The reason is empty for what is skipped without a word (folders, hidden files such
    as ``.DS_Store``), and says why for what looks like a source but is not read.
    """
    if not path.is_file():
        return ""
    known = format_for_suffix(path.suffix) is not None
    if path.name.startswith("."):
        return "its name starts with a dot" if known else ""
    if not known:
        return "translatio reads .md, .markdown and .txt sources"
    return None


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
