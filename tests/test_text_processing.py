"""Sentence splitting, Chinese typography and markup runs, from data tables."""

from __future__ import annotations

import json

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translatio.config import HanLatinSpacing
from translatio.engines.pseudo import pseudo_localise
from translatio.languages import Language
from translatio.qa.checks import Severity, check_entry
from translatio.text.markup import split_runs
from translatio.text.sentences import split_sentences
from translatio.text.typography import polish

from .conftest import FIXTURES

TABLES = FIXTURES / "text-processing"
SENTENCE_CASES = json.loads((TABLES / "sentences.json").read_text("utf-8"))
TYPOGRAPHY_CASES = json.loads((TABLES / "typography.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("text", "expected"), SENTENCE_CASES, ids=[c[0][:30] for c in SENTENCE_CASES]
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert [piece.strip() for piece in pieces] == expected


@pytest.mark.parametrize(
    ("code", "text", "expected"), TYPOGRAPHY_CASES, ids=[c[1][:20] for c in TYPOGRAPHY_CASES]
)
def test_typography(code: str, text: str, expected: str) -> None:
    assert polish(text, Language(code)) == expected


def test_han_latin_spacing_policies() -> None:
    zh = Language("zh_CN")
    assert polish("使用 Python 3 编程", zh, spacing=HanLatinSpacing.NONE) == "使用Python 3编程"
    assert polish("使用Python编程", zh, spacing=HanLatinSpacing.KEEP) == "使用Python编程"
    assert polish("使用Python编程", zh, spacing=HanLatinSpacing.SPACE) == "使用 Python 编程"


def test_markup_runs_protect_what_must_survive() -> None:
    text = (
        'Read **the** [guide](https://example.org/x_y?a=1 "T") and `run | fast` '
        "<kbd>Ctrl</kbd> at https://a.example/b, mail me@example.org &amp; snake_case\\*"
    )
    runs = split_runs(text)
    assert "".join(run.text for run in runs) == text
    translatable = [run.text for run in runs if run.translatable]
    assert translatable, "the words are translated"
    for part in translatable:
        for marker in ("`", "](", "<", "https://", "@", "&amp;", "**", "\\*"):
            assert marker not in part, (marker, part)
    assert any("snake_case" in part for part in translatable), "inner underscores are text"
    protected = [run.text for run in runs if not run.translatable]
    for kept in (
        "**",
        '](https://example.org/x_y?a=1 "T")',
        "`run | fast`",
        "<kbd>",
        "</kbd>",
        "https://a.example/b",
        "me@example.org",
        "&amp;",
        "\\*",
    ):
        assert kept in protected, kept


# One piece of each kind: (QA's code, a source, the piece in it, the piece changed).
SHARED_PIECES = [
    ("code-span", "Run `make test` first.", "`make test`", "`make tests`"),
    ("url", "See https://a.example/p today.", "https://a.example/p", "https://a.example/q"),
    ("email", "Write to me@example.org today.", "me@example.org", "you@example.org"),
    ("link-target", "An ![image](img/cat.png) here.", "](img/cat.png)", "](img/dog.png)"),
    ("html-tag", "Press <kbd>Ctrl</kbd> now.", "<kbd>", "<b>"),
    ("autolink", "Visit <https://a.example> now.", "<https://a.example>", "<https://b.example>"),
    ("link-label", "See [the guide][guide] now.", "][guide]", "][other]"),
]


@pytest.mark.parametrize(("code", "source", "piece", "changed"), SHARED_PIECES)
def test_every_reader_of_the_markup_vocabulary_sees_the_same_piece(
    code: str, source: str, piece: str, changed: str
) -> None:
    """What machine translation keeps whole, the pseudo engine keeps and QA guards."""
    assert piece in [run.text for run in split_runs(source) if not run.translatable]
    translation = pseudo_localise(source)
    assert piece in translation
    entry = polib.POEntry(msgid=source, msgstr=translation)
    assert code not in {finding.code for finding in check_entry(entry, Language("fr"))}
    entry.msgstr = translation.replace(piece, changed, 1)
    assert code in {finding.code for finding in check_entry(entry, Language("fr"))}


# Where the pseudo engine once read markup its own way: (source, pieces kept, words accented).
PSEUDO_EDGE_CASES = [
    (
        "A [link](https://en.wikipedia.org/wiki/Foo_(bar)) here.",
        ["](https://en.wikipedia.org/wiki/Foo_(bar))"],
        ["ĺíñķ", "ĥéŕé"],
    ),
    (
        'An ![image](img/a(1).png "Title") here.',
        ['](img/a(1).png "Title")'],
        ["íɱáğé"],
    ),
    ("See https://example.org/path. Then more.", ["https://example.org/path"], ["Ţĥéñ"]),
    ("Go to https://x now.", ["https://x"], ["ñóŵ"]),
    ("http://, is no address.", [], ["ĥţţþ://,"]),
    ("C:\\Users\\bob and \\*stars\\*", ["\\*"], ["\\Úšéŕš", "\\ƀóƀ", "šţáŕš"]),
    ("Mail \\a@b.org today.", ["a@b.org"], ["Ṁáíĺ"]),
]


@pytest.mark.parametrize(("source", "kept", "accented"), PSEUDO_EDGE_CASES)
def test_the_pseudo_engine_keeps_what_machine_translation_keeps(
    source: str, kept: list[str], accented: list[str]
) -> None:
    """Backslash before a letter, parentheses in a link target, a URL's last character."""
    protected = [run.text for run in split_runs(source) if not run.translatable]
    translation = pseudo_localise(source)
    for piece in kept:
        assert piece in protected and piece in translation, piece
    for word in accented:
        assert word in translation, word
    entry = polib.POEntry(msgid=source, msgstr=translation)
    errors = [f for f in check_entry(entry, Language("fr")) if f.severity is Severity.ERROR]
    assert errors == []


_MARKUP_PIECES = st.sampled_from(
    [
        *("a", "Zb", " ", ".", ",", "(", ")", "[", "]", "](", "`", "\\", "*", "_", "@", "/"),
        *(":", "https://", "x@y.org", "&amp;", "<b>", "\n", "  \n", "www."),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP_PIECES, max_size=30).map("".join))
def test_the_pseudo_engine_changes_only_letters_of_translatable_runs(text: str) -> None:
    translation = pseudo_localise(text)
    assert len(translation) == len(text)
    position = 0
    for run in split_runs(text):
        for offset, char in enumerate(run.text):
            changed = translation[position + offset] != char
            assert changed == (run.translatable and char.isascii() and char.isalpha()), run
        position += len(run.text)
