"""Prose checks: the defects a reviewer (or ``pofilter``) sees in running text, per language.

Acronyms, brackets, quotation marks, spacing around punctuation, the final punctuation
mark and the number of sentences are compared between a msgid and its msgstr once
markup (code spans, link destinations, HTML, URLs, e-mail addresses) is set aside.
Each check knows the conventions that make a difference legitimate: French spaces before
``!?:;``, Chinese and Japanese full-width punctuation, German „…“ and Japanese 「…」
quotes, Spanish ``EE. UU.``. All of them are warnings: none proves that text was lost;
but an acronym an engine translated as a word (IT → ``LO``) is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache, partial

from translatio.languages import Language
from translatio.qa.findings import Check, Severity
from translatio.qa.language import EMPHASIS_WORDS, is_common_word
from translatio.text.markup import CODE_SPAN, EMAIL, HTML_TAG, SIMPLE_LINK_TARGET, URL
from translatio.text.preview import without_marks
from translatio.text.sentences import split_sentences

__all__ = ["ENGLISH", "PROSE_CHECKS", "prose", "prose_checks"]

ENGLISH = Language("en")
"""The source language when none is given."""

_OBJECT = "\ufffc"
"""What markup becomes in prose: not a word, not punctuation, not a space."""
_DOTTED_ABBREVIATION = re.compile(r"(?<![\w.])(?:[A-Z]{1,2}\.[ \u00a0]?){2,}")
"""``U.S.``, ``EE. UU.``: letters and full stops, read as one acronym."""


# Every check of an entry asks for the prose of its msgid and msgstr: keep the last few.
@lru_cache(maxsize=8)
def prose(text: str) -> str:
    """``text`` with code spans, link destinations, HTML, URLs and e-mails set aside.

    The preview marks around pseudo-localised sentences (``⟦…⟧``) are taken out: they are
    no punctuation of the text (``preview-text`` reports them where they do not belong).
    """
    text = without_marks(text)
    # Each pattern needs a character (or pair) to match: without it, nothing is set aside.
    if "`" in text:
        text = CODE_SPAN.sub(_OBJECT, text)
    if "<" in text:
        text = HTML_TAG.sub(_OBJECT, text)
    if "](" in text:
        text = SIMPLE_LINK_TARGET.sub("]", text)
    if "//" in text or "www." in text:
        text = URL.sub(_OBJECT, text)
    if "@" in text:
        text = EMAIL.sub(_OBJECT, text)
    return text


Results = Iterable[tuple[str, Severity, str]]

_CJK = frozenset({"zh", "ja", "ko"})


# -- acronyms ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:-\w+)*")
_ROMAN = re.compile(r"[IVXLCDM]+")


def _acronyms(text: str) -> Counter[str]:
    if "." in text:  # a dotted abbreviation has one
        text = _DOTTED_ABBREVIATION.sub(lambda m: re.sub(r"[.\s]", "", m.group(0)) + " ", text)
    return Counter(
        word
        for word in _WORD.findall(text)
        if word.isupper() and sum(char.isupper() for char in word) >= 2
    )


def _alone_in_capitals(text: str) -> set[str]:
    """Words in capitals next to no other (``IT`` in ``the IT team``; not ``FOR`` in
    ``FITNESS FOR A PURPOSE``, a phrase in capitals that a translation writes so too)."""
    words = _WORD.findall(text)
    capitals = [False, *(word.isupper() for word in words), False]
    return {
        word
        for index, word in enumerate(words, start=1)
        if capitals[index] and not capitals[index - 1] and not capitals[index + 1]
    }


def _acronym(source: str, target: str, language: Language) -> Results:
    """An acronym of the source is missing, and no other acronym stands in for it (a
    warning), or an everyday word of the language in capitals does (an error)."""
    source, target = prose(source), prose(target)
    expected = _acronyms(source)
    if not expected or sum(expected.values()) * 2 > len(_WORD.findall(source)):
        return  # an all-capitals heading: its words are not acronyms
    found = _acronyms(target)
    missing = sorted((expected - found).elements())
    if not missing:
        return
    # UN → ONU, USA → EE. UU., NATO → OTAN: an acronym of the language stands in for it;
    # an everyday word in capitals (IT → LO, US → NOUS) is the acronym translated as a word,
    # unless it translates emphasis (NOT → NO) or a phrase in capitals (WITHOUT ANY WARRANTY).
    replacements = [word for word in (found - expected).elements() if not _ROMAN.fullmatch(word)]
    words = [word for word in replacements if is_common_word(word, language)]
    if words:
        alone = _alone_in_capitals(source)
        if set(expected) - alone:  # the source has a phrase in capitals: so may the target
            words = [word for word in words if word in _alone_in_capitals(target)]
        emphasis = [word for word in missing if word.lower() in EMPHASIS_WORDS]
        acronyms = [w for w in missing if w in alone and w.lower() not in EMPHASIS_WORDS]
        if len(words) > len(emphasis) and acronyms:
            shown = ", ".join(repr(word) for word in words)
            yield (
                "acronym",
                Severity.ERROR,
                f"acronym {acronyms[0]!r} was translated as a word: {shown} in capitals",
            )
            return
    mangled = [
        word
        for word in missing
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", target, re.IGNORECASE)
    ]
    # Chinese and Japanese write most acronyms in their own script (UN → 联合国).
    stands_in = language.primary in _CJK or len(replacements) >= len(missing)
    if mangled or not stands_in:
        shown = ", ".join(repr(word) for word in (mangled or missing)[:3])
        yield "acronym", Severity.WARNING, f"acronyms changed or missing: {shown}"


# -- brackets and quotation marks ----------------------------------------------------------

_BRACKET_FORMS = (
    ("(", "(（〔"),
    (")", ")）〕"),
    ("[", "[［【"),
    ("]", "]］】"),
    ("{", "{｛"),
    ("}", "}｝"),
)
"""Each bracket with its full-width forms (【】 count as square, 〔〕 as round)."""
_DOUBLE_QUOTES = re.compile('["“”„‟«»「」『』‹›〝〞〟＂]')


def _brackets(text: str) -> Counter[str]:
    return Counter(
        {
            bracket: count
            for bracket, forms in _BRACKET_FORMS
            if (count := sum(text.count(form) for form in forms))
        }
    )


def _bracket(source: str, target: str, language: Language) -> Results:
    """Round, square or curly brackets are missing or added (full-width ones count)."""
    expected, found = _brackets(prose(source)), _brackets(prose(target))
    if expected != found:
        missing = "".join(sorted((expected - found).elements()))
        added = "".join(sorted((found - expected).elements()))
        parts = [f"missing {missing!r}"] * bool(missing) + [f"added {added!r}"] * bool(added)
        yield "bracket", Severity.WARNING, f"brackets differ from the source: {'; '.join(parts)}"


def _quotes(source: str, target: str, language: Language) -> Results:
    """Double quotation marks in any language's form („…“, «…», 「…」) differ in number."""
    expected = len(_DOUBLE_QUOTES.findall(prose(source)))
    found = len(_DOUBLE_QUOTES.findall(prose(target)))
    if expected != found:
        yield (
            "quotes",
            Severity.WARNING,
            f"quotation marks: {expected} in the source, {found} here (one unclosed or lost?)",
        )


