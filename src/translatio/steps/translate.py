"""The translate step: machine output for every empty entry of the chosen catalogs.

One straight line per run:

1. **Plan** once for the whole corpus: for each language, the distinct sentences of every
   chosen catalog (``catalog.fill.sentences_to_translate``), so a sentence that ten
   articles share is asked for once.
2. **Answers**: the translation memory first (sentences of reviewed paragraphs it knows,
   ``tm.recall.reviewed_sentences``), then the engine for the rest, every language in
   one request (``engines.base.translate_all``), so an engine that plans a corpus (Argos)
   cuts its batches across languages. The engine is made, once, only when there is
   something to ask it.
3. **Fill** each catalog from the answers and write it by compare-and-swap: applied again
   to a person's save made meanwhile, the step asks the engine only for sentences it
   has no answer for yet.

Each language has its engine (``--engine`` for all, else the ``engines`` setting, else
``engine``): the languages of one engine make one such run. A language its engine cannot
serve (no Apertium pair, no Argos package) is left untouched and reported in its
updates (``Unserved``) while the others go on; when no language of a one-engine run can
be served, the engine's error is raised as it is.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence

import polib

from translatio.catalog.fill import (
    count_other_engine,
    fill_catalog,
    sentences_to_translate,
)
from translatio.catalog.plan import Piece, engine_text, placed
from translatio.catalog.tally import count_left_alone, tally_fill
from translatio.config import ExecutorKind, HanLatinSpacing
from translatio.engines import (
    Capabilities,
    Engine,
    EngineOptions,
    check_engine_name,
    create_engine,
    engine_capabilities,
)
from translatio.engines.base import translate_all
from translatio.errors import EngineError, ExecutorError
from translatio.languages import Language
from translatio.progress import Progress
from translatio.reports import TranslateReport, Translation, TranslationUpdate, Unserved
from translatio.text.glossary import Glossary
from translatio.tm.recall import Gloss, reviewed_sentences
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
    """Fill every chosen catalog, each language from its engine (``engine`` for all if given).

    Without ``engine``, a language's engine is its own in the ``engines`` setting, else
    the ``engine`` setting; the languages of each engine are one run (``_translate_with``)
    and the updates come back in document order, languages as given.
    """
    groups: dict[str, list[Language]] = {}
    for language in languages if engine is None else ():
        groups.setdefault(workspace.settings.engine_for(language), []).append(language)
    run = functools.partial(
        _translate_with,
        workspace,
        refresh=refresh,
        device=device,
        progress=progress,
        executor=executor,
        ray_address=ray_address,
        memory=memory,
    )
    if len(groups) <= 1:
        return run(languages, engine=engine if engine is not None else next(iter(groups), None))
    updates = [u for name, chosen in groups.items() for u in run(chosen, engine=name, strict=False)]
    documents = {update.document: index for index, update in reversed(list(enumerate(updates)))}
    order = {language.code: index for index, language in enumerate(languages)}
    return sorted(updates, key=lambda update: (documents[update.document], order[update.language]))


def _translate_with(
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
    strict: bool = True,
) -> list[TranslationUpdate]:
    """Fill every chosen catalog from ``engine`` (a name, an engine, or the configured one).

    With ``memory``, sentences of reviewed paragraphs the translation memory knows are
    taken from it and never sent to the engine. ``executor`` (``local`` or ``ray``,
    default the ``executor`` setting) decides where an engine that plans a corpus (Argos)
    decodes; ``ray_address`` names a cluster. An engine object is used as it was made.
    With ``strict``, the engine's error is raised when it can serve none of ``languages``.
    """
    settings = workspace.settings
    source = settings.source_language
    if isinstance(engine, str) or engine is None:
        name = engine or settings.engine
        check_engine_name(name)
        capabilities = engine_capabilities(name)
    else:
        name, capabilities = engine.name, engine.capabilities
    options = EngineOptions(
        device=device or settings.device,
        executor=ExecutorKind(executor or settings.executor),
        ray_address=ray_address or settings.ray_address,
    )
    if not capabilities.batch and options.executor is not ExecutorKind.LOCAL:
        _logger.warning(
            "the %s engine runs in this process: --executor %s applies to argos only",
            name,
            options.executor.value,
        )
    run = _Run(
        name,
        capabilities,
        engine if engine is not None and not isinstance(engine, str) else None,
        options,
        source,
        progress,
    )
    slots = list(workspace.catalogs(languages))
    glossaries = {language: workspace.read_glossary(language) for language in languages}
    plans: dict[Language, dict[str, list[Piece]]] = {language: {} for language in languages}
    needed: dict[Language, dict[str, None]] = {}
    for slot in slots:
        sentences = sentences_to_translate(
            slot.catalog,
            refresh=refresh,
            glossary=glossaries[slot.language],
            replaces_preview=not capabilities.preview,
            source=source,
            plans=plans[slot.language],
        )
        needed.setdefault(slot.language, {}).update(dict.fromkeys(sentences))
    try:
        if memory:
            for language, distinct in needed.items():
                gloss = None if capabilities.preview else run.gloss(language, glossaries[language])
                known = reviewed_sentences(workspace, source, language, list(distinct), gloss=gloss)
                run.learn(language, known)
        run.ask({language: list(distinct) for language, distinct in needed.items()}, glossaries)
        # a rerun where only the unserved language has work left reports it and goes on
        if strict and run.failure is not None and set(languages) <= set(run.unserved):
            raise run.failure
        updates = []
        for slot in slots:
            fill = _filler(
                run,
                slot.language,
                refresh=refresh,
                spacing=HanLatinSpacing(settings.chinese_spacing),
                glossary=glossaries[slot.language],
                plans=plans[slot.language],
                alternatives_comment=settings.alternatives_comment,
            )
            if run.answered() and slot.language not in run.unserved:
                written, report = workspace.commit_catalog(slot.snapshot, fill(slot.catalog), fill)
            else:
                written, report = False, _untouched(slot.catalog, name)
            updates.append(
                TranslationUpdate(
                    slot.document,
                    slot.language.code,
                    workspace.relative(slot.path),
                    report,
                    written,
                    run.why(slot.language),
                )
            )
        return updates
    finally:
        run.close()


def _untouched(catalog: polib.POFile, engine: str) -> TranslateReport:
    """The report of a catalog no answer of this run could change."""
    return TranslateReport(0, 0, count_left_alone(catalog), count_other_engine(catalog, engine))


class _Run:
    """One run's answers, sentence by sentence: the memory's, then the engine's."""

    def __init__(
        self,
        name: str,
        capabilities: Capabilities,
        given: Engine | None,
        options: EngineOptions,
        source: Language,
        progress: Progress,
    ) -> None:
        self.name = name
        """The engine's name, for provenance."""
        self.capabilities = capabilities
        """What the engine is."""
        self._given = given
        self._made: Engine | None = None
        self._options = options
        self.source = source
        """The source language."""
        self._progress = progress
        self._answers: dict[Language, dict[str, Translation]] = {}
        self._prepared: set[Language] = set()
        self.unserved: dict[Language, EngineError] = {}
        """Languages the engine cannot serve, with what it said."""
        self.failure: EngineError | None = None
        """The engine's first refusal, as it said it for every language it was asked."""

    def why(self, language: Language) -> Unserved | None:
        """Why ``language`` got nothing from the engine, if it did not."""
        error = self.unserved.get(language)
        return None if error is None else Unserved(self.name, error.message, error.hint)

    def _serve(self, engine: Engine, languages: Sequence[Language]) -> None:
        """Prepare the engine for ``languages``; any it cannot serve go to ``unserved``.

        One ``prepare`` for all of them; only when it fails is each asked alone, to
        find which ones the engine lacks.
        """
        fresh = [lang for lang in languages if lang not in self._prepared | set(self.unserved)]
        if not fresh:
            return
        try:
            engine.prepare(self.source, fresh, self._progress)
        except ExecutorError:  # not a language's fault: the run cannot go on
            raise
        except EngineError as error:
            self.failure = self.failure or error
            if len(fresh) == 1:
                self.unserved[fresh[0]] = error
            else:
                for language in fresh:
                    self._serve(engine, [language])
            return
        self._prepared.update(fresh)

    def learn(self, language: Language, known: Mapping[str, Translation]) -> None:
        """Answers that need no engine (the translation memory's)."""
        self._answers.setdefault(language, {}).update(known)

    def gloss(self, language: Language, glossary: Glossary) -> Gloss:
        """The engine's translations of reviewed sentences, for the memory's aligner.

        They are asked like any sentence (and kept: a sentence the aligner leaves
        unpaired needs no second request); the memory's answers replace them.
        """

        def translations(sentences: Sequence[str]) -> dict[str, str]:
            self.ask({language: sentences}, {language: glossary})
            answers = self.answers(language)
            return {sentence: answers[sentence].text for sentence in sentences}

        return translations

    def answered(self) -> bool:
        """Whether anything at all was answered this run (else no catalog is touched)."""
        return any(self._answers.values())

    def answers(self, language: Language) -> Mapping[str, Translation]:
        """Every answer in ``language`` so far."""
        return self._answers.setdefault(language, {})

    def ask(
        self,
        requests: Mapping[Language, Sequence[str]],
        glossaries: Mapping[Language, Glossary],
    ) -> None:
        """Ask the engine, in one request, for every sentence that has no answer yet.

        The engine sees each sentence whole (``plan.engine_text``): with its markup, or
        its plain text, so a sentence whose emphasis moved is not asked again; the
        markup is put back on each answer (``plan.placed``). Glossary terms are held in
        their sentence as their required translation.
        """
        carries = self.capabilities.markup
        missing = {
            language: [s for s in sentences if s not in self.answers(language)]
            for language, sentences in requests.items()
        }
        missing = {language: sentences for language, sentences in missing.items() if sentences}
        if not missing:
            return
        engine = self._engine()
        self._serve(engine, list(missing))
        missing = {language: s for language, s in missing.items() if language not in self.unserved}
        if not missing:
            return
        asked = {
            language: list(
                dict.fromkeys(
                    engine_text(s, carries_markup=carries, glossary=glossaries[language])
                    for s in sentences
                )
            )
            for language, sentences in missing.items()
        }
        self._progress.start(f"translating ({engine.name})", sum(map(len, asked.values())))
        done = translate_all(engine, self.source, asked, self._progress.advance)
        for language, sentences in missing.items():
            outputs = dict(zip(asked[language], done[language], strict=True))
            glossary = glossaries[language]
            for sentence in sentences:
                answer = outputs[engine_text(sentence, carries_markup=carries, glossary=glossary)]
                self._answers[language][sentence] = placed(
                    sentence, answer, carries_markup=carries, glossary=glossary
                )

    def _engine(self) -> Engine:
        if self._given is not None:
            return self._given
        if self._made is None:
            self._made = create_engine(self.name, self._options)
        return self._made

    def close(self) -> None:
        """Close the engine this run made (an engine handed in is its giver's)."""
        if self._made is not None:
            self._made.close()


