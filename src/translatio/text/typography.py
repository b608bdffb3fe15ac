"""Per-language clean-up of machine output, applied to translated text runs only.

Chinese (Chinese Copywriting Guidelines, CLDR): full-width punctuation in Han context,
no spaces between Han characters or around full-width punctuation, a configurable policy
for spaces between Han and Latin letters or digits, no doubled punctuation, and quotes by
locale (“” ‘’ for zh_CN, 「」 『』 for zh_TW). Code spans, URLs and link targets never
reach this module: the caller passes plain text runs.
"""

from __future__ import annotations

import re
from string import ascii_letters

from translatio.config import HanLatinSpacing
from translatio.languages import Language

__all__ = ["polish"]


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_PUNCT = "，。！？：；、（）“”‘’「」『』《》〈〉【】…—"
_TRADITIONAL_QUOTES = str.maketrans("“”‘’", "「」『』")
_TO_FULL = {",": "，", "!": "！", "?": "？", ":": "：", ";": "；"}
_LATIN_LETTERS = frozenset(ascii_letters)
_HAN_CHAR = re.compile(f"[{_HAN}]")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
# Spaces before or after full-width punctuation; a run of spaces is taken whole, from its
# start only, so that a long run not next to punctuation costs its length once.
_SPACES_AT_FULL_PUNCT = re.compile(
    rf"(?<![ \t])[ \t]++(?=[{_FULL_PUNCT}])|(?<=[{_FULL_PUNCT}])[ \t]+"
)


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
    text = _PARENTHESES.sub(_full_width_parentheses, text)
    # Quotes: straight ones paired, then the locale's style.
    text = _pair_quotes(text)
    after = f"(?<=[{_HAN}”’」』）])"
    text = re.sub(rf"{after}\s*([,!?:;])(?!\d)", lambda match: _TO_FULL[match.group(1)], text)
    text = re.sub(rf"{after}\s*\.(?=\s|$|{han}|[“‘「『])", "。", text)
    if traditional:
        text = text.translate(_TRADITIONAL_QUOTES)
    # No spaces between Han characters or around full-width punctuation.
    text = re.sub(rf"(?<={han})[ \t]+(?={han})", "", text)
    text = _SPACES_AT_FULL_PUNCT.sub("", text)
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


def _full_width_parentheses(match: re.Match[str]) -> str:
    inner = match.group(1)
    return f"（{inner}）" if _HAN_CHAR.search(inner) else match.group(0)


def _pair_quotes(text: str) -> str:
    """Straight double and single quotes around Han text become curly pairs."""
    text = _pair(text, '"', "“”", apostrophes=False)
    return _pair(text, "'", "‘’", apostrophes=True)


def _pair(text: str, quote: str, pair: str, *, apostrophes: bool) -> str:
    """Each ``quote`` and the next one, with Han text between them, become ``pair``.

    A pair that does not qualify leaves its second quote free to open the next one.
    With ``apostrophes``, a quote right after a Latin letter opens nothing and one
    right before a Latin letter closes nothing (``don't``, ``'s``).
    """
    positions = [match.start() for match in re.finditer(re.escape(quote), text)]
    pieces: list[str] = []
    done = 0
    index = 0
    while index + 1 < len(positions):
        opening, closing = positions[index], positions[index + 1]
        if (
            apostrophes
            and (
                (opening > 0 and text[opening - 1] in _LATIN_LETTERS)
                or text[closing + 1 : closing + 2] in _LATIN_LETTERS
            )
        ) or not _HAN_CHAR.search(text, opening + 1, closing):
            index += 1
            continue
        pieces += [text[done:opening], pair[0], text[opening + 1 : closing], pair[1]]
        done = closing + 1
        index += 2
    pieces.append(text[done:])
    return "".join(pieces)
