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

from translatio.document import Document, Format, Segment, SegmentKind

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["format_for_suffix", "segment", "segment_markdown", "segment_text"]

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
_HARD_BREAK = re.compile(r"(?:(?<!\\)(?:\\\\)*\\| {2,})$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


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
    position = 0
    for block in _BLANK_LINE.split(text):
        block_start = text.index(block, position)
        position = block_start + len(block)
        stripped = block.strip()
        if not _has_letters(stripped):
            continue
        start = block_start + (len(block) - len(block.lstrip()))
        end = block_start + len(block.rstrip())
        joined = " ".join(line.strip() for line in stripped.split("\n") if line.strip())
        line = text.count("\n", 0, start) + 1
        segments.append(Segment(joined, SegmentKind.PARAGRAPH, line, start, end))
    return Document(name, path, Format.TEXT, text, tuple(segments))


def segment_markdown(text: str, *, name: str, path: str) -> Document:
    """Markdown: one segment per paragraph, heading, list item, quote paragraph, table cell."""
    lines = text.split("\n")
    line_starts = _line_starts(text)
    segments: list[Segment] = []
    containers: list[str] = []
    for token in _parser().parse(text):
        if token.nesting == 1:
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

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


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
        elif _HARD_BREAK.search(line):
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


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(match.end() for match in re.finditer("\n", text))
    return starts


def _has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


def front_matter_end(text: str) -> int:
    """Offset just past a Markdown document's front matter (0 when there is none)."""
    for token in _parser().parse(text):
        if token.type == "front_matter" and token.map is not None:
            return _line_starts(text + "\n")[token.map[1]]
        break
    return 0