# -- punctuation ---------------------------------------------------------------------------

# Whitespace before a mark (the lookbehind starts a run of spaces at its first space);
# ``.NET`` and ``.5`` are words and numbers, not punctuation.
_SPACED_MARK = re.compile(r"(?<![ \t\u00a0\u202f\u2009])[ \t\u00a0\u202f\u2009]+([,.;:!?])(?!\w)")
_UNSPACED_MARK = re.compile(r"[,;!?](?=[^\W\d_])|[.:](?=[^\W\d_][^\W\d_])(?<![A-Z][.:])")
# French (France, Belgium, Switzerland, Canada) puts a space before the high marks.
_SPACE_BEFORE_ALLOWED = {"fr": frozenset(";:!?")}


def _punctuation_spacing(source: str, target: str, language: Language) -> Results:
    """A space before a mark where the language wants none, or no space after one."""
    source, target = prose(source), prose(target)
    allowed = _SPACE_BEFORE_ALLOWED.get(language.primary, frozenset())
    spaced = [m.group(1) for m in _SPACED_MARK.finditer(target) if m.group(1) not in allowed]
    if spaced and len(spaced) > len(_SPACED_MARK.findall(source)):
        yield "punctuation-spacing", Severity.WARNING, f"a space before {spaced[0]!r}"
    elif language.primary not in _CJK:
        unspaced = _UNSPACED_MARK.findall(target)
        if unspaced and len(unspaced) > len(_UNSPACED_MARK.findall(source)):
            yield "punctuation-spacing", Severity.WARNING, f"no space after {unspaced[0]!r}"


