"""Sentence splitting: sentencex's boundaries, corrected by a few rules per language.

Argos Translate's own splitter downloads a model at first use and fails offline.
sentencex (rule-based, Rust, no model) scored best of the maintained segmenters on the
cases in ``tests/fixtures/text-processing/sentence-cases.json`` and is fast;
``benchmarks/bench_segmenters.py`` has the comparison. It is run on windows of a few
kilobytes that start at a boundary it found (its time grows faster than the input on
long paragraphs), and the rules below fix what it still gets wrong; each one exists for
a failing fixture case. Every pass is a single scan, so splitting is linear in the text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable

from translatio.languages import Language

__all__ = ["split_sentences"]

_WINDOW = 4096
"""Characters handed to sentencex at a time."""
_MARGIN = 256
"""Boundaries this close to a window's end are found again in the next window."""

# Abbreviations sentencex lacks: no sentence ends after them ("M. Dupont", "См. рис. 3").
_ABBREVIATIONS = {
    "en": "Mr Mrs Ms Dr Prof Rev Gen Capt Lt Sgt Col Sen Rep Gov Hon",  # "Dr. No"
    "de": "z B Nr Dr med Prof ca bzw vgl ggf evtl S Str kath Hr Fr Jh",
    "fr": "M MM Mme Mlle Mgr Me p pp cf chap art vol env",
    "es": "Sr Sra Srta Sres Dr Dra Ud Uds Avda núm pág Prof",
    "ru": "т е с см рис стр г гг пр др им ул д кв проф акад тыс млн руб коп",
}
_ABBREVIATION_BEFORE = {
    language: re.compile(rf"(?<!\w)(?:{'|'.join(words.split())})\.\s*\Z")
    for language, words in _ABBREVIATIONS.items()
}
# German ordinals after a preposition or article: "im 19. Jahrhundert".
_GERMAN_ORDINAL_BEFORE = re.compile(
    r"(?<!\w)(?:am|im|vom|zum|zur|bis|ab|seit|der|die|das|dem|den|des|beim)\s+\d{1,3}\.\s*\Z",
    re.IGNORECASE,
)
# A sentence closed inside brackets or quotes: "(This is it.) Next one."
_CLOSED_SENTENCE = re.compile(r"(?<!\.)[.!?][\"'”’»)\]]+\s+(?=[\"'“‘«¿¡]*[A-ZÀ-ÖØ-ÞА-ЯЁ])")
# "etc." then a capital ends a French sentence, which sentencex misses.
_FRENCH_ETC = re.compile(r"(?<!\w)etc\.\s+(?=[A-ZÀ-ÖØ-Þ])")
# A lower-case word after a full stop continues the sentence ("т. е. могло").
_PERIOD_BEFORE = re.compile(r"\.\s*\Z")
# "compounds. . . . The": the spaced ellipsis opens the next sentence.
_SPACED_ELLIPSIS_BEFORE = re.compile(r"\w\.(\s+)\.\s\.\s\.\s*\Z")
# Enumerations inside one paragraph: "1. The first item 2. The second item".
_LIST_MARKER = re.compile(r"(?:(?<=\s)|^)(?:[•⁃]\s?)?(\d{1,3}|[a-z])(\.\)|\.|\))(?=\s)")
# An apostrophe inside a word, which sentencex would pair with a later quote.
_WORD_APOSTROPHE = re.compile(r"(?<=[\w.])'(?=\w)")
_SPACE = re.compile(r"\s*")
_CLOSERS = "”’」』）》〉】»\"')]"
_PAIRS = {
    "（": "）",
    "《": "》",
    "「": "」",
    "『": "』",
    "“": "”",
    "‘": "’",
    "【": "】",
    "〈": "〉",
}
_CJK_BRACKET = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_PAIRS.values())) + "]")
_CLOSER_RUN = re.compile(f"[{re.escape(_CLOSERS)}]*")
_CJK_TERMINAL = "。！？!?…"
# A quote or parenthesis closed right after 。！？ ends a Chinese sentence (“好。”然后);
# a book title (《摔跤吧！爸爸》) does not.
_CJK_CLOSED_SENTENCE = re.compile(
    f"[{_CJK_TERMINAL}][”’」』）】]+(?=[^{re.escape(_CLOSERS)}{_CJK_TERMINAL}\\s])"
)


def split_sentences(text: str, language: Language | str | None = None) -> list[str]:
    """``text`` cut into sentences; joining them with their whitespace gives ``text`` back.

    ``language`` is the source language (a gettext name or ISO code; English rules when
    None). Every returned sentence keeps its trailing whitespace, so
    ``"".join(result) == text``.
    """
    code = _base_code(language)
    if not text.strip():
        return [text] if text else []
    cuts = set(_sentencex_cuts(text, code))
    cuts = _fix_closers(text, cuts)
    cuts = {cut for cut in cuts if not _continues(text, cut, code)}
    cuts = _spaced_ellipsis(text, cuts)
    if code not in ("zh", "ja"):
        cuts |= {match.end() for match in _CLOSED_SENTENCE.finditer(text)}
    cuts |= _list_items(text, cuts)
    if code == "fr":
        cuts |= {match.end() for match in _FRENCH_ETC.finditer(text)}
    if code in ("zh", "ja"):
        cuts = _cjk_brackets(text, cuts, japanese=code == "ja")
    bounds = [0, *sorted(cut for cut in cuts if 0 < cut < len(text)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds) if a < b]


