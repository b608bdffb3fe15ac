"""How a msgid goes to an engine: whole sentences with their markup, and answers put back.

``plan_text`` cuts a msgid into pieces (only hard line breaks cut it) and each piece into
whole sentences; ``engine_text`` is what an engine is asked for a sentence; ``placed``
puts the sentence's markup and glossary terms back on the engine's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from translatio.languages import Language
from translatio.reports import Translation
from translatio.text.glossary import EMPTY, Glossary, release
from translatio.text.inline import hold_terms, is_markup, masked, strip, unpaired, words_only
from translatio.text.markup import split_runs
from translatio.text.placement import check_carried, lower_made_capitals, place
from translatio.text.sentences import split_sentences

__all__ = ["Piece", "engine_text", "placed", "plan_text"]


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of a msgid: kept verbatim, or translated sentence by sentence."""

    text: str
    """Protected text, or the whitespace before the sentences of a translatable run."""
    sentences: tuple[str, ...] = ()
    """Sentences to translate (empty for a protected run)."""
    trailing: str = ""
    """Whitespace after the sentences."""


def plan_text(
    text: str, glossary: Glossary = EMPTY, *, source: Language | None = None
) -> list[Piece]:
    """How a msgid is translated: whole sentences, their inline markup inside them.

    Only a hard line break cuts the text; code spans, links, emphasis, URLs and glossary
    terms stay inside their sentence, which goes to the engine whole (``engine_text``:
    a term is held there as its required translation). A part without words to
    translate is kept as it is, its glossary terms in their required form.
    """
    pieces = []
    for part, cut in _parts(text):
        core = part.strip()
        runs = split_runs(core, glossary)
        if cut or not core or not any(run.translatable for run in runs):
            pieces.append(Piece(release(hold_terms(part, glossary))))
            continue
        leading = part[: len(part) - len(part.lstrip())]
        trailing = part[len(part.rstrip()) :]
        pieces.append(Piece(leading, _whole_sentences(core, source), trailing))
    return pieces


def _parts(text: str) -> list[tuple[str, bool]]:
    """``text`` cut at hard breaks: (part, whether it is a break kept as it is)."""
    parts: list[tuple[str, bool]] = []
    current: list[str] = []
    for run in split_runs(text):
        if not run.translatable and "\n" in run.text:
            if current:
                parts.append(("".join(current), False))
                current = []
            parts.append((run.text, True))
        else:
            current.append(run.text)
    if current:
        parts.append(("".join(current), False))
    return parts


def _whole_sentences(text: str, source: Language | None) -> tuple[str, ...]:
    """``text``'s sentences with their markup; no cut falls inside markup or a wrapper."""
    markup: list[tuple[int, int]] = []
    position = 0
    for run in split_runs(text):
        if not run.translatable and is_markup(run.text):
            markup.append((position, position + len(run.text)))
        position += len(run.text)
    cuts = []
    position = 0
    for sentence in split_sentences(masked(text), source):
        position += len(sentence)
        # a cut inside a piece of markup (after "past?" in a link's text, the spaces that
        # mask its target were taken as the sentence's trailing space) moves past it
        cuts.append(next((end for start, end in markup if start < position < end), position))
    sentences: list[str] = []
    start = 0
    for cut in sorted(set(cuts)):
        sentence = text[start:cut]
        start = cut
        if sentences and unpaired(sentences[-1]):
            merged = sentences[-1] + sentence
            if unpaired(merged) < unpaired(sentences[-1]) + unpaired(sentence):
                sentences[-1] = merged
                continue
        sentences.append(sentence)
    return tuple(s.strip() for s in sentences if s.strip())


def engine_text(sentence: str, *, carries_markup: bool, glossary: Glossary = EMPTY) -> str:
    """What the engine is asked: the sentence with its markup, or its plain text.

    Glossary terms are held as their required translation (``inline.hold_terms``).
    """
    text = hold_terms(sentence, glossary)
    return text if carries_markup else strip(text).plain


def placed(
    sentence: str, answer: Translation, *, carries_markup: bool, glossary: Glossary = EMPTY
) -> Translation:
    """The engine's answer for ``engine_text(sentence)`` with the markup back in place.

    An engine that carries markup is checked (``inline.check_carried``); otherwise the
    answer's word alignment places it. Where neither is sure, the safe placement is used
    and the answer says so (``unsure_markup``). Held glossary terms are placed as atoms
    and come out in their required form.
    """
    text = hold_terms(sentence, glossary)
    stripped = strip(text)
    if not stripped.marks:
        return answer
    if carries_markup:
        carried = lower_made_capitals(text, answer.text)
        if check_carried(text, carried):
            return replace(answer, text=release(carried))
        put = place(stripped, words_only(answer.text))
    else:
        put = place(stripped, answer.text, answer.alignment)
    return replace(answer, text=release(put.text), unsure_markup=not put.sure)
