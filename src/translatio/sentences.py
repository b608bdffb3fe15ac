"""Sentence splitting without models: rules for Latin-script and Chinese/Japanese text.

Argos Translate's own splitter downloads a model at first use and fails offline; this
one needs nothing. It splits after ``.``, ``!``, ``?`` and ``…`` (with any closing quotes
or brackets) when whitespace and a plausible sentence start follow, and never after a
known abbreviation (``Mr.``, ``U.S.``, ``e.g.``), an initial (``J. R. R.``) or inside a
number (``3.5``). Chinese and Japanese split after ``。！？`` with no space needed.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "rev",
        "hon",
        "gen",
        "col",
        "capt",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "pres",
        "no",
        "nos",
        "vol",
        "vols",
        "p",
        "pp",
        "ch",
        "fig",
        "figs",
        "ed",
        "eds",
        "eg",
        "ie",
        "etc",
        "vs",
        "cf",
        "al",
        "approx",
        "dept",
        "est",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    }
)
_CJK_END = re.compile(r"[。！？][”’」』）)\"']*")
_LATIN_END = re.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s+)")
_STARTER = re.compile(r"\s+[\"'“‘«(\[]*[\w¿¡]")


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences; joining them with their whitespace gives ``text`` back.

    Every returned sentence keeps its trailing whitespace, so ``"".join(result) == text``.
    """
    cuts: list[int] = []
    for match in _CJK_END.finditer(text):
        if match.end() < len(text):
            cuts.append(match.end())
    for match in _LATIN_END.finditer(text):
        if _is_sentence_end(text, match.start(), match.end()):
            following = _STARTER.match(text, match.end())
            if following is not None:
                cuts.append(following.end() - 1 - _opening_length(following.group(0)))
    pieces = []
    position = 0
    for cut in sorted(set(cuts)):
        if cut > position:
            pieces.append(text[position:cut])
            position = cut
    pieces.append(text[position:])
    return [piece for piece in pieces if piece]


def _opening_length(starter: str) -> int:
    """Opening quotes and brackets belong to the next sentence."""
    stripped = starter.lstrip()
    return len(stripped) - 1


def _is_sentence_end(text: str, start: int, end: int) -> bool:
    mark = text[start]
    if mark != ".":
        return True
    if text[start:end].startswith("..."):
        return _next_is_upper(text, end)
    word = re.search(r"([\w.]*)$", text[:start])
    token = word.group(1) if word else ""
    if not token:
        return True
    if token.lower().replace(".", "") in _ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isupper():
        return False  # an initial: J. R. R. Tolkien
    if "." in token and all(len(part) <= 2 for part in token.split(".")):
        return False  # U.S., e.g, i.e
    return _next_is_upper(text, end) or _next_is_digit_start(text, end)


def _next_is_upper(text: str, end: int) -> bool:
    match = re.compile(r"\s+[\"'“‘«(\[]*(\w)").match(text, end)
    return match is not None and (match.group(1).isupper() or not match.group(1).isascii())


def _next_is_digit_start(text: str, end: int) -> bool:
    match = re.compile(r"\s+(\d)").match(text, end)
    return match is not None
