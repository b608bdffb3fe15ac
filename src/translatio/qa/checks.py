"""Quality checks: each msgid compared with its msgstr, findings a translator understands.

Every finding has a stable code, a severity, the catalog's ``file:line`` of the entry, the
source reference, and a message. Errors mean the translation would break the edition or
lose information (a link target, a code span, an added heading marker); warnings point
at likely mistakes (numbers, repetition, punctuation, length).
"""

from __future__ import annotations

import html
import operator
import re
from collections import Counter
from collections.abc import Iterable

import polib

from translatio.catalog.provenance import is_untouched_machine_output, read_provenance
from translatio.languages import Language
from translatio.qa.characters import CHARACTER_CHECKS
from translatio.qa.chinese import CHINESE_CHECKS
from translatio.qa.findings import Check, Finding, Severity
from translatio.qa.preview import preview_text
from translatio.qa.prose import ENGLISH, PROSE_CHECKS, prose_checks
from translatio.qa.script import script_checks
from translatio.text.glossary import EMPTY, Glossary
from translatio.text.markup import (
    AUTOLINK,
    CODE_SPAN,
    EMAIL,
    EMPHASIS,
    HARD_BREAK,
    HTML_TAG,
    LINK_ATTRIBUTE,
    LINK_DEFINITION,
    LINK_LABEL,
    LINK_TARGET,
    STRONG,
    UNSAFE_SCHEME,
    URL,
    HtmlPattern,
)
from translatio.text.preview import without_marks

