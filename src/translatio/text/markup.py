"""Inline Markdown: the one vocabulary of its pieces, and a msgid split by it for MT.

The pieces (code spans, HTML tags and comments, autolinks, URLs, e-mail addresses, link
and image targets, reference labels, entities, backslash escapes, emphasis markers, hard
breaks) are defined here once, named, for every reader: machine-translation protection
(``split_runs``), QA (``qa``, ``qa_prose``), the pseudo engine and editions.

A msgid becomes a sequence of runs: text runs are translated, protected runs come back
byte for byte. Text runs without letters (``", "``) are kept as they are too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from translatio.text.glossary import EMPTY, HELD_CLOSE, HELD_OPEN, Glossary

__all__ = [
    "ADDRESS",
    "ANGLE_MARKUP",
    "AUTOLINK",
    "CODE_SPAN",
    "DESTINATION",
    "EMAIL",
    "EMPHASIS",
    "EMPHASIS_RUN",
    "ENTITY",
    "ESCAPE",
    "HARD_BREAK",
    "HARD_BREAK_RUN",
    "HTML_TAG",
    "LINK_ATTRIBUTE",
    "LINK_DEFINITION",
    "LINK_LABEL",
    "LINK_TARGET",
    "LINK_TITLE",
    "PROTECTED_TARGET",
    "QUOTED_TITLE",
    "REFERENCE_LABEL",
    "ROUGH_MARKUP",
    "ROUGH_MARKUP_BUT_TAGS",
    "SIMPLE_LINK_TARGET",
    "STRONG",
    "UNSAFE_SCHEME",
    "URL",
    "URL_END",
    "WEB_URL",
    "HtmlPattern",
    "Run",
    "split_runs",
]

_TAG = r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"
_COMMENT_OPENER = "<!--"


class HtmlPattern:
    """A pattern whose first alternative is an HTML tag or comment, searched in linear time.

    ``HtmlPattern(before, after)`` finds what ``re.compile(before + TAG_OR_COMMENT +
    after)`` finds, where the tag or comment is ``</?[A-Za-z][A-Za-z0-9-]*(?:\\s[^<>]*)?/?>``
    or ``<!--.*?-->`` (``.`` matching line breaks too). That one pattern is quadratic on
    many unclosed ``<!--``: each scans to the end of the text for ``-->``. Here a comment
    is only tried where a ``-->`` is known to follow, and once none follows, never again.
    ``before`` may only open groups and ``after`` must start with ``|`` or ``)``: the tag
    or comment is a whole alternative, tried first. The pattern must not match an empty
    string.
    """

    __slots__ = ("_comment", "_opener", "_tag")

    def __init__(self, before: str = "", after: str = "") -> None:
        self._comment = re.compile(f"{before}(?s:{_TAG}|<!--.*?-->){after}")
        """The whole pattern, tried only at a comment that is closed."""
        self._opener = re.compile(f"{before}(?s:{_TAG}|{_COMMENT_OPENER}){after}")
        """The pattern with only the comment's opening: where the search stops."""
        self._tag = re.compile(f"{before}(?s:{_TAG}){after}")
        """The pattern without comments: what else may start at an unclosed ``<!--``."""

    def searcher(self, text: str) -> Callable[[int], re.Match[str] | None]:
        """``search(position)``: the first match in ``text`` from ``position``, as
        ``re.Pattern.search``; for linear time, positions should never go back."""
        opened = -1  # the last comment opener looked at
        close = -1  # the first "-->" after it (-1: none)

        def search(position: int) -> re.Match[str] | None:
            nonlocal opened, close
            while (match := self._opener.search(text, position)) is not None:
                start = match.start()
                if not text.startswith(_COMMENT_OPENER, start):
                    return match
                body = start + len(_COMMENT_OPENER)
                if opened < 0 or body < opened or 0 <= close < body:
                    close = text.find("-->", body)
                opened = body
                found = (self._comment if close >= 0 else self._tag).match(text, start)
                if found is not None:
                    return found
                position = start + 1
            return None

        return search

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of the pattern in ``text``, left to right, as ``re.finditer``."""
        search = self.searcher(text)
        position = 0
        while (match := search(position)) is not None:
            yield match
            position = match.end()

    def sub(self, replacement: str, text: str) -> str:
        """``text`` with every match replaced by ``replacement`` (taken literally)."""
        pieces = []
        position = 0
        for match in self.finditer(text):
            pieces.append(text[position : match.start()])
            pieces.append(replacement)
            position = match.end()
        if not pieces:
            return text
        pieces.append(text[position:])
        return "".join(pieces)


HTML_TAG = HtmlPattern()
"""An inline HTML tag or comment (what a translation must not add)."""


# -- The vocabulary: pattern pieces, composed by each reader --------------------------------
# Protection (``split_runs``, the pseudo engine) reads a piece from where it starts, in one
# scan; QA compares pieces as CommonMark reads them. Where readers deliberately differ
# (QA's link target also takes titles in single quotes or parentheses; its URL any scheme),
# each reading is named here, next to the others.

ANGLE_MARKUP = r"<[A-Za-z/!?][^<>]*>"
"""Protection's HTML tag, comment, declaration or autolink: angle brackets kept whole."""
AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*>"
)
"""A CommonMark autolink: ``<scheme:…>`` or ``<address@host>``."""