_END_MARKS = {
    ".": ".",
    "。": ".",
    "．": ".",
    "｡": ".",
    "।": ".",
    "!": "!",
    "！": "!",
    "?": "?",
    "？": "?",
    "؟": "?",
    ":": ":",
    "：": ":",
    ";": ";",
    "；": ";",
    "…": "…",
}
_CLOSERS = " \t\r\n\u00a0\u202f\u2009*_~\"'”’»›」』)]）】"


def _final_mark(text: str, language: Language | None) -> str:
    text = text.rstrip(_CLOSERS)
    if text.endswith("..."):
        return "…"
    if language is not None and language.primary == "el" and text.endswith(";"):
        return "?"  # the Greek question mark
    return _END_MARKS.get(text[-1:], "")


def _end_punctuation(source: str, target: str, language: Language) -> Results:
    """The final mark (full stop, question, exclamation, colon, ellipsis) differs."""
    expected = _final_mark(prose(source), None)
    found = _final_mark(prose(target), language)
    if expected != found:
        shown = {"": "none"}
        yield (
            "end-punctuation",
            Severity.WARNING,
            f"ends with {shown.get(found, repr(found))}, the source with "
            f"{shown.get(expected, repr(expected))}",
        )


# -- sentences -----------------------------------------------------------------------------


# A run of full stops, question or exclamation marks that ends a sentence (before a space or
# the end, or a full-width one anywhere); the lookbehinds start a run at its first mark.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’»)\]]*(?:\s|\Z)|(?<![。！？])[。！？]+")


def _count_sentences(text: str, language: Language | None) -> int:
    return sum(1 for sentence in split_sentences(text, language) if re.search(r"\w", sentence))


def _sentence_count(
    source: str, target: str, language: Language, source_language: Language = ENGLISH
) -> Results:
    """The translation has fewer sentences than the source: one may have been dropped.

    Both the sentence splitter and a count of sentence-ending marks must agree, so that an
    abbreviation one of them misreads is not a lost sentence. A translation with more
    sentences has split a long one, which is often right.
    """
    source, target = prose(source), prose(target)
    expected = (
        _count_sentences(source, source_language) if len(_SENTENCE_END.findall(source)) > 1 else 1
    )
    if expected < 2:
        return  # one sentence cannot lose another
    found = _count_sentences(target, language)
    if found < expected and len(_SENTENCE_END.findall(target)) < len(_SENTENCE_END.findall(source)):
        yield (
            "sentence-count",
            Severity.WARNING,
            f"{found} sentences where the source has {expected} (one dropped?)",
        )


PROSE_CHECKS: tuple[Check, ...] = (
    _acronym,
    _bracket,
    _quotes,
    _punctuation_spacing,
    _end_punctuation,
    _sentence_count,
)
"""The prose checks, in the order their findings are listed (English source texts)."""

_PROSE_CHECKS_BY_SOURCE = {ENGLISH: PROSE_CHECKS}


def prose_checks(source_language: Language) -> tuple[Check, ...]:
    """The prose checks for source texts in ``source_language`` (it splits sentences)."""
    checks = _PROSE_CHECKS_BY_SOURCE.get(source_language)
    if checks is None:
        checks = tuple(
            partial(_sentence_count, source_language=source_language)
            if check is _sentence_count
            else check
            for check in PROSE_CHECKS
        )
        _PROSE_CHECKS_BY_SOURCE[source_language] = checks
    return checks
