"""Segmentation and editions by substitution, driven by the fixture files."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from translatio.catalog.values import build_template
from translatio.publish.edition import Policy, build_edition
from translatio.text.document import Format, SegmentKind
from translatio.text.segment import format_for_suffix, segment, segment_markdown, segment_text

from .conftest import FIXTURES

SOURCES = sorted((FIXTURES / "markdown").glob("*.md")) + sorted((FIXTURES / "text").glob("*.txt"))
SOURCES = [path for path in SOURCES if not path.name.endswith(".expect.md")]


def _document(path: Path):
    format = format_for_suffix(path.suffix)
    assert format is not None
    return segment(path.read_text("utf-8"), name=path.stem, path=path.name, format=format)


def _html(text: str, format: Format) -> str:
    if format is Format.TEXT:
        paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text)]
        return "\n".join(part for part in paragraphs if part)
    parser = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    return " ".join(parser.render(text).split())


def _catalog_with(document, translate) -> polib.POFile:
    catalog = build_template(document, created="")
    for entry in catalog:
        entry.msgstr = translate(entry.msgid)
    return catalog


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_nothing_translated_gives_the_source_byte_for_byte(path: Path) -> None:
    document = _document(path)
    edition = build_edition(document, build_template(document, created=""), policy=Policy.DRAFT)
    assert edition.text == document.text
    assert edition.translated_words == 0


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_identity_translation_renders_like_the_source(path: Path) -> None:
    document = _document(path)
    assert document.segments, "every fixture has something to translate"
    edition = build_edition(document, _catalog_with(document, str), policy=Policy.REVIEWED)
    assert edition.completeness == 100.0
    assert _html(edition.text, document.format) == _html(document.text, document.format)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_every_segment_region_holds_exactly_its_text(path: Path) -> None:
    def words(text: str) -> str:
        return " ".join(re.sub(r"\n[ \t>]*", " ", text).split())

    document = _document(path)
    for seg in document.segments:
        assert words(document.text[seg.start : seg.end]) == words(seg.text)


def test_markdown_kinds_and_lines() -> None:
    document = _document(FIXTURES / "markdown" / "rich.md")
    kinds = {(seg.kind, seg.line) for seg in document.segments}
    assert (SegmentKind.HEADING, 6) in kinds
    assert (SegmentKind.LIST_ITEM, 16) in kinds
    assert (SegmentKind.BLOCK_QUOTE, 24) in kinds
    assert (SegmentKind.BLOCK_QUOTE, 27) in kinds
    assert (SegmentKind.TABLE_CELL, 29) in kinds
    assert (SegmentKind.HEADING, 45) in kinds
    texts = [seg.text for seg in document.segments]
    assert not any("untouched" in text for text in texts), "code is not a segment"
    assert not any("HTML blocks" in text for text in texts), "HTML blocks are not segments"
    assert not any("A rich document" in text for text in texts), "front matter is not a segment"
    assert not any("Reference" in text for text in texts), "link definitions are not segments"
    assert "3" not in texts, "cells without letters are not segments"


def test_soft_breaks_join_and_hard_breaks_stay() -> None:
    document = segment_markdown("one\ntwo  \nthree\\\nfour\n    five\n", name="x", path="x.md")
    assert [seg.text for seg in document.segments] == ["one two  \nthree\\\nfour five"]


def test_plain_text_splits_on_blank_lines() -> None:
    document = segment_text(
        "  first line\nsecond line\n\n\n2024\n\nlast   \n", name="x", path="x.txt"
    )
    assert [(seg.text, seg.line) for seg in document.segments] == [
        ("first line second line", 1),
        ("last", 7),
    ]


def test_translation_with_line_breaks_keeps_its_container() -> None:
    document = segment_markdown("> - quoted item\n", name="x", path="x.md")
    catalog = _catalog_with(document, lambda text: "first\nsecond")
    edition = build_edition(document, catalog, policy=Policy.REVIEWED)
    assert edition.text == "> - first\n>   second\n"


def test_table_cell_translation_cannot_break_the_table() -> None:
    document = segment_markdown("| a b |\n|---|\n| cell |\n", name="x", path="x.md")
    catalog = _catalog_with(document, lambda text: "x | y\nz")
    edition = build_edition(document, catalog, policy=Policy.REVIEWED)
    assert edition.text == "| x \\| y z |\n|---|\n| x \\| y z |\n"
