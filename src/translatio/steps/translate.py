"""The translate step: machine output for every empty entry of the chosen catalogs.

The whole corpus is planned at once: for each language, the distinct sentences of every
chosen catalog go to the engine in one request (``translate_all``), so a sentence that ten
articles share is translated once, and an engine that batches (Argos) cuts the batches
itself. The engine is created (and its models prepared) only when there is something to
translate. Then each catalog is filled from those answers and written by compare-and-swap:
applied again to a person's save made meanwhile, the step asks the engine only for
sentences it has not translated in this run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence

import polib

from translatio.catalog.fill import (
    Piece,
    TranslateReport,
    count_human_work,
    count_other_engine,
    sentences_to_translate,
    translate_catalog,
)
from translatio.engines import Engine, check_engine_name, create_engine
from translatio.engines.argos.executors import Executor, ExecutorKind, create_executor
from translatio.engines.base import Translation, runs_on_executor, translate_all
from translatio.languages import Language
from translatio.reports import Progress, TranslationUpdate
from translatio.text.glossary import Glossary
from translatio.text.typography import HanLatinSpacing
from translatio.tm.recall import reviewed_sentences
from translatio.workspace.workspace import Workspace

__all__ = ["translate"]

_logger = logging.getLogger("translatio")


def translate(
    workspace: Workspace,
    languages: Sequence[Language],
    *,
    engine: str | Engine | None,
    refresh: bool,
    device: str | None,
    progress: Progress,
    executor: ExecutorKind | str | None = None,
    ray_address: str | None = None,
    memory: bool = True,
) -> list[TranslationUpdate]:
    """Fill every chosen catalog from ``engine`` (a name, an engine, or the configured one).

    With ``memory``, sentences of reviewed paragraphs the translation memory knows
    (``recall.reviewed_sentences``) are taken from it and never sent to the engine.
    ``executor`` (``local`` or ``ray``, default the ``executor`` setting) decides where an
    engine that decodes models (Argos) runs its batches; ``ray_address`` names a cluster.
    """
    settings = workspace.settings
    work = list(workspace.catalogs(languages))
    glossaries = {language: workspace.read_glossary(language) for language in languages}
    if isinstance(engine, str) or engine is None:
        check_engine_name(engine or settings.engine)
    name = engine if isinstance(engine, str) else engine.name if engine else None
    name = name or settings.engine
    plans: dict[Language, dict[str, list[Piece]]] = {language: {} for language in languages}
    needed: dict[Language, dict[str, None]] = {}
    for slot in work:
        sentences = sentences_to_translate(
            slot.catalog,
            refresh=refresh,
            glossary=glossaries[slot.language],
            engine=name,
            source=settings.source_language,
            plans=plans[slot.language],
        )
        if sentences:
            needed.setdefault(slot.language, {}).update(dict.fromkeys(sentences))
    known: dict[Language, dict[str, Translation]] = {}
    if memory:
        for language, distinct in needed.items():
            known[language] = reviewed_sentences(
                workspace, settings.source_language, language, list(distinct)
            )
            for sentence in known[language]:
                del distinct[sentence]
    remembering: _Remembering | None = None
    kind = ExecutorKind(executor or settings.executor)
    runner: Executor | None = None
    try:
        asked = {language: sentences for language, sentences in needed.items() if sentences}
        if any(known.values()) and not asked:
            remembering = _Remembering(_Unused(name), known, settings.source_language)
        if asked:
            active = (
                engine
                if engine is not None and not isinstance(engine, str)
                else create_engine(engine or settings.engine, device=device or settings.device)
            )
            if runs_on_executor(active) and (executor or isinstance(engine, str) or not engine):
                runner = create_executor(
                    kind,
                    threads=os.cpu_count() or 1,
                    address=ray_address or settings.ray_address,
                    device=device or settings.device,
                )
                active.run_on(runner)
            elif kind is not ExecutorKind.LOCAL:
                _logger.warning(
                    "the %s engine runs in this process: --executor %s applies to argos only",
                    active.name,
                    kind.value,
                )
            active.prepare(settings.source_language, list(asked), progress)
            remembering = _Remembering(active, known, settings.source_language)
            progress.start(f"translating ({active.name})", sum(map(len, asked.values())))
            remembering.translate_many(
                settings.source_language,
                {language: list(sentences) for language, sentences in asked.items()},
                progress.advance,
            )
        updates = []
        for slot in work:
            written = False
            if remembering is None:
                report = TranslateReport(
                    0, 0, count_human_work(slot.catalog), count_other_engine(slot.catalog, name)
                )
            else:
                fill = _filler(
                    workspace,
                    remembering,
                    slot.language,
                    refresh=refresh,
                    glossary=glossaries[slot.language],
                    plans=plans[slot.language],
                )
                written, report = workspace.commit_catalog(slot.snapshot, fill(slot.catalog), fill)
            updates.append(
                TranslationUpdate(
                    slot.document,
                    slot.language.code,
                    workspace.relative(slot.path),
                    report,
                    written,
                )
            )
        return updates
    finally:
        if runner is not None:
            runner.close()


def _filler(
    workspace: Workspace,
    engine: Engine,
    language: Language,
    *,
    refresh: bool,
    glossary: Glossary,
    plans: dict[str, list[Piece]],
) -> Callable[[polib.POFile | None], tuple[polib.POFile | None, TranslateReport]]:
    """Machine translation of one catalog as a re-appliable change (see ``commit_catalog``)."""
    settings = workspace.settings

    def fill(catalog: polib.POFile | None) -> tuple[polib.POFile | None, TranslateReport]:
        if catalog is None:  # deleted while we worked: not ours to bring back
            return None, TranslateReport(0, 0, 0)
        translated, report = translate_catalog(
            catalog,
            engine,
            source=settings.source_language,
            target=language,
            refresh=refresh,
            spacing=HanLatinSpacing(settings.chinese_spacing),
            glossary=glossary,
            plans=plans,
        )
        return (translated if report.filled or report.refreshed else None), report

    return fill


class _Unused:
    """The engine of a run whose every sentence the memory knew: never asked anything."""

    def __init__(self, name: str) -> None:
        self.name = name

    def prepare(self, source: Language, targets: Sequence[Language], progress: Progress) -> None:
        """Nothing to prepare."""

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Never called: the memory answered every sentence."""
        raise AssertionError(f"the memory did not know {len(texts)} sentences")


