"""What the review step adds under translations: remembered alternatives, back-translations.

* ``remembered_alternatives``: for untouched Argos output, the other translations the
  beam considered, read back from the sentence cache (no model is loaded); output whose
  sentences the cache no longer holds simply has none. The word alignments kept beside
  them come back with them (``Remembered.words``), for the page to link words.
* ``back_translations``: every translation put back into the source language by an
  engine of another family than the one that wrote it. The same family is refused: an
  engine translating back undoes its own mistakes, so its round trip reads far better
  than its output is (``benchmarks/bench_back_translation.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from translatio.catalog.plan import engine_text, plan_text
from translatio.catalog.provenance import read_provenance
from translatio.catalog.states import State
from translatio.config import HanLatinSpacing
from translatio.engines import (
    EngineOptions,
    check_engine_name,
    create_engine,
    engine_capabilities,
)
from translatio.engines.base import engine_family, translate_all
from translatio.errors import EngineError
from translatio.languages import Language
from translatio.progress import Progress
from translatio.publish.review_aids import Remembered
from translatio.text.glossary import release
from translatio.text.typography import polish
from translatio.workspace.workspace import Workspace

if TYPE_CHECKING:  # the review step imports this module
    from translatio.steps.review import QueuedCatalog

__all__ = ["ROUND_TRIP_MEASURE", "back_translations", "remembered_alternatives"]

ROUND_TRIP_MEASURE = (
    "measured on the Debian Reference: Apertium's en→es→en round trip scores chrF 72.2 "
    "against the English, above its back-translation of the human Spanish (53.1), while "
    "its en→es output scores 48.8"
)
"""Why a same-family back-translation is refused (``bench_back_translation.py``)."""


def remembered_alternatives(
    workspace: Workspace, target: Language, queue: Sequence[QueuedCatalog]
) -> Remembered:
    """By (msgid, msgstr) of untouched Argos output: each source sentence's alternatives,
    and its word alignment (target words polished as the output was)."""
    from translatio.engines.argos.remembered import remembered_alternatives as recall
    from translatio.engines.argos.remembered import remembered_word_alignments
    from translatio.engines.argos.sentence_cache import SentenceCache, WordAlignment

    source = workspace.settings.source_language
    spacing = HanLatinSpacing(workspace.settings.chinese_spacing)
    glossary = workspace.read_glossary(target)
    wanted: dict[tuple[str, str], list[tuple[tuple[str, str], str]]] = {}
    asked: dict[tuple[str, str], list[str]] = {}
    for queued in queue:
        for row in queued.rows:
            provenance = read_provenance(row.entry.tcomment or "")
            if row.engine != "argos" or provenance is None:
                continue
            entry = row.entry
            plain = [
                engine_text(sentence, carries_markup=False, glossary=glossary)
                for piece in plan_text(entry.msgid, glossary, source=source)
                for sentence in piece.sentences
            ]
            group = (provenance.model, provenance.decoding)
            asked.setdefault(group, []).extend(plain)
            wanted[entry.msgid, entry.msgstr] = list(zip([group] * len(plain), plain, strict=True))
    if not wanted:
        return Remembered({}, {})
    cache = SentenceCache()
    try:
        found = {
            group: recall(cache, model=group[0], decoding=group[1], sentences=sentences)
            for group, sentences in asked.items()
        }
        aligned = {
            group: remembered_word_alignments(
                cache, model=group[0], decoding=group[1], sentences=sentences
            )
            for group, sentences in asked.items()
        }
    finally:
        cache.close()

    def polished(alignment: WordAlignment | None) -> WordAlignment | None:
        if alignment is None:
            return None
        words = tuple(polish(release(w), target, spacing=spacing) for w in alignment.target_words)
        return WordAlignment(alignment.source_words, words, alignment.links)

    return Remembered(
        {
            key: [
                tuple(
                    polish(release(t), target, spacing=spacing) for t in found[group].get(plain, ())
                )
                for group, plain in sentences
            ]
            for key, sentences in wanted.items()
        },
        {
            key: [polished(aligned[group].get(plain)) for group, plain in sentences]
            for key, sentences in wanted.items()
        },
    )


def back_translations(
    workspace: Workspace,
    target: Language,
    queue: Sequence[QueuedCatalog],
    engine_name: str,
    progress: Progress,
) -> dict[str, str]:
    """By msgstr: each translation put back into the source language by ``engine_name``.

    ``EngineError`` when that engine is a preview, or of the family that wrote machine
    output among the entries (its back-translation would hide that output's errors).
    """
    check_engine_name(engine_name)
    capabilities = engine_capabilities(engine_name)
    if capabilities.preview:
        raise EngineError(
            f"cannot back-translate with {engine_name}: it makes layout previews, not translations",
            hint="name a real engine of another family than the one that translated",
        )
    family = engine_family(engine_name, capabilities)
    writers = sorted(
        {
            row.engine
            for queued in queue
            for row in queued.rows
            if row.engine and engine_family(row.engine, engine_capabilities(row.engine)) == family
        }
    )
    if writers:
        raise EngineError(
            f"cannot back-translate {target.code} with {engine_name}: {', '.join(writers)} "
            f"wrote its machine translations, and an engine of the same family undoes its "
            f"own mistakes on the way back ({ROUND_TRIP_MEASURE})",
            hint="name an engine of another family, or review without --back-translate",
        )
    source = workspace.settings.source_language
    texts = list(
        dict.fromkeys(
            row.entry.msgstr
            for queued in queue
            for row in queued.rows
            if row.entry.msgstr and row.state is not State.PREVIEW
        )
    )
    if not texts:
        return {}
    sentences = {
        text: [
            engine_text(sentence, carries_markup=False)
            for piece in plan_text(text, source=target)
            for sentence in piece.sentences
        ]
        for text in texts
    }
    distinct = list(dict.fromkeys(s for found in sentences.values() for s in found))
    engine = create_engine(engine_name, EngineOptions(device=workspace.settings.device))
    try:
        engine.prepare(target, [source], progress)
        done = translate_all(engine, target, {source: distinct})[source]
    finally:
        engine.close()
    answers = {sentence: answer.text for sentence, answer in zip(distinct, done, strict=True)}
    return {
        text: " ".join(answers[s] for s in found if answers[s].strip())
        for text, found in sentences.items()
        if found
    }