URL_END = r"[^\s<>()\[\].,;:!?'\"]"
"""The last character of a URL as protection reads it: not a sentence's punctuation."""
WEB_URL = rf"(?:https?|ftp)://[^\s<>()\[\]]*{URL_END}"
"""A bare ``http``, ``https`` or ``ftp`` URL as protection reads it: up to a space, bracket
or angle bracket, without the sentence's punctuation after it (``https://x.org.``)."""
# Any scheme, or none (``//host/…``, protocol-relative); a scheme starts a run of its letters.
# ``www.host.tld`` needs no scheme; it starts at the beginning of its run of host characters.
URL = re.compile(
    r"(?:(?:(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:|(?<![\w:/]))"
    r"//[^\s<>()\[\]\"'/]|(?<![\w.-])www\.[\w-]+\.[\w-])"
    r"[^\s<>()\[\]\"']*(?<![.,;:!?'\"])"
)
"""A URL as QA compares it: ``scheme://…``, ``//host/…`` or ``www.host.tld/…``."""

ADDRESS = r"[\w.+-]++@[\w-]+(?:\.[\w-]+)+"
"""An e-mail address from the first character of its local part (possessive: linear)."""
# The lookbehind starts the local part at the beginning of its run, so a failed match does
# not rescan the run from every later character (``a.a.a.…`` stays linear).
EMAIL = re.compile(rf"(?<![\w.+-]){ADDRESS}")
"""An e-mail address that starts a run of address characters."""

# Runs of backticks open and close only whole (the lookarounds), so a long run is tried once.
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
"""A Markdown code span as QA compares it (its backtick run closed by one exactly as long)."""

DESTINATION = r"[^()\s]*(?:\([^()\s]*\)[^()\s]*)*"
"""A link destination whose parentheses are balanced, one level deep."""
QUOTED_TITLE = r'(?:\s+"[^"]*")?'
"""An optional link title in double quotes (all protection recognises)."""
LINK_TITLE = r"""(?:"[^"]*"|'[^']*'|\([^()]*\))"""
"""A link title as CommonMark reads one: in double or single quotes, or in parentheses."""
PROTECTED_TARGET = rf"\]\({DESTINATION}{QUOTED_TITLE}\)"
"""An inline link or image target as protection keeps it."""
LINK_TARGET = re.compile(rf"\]\((<[^<>\r\n]*>|{DESTINATION})(?:\s+{LINK_TITLE})?[ \t]*\)")
"""An inline link or image target as QA compares it; group 1 is the destination."""
SIMPLE_LINK_TARGET = re.compile(r"\]\((?:<[^<>\r\n]*>|[^()\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)")
"""A link target without nested parentheses: what prose checks set aside."""
REFERENCE_LABEL = r"\]\[[^\]]*\]"
"""A full reference link's label (``][id]``) as protection keeps it."""
LINK_LABEL = re.compile(r"\]\[([^\[\]]*)\]")
"""A full reference link's label as QA compares it; group 1 is the label."""
LINK_DEFINITION = re.compile(
    r"(?:^|\r\n|\r|\n)[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*(\[(?:[^\[\]\\]|\\.)*\]:)",
    re.DOTALL,
)
"""A link reference definition at a line's start; group 1 is ``[label]:``."""
LINK_ATTRIBUTE = re.compile(
    r"""(?i)(?<![\w:-])(?:href|src|srcset|action|formaction|poster|xlink:href)\s*=\s*"""
    r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
)
"""An HTML attribute that holds a URL, with its value."""
UNSAFE_SCHEME = re.compile(
    r"(?i)(?<![\w.+-])(?:javascript|vbscript|livescript)\s*:"
    r"|(?<![\w.+-])data\s*:\s*[\w.+-]+/[\w.+-]+[;,]"
)
"""A URL scheme that runs code (``javascript:``, ``data:text/html,``)."""

ENTITY = r"&\#?\w+;"
"""A character reference: ``&amp;``, ``&#160;``."""
ESCAPE = r"\\[^\w\s]"
"""A backslash escape of a punctuation character."""
EMPHASIS_RUN = r"\*+|(?<!\w)_+|(?<!_)_++(?!\w)|~~"
"""A run of emphasis or strikethrough markers, as protection keeps it."""
STRONG = re.compile(r"\*\*|__")
"""A strong-emphasis marker, as QA counts them."""
EMPHASIS = re.compile(r"(?<![*\w])\*(?![*\s])|(?<![\w_])_(?![_\s])")
"""A single emphasis marker that can open emphasis, as QA counts them."""
HARD_BREAK_RUN = r"(?:(?<!\s)|(?<=\\\n))\s*+\\\n|(?<![ ])[ ]{2,}+\n"
"""A hard line break with the spaces before it, as protection keeps it (LF only)."""
# The lookbehind starts a run of spaces only at its first space: no rescan per space.
HARD_BREAK = re.compile(r"(?:\\|(?<! ) {2,})(?:\r\n|\r|\n)")
"""A hard line break as QA counts them (any line ending)."""

