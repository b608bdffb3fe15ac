"""Per-language clean-up of machine output, applied to translated text runs only.

Chinese (Chinese Copywriting Guidelines, CLDR): full-width punctuation in Han context,
no spaces between Han characters or around full-width punctuation, a configurable policy
for spaces between Han and Latin letters or digits, no doubled punctuation, and quotes by
locale (“” ‘’ for zh_CN, 「」 『』 for zh_TW). Code spans, URLs and link targets never
reach this module: the caller passes plain text runs.
"""

from __future__ import annotations

import re
from enum import StrEnum

from translatio.languages import Language

__all__ = ["HanLatinSpacing", "polish"]


class HanLatinSpacing(StrEnum):
    """What to put between Han characters and Latin letters or digits."""

    SPACE = "space"
    NONE = "none"
    KEEP = "keep"


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_PUNCT = "，。！？：；、（）“”‘’「」『』《》〈〉【】…—"
_TRADITIONAL_QUOTES = str.maketrans("“”‘’", "「」『』")
_TO_FULL = {",": "，", "!": "！", "?": "？", ":": "：", ";": "；"}


def polish(
    text: str, language: Language, *, spacing: HanLatinSpacing = HanLatinSpacing.SPACE
) -> str:
    """``text`` with the typography conventions of ``language`` applied."""
    if not language.is_chinese:
        return text
    return _chinese(text, traditional=language.code == "zh_TW", spacing=spacing)


def _chinese(text: str, *, traditional: bool, spacing: HanLatinSpacing) -> str:
    han = f"[{_HAN}]"
    # Half-width punctuation right after Han text becomes full-width.
    text = re.sub(rf"\(([^()]*{han}[^()]*)\)", r"（\1）", text)
    # Quotes: straight ones paired, then the locale's style.
    text = _pair_quotes(text)
    after = f"(?<=[{_HAN}”’」』）])"
    text = re.sub(rf"{after}\s*([,!?:;])(?!\d)", lambda match: _TO_FULL[match.group(1)], text)
    text = re.sub(rf"{after}\s*\.(?=\s|$|{han}|[“‘「『])", "。", text)
    if traditional:
        text = text.translate(_TRADITIONAL_QUOTES)
    # No spaces between Han characters or around full-width punctuation.
    text = re.sub(rf"(?<={han})[ \t]+(?={han})", "", text)
    text = re.sub(rf"[ \t]*([{_FULL_PUNCT}])[ \t]*", r"\1", text)
    # Doubled punctuation from concatenated sentences.
    text = re.sub(r"([。！？，、；：])[。，、；：]+", r"\1", text)
    text = re.sub(r"(\d)\s+([%°])", r"\1\2", text)
    if spacing is HanLatinSpacing.SPACE:
        text = re.sub(rf"({han})([A-Za-z0-9])", r"\1 \2", text)
        text = re.sub(rf"([A-Za-z0-9%])({han})", r"\1 \2", text)
    elif spacing is HanLatinSpacing.NONE:
        text = re.sub(rf"(?<={han})[ \t]+(?=[A-Za-z0-9])", "", text)
        text = re.sub(rf"(?<=[A-Za-z0-9%])[ \t]+(?={han})", "", text)
    return text


def _pair_quotes(text: str) -> str:
    """Straight double and single quotes around Han text become curly pairs."""
    han = f"[{_HAN}]"
    text = re.sub(rf'"([^"]*{han}[^"]*)"', r"“\1”", text)
    return re.sub(rf"(?<![A-Za-z])'([^']*{han}[^']*)'(?![A-Za-z])", r"‘\1’", text)
