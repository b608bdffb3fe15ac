"""Editions: a catalog's translations substituted into the source document.

The Markdown (or text) edition is the source with each segment's region replaced by its
translation; everything else (code, HTML blocks, front matter, link definitions, spacing)
stays byte for byte, so with nothing translated the edition *is* the source. Which
translations are used is the policy's choice:

* ``reviewed`` (default): only translations a person wrote or accepted (not fuzzy),
  everything else falls back to the source, as po4a does;
* ``draft``: machine output and outdated translations too, under a visible notice, and
  the pseudo engine's previews, which still count as untranslated: a preview is a
  layout check, never a translation (``State.PREVIEW``).

Under either policy a translation no edition may show falls back to the source, whatever
its state (even approved with ``--force``): one that still holds msgcat's alternatives,
a control character, or a direction control left open (``qa.characters.publishable``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import polib

from translatio.catalog.states import State, entry_state, has_msgcat_conflict, word_count
from translatio.config import Outdated
from translatio.publish.messages import DRAFT_NOTICE, PREVIEW_NOTICE
from translatio.qa.characters import publishable
from translatio.text.document import Document, Format, Segment, SegmentKind
from translatio.text.markup import (
    AUTOLINK,
    DESTINATION,
    HTML_TAG,
    LINK_LABEL,
    LINK_TITLE,
    HtmlPattern,
)
from translatio.text.segment import count_line_breaks, front_matter_end

__all__ = [
    "Edition",
    "Policy",
    "Revised",
    "build_edition",
    "fit_translation",
    "usable_translations",
    "with_notice",
]

_CR = re.compile(r"\r\n?")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_SOURCE_LINK = re.compile(
    rf"\]\((?:<[^<>\n]*>|{DESTINATION})(?:\s+{LINK_TITLE})?[ \t]*\)|{LINK_LABEL.pattern}"
)
"""An inline link's target (``](url "title")``) or a full reference's label (``][id]``)."""
_FOREIGN = HtmlPattern("(?P<tag>", rf")|(?P<autolink>{AUTOLINK.pattern})|(?P<link>\]\(|\]\[)")
_BLOCK_START = re.compile(
    r"""^[ \t]*(?:
        (?P<definition>\[(?:[^\[\]\\]|\\.)*\]:)            # a link reference definition
      | \d{1,9}(?P<ordered>[.)])(?=[ \t]|$)                  # an ordered list item
      | (?:\#{1,6}(?=[ \t]|$) | [-+*](?=[ \t]|$) | >          # heading, bullet, quote
        | `{3,}(?=[^`\n]*$) | ~{3,}                          # code fence
        | [-*_=|:](?=[-*_=|:\ \t]*$))                        # rule, underline, table delimiter
    )""",
    re.VERBOSE | re.MULTILINE | re.DOTALL,
)
"""What would open a block (or define a link) at the start of a line of a translation."""


class Policy(StrEnum):
    """Which translations an edition uses."""

    REVIEWED = "reviewed"
    DRAFT = "draft"


@dataclass(frozen=True, slots=True)
class Revised:
    """A paragraph whose source changed (or that was added) after its first extract."""

    earlier: str | None
    """The reviewed translation of its earlier wording, as the history kept it (``None``:
    an added paragraph, or no reviewed translation of the earlier wording)."""
    minor: bool = False
    """A change recorded as minor: the earlier translation stands, with no notice."""


@dataclass(frozen=True, slots=True)
class Edition:
    """A built edition and how much of it is translated."""

    body: str
    """The edition in the source's own format (Markdown or plain text), without notice."""
    format: Format
    """The source's format."""
    usable: Mapping[str, tuple[str, State]]
    """msgid → (msgstr, state) for every entry the policy let in (``usable_translations``)."""
    translated_words: int
    """Source words (per occurrence) replaced by a translation (a preview is none)."""
    total_words: int
    """Source words of all segments (per occurrence)."""
    machine_segments: int
    """Segments filled with unreviewed text, previews included (only in drafts)."""
    machine_lines: frozenset[int] = frozenset()
    """0-based lines of ``body`` where a machine-translated segment starts."""
    preview_lines: frozenset[int] = frozenset()
    """0-based lines of ``body`` where a pseudo-localised preview segment starts (drafts):
    pages label those as previews, not as machine translation."""
    preview_words: int = 0
    """Source words shown as a preview: counted as untranslated."""
    fallback_lines: frozenset[int] = frozenset()
    """0-based lines of ``body`` where a segment left in the source language (no usable
    translation) starts, and no translated one does: pages mark those with its ``lang``."""
    reviewed_words: int = 0
    """Source words replaced by a reviewed translation (all of them in a reviewed edition)."""
    notice: str | None = None
    """The draft notice, in the edition's language, when it holds unreviewed text: the
    edition file shows it at the top (``text``), an HTML page in its header. A draft
    with previews and no machine output has the preview notice instead."""
    earlier_lines: frozenset[int] = frozenset()
    """0-based lines of ``body`` where a paragraph shows the translation of an earlier
    version of its source (``outdated = "previous"``)."""
    changed: tuple[str, ...] = ()
    """Source texts of the paragraphs changed or added since first extracted that the
    edition does not show reviewed in their new wording (the correction notice's)."""
    earlier_texts: Mapping[str, str] = field(default_factory=dict)
    """Source text → the reviewed translation of its earlier wording the edition shows."""

    @property
    def shown(self) -> dict[str, tuple[str, State]]:
        """msgid → (text, state) of every paragraph shown translated, earlier wordings
        included: what titles and descriptions are taken from."""
        earlier = {text: (shown, State.TRANSLATED) for text, shown in self.earlier_texts.items()}
        return {**self.usable, **earlier}

    @property
    def completeness(self) -> float:
        """Share of source words translated, 0–100."""
        return 100.0 if self.total_words == 0 else 100.0 * self.translated_words / self.total_words

    @property
    def previewed(self) -> float:
        """Share of source words shown as a layout preview (not translated), 0–100."""
        return 0.0 if self.total_words == 0 else 100.0 * self.preview_words / self.total_words

    @property
    def reviewed(self) -> float:
        """Share of source words with a reviewed translation, 0–100."""
        return 100.0 if self.total_words == 0 else 100.0 * self.reviewed_words / self.total_words

    @property
    def text(self) -> str:
        """The edition file's text: ``body``, with the draft notice at the top if any."""
        return (
            self.body if self.notice is None else with_notice(self.body, self.notice, self.format)
        )