ROUGH_MARKUP = re.compile(r"`[^`]*`|\]\([^()]*\)|https?://\S+|<[^<>]+>")
"""Code, link targets, web URLs and tags, roughly: set aside before looking at letters."""
ROUGH_MARKUP_BUT_TAGS = re.compile(r"`[^`]*`|\]\([^()]*\)|https?://\S+")
"""``ROUGH_MARKUP`` without tags: set aside before looking at punctuation."""

_PROTECTED = re.compile(
    "|".join(
        (
            r"(?P<ticks>`+)",  # a backtick run: code span or text (see _Backticks)
            f"{HELD_OPEN}[^{HELD_OPEN}{HELD_CLOSE}]*{HELD_CLOSE}",  # a held glossary term
            ANGLE_MARKUP,
            PROTECTED_TARGET,
            REFERENCE_LABEL,
            r"!?\[|\]",  # link brackets
            WEB_URL,
            EMAIL.pattern,
            ENTITY,
            ESCAPE,
            EMPHASIS_RUN,
            HARD_BREAK_RUN,
        )
    ),
    re.DOTALL,
)
_EMAIL = re.compile(ADDRESS)
_EMAIL_CHARS = re.compile(r"[\w.+-]++")
_EMAIL_PAIR = re.compile(r"[\w.+-]{2}")
_BACKTICKS = re.compile(r"`+")


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
    for start, end in _protected_spans(text):
        if start > position:
            runs.extend(_text_runs(text[position:start], glossary))
        runs.append(Run(text[start:end], False))
        position = end
    if position < len(text):
        runs.extend(_text_runs(text[position:], glossary))
    return runs


def _protected_spans(text: str) -> Iterator[tuple[int, int]]:
    """The protected pieces of ``text``, left to right, in time linear in its length.

    The pieces are those of the plain scan "at each position, the first alternative that
    matches" (what ``finditer`` over all alternatives does), which takes quadratic time on
    long runs of letters, dots, spaces or backticks. ``_PROTECTED`` therefore only starts
    e-mail addresses, emphasis and hard breaks at the start of a run (a later start in the
    same run can only fail too), and two cases are decided here: an e-mail address that
    starts right after another protected piece ending inside a run of address characters
    (``\\.name@example.org``), and code spans, whose opening backticks may start inside a
    run (see ``_code_span``).
    """
    search = 0
    email_checked_until = 0  # positions before this, in one run, start no address
    ticks: _Backticks | None = None
    while True:
        if (
            search >= email_checked_until
            and search > 0
            and _EMAIL_PAIR.match(text, search - 1) is not None
        ):
            email = _EMAIL.match(text, search)
            if email is not None:
                yield email.span()
                search = email.end()
                continue
            email_checked_until = _run_end(text, search)
        match = _PROTECTED.search(text, search)
        if match is None:
            return
        span = match.span()
        if match.lastgroup == "ticks":
            ticks = ticks or _Backticks(text)
            code = ticks.code_span(*span)
            if code is None:  # no closing run: the backticks are text
                search = email_checked_until = span[1]
                continue
            span = code
        yield span
        search = span[1]


def _run_end(text: str, position: int) -> int:
    """Where the run of e-mail address characters at ``position`` ends."""
    run = _EMAIL_CHARS.match(text, position)
    return position if run is None else run.end()


class _Backticks:
    """The backtick runs of a text, to find code spans without rescanning it."""

    def __init__(self, text: str) -> None:
        self.text = text
        found = [match.span() for match in _BACKTICKS.finditer(text)]
        self.starts = [start for start, _ in found]
        self.longest_after = [0] * (len(found) + 1)
        """Longest run among runs ``i`` and later, for each ``i``."""
        for index in range(len(found) - 1, -1, -1):
            start, end = found[index]
            self.longest_after[index] = max(end - start, self.longest_after[index + 1])

    def code_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The code span opened by the backticks ``text[start:end]`` (the rest of a run).

        The opening backticks are ``text[i:end]`` for the first ``i`` from ``start`` on
        with that many backticks somewhere after the next character; the span ends at
        their first occurrence there.
        """
        if end >= len(self.text):
            return None
        longest = self.longest_after[bisect_left(self.starts, end + 1)]
        length = min(end - start, longest)
        if length == 0:
            return None
        closing = self.text.find("`" * length, end + 1)
        return end - length, closing + length


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
