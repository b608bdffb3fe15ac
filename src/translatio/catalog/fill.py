"""Filling a catalog from an engine's answers, under the machine-output policy.

The translate step plans a run (``sentences_to_translate``), gets one ``Translation`` per
sentence (the memory's, then the engine's) and fills each catalog with ``fill_catalog``;
``translate_catalog`` does the same for one catalog and one engine, for library callers.

* Engines fill empty entries only.
* Output is marked ``fuzzy`` and gets a provenance comment (engine, model, score, hash).
* An entry is re-translated only while it is untouched machine output: its text still
  matches the recorded hash and it is still fuzzy. That happens when its source changed
  (merge left a ``#|`` previous msgid) or when the caller asks for ``refresh``.
* Anything a person edited or approved is never touched again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import polib

from translatio.catalog.provenance import (
    Provenance,
    is_untouched_machine_output,
    read_provenance,
    text_hash,
    with_provenance,
)
from translatio.catalog.states import State, carries_preview_mark, entry_state, is_preview
from translatio.catalog.values import copy_catalog, now_stamp
from translatio.config import HanLatinSpacing
from translatio.engines.base import Engine
from translatio.errors import EngineError
from translatio.languages import Language
from translatio.reports import TranslateReport, Translation
from translatio.text.glossary import EMPTY, Glossary
from translatio.text.inline import is_markup, masked, strip, unpaired, words_only
from translatio.text.markup import split_runs
from translatio.text.placement import check_carried, lower_made_capitals, place
from translatio.text.sentences import split_sentences
from translatio.text.typography import polish

__all__ = [
    "Piece",
    "count_human_work",
    "count_other_engine",
    "engine_text",
    "entries_to_translate",
    "fill_catalog",
    "placed",
    "plan_text",
    "sentences_to_translate",
    "translate_catalog",
]

_NO_SPACE_BETWEEN_SENTENCES = frozenset({"zh", "ja"})


def entries_to_translate(
    catalog: polib.POFile, *, refresh: bool, replaces_preview: bool = False
) -> list[polib.POEntry]:
    """Active entries the engine may write: empty ones, and untouched MT that is stale.

    With ``replaces_preview`` (a real engine, not a preview one) untouched preview
    output is replaced too: a preview is never a translation worth keeping. Marked
    preview text whose provenance is gone or no longer matches (an editor, another tool)
    may hold a person's edits: it is left to them, and ``check`` reports it. An
    untouched preview written before previews were marked is written again by any
    engine, so that its text says what it is.
    """
    chosen = []
    for entry in catalog:
        if entry.obsolete or entry.msgid == "" or entry.msgid_plural:
            continue
        stale = refresh or entry.previous_msgid is not None
        if (
            not entry.msgstr
            or (stale and is_untouched_machine_output(entry))
            or ((replaces_preview or not carries_preview_mark(entry)) and is_preview(entry))
        ):
            chosen.append(entry)
    return chosen


def count_other_engine(catalog: polib.POFile, engine: str) -> int:
    """Entries holding untouched machine output of an engine other than ``engine``."""
    count = 0
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry_state(entry) is not State.MACHINE:
            continue
        provenance = read_provenance(entry.tcomment or "")
        if provenance is not None and provenance.engine != engine:
            count += 1
    return count


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

    Only a glossary term (its required translation takes its place) and a hard line
    break cut the text; code spans, links, emphasis and URLs stay inside their sentence,
    which goes to the engine whole (``engine_text``). A part without words to translate
    is kept as it is.
    """
    pieces = []
    for part, kept in _parts(text, glossary):
        core = part.strip()
        if kept is not None or not core or not any(r.translatable for r in split_runs(core)):
            pieces.append(Piece(kept if kept is not None else part))
            continue
        leading = part[: len(part) - len(part.lstrip())]
        trailing = part[len(part.rstrip()) :]
        pieces.append(Piece(leading, _whole_sentences(core, source), trailing))
    return pieces