def usable_translations(catalog: polib.POFile, policy: Policy) -> dict[str, tuple[str, State]]:
    """msgid → (msgstr, state) for the entries ``policy`` lets into an edition (and
    that any edition may show: see the module's docstring)."""
    allowed = {State.TRANSLATED}
    if policy is Policy.DRAFT:
        allowed |= {State.MACHINE, State.NEEDS_UPDATE, State.PREVIEW}
    usable = {}
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        state = entry_state(entry)
        if state in allowed and not has_msgcat_conflict(entry.msgstr) and publishable(entry.msgstr):
            usable[entry.msgid] = (entry.msgstr, state)
    return usable


def build_edition(
    document: Document,
    catalog: polib.POFile,
    *,
    policy: Policy,
    notice: str = DRAFT_NOTICE,
    preview_notice: str = PREVIEW_NOTICE,
    revised: Mapping[str, Revised] | None = None,
    outdated: Outdated = Outdated.PREVIOUS,
) -> Edition:
    """Substitute the usable translations of ``catalog`` into ``document``.

    A draft with machine output carries ``notice``, one with previews only
    ``preview_notice`` (the edition's language's words). Previews are shown in a draft
    but count as untranslated. A paragraph of ``revised`` without a usable translation
    shows what ``outdated`` says: the reviewed translation of its earlier wording
    (``previous``, where there is one), the new source (``source``) or nothing
    (``skip``); a minor change shows the earlier translation as reviewed.
    """
    usable = usable_translations(catalog, policy)
    revised = revised or {}
    earlier_lines: set[int] = set()
    earlier_texts: dict[str, str] = {}
    changed: list[str] = []
    pieces: list[str] = []
    position = 0
    translated_words = total_words = machine = reviewed_words = preview_words = 0
    machine_lines: set[int] = set()
    preview_lines: set[int] = set()
    fallback_lines: set[int] = set()
    translated_lines: set[int] = set()
    lines_so_far = 0
    for segment in sorted(document.segments, key=lambda item: item.start):
        words = word_count(segment.text)
        total_words += words
        found = usable.get(segment.text)
        before = document.text[position : segment.start]
        lines_so_far += count_line_breaks(before)
        pieces.append(before)
        position = segment.start
        change = revised.get(segment.text) if found is None else None
        if change is not None and change.earlier is not None and change.minor:
            found = (change.earlier, State.TRANSLATED)
            earlier_texts[segment.text] = change.earlier
        elif change is not None:
            changed.append(segment.text)
            if outdated is Outdated.SKIP:
                position = segment.end
                continue
            if outdated is Outdated.PREVIOUS and change.earlier is not None:
                found = (change.earlier, State.TRANSLATED)
                earlier_lines.add(lines_so_far)
                earlier_texts[segment.text] = change.earlier
        if found is None:
            fallback_lines.add(lines_so_far)
            continue
        text, state = found
        translated_lines.add(lines_so_far)
        if state is State.TRANSLATED:
            translated_words += words
            reviewed_words += words
        elif state is State.PREVIEW:  # shown in a draft, but a layout check: untranslated
            preview_words += words
            preview_lines.add(lines_so_far)
        else:
            translated_words += words
            machine_lines.add(lines_so_far)
        if state is not State.TRANSLATED:
            machine += 1
        fitted = fit_translation(text, segment, document.format)
        lines_so_far += fitted.count("\n")
        pieces.append(fitted)
        position = segment.end
    pieces.append(document.text[position:])
    text = "".join(pieces)
    fallback_lines -= translated_lines
    if policy is not Policy.DRAFT or not machine:
        shown = None
    else:
        shown = notice if machine_lines else preview_notice
    return Edition(
        text,
        document.format,
        usable,
        translated_words,
        total_words,
        machine,
        frozenset(machine_lines),
        frozenset(preview_lines),
        preview_words,
        frozenset(fallback_lines),
        reviewed_words,
        shown,
        frozenset(earlier_lines),
        tuple(dict.fromkeys(changed)),
        earlier_texts,
    )


