"""Traditional Chinese (zh_TW) derived from Simplified (zh_CN) output with OpenCC."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from translatio.languages import Language
from translatio.reports import Translation

__all__ = [
    "DERIVED_MARK",
    "SIMPLIFIED",
    "TRADITIONAL",
    "convert_traditional",
    "derive_traditional",
]

SIMPLIFIED = Language("zh_CN")
"""What Traditional Chinese is derived from."""
TRADITIONAL = "zh_TW"
"""The gettext code of the language that can be derived."""
DERIVED_MARK = "opencc-s2twp"
"""Appended to the model name of zh_TW text derived from zh_CN output."""


def derive_traditional(simplified: Sequence[Translation]) -> list[Translation]:
    """Each translation converted with OpenCC ``s2twp`` (Taiwan characters and phrases)."""
    converter = _opencc()
    return [
        Translation(
            converter.convert(item.text),
            item.score,
            f"{item.model}+{DERIVED_MARK}",
            decoding=item.decoding,
            alternatives=tuple(converter.convert(text) for text in item.alternatives),
        )
        for item in simplified
    ]


def convert_traditional(text: str) -> str:
    """One text converted with OpenCC ``s2twp``."""
    return str(_opencc().convert(text))


@functools.cache
def _opencc() -> Any:
    import opencc

    return opencc.OpenCC("s2twp")