def _parts(text: str, glossary: Glossary) -> list[tuple[str, str | None]]:
    """``text`` cut at glossary terms and hard breaks: (part, what a cut part becomes)."""
    parts: list[tuple[str, str | None]] = []
    current: list[str] = []
    for run in split_runs(text, glossary):
        if run.replacement is not None or (not run.translatable and "\n" in run.text):
            if current:
                parts.append(("".join(current), None))
                current = []
            kept = run.replacement if run.replacement is not None else run.text
            parts.append((run.text, kept))
        else:
            current.append(run.text)
    if current:
        parts.append(("".join(current), None))
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


def engine_text(sentence: str, *, carries_markup: bool) -> str:
    """What the engine is asked: the sentence with its markup, or its plain text."""
    return sentence if carries_markup else strip(sentence).plain


def placed(sentence: str, answer: Translation, *, carries_markup: bool) -> Translation:
    """The engine's answer for ``engine_text(sentence)`` with the markup back in place.

    An engine that carries markup is checked (``inline.check_carried``); otherwise the
    answer's word alignment places it. Where neither is sure, the safe placement is used
    and the answer says so (``unsure_markup``).
    """
    stripped = strip(sentence)
    if not stripped.marks:
        return answer
    if carries_markup:
        carried = lower_made_capitals(sentence, answer.text)
        if check_carried(sentence, carried):
            return answer if carried == answer.text else replace(answer, text=carried)
        put = place(stripped, words_only(answer.text))
    else:
        put = place(stripped, answer.text, answer.alignment)
    return replace(answer, text=put.text, unsure_markup=not put.sure)


def _planned(
    text: str,
    glossary: Glossary,
    source: Language | None,
    plans: dict[str, list[Piece]] | None,
) -> list[Piece]:
    """``plan_text``, remembered in ``plans`` (one per language: same glossary and source)."""
    if plans is None:
        return plan_text(text, glossary, source=source)
    plan = plans.get(text)
    if plan is None:
        plan = plans[text] = plan_text(text, glossary, source=source)
    return plan


def sentences_to_translate(
    catalog: polib.POFile,
    *,
    refresh: bool,
    glossary: Glossary = EMPTY,
    replaces_preview: bool = False,
    source: Language | None = None,
    plans: dict[str, list[Piece]] | None = None,
) -> list[str]:
    """The distinct sentences an engine would be asked for, in first-use order."""
    chosen = entries_to_translate(catalog, refresh=refresh, replaces_preview=replaces_preview)
    return list(
        dict.fromkeys(
            sentence
            for entry in chosen
            for piece in _planned(entry.msgid, glossary, source, plans)
            for sentence in piece.sentences
        )
    )


