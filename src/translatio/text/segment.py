"""Segmentation: source text → ``Document`` of translatable segments, each with its span.

Markdown is parsed with markdown-it-py (CommonMark, tables, front matter). Paragraphs,
headings, list items, block quotes and table cells become segments with their inline
markup kept verbatim; code blocks, HTML blocks, front matter and link reference
definitions are not segments, so they pass through editions byte for byte. Plain text
splits on blank lines. Every segment records the region of the source it replaces, so an
edition is built by substitution, never by re-rendering.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from translatio.errors import SourceError
from translatio.text.document import Document, Format, Segment, SegmentKind

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "LINE_BREAK",
    "MAX_NESTING",
    "count_line_breaks",
    "format_for_suffix",
    "segment",
    "segment_markdown",
    "segment_text",
]

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""A line ending as CommonMark reads one: LF, CR or CRLF."""
MAX_NESTING = 100
"""How deep blocks may nest (quotes, lists); markdown-it drops whatever lies deeper."""
_BLANK_LINES = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t]*(?:\r\n|\r(?!\n)|\n))+")


def format_for_suffix(suffix: str) -> Format | None:
    """The format of a file with this suffix, or ``None`` when translatio does not read it."""
    lowered = suffix.lower()
    if lowered in _MARKDOWN_SUFFIXES:
        return Format.MARKDOWN
    if lowered in _TEXT_SUFFIXES:
        return Format.TEXT
    return None


def segment(text: str, *, name: str, path: str, format: Format) -> Document:
    """Split ``text`` into a ``Document`` in the given format."""
    if format is Format.MARKDOWN:
        return segment_markdown(text, name=name, path=path)
    return segment_text(text, name=name, path=path)


def segment_text(text: str, *, name: str, path: str) -> Document:
    """Plain text: each run of non-blank lines is one paragraph."""
    segments: list[Segment] = []
    line = 1
    counted = 0  # line numbers are counted incrementally: one pass over the text
    block_start = 0
    for separator in [*_BLANK_LINES.finditer(text), None]:
        block_end = len(text) if separator is None else separator.start()
        block = text[block_start:block_end]
        stripped = block.strip()
        if _has_letters(stripped):
            start = block_start + (len(block) - len(block.lstrip()))
            end = block_start + len(block.rstrip())
            line += _count_line_breaks(text, counted, start)
            counted = start
            joined = " ".join(part.strip() for part in LINE_BREAK.split(stripped) if part.strip())
            segments.append(Segment(joined, SegmentKind.PARAGRAPH, line, start, end))
        if separator is not None:
            block_start = separator.end()
    return Document(name, path, Format.TEXT, text, tuple(segments))


def segment_markdown(text: str, *, name: str, path: str) -> Document:
    """Markdown: one segment per paragraph, heading, list item, quote paragraph, table cell."""
    lines = LINE_BREAK.split(text)
    line_starts = _line_starts(text)
    segments: list[Segment] = []
    containers: list[str] = []
    for token in _parser().parse(text):
        if token.nesting == 1:
            if token.level >= MAX_NESTING - 1:  # markdown-it would drop what it holds
                raise SourceError(
                    f"blocks nested more than {MAX_NESTING - 1} levels deep",
                    path=path,
                    line=token.map[0] + 1 if token.map else None,
                    hint="flatten the nested block quotes or lists",
                )
            containers.append(token.type)
        elif token.nesting == -1:
            containers.pop()
        elif token.type == "inline" and token.map is not None and _has_letters(token.content):
            kind = _kind(containers)
            if kind is SegmentKind.TABLE_CELL:
                continue  # cells are handled per row below, where their columns are known
            segments.append(_block_segment(token, kind, lines, line_starts))
        if token.type == "tr_open" and token.map is not None:
            segments.extend(_row_segments(token.map[0], lines, line_starts))
    return Document(name, path, Format.MARKDOWN, text, tuple(segments))


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    options = {"maxNesting": MAX_NESTING}
    return MarkdownIt("commonmark", options).enable("table").use(front_matter_plugin)