def _filler(
    run: _Run,
    language: Language,
    *,
    refresh: bool,
    spacing: HanLatinSpacing,
    glossary: Glossary,
    plans: dict[str, list[Piece]],
    alternatives_comment: bool = False,
) -> Callable[[polib.POFile | None], tuple[polib.POFile | None, TranslateReport]]:
    """Machine translation of one catalog as a re-appliable change (see ``commit_catalog``);
    ``alternatives_comment``: the engine's alternatives also go into translator comments."""
    replaces_preview = not run.capabilities.preview

    def fill(catalog: polib.POFile | None) -> tuple[polib.POFile | None, TranslateReport]:
        if catalog is None:  # deleted while we worked: not ours to bring back
            return None, TranslateReport(0, 0, 0)
        sentences = sentences_to_translate(
            catalog,
            refresh=refresh,
            glossary=glossary,
            replaces_preview=replaces_preview,
            source=run.source,
            plans=plans,
        )
        run.ask(
            {language: sentences}, {language: glossary}
        )  # a person's save may hold a sentence not planned
        translated, report = fill_catalog(
            catalog,
            run.answers(language),
            engine=run.name,
            replaces_preview=replaces_preview,
            source=run.source,
            target=language,
            refresh=refresh,
            spacing=spacing,
            glossary=glossary,
            plans=plans,
            alternatives_comment=alternatives_comment,
        )
        return tally_fill(catalog, translated, other_engine=report.other_engine)

    return fill
