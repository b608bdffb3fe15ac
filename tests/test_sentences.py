"""Sentence splitting per source language, from the fixture table, and on long paragraphs."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from translatio.languages import Language
from translatio.text import sentences
from translatio.text.sentences import split_sentences

from .conftest import FIXTURES

CASES = json.loads((FIXTURES / "text-processing" / "sentence-cases.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("language", "text", "expected"), CASES, ids=[f"{c[0]}-{c[1][:30]}" for c in CASES]
)
def test_sentence_cases(language: str, text: str, expected: list[str]) -> None:
    pieces = split_sentences(text, language)
    assert "".join(pieces) == text
    assert [piece.strip() for piece in pieces] == expected


def test_language_may_be_a_gettext_name() -> None:
    text = "他说「我不去。」然后走了。"
    assert split_sentences(text, Language("zh_TW")) == split_sentences(text, "zh")
    assert split_sentences("M. Dupont est là. Il rit.", "fr_CA") == [
        "M. Dupont est là. ",
        "Il rit.",
    ]


def test_whitespace_and_empty_text_come_back_whole() -> None:
    assert split_sentences("") == []
    assert split_sentences("  ") == ["  "]


def _paragraph(language: str, size: int) -> tuple[str, list[str]]:
    """Whole fixture cases of ``language`` repeated into one paragraph of about ``size``
    characters, and its sentences: those of every case, in order.

    Only cases that end a sentence and start one join without changing their split
    ("1. The first item" has no end; "compounds. . . ." lends its ellipsis to the next).
    """
    cjk = language in ("zh", "ja")
    chosen = [
        case
        for case in CASES
        if case[0] == language
        and re.search(r"[.!?。！？][”’」』）»\"']?$", case[1])
        and not case[1].endswith(". .")
        and (cjk or case[1][0].isupper())
    ]
    joiner = "" if cjk else " "
    unit = joiner.join(text for _, text, _ in chosen)
    copies = size // (len(unit) + 1)
    return joiner.join([unit] * copies), [s for _, _, expected in chosen for s in expected] * copies


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "ru", "zh", "ja"])
def test_long_paragraph(language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """200 KB in one paragraph: exact coverage, each case split as on its own."""
    text, expected = _paragraph(language, 200_000)
    pieces = split_sentences(text, language)
    assert "".join(pieces) == text
    assert [piece.strip() for piece in pieces] == expected
    head = text[:20_000]
    whole_windows = split_sentences(head, language)
    monkeypatch.setattr(sentences, "_WINDOW", 700)
    assert split_sentences(head, language) == whole_windows, "small windows change nothing"


def test_one_long_sentence_is_not_cut() -> None:
    text = "word, " * 5000 + "end."
    assert split_sentences(text, "en") == [text]


def test_stray_bracket_does_not_swallow_the_rest() -> None:
    text = "他说「我不去。然后走了。" + "好的。" * 3
    assert [p.strip() for p in split_sentences(text, "zh")][-3:] == ["好的。"] * 3


def test_import_is_lazy() -> None:
    code = "import translatio.text.sentences, sys; print('sentencex' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