def _kind(containers: list[str]) -> SegmentKind:
    for container in reversed(containers):
        if container == "heading_open":
            return SegmentKind.HEADING
        if container in {"th_open", "td_open"}:
            return SegmentKind.TABLE_CELL
        if container == "list_item_open":
            return SegmentKind.LIST_ITEM
        if container == "blockquote_open":
            return SegmentKind.BLOCK_QUOTE
    return SegmentKind.PARAGRAPH


def _block_segment(
    token: Token, kind: SegmentKind, lines: list[str], line_starts: list[int]
) -> Segment:
    """A paragraph-like block: the region runs from the first content character to the last."""
    assert token.map is not None
    first_line = token.map[0]
    content_lines = token.content.split("\n")
    columns = [
        _content_column(lines[first_line + index], content)
        for index, content in enumerate(content_lines)
    ]
    last = len(content_lines) - 1
    start = line_starts[first_line] + columns[0]
    end = line_starts[first_line + last] + columns[last] + len(content_lines[last].strip())
    if last > 0:
        continuation = lines[first_line + 1][: columns[1]]
    else:
        continuation = _continuation_from(lines[first_line][: columns[0]])
    return Segment(_join_lines(content_lines), kind, first_line + 1, start, end, continuation)


def _content_column(raw_line: str, content_line: str) -> int:
    """Where ``content_line`` (a suffix of the line, container markers removed) starts."""
    stripped = content_line.strip()
    column = raw_line.rfind(stripped) if stripped else -1
    if column < 0:
        return len(raw_line) - len(raw_line.lstrip())
    return column


def _continuation_from(prefix: str) -> str:
    """Block quote markers kept, list markers and other characters turned into spaces."""
    return "".join(char if char in "> \t" else " " for char in prefix)


def _join_lines(content_lines: list[str]) -> str:
    """Join soft line breaks with a space; keep hard breaks (two spaces or ``\\``) verbatim."""
    parts: list[str] = []
    for index, raw in enumerate(content_lines):
        line = raw.lstrip()
        is_last = index == len(content_lines) - 1
        if is_last:
            parts.append(line.rstrip())
        elif _ends_with_hard_break(line):
            parts.append(line + "\n")
        else:
            parts.append(line.rstrip() + " ")
    return "".join(parts)


def _row_segments(row: int, lines: list[str], line_starts: list[int]) -> Iterator[Segment]:
    """One segment per non-empty cell of a table row, located by its pipe-separated columns."""
    raw = lines[row]
    for cell_start, cell_end in _cell_spans(raw):
        cell = raw[cell_start:cell_end]
        stripped = cell.strip()
        if not _has_letters(stripped):
            continue
        start = cell_start + (len(cell) - len(cell.lstrip()))
        end = start + len(stripped)
        yield Segment(
            stripped,
            SegmentKind.TABLE_CELL,
            row + 1,
            line_starts[row] + start,
            line_starts[row] + end,
        )


def _cell_spans(raw: str) -> Iterator[tuple[int, int]]:
    """Column spans between the pipes of a GFM table row; ``\\|`` is not a separator."""
    start = 0
    escaped = False
    for index, char in enumerate(raw):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            yield start, index
            start = index + 1
    yield start, len(raw)


def _ends_with_hard_break(line: str) -> bool:
    """Two spaces or an unescaped backslash at the end (string ops: no regex backtracking)."""
    if len(line) - len(line.rstrip(" ")) >= 2:
        return True
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(match.end() for match in LINE_BREAK.finditer(text))
    return starts


def _count_line_breaks(text: str, start: int, end: int) -> int:
    """Line breaks (LF, CR, CRLF) in ``text[start:end]``, without copying it."""
    crlf = text.count("\r\n", start, end)
    return text.count("\n", start, end) + text.count("\r", start, end) - crlf


def count_line_breaks(text: str) -> int:
    """Line breaks (LF, CR, CRLF) in ``text``."""
    return _count_line_breaks(text, 0, len(text))


def _has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


def front_matter_end(text: str) -> int:
    """Offset just past a Markdown document's front matter (0 when there is none)."""
    for token in _parser().parse(text):
        if token.type == "front_matter" and token.map is not None:
            return _line_starts(text + "\n")[token.map[1]]
        break
    return 0