__all__ = ["CHECKS", "Finding", "Severity", "check_catalog", "check_entry"]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""A line ending as CommonMark reads one: LF, CR or CRLF."""
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r|\n)")
_BLOCK_MARKER = re.compile(r"^(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|```|~~~)")
# Groups of three digits may be joined by a space (``1 000,5``, ``3\u202f000``) as well as by
# ``.`` or ``,``; a spaced group starts at the beginning of its run of digits.
_NUMBER = re.compile(
    r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)*"
)
_DIGIT = re.compile(r"\d")
_NUMBER_SEPARATOR = re.compile(r"[.,\s]")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
# A word, then the same word (in any case): it starts only where a word starts.
_REPEATED_WORD = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
# Words that legitimately follow themselves ("vous vous trompez", "that that", "had had").
_MAY_REPEAT = frozenset({"nous", "vous", "that", "had", "is"})
_LOOP = re.compile(r"(.{2,30}?)\1{3,}", re.DOTALL)
"""A chunk four times or more in a row."""


def _multiset(pattern: re.Pattern[str] | HtmlPattern, text: str, group: int = 0) -> Counter[str]:
    return Counter(match.group(group) for match in pattern.finditer(text))


def _difference(source: Counter[str], target: Counter[str]) -> str:
    missing = sorted((source - target).elements())
    extra = sorted((target - source).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(repr(item) for item in missing[:3]))
    if extra:
        parts.append("added " + ", ".join(repr(item) for item in extra[:3]))
    return "; ".join(parts)


def _same_multiset(
    code: str,
    pattern: re.Pattern[str] | HtmlPattern,
    what: str,
    severity: Severity,
    group: int = 0,
    *,
    triggers: tuple[str, ...],
) -> Check:
    """A check that ``pattern`` matches the same strings in both texts; it cannot match
    a text that holds none of ``triggers`` (most texts, so most entries skip the scan)."""

    def check(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
        if not any(trigger in source or trigger in target for trigger in triggers):
            return
        expected, found = _multiset(pattern, source, group), _multiset(pattern, target, group)
        if expected != found:
            yield code, severity, f"{what} differ from the source: {_difference(expected, found)}"

    return check


def _counts(code: str, pattern: re.Pattern[str], what: str, *, triggers: tuple[str, ...]) -> Check:
    """A check that ``pattern`` matches as often in both texts (never without ``triggers``)."""

    def check(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
        if not any(trigger in source or trigger in target for trigger in triggers):
            return
        expected, found = len(pattern.findall(source)), len(pattern.findall(target))
        if expected != found:
            yield code, Severity.WARNING, f"{what}: {expected} in the source, {found} here"

    return check


def _block_marker(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    allowed: set[str] | None = None  # the source's markers, found when first needed
    for line in _LINE_BREAK.split(target):
        marker = _BLOCK_MARKER.match(line.lstrip())
        if marker and allowed is None:
            allowed = {
                opener.group(0)
                for source_line in _LINE_BREAK.split(source)
                if (opener := _BLOCK_MARKER.match(source_line.lstrip()))
            }
        if marker and allowed is not None and marker.group(0) not in allowed:
            yield (
                "block-marker",
                Severity.ERROR,
                f"the translation starts a line with {marker.group(0).strip()!r}, which would "
                "turn it into a heading, list, quote or code block",
            )
            return
    if (
        ("\n" in target or "\r" in target)
        and _BLANK_LINE.search(target)
        and not _BLANK_LINE.search(source)
    ):
        yield (
            "paragraph-break",
            Severity.ERROR,
            "the translation has a blank line, which would split the paragraph in two",
        )


def _unsafe_link(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    # Browsers ignore tabs and line breaks in a URL and entities are decoded before it is used.
    if ":" not in target and "&" not in target:
        return  # no scheme, and no entity to decode into a colon

    def schemes(text: str) -> Counter[str]:
        plain = re.sub(r"[\t\r\n]", "", html.unescape(text))
        return Counter(re.sub(r"\s", "", m.group(0)).lower() for m in UNSAFE_SCHEME.finditer(plain))

    added = schemes(target) - schemes(source)
    if added:
        yield (
            "unsafe-link",
            Severity.ERROR,
            f"the translation adds a {', '.join(sorted(added))} link, which could run code",
        )


_ROMAN_NUMERALS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def _roman(number: int) -> str:
    roman = ""
    for value, letters in _ROMAN_NUMERALS:
        count, number = divmod(number, value)
        roman += letters * count
    return roman


def _numbers(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if not _DIGIT.search(source):
        return  # nothing to lose

    def normalise(text: str) -> list[str]:
        return [
            number if number.isdigit() else _NUMBER_SEPARATOR.sub("", number)
            for number in _NUMBER.findall(text)
        ]

    ordinals = _ORDINAL.findall(source)
    expected_numbers = normalise(_ORDINAL.sub("", source) if ordinals else source)
    found_numbers = normalise(target)
    if not ordinals and expected_numbers == found_numbers:
        return  # the usual case: the same numbers in the same order
    expected, found = Counter(expected_numbers), Counter(found_numbers)
    missing = expected - found
    spare = found - expected
    # "21st century" is "siglo XXI" or "XXIe siècle"; "first" to "tenth" may become words.
    for ordinal in ordinals:
        if spare[ordinal]:
            spare[ordinal] -= 1
        elif int(ordinal) > 10 and not (
            0 < int(ordinal) < 4000
            and re.search(rf"(?<![^\W\d_]){_roman(int(ordinal))}(?![A-Z])", target)
        ):
            missing[ordinal] += 1
    if missing:
        shown = ", ".join(sorted(missing.elements())[:3])
        yield "number", Severity.WARNING, f"numbers missing from the translation: {shown}"


def _blank(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if not target.strip():
        yield "blank", Severity.ERROR, "the translation is only whitespace"


def _loop(text: str) -> re.Match[str] | None:
    """The first chunk of 2 to 30 characters repeated four times or more in a row."""
    # Four copies start with the same two characters: a text without a pair of characters
    # four times over has no loop, and the pattern is slow (it tries 29 lengths everywhere).
    if len(text) < 8 or max(Counter(map(operator.add, text, text[1:])).values()) < 4:
        return None
    return _LOOP.search(text)


def _repetition(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    in_source = {match.group(1).casefold() for match in _REPEATED_WORD.finditer(source)}
    repeated = next(
        (
            match
            for match in _REPEATED_WORD.finditer(target)
            if match.group(1).casefold() not in _MAY_REPEAT | in_source
        ),
        None,
    )
    if repeated:
        yield "repeated-word", Severity.WARNING, f"repeated word {repeated.group(0)!r}"
    # a machine-translation loop: the same chunk many times in a row
    loop = _loop(target)
    if loop and not _loop(source):
        yield (
            "degenerate-repetition",
            Severity.ERROR,
            f"{loop.group(1)!r} repeats {len(loop.group(0)) // len(loop.group(1))} times "
            "(a machine-translation loop?)",
        )


_EXPECTED_LENGTH = {"zh": (0.15, 1.0), "ja": (0.2, 1.2), "ko": (0.2, 1.3)}


def _length(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if len(source) < 40:
        return
    low, high = _EXPECTED_LENGTH.get(language.primary, (0.5, 2.2))
    ratio = len(without_marks(target)) / len(source)  # a preview's marks are not its text
    if not low <= ratio <= high:
        yield (
            "length-ratio",
            Severity.WARNING,
            f"the translation is {ratio:.2f}× the source length (expected {low}–{high}×)",
        )


_CORE_CHECKS: tuple[Check, ...] = (
    _same_multiset(
        "link-target", LINK_TARGET, "link or image targets", Severity.ERROR, 1, triggers=("](",)
    ),
    _same_multiset("code-span", CODE_SPAN, "code spans", Severity.ERROR, triggers=("`",)),
    _same_multiset("html-tag", HTML_TAG, "HTML tags or comments", Severity.ERROR, triggers=("<",)),
    _same_multiset(
        "link-label", LINK_LABEL, "link reference labels", Severity.ERROR, 1, triggers=("][",)
    ),
    _same_multiset(
        "link-definition",
        LINK_DEFINITION,
        "link reference definitions",
        Severity.ERROR,
        1,
        triggers=("]:",),
    ),
    _same_multiset("autolink", AUTOLINK, "autolinks", Severity.ERROR, triggers=("<",)),
    _same_multiset(
        "link-attribute", LINK_ATTRIBUTE, "HTML link attributes", Severity.ERROR, triggers=("=",)
    ),
    _unsafe_link,
    _same_multiset("url", URL, "URLs", Severity.ERROR, triggers=("//", "www.")),
    _same_multiset("email", EMAIL, "e-mail addresses", Severity.ERROR, triggers=("@",)),
    _counts("strong", STRONG, "bold markers", triggers=("**", "__")),
    _counts("emphasis", EMPHASIS, "emphasis markers", triggers=("*", "_")),
    _counts("hard-break", HARD_BREAK, "hard line breaks", triggers=("\n", "\r")),
    _block_marker,
    _blank,
    _numbers,
    _repetition,
    *CHINESE_CHECKS,
    *CHARACTER_CHECKS,
    _length,
)
CHECKS: tuple[Check, ...] = (*_CORE_CHECKS, *PROSE_CHECKS)
"""Every check; each takes (msgid, msgstr, language) and yields (code, severity, message)."""


def _glossary(source: str, target: str, glossary: Glossary) -> Iterable[tuple[str, Severity, str]]:
    for term in dict.fromkeys(match.group(0) for match in glossary.find(source)):
        required = glossary.terms[term]
        if required not in target:
            wanted = "stay as it is" if required == term else f"be {required!r}"
            yield "glossary", Severity.WARNING, f"glossary: {term!r} should {wanted}"


def check_entry(
    entry: polib.POEntry,
    language: Language,
    *,
    source: Language = ENGLISH,
    path: str = "",
    glossary: Glossary = EMPTY,
) -> list[Finding]:
    """Findings for one translated entry (an untranslated entry has none).

    ``language`` is the translation's, ``source`` the msgid's (it splits sentences).
    """
    if not entry.msgstr or entry.obsolete or not entry.msgid:
        return []
    reference = f"{entry.occurrences[0][0]}:{entry.occurrences[0][1]}" if entry.occurrences else ""
    results = [
        result for check in _CORE_CHECKS for result in check(entry.msgid, entry.msgstr, language)
    ]
    results.extend(_markup_placement(entry))
    results.extend(preview_text(entry))
    results.extend(script_checks(entry, language, source=source, glossary=glossary))
    # An entry with an error is rewritten anyway, and broken markup (a lost link, an added
    # heading) would come back as spurious bracket or punctuation warnings.
    if all(severity is not Severity.ERROR for _, severity, _ in results):
        results.extend(
            result
            for check in prose_checks(source)
            for result in check(entry.msgid, entry.msgstr, language)
        )
    results.extend(_glossary(entry.msgid, entry.msgstr, glossary))
    return [
        Finding(code, severity, message, path, entry.linenum or 0, reference)
        for code, severity, message in results
    ]


def _markup_placement(entry: polib.POEntry) -> list[tuple[str, Severity, str]]:
    """Untouched machine output whose markup the safe placement put back: an error.

    No alignment said where the sentence's emphasis and links go, so links went around
    the whole sentence and emphasis was dropped; a person must look before it is
    approved. Once they edit it, the text is theirs and the finding goes.
    """
    provenance = read_provenance(entry.tcomment or "")
    if provenance is None or provenance.markup != "unsure":
        return []
    if not is_untouched_machine_output(entry):
        return []
    return [
        (
            "markup-placement",
            Severity.ERROR,
            "the engine gave no word alignment, so this sentence's links were put around "
            "the whole sentence and its emphasis dropped: place them as the source has them",
        )
    ]


def check_catalog(
    catalog: polib.POFile,
    language: Language,
    *,
    source: Language = ENGLISH,
    path: str = "",
    glossary: Glossary = EMPTY,
) -> list[Finding]:
    """Findings for every translated entry, in catalog order (``source``: the msgids')."""
    return [
        finding
        for entry in catalog
        for finding in check_entry(entry, language, source=source, path=path, glossary=glossary)
    ]
