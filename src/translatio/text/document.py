"""The records a source document becomes: a ``Document`` made of translatable ``Segment`` s."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Document", "Format", "Segment", "SegmentKind"]


class Format(StrEnum):
    """How a source file is read and how its editions are written."""

    MARKDOWN = "markdown"
    TEXT = "text"


class SegmentKind(StrEnum):
    """What a segment was in the source; written to the PO file as ``#. type: …``."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list item"
    BLOCK_QUOTE = "block quote"
    TABLE_CELL = "table cell"


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit of a document and the place it occupies in the source."""

    text: str
    """The msgid: inline text with markup kept verbatim and soft line breaks joined."""
    kind: SegmentKind
    """What the segment was in the source."""
    line: int
    """The 1-based source line the segment starts on (for ``#:`` references)."""
    start: int
    """Offset in the source text where the replaceable region starts."""
    end: int
    """Offset in the source text where the replaceable region ends (exclusive)."""
    continuation: str = ""
    """What to put at the start of each extra line when a translation has line breaks
    (the block quote markers and list indentation of the segment's container)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A source document split into segments."""

    name: str
    """The gettext domain: the file name without its suffix (``article``)."""
    path: str
    """The path written into ``#:`` references, relative to the project (``source/article.md``)."""
    format: Format
    """Markdown or plain text."""
    text: str
    """The whole source text, as read (after newline and Unicode normalisation)."""
    segments: tuple[Segment, ...]
    """Translatable segments in source order; identical texts appear once per occurrence."""

    @property
    def suffix(self) -> str:
        """The file suffix editions in the source format get (``.md`` or ``.txt``)."""
        return ".md" if self.format is Format.MARKDOWN else ".txt"