class _Remembering:
    """An engine that answers again from what it translated in this run (for re-applies)."""

    def __init__(
        self,
        engine: Engine,
        known: Mapping[Language, Mapping[str, Translation]],
        source: Language,
    ) -> None:
        self._engine = engine
        self.name = engine.name
        self._known: dict[tuple[str, str, str], Translation] = {
            (source.code, target.code, text): translation
            for target, translations in known.items()
            for text, translation in translations.items()
        }

    def prepare(self, source: Language, targets: Sequence[Language], progress: Progress) -> None:
        """The engine prepares itself."""
        self._engine.prepare(source, targets, progress)

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """The engine's translations; texts it already translated are not sent again."""
        new = [t for t in dict.fromkeys(texts) if (source.code, target.code, t) not in self._known]
        if new:
            done = self._engine.translate(
                new, source=source, target=target, on_progress=on_progress
            )
            for text, translation in zip(new, done, strict=True):
                self._known[(source.code, target.code, text)] = translation
        return [self._known[(source.code, target.code, text)] for text in texts]

    def translate_many(
        self,
        source: Language,
        requests: Mapping[Language, Sequence[str]],
        on_progress: Callable[[int], None] | None = None,
    ) -> dict[Language, list[Translation]]:
        """Every target at once (one plan for the corpus); known texts are not sent again."""
        new = {
            target: [
                t for t in dict.fromkeys(texts) if (source.code, target.code, t) not in self._known
            ]
            for target, texts in requests.items()
        }
        new = {target: texts for target, texts in new.items() if texts}
        if on_progress is not None:
            on_progress(
                sum(len(texts) for texts in requests.values()) - sum(map(len, new.values()))
            )
        if new:
            done = translate_all(self._engine, source, new, on_progress)
            for target, texts in new.items():
                for text, translation in zip(texts, done[target], strict=True):
                    self._known[(source.code, target.code, text)] = translation
        return {
            target: [self._known[(source.code, target.code, text)] for text in texts]
            for target, texts in requests.items()
        }
