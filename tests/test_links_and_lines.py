"""Translations cannot retarget links; CR is a line break; long and deep inputs keep all text.

Editions are checked through the HTML a reader gets: every link target on the page must
be one the source itself has, whatever a (force-approved) translation says.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from translatio.catalog.values import build_template
from translatio.errors import SourceError
from translatio.languages import Language
from translatio.publish.edition import Policy, build_edition
from translatio.publish.render import render_body
from translatio.qa.checks import check_entry
from translatio.text.document import Document, Format
from translatio.text.segment import segment_markdown, segment_text

SOURCE = """\
# Title

See [the report][1] and [the guide](https://good.example/guide).

- A list item about <https://good.example/auto>.

> A quoted paragraph.

Second paragraph.

Read [it][1] again.

| Column | Other |
|---|---|
| cell one | cell two |

[1]: https://good.example/report
[spare]: https://good.example/spare
"""


class _Targets(HTMLParser):
    """Every href and src on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets.update(value or "" for name, value in attrs if name in {"href", "src"})


def _targets(page: str) -> set[str]:
    parser = _Targets()
    parser.feed(page)
    return parser.targets


def _page(document: Document, translations: dict[str, str]) -> tuple[str, str]:
    """The reviewed edition's text and HTML with ``translations`` approved."""
    catalog = build_template(document, created="")
    for entry in catalog:
        entry.msgstr = translations.get(entry.msgid, "")
    edition = build_edition(document, catalog, policy=Policy.REVIEWED)
    return edition.text, render_body(edition.text, document.format)


SOURCE_TARGETS = {
    "https://good.example/report",
    "https://good.example/guide",
    "https://good.example/auto",
}

HIJACKS = [
    (
        "See [the report][1] and [the guide](https://good.example/guide).",
        [
            "Voir [le rapport][1].\n\n[1]: //evil.example/phish",
            "Voir [le rapport][1].\r\r[1]: //evil.example/phish",
            "[1]: //evil.example/phish\nVoir [le rapport][1].",
            "[1\n]: //evil.example/phish\n\nVoir [le rapport][1].",
            "Voir [le rapport](//evil.example/phish) et [le guide](https://good.example/guide).",
            "Voir [le rapport](<//evil.example/phish>).",
            "Voir [le rapport][spare] et [le guide](https://good.example/guide).",
            "Voir <//evil.example/phish> et <https://evil.example/x>.",
            'Voir <a href="//evil.example/phish">le rapport</a>.',
            "Voir [le rapport](javascript:alert(1)).",
            "Voir [le rapport][1].\n> [1]: //evil.example/phish",
            "Voir [le rapport][1].\n- [1]: //evil.example/phish",
        ],
    ),
    (
        "A list item about <https://good.example/auto>.",
        [
            "Un élément.\n\n  [1]: //evil.example/phish",
            "Un élément <https://evil.example/auto>.",
        ],
    ),
    ("A quoted paragraph.", ["Une citation.\n\n[1]: //evil.example/phish"]),
    ("cell one", ["[1]: //evil.example/phish"]),
]


@pytest.mark.parametrize(
    ("msgid", "msgstr"), [(msgid, msgstr) for msgid, attacks in HIJACKS for msgstr in attacks]
)
def test_a_translation_cannot_add_or_change_a_link_target(msgid: str, msgstr: str) -> None:
    document = segment_markdown(SOURCE, name="a", path="source/a.md")
    _, page = _page(document, {msgid: msgstr})
    assert _targets(page) <= SOURCE_TARGETS, page
    assert "https://good.example/report" in _targets(page), "the source's definitions hold"
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    assert any(f.severity == "error" for f in check_entry(entry, Language("fr"))), msgstr


def test_a_translation_may_move_the_source_links() -> None:
    document = segment_markdown(SOURCE, name="a", path="source/a.md")
    moved = {
        "See [the report][1] and [the guide](https://good.example/guide).": (
            "Le [guide](https://good.example/guide) et [le rapport][1]."
        ),
        "A list item about <https://good.example/auto>.": (
            "<https://good.example/auto> : un élément."
        ),
    }
    text, page = _page(document, moved)
    assert _targets(page) == SOURCE_TARGETS
    assert "Le [guide](https://good.example/guide) et [le rapport][1]." in text
    for msgid, msgstr in moved.items():
        assert check_entry(polib.POEntry(msgid=msgid, msgstr=msgstr), Language("fr")) == []


def test_a_translation_equal_to_its_source_leaves_the_edition_unchanged() -> None:
    source = "# 1. Introduction\n\nLine one  \n2. is not a list here\n\n- [x]: a box\n"
    document = segment_markdown(source, name="a", path="a.md")
    text, _ = _page(document, {segment.text: segment.text for segment in document.segments})
    assert text == source


@pytest.mark.parametrize("line_break", ["\r", "\r\n", "\n"])
def test_a_line_break_in_a_translation_cannot_start_a_block(line_break: str) -> None:
    document = segment_markdown(SOURCE, name="a", path="source/a.md")
    msgstr = f"Deuxième paragraphe.{line_break}```"
    text, page = _page(document, {"Second paragraph.": msgstr})
    assert "<table>" in page and "<pre>" not in page, page
    assert "\r" not in text
    entry = polib.POEntry(msgid="Second paragraph.", msgstr=msgstr)
    assert [f.code for f in check_entry(entry, Language("fr"))] == ["block-marker"]


@pytest.mark.parametrize("line_break", ["\r", "\r\n"])
def test_cr_and_crlf_sources_segment_like_lf(line_break: str) -> None:
    lf = segment_markdown(SOURCE, name="a", path="a.md")
    other = segment_markdown(SOURCE.replace("\n", line_break), name="a", path="a.md")
    assert [(s.text, s.kind, s.line) for s in other.segments] == [
        (s.text, s.kind, s.line) for s in lf.segments
    ]
    for segment in other.segments:
        assert other.text[segment.start : segment.end].replace(line_break, " ") == segment.text
    text = "One line\nand more.\n\nTwo.\n \nThree.\n"
    lf_text = segment_text(text, name="t", path="t.txt")
    other_text = segment_text(text.replace("\n", line_break), name="t", path="t.txt")
    assert (
        [(s.text, s.line) for s in other_text.segments]
        == [(s.text, s.line) for s in lf_text.segments]
        == [("One line and more.", 1), ("Two.", 4), ("Three.", 6)]
    )


def test_machine_lines_follow_cr_sources_in_drafts() -> None:
    source = "# T\r\rFirst.\r\rSecond.\r"
    document = segment_markdown(source, name="a", path="a.md")
    catalog = build_template(document, created="")
    for entry in catalog:
        if entry.msgid == "Second.":
            entry.msgstr, entry.flags = "Deuxième.", ["fuzzy"]
    edition = build_edition(document, catalog, policy=Policy.DRAFT)
    page = render_body(edition.body, Format.MARKDOWN, machine_lines=edition.machine_lines)
    assert '<p class="machine-translated">Deuxième.</p>' in page
    assert "<p>First.</p>" in page


def test_long_plain_text_keeps_every_line_number_and_marker() -> None:
    count = 20_000
    text = "".join(f"Paragraph {index}\nstill {index}.\n\n" for index in range(count))
    document = segment_text(text, name="t", path="t.txt")
    assert [segment.line for segment in document.segments] == [3 * i + 1 for i in range(count)]
    catalog = build_template(document, created="")
    for index, entry in enumerate(catalog):
        if index % 2:
            entry.msgstr, entry.flags = f"Paragraphe {index}.", ["fuzzy"]
    edition = build_edition(document, catalog, policy=Policy.DRAFT)
    page = render_body(edition.body, Format.TEXT, machine_lines=edition.machine_lines)
    assert page.count('<p class="machine-translated">Paragraphe ') == count // 2
    assert '<p class="machine-translated">Paragraphe 19999.</p>' in page
    assert "<p>Paragraph 19998\nstill 19998.</p>" in page


@pytest.mark.parametrize(
    ("msgid", "msgstr", "codes"),
    [
        ("a." * 50_000 + " Mail x@example.org", "a." * 50_000, ["email"]),
        ("a." * 50_000 + " Mail x@example.org", "a." * 50_000 + " x@example.org", []),
        ("Line" + " " * 50_000 + "end  \nnext", "Ligne" + " " * 50_000 + "fin  \nsuite", []),
        (
            "Line" + " " * 50_000 + "end  \nnext",
            "Ligne" + " " * 50_000 + "fin\nsuite",
            ["hard-break"],
        ),
        (
            "\n".join(f"line {i}" for i in range(5_000)),
            "\n".join(f"ligne {i}" for i in range(5_000)) + "\n# x",
            ["block-marker"],
        ),
    ],
    ids=["email-missing", "email-kept", "spaces-kept", "spaces-break-lost", "many-lines"],
)
def test_qa_on_long_runs(msgid: str, msgstr: str, codes: list[str]) -> None:
    findings = check_entry(polib.POEntry(msgid=msgid, msgstr=msgstr), Language("fr"))
    assert sorted({f.code for f in findings} - {"length-ratio", "number"}) == codes


def _deep_quote(levels: int) -> str:
    return "Intro.\n\n" + "> " * levels + "deep text\n"


def _deep_list(levels: int) -> str:
    return "Intro.\n\n" + "".join("  " * level + f"- item {level}\n" for level in range(levels))


@pytest.mark.parametrize("make", [_deep_quote, _deep_list])
def test_nesting_deeper_than_the_parser_reads_is_a_source_error(make: object) -> None:
    assert callable(make)
    source = make(1000)
    with pytest.raises(SourceError) as raised:
        segment_markdown(source, name="a", path="source/a.md")
    assert raised.value.path == Path("source/a.md") and raised.value.line is not None
    deepest_kept = source.split("\n")[raised.value.line - 1]
    assert deepest_kept.count(">") + deepest_kept.count("  ") >= 40, "the line where it is deep"


def test_nesting_within_the_limit_keeps_all_text() -> None:
    source = _deep_quote(40) + "\n" + _deep_list(30).removeprefix("Intro.\n\n")
    document = segment_markdown(source, name="a", path="a.md")
    texts = [segment.text for segment in document.segments]
    assert texts == ["Intro.", "deep text", *(f"item {level}" for level in range(30))]
    page = render_body(source, Format.MARKDOWN)
    assert "deep text" in page and "item 29" in page