def _base_code(language: Language | str | None) -> str:
    if language is None:
        return "en"
    code = language.code if isinstance(language, Language) else language
    return re.split(r"[_\-@.]", code, maxsplit=1)[0].lower() or "en"


def _sentencex_cuts(text: str, code: str) -> Iterable[int]:
    """Where sentencex starts a sentence, found window by window."""
    import sentencex  # type: ignore[import-untyped]  # lazy: `translatio --help` skips it

    start = 0
    window = _WINDOW
    while start < len(text):
        end = min(len(text), start + window)
        # Same length, so offsets hold: "Jr.'s" would open a quote sentencex never closes.
        window_text = _WORD_APOSTROPHE.sub("\u02bc", text[start:end])
        found = [
            start + boundary["start_index"]
            for boundary in sentencex.get_sentence_boundaries(code, window_text)
        ][1:]
        if end == len(text):
            yield from found
            return
        settled = [cut for cut in found if cut <= end - _MARGIN]
        if not settled:
            window *= 2  # one long sentence: look further before deciding
            continue
        yield from settled
        start = settled[-1]
        window = _WINDOW


def _fix_closers(text: str, cuts: set[int]) -> set[int]:
    """A closing quote or bracket stays with the sentence it closes (『…。』を)."""
    fixed = set()
    for cut in cuts:
        if text[cut - 1] in _CJK_TERMINAL + ".":
            cut = _skip(_CLOSER_RUN, text, cut)
        fixed.add(cut)
    return fixed


def _skip(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where a run of ``pattern`` that starts at ``position`` ends."""
    match = pattern.match(text, position)
    return match.end() if match else position


def _continues(text: str, cut: int, code: str) -> bool:
    """Whether the sentence goes on at ``cut`` although sentencex ended it there."""
    low = max(0, cut - 48)
    if text[cut : cut + 1].islower() and _PERIOD_BEFORE.search(text, low, cut):
        return True
    abbreviation = _ABBREVIATION_BEFORE.get(code)
    if abbreviation is not None and abbreviation.search(text, low, cut):
        return True
    return code == "de" and _GERMAN_ORDINAL_BEFORE.search(text, low, cut) is not None


def _spaced_ellipsis(text: str, cuts: set[int]) -> set[int]:
    moved = set()
    for cut in cuts:
        match = _SPACED_ELLIPSIS_BEFORE.search(text, max(0, cut - 16), cut)
        moved.add(match.end(1) if match else cut)
    return moved


def _list_items(text: str, cuts: set[int]) -> set[int]:
    """Cuts before each item of an enumeration that opens the text, none after a marker."""
    markers = iter(_LIST_MARKER.finditer(text))
    first = next(markers, None)
    if first is None or text[: first.start()].strip():
        return set()
    added = set()
    expected = _successor(first.group(1))
    suffix = first.group(2)
    for marker in [first, *markers]:
        if marker is not first:
            if marker.group(1) != expected or marker.group(2) != suffix:
                continue
            expected = _successor(expected)
            added.add(marker.start())
        item_start = _skip(_SPACE, text, marker.end())
        cuts.difference_update(range(marker.start() + 1, item_start + 1))
    return added


def _successor(value: str) -> str:
    return str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)


def _cjk_brackets(text: str, cuts: set[int], *, japanese: bool) -> set[int]:
    """No cut inside brackets or quotes; after a closed one, Chinese starts a sentence.

    Japanese goes on after a closing quote (「行こう。」と言った), so it never cuts there.
    """
    spans = _bracket_spans(text)
    starts = [start for start, _ in spans]
    kept = set()
    for cut in cuts:
        index = bisect.bisect_right(starts, cut) - 1
        inside = index >= 0 and cut <= spans[index][1]
        if inside or (japanese and text[cut - 1] in _CLOSERS):
            continue
        kept.add(cut)
    if not japanese:
        for match in _CJK_CLOSED_SENTENCE.finditer(text):
            index = bisect.bisect_right(starts, match.end()) - 1
            if index < 0 or match.end() > spans[index][1]:
                kept.add(match.end())
    return kept


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    """Outermost matched bracket pairs as (after the opener, at the closer), in order.

    An opener never closed is ignored, so a stray 「 does not swallow the rest.
    """
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for match in _CJK_BRACKET.finditer(text):
        mark = match.group()
        if mark in _PAIRS:
            stack.append((_PAIRS[mark], match.end()))
            continue
        for depth in range(len(stack) - 1, max(-1, len(stack) - 9), -1):
            if stack[depth][0] == mark:
                pairs.append((stack[depth][1], match.start()))
                del stack[depth:]
                break
    outermost: list[tuple[int, int]] = []
    for start, end in sorted(pairs):
        if not outermost or start > outermost[-1][1]:
            outermost.append((start, end))
    return outermost
