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

import polib

from translatio.catalog.plan import Piece, engine_text, placed, plan_text
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
from translatio.text.glossary import EMPTY, Glossary, release
from translatio.text.typography import polish

__all__ = [
    "count_human_work",
    "count_other_engine",
    "entries_to_translate",
    "fill_catalog",
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
    inputs = list(
        dict.fromkeys(engine_text(s, carries_markup=carries, glossary=glossary) for s in sentences)
    )
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
            s: placed(
                s,
                answers[engine_text(s, carries_markup=carries, glossary=glossary)],
                carries_markup=carries,
                glossary=glossary,
            )
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
    alternatives_comment: bool = False,
) -> tuple[polib.POFile, TranslateReport]:
    """A copy of ``catalog`` with every chosen entry filled from ``answers``.

    ``answers`` holds a ``Translation`` for every sentence ``sentences_to_translate``
    gives for this catalog (a missing one is a bug of the caller). ``engine`` names the
    run's engine in provenance and in the count of other engines' output; with
    ``alternatives_comment`` the engine's alternatives go into the translator comment.
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
            alternatives=(
                tuple(
                    tuple(polish(release(t), target, spacing=spacing) for t in out.alternatives)
                    for out in used
                )
                if alternatives_comment and any(out.alternatives for out in used)
                else ()
            ),
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
