"""Word counts: the fast regex count equals the plain character-by-character definition."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from translatio.catalog.states import word_count


def _reference_count(text: str) -> int:
    """The definition, one character at a time (the implementation before it was sped up)."""
    words = 0
    in_word = False
    for char in text:
        code = ord(char)
        if 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF:
            words += 1
            in_word = False
        elif char.isalnum():
            words += 0 if in_word else 1
            in_word = True
        else:
            in_word = char in "'’-" and in_word
    return words


PIECES = st.sampled_from(
    ["a", "Z", "é", "7", "²", "_", "'", "’", "-", " ", ".", "中", "か", "한", "ー", "・", "\n", "٣"]
)


@settings(max_examples=300, derandomize=True)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_word_count_matches_the_definition(text: str) -> None:
    assert word_count(text) == _reference_count(text)


@settings(max_examples=200, derandomize=True)
@given(st.text(max_size=60))
def test_word_count_matches_the_definition_on_any_text(text: str) -> None:
    assert word_count(text) == _reference_count(text)


def test_examples() -> None:
    assert word_count("Don't split well-known words, 3.5 times.") == 7  # 3 and 5
    assert word_count("中文字 and 日本語") == 7