def fit_translation(translation: str, segment: Segment, format: Format) -> str:
    """The translation shaped for the segment's place in the source.

    A translation stays inside its segment: CR and CRLF become the LF the source's
    lines use, and in Markdown it cannot open a block, define or retarget a link, or
    bring in HTML its source does not have (whatever QA said, even after ``--force``).
    """
    text = _CR.sub("\n", translation)
    if format is Format.TEXT:
        return text  # plain text is never interpreted as HTML; pages escape it
    text = _escape_foreign_markup(text, segment.text)
    text = _BLANK_LINES.sub("\n", text.strip("\n"))
    if segment.kind in {SegmentKind.HEADING, SegmentKind.TABLE_CELL}:
        text = " ".join(part.strip() for part in text.split("\n"))
    if segment.kind is SegmentKind.TABLE_CELL:
        text = re.sub(r"(?<!\\)\|", r"\\|", text)
    text = _escape_block_starts(text, segment.text)
    return text.replace("\n", "\n" + segment.continuation)


def _escape_foreign_markup(translation: str, source: str) -> str:
    """Escape HTML tags, autolinks, link targets and reference labels the source lacks.

    A translator may move the source's own inline HTML and links around, but cannot
    bring in new markup (a ``<script>`` in a PO file stays text in every edition) or
    point a link anywhere the source does not.
    """
    allowed = Counter(match.group(0) for match in HTML_TAG.finditer(source))
    allowed.update(match.group(0) for match in AUTOLINK.finditer(source))
    targets = Counter(match.group(0) for match in _SOURCE_LINK.finditer(source))
    rank = {target: number for number, target in enumerate(targets)}  # the source's order
    lengths = sorted({len(target) for target in targets})  # a target is looked up by length
    pieces: list[str] = []
    position = 0
    search = _FOREIGN.searcher(translation)
    while (match := search(position)) is not None:
        pieces.append(translation[position : match.start()])
        found = match.group(0)
        position = match.end()
        if match.group("link") is not None:
            # the first of the source's targets left that starts here, without a scan of
            # them all per link (thousands of links made that quadratic)
            here = (translation[match.start() : match.start() + n] for n in lengths)
            kept = min((t for t in here if targets[t] > 0), key=rank.__getitem__, default=None)
            if kept is None:
                found = found[0] + "\\" + found[1]  # `[x]\(url)` and `[x]\[id]` link nowhere
            else:
                targets[kept] -= 1
                found = kept
                position = match.start() + len(kept)
        elif allowed[found] > 0:
            allowed[found] -= 1
        else:
            found = found.replace("&", "&amp;").replace("<", "&lt;")
        pieces.append(found)
    pieces.append(translation[position:])
    return "".join(pieces)


def _escape_block_starts(translation: str, source: str) -> str:
    """Backslash-escape what would open a block or define a link at a line's start.

    The source's own first-line marker (a heading ``1. Introduction``) and the markers
    of its later lines stay as they are: in those places they were not blocks there either.
    """
    first: set[str] = set()
    later: set[str] = set()
    for match in _BLOCK_START.finditer(source):
        (first if match.start() == 0 else later).add(match.group(0).lstrip(" \t"))

    def escape(match: re.Match[str]) -> str:
        marker = match.group(0)
        if marker.lstrip(" \t") in (first if match.start() == 0 else later):
            return marker
        if match.group("definition") is not None or match.group("ordered") is not None:
            return marker[:-1] + "\\" + marker[-1]
        indent = len(marker) - len(marker.lstrip(" \t"))
        return marker[:indent] + "\\" + marker[indent:]

    return _BLOCK_START.sub(escape, translation)


def with_notice(text: str, notice: str, format: Format = Format.TEXT) -> str:
    """The text with a notice at the top (after front matter, in Markdown)."""
    notice = re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", notice.strip())  # one line, whatever it holds
    if format is Format.TEXT:
        return f"[{notice}]\n\n" + text
    end = front_matter_end(text)
    block = ("\n" if end else "") + f"> **{notice}**\n\n"
    return text[:end] + block + text[end:].lstrip("\n")