def translate_catalog(
    catalog: polib.POFile,
    engine: Engine,
    *,
    source: Language,
    target: Language,
    refresh: bool = False,
    spacing: HanLatinSpacing = HanLatinSpacing.SPACE,
    glossary: Glossary = EMPTY,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[polib.POFile, TranslateReport]:
    """A copy of ``catalog`` with ``engine``'s output written where the policy allows.

    Every sentence of every chosen entry goes to the engine in one call, so engines can
    batch across the whole catalog; ``on_progress`` receives sentence counts.
    """
    replaces_preview = not engine.capabilities.preview
    carries = engine.capabilities.markup
    plans: dict[str, list[Piece]] = {}
    sentences = sentences_to_translate(
        catalog,
        refresh=refresh,
        glossary=glossary,
        replaces_preview=replaces_preview,
        source=source,
        plans=plans,
    )
    inputs = list(dict.fromkeys(engine_text(s, carries_markup=carries) for s in sentences))
    translations = (
        engine.translate(inputs, source=source, target=target, on_progress=on_progress)
        if inputs
        else []
    )
    if len(translations) != len(inputs):
        raise EngineError(
            f"engine {engine.name!r} returned {len(translations)} translations "
            f"for {len(inputs)} sentences",
            hint="this is a bug in the engine; report it with the command you ran",
        )
    answers = dict(zip(inputs, translations, strict=True))
    return fill_catalog(
        catalog,
        {
            s: placed(s, answers[engine_text(s, carries_markup=carries)], carries_markup=carries)
            for s in sentences
        },
        engine=engine.name,
        replaces_preview=replaces_preview,
        source=source,
        target=target,
        refresh=refresh,
        spacing=spacing,
        glossary=glossary,
        plans=plans,
    )


def fill_catalog(
    catalog: polib.POFile,
    answers: Mapping[str, Translation],
    *,
    engine: str,
    replaces_preview: bool,
    source: Language,
    target: Language,
    refresh: bool = False,
    spacing: HanLatinSpacing = HanLatinSpacing.SPACE,
    glossary: Glossary = EMPTY,
    plans: dict[str, list[Piece]] | None = None,
) -> tuple[polib.POFile, TranslateReport]:
    """A copy of ``catalog`` with every chosen entry filled from ``answers``.

    ``answers`` holds a ``Translation`` for every sentence ``sentences_to_translate``
    gives for this catalog (a missing one is a bug of the caller). ``engine`` names the
    run's engine in provenance and in the count of other engines' output.
    """
    result = copy_catalog(catalog)
    chosen = entries_to_translate(result, refresh=refresh, replaces_preview=replaces_preview)
    chosen_plans = [_planned(entry.msgid, glossary, source, plans) for entry in chosen]
    unanswered = sum(
        1 for plan in chosen_plans for piece in plan for s in piece.sentences if s not in answers
    )
    if unanswered:
        raise EngineError(
            f"{unanswered} sentences of the catalog have no translation from {engine!r}",
            hint="this is a bug in translatio; report it with the command you ran",
        )
    by_sentence = answers
    tight = target.primary in _NO_SPACE_BETWEEN_SENTENCES
    filled = refreshed = 0
    for entry, plan in zip(chosen, chosen_plans, strict=True):
        parts: list[str] = []
        used: list[Translation] = []
        for piece in plan:
            if not piece.sentences:
                parts.append(piece.text)
                continue
            outputs = [by_sentence[sentence] for sentence in piece.sentences]
            used.extend(outputs)
            joined = _join_sentences([out.text for out in outputs], tight=tight)
            text = polish(joined, target, spacing=spacing)
            parts.append(piece.text + text + piece.trailing)
        text = "".join(parts)
        if entry.msgstr:
            refreshed += 1
        else:
            filled += 1
        provenance = Provenance(
            engine=engine,
            model="+".join(dict.fromkeys(out.model for out in used)) or "none",
            score=_weighted_score(used),
            digest=text_hash(text),
            decoding="+".join(dict.fromkeys(out.decoding for out in used if out.decoding)),
            markup="unsure" if any(out.unsure_markup for out in used) else "",
        )
        entry.msgstr = text
        entry.tcomment = with_provenance(
            entry.tcomment or "",
            provenance,
            unknown_words=tuple(dict.fromkeys(w for out in used for w in out.unknown_words)),
        )
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        entry.previous_msgctxt = None
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    if filled or refreshed:
        result.metadata["PO-Revision-Date"] = now_stamp()
    return result, TranslateReport(
        filled, refreshed, count_human_work(result), count_other_engine(result, engine)
    )


def count_human_work(catalog: polib.POFile) -> int:
    """Active translations a person wrote, edited or approved (machine output excluded).

    Text carrying the preview mark is no translation, even where a person kept it.
    """
    return sum(
        1
        for entry in catalog
        if entry.msgstr
        and entry.msgid
        and not entry.obsolete
        and not is_untouched_machine_output(entry)
        and not is_preview(entry)
        and not carries_preview_mark(entry)
    )


def _join_sentences(sentences: list[str], *, tight: bool) -> str:
    """Sentences joined by a space, or by nothing in Chinese and Japanese text.

    Even in Chinese a space stays between two sentences that are Latin script at the
    join (a name, an untranslated sentence), so they do not run together.
    """
    if not tight:
        return " ".join(sentences)
    joined = sentences[0] if sentences else ""
    for sentence in sentences[1:]:
        latin_join = joined[-1:].isascii() and sentence[:1].isascii()
        joined += (" " if latin_join else "") + sentence
    return joined


def _weighted_score(outputs: list[Translation]) -> float:
    """Mean of sentence scores weighted by output length (0.0 when nothing was translated)."""
    weights = [max(1, len(out.text)) for out in outputs]
    if not outputs:
        return 0.0
    return sum(out.score * weight for out, weight in zip(outputs, weights, strict=True)) / sum(
        weights
    )
