"""Inline Markdown split into what machine translation may change and what it must not.

A msgid becomes a sequence of runs: text runs are translated, protected runs (code
spans, HTML tags, autolinks, URLs, e-mail addresses, link and image targets, reference
labels, entities, backslash escapes and emphasis markers) come back byte for byte.
Text runs without letters (``", "``) are kept as they are too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translatio.glossary import EMPTY, Glossary

__all__ = ["HTML_TAG", "Run", "split_runs"]

HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
"""An inline HTML tag or comment (what a translation must not add)."""

_PROTECTED = re.compile(
    r"""
      (?P<code>`+)[^`].*?(?P=code)                 # code spans
    | <[A-Za-z/!?][^<>]*>                          # HTML tags, autolinks, comments
    | \]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+"[^"]*")?\)   # link / image targets
    | \]\[[^\]]*\]                                 # reference labels
    | !?\[ | \]                                    # link brackets
    | (?:https?|ftp)://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'"]   # bare URLs
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                 # e-mail addresses
    | &\#?\w+;                                     # entities
    | \\[^\w\s]                                    # backslash escapes
    | \*+|(?<!\w)_+|_+(?!\w)|~~                    # emphasis markers
    | \s*\\\n|[ ]{2,}\n                             # hard line breaks
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a msgid."""

    text: str
    """The characters of the piece."""
    translatable: bool
    """Whether machine translation may change it."""
    replacement: str | None = None
    """What a protected glossary term becomes in the translation (``None``: itself)."""


def split_runs(text: str, glossary: Glossary = EMPTY) -> list[Run]:
    """``text`` as runs; joining their texts gives ``text`` back.

    Glossary terms inside text become protected runs carrying their required translation.
    """
    runs: list[Run] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        if match.start() > position:
            runs.extend(_text_runs(text[position : match.start()], glossary))
        runs.append(Run(match.group(0), False))
        position = match.end()
    if position < len(text):
        runs.extend(_text_runs(text[position:], glossary))
    return runs


def _text_runs(text: str, glossary: Glossary) -> list[Run]:
    runs: list[Run] = []
    position = 0
    for match in glossary.find(text):
        if match.start() > position:
            runs.append(_text_run(text[position : match.start()]))
        runs.append(Run(match.group(0), False, glossary.terms[match.group(0)]))
        position = match.end()
    if position < len(text):
        runs.append(_text_run(text[position:]))
    return runs


def _text_run(text: str) -> Run:
    return Run(text, any(char.isalpha() for char in text))
