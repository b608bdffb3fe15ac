"""The translate step: machine output for every empty entry of the chosen catalogs.

The engine is created (and its models prepared) only when some catalog has something
to translate; all sentences of a catalog go to it in one call. Each catalog is written by
compare-and-swap: applied again to a person's save made meanwhile, the step asks the
engine only for sentences it has not translated in this run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polib

from translatio.engines import Engine, check_engine_name, create_engine
from translatio.engines.base import Translation
from translatio.glossary import Glossary
from translatio.languages import Language
from translatio.reports import Progress, TranslationUpdate
from translatio.translate import (
    Piece,
    TranslateReport,
    count_human_work,
    count_other_engine,
    sentences_to_translate,
    translate_catalog,
)
from translatio.typography import HanLatinSpacing
from translatio.workspace import Workspace

__all__ = ["translate"]


def translate(
    workspace: Workspace,
    languages: Sequence[Language],
    *,
    engine: str | Engine | None,
    refresh: bool,
    device: str | None,
    progress: Progress,
) -> list[TranslationUpdate]:
    """Fill every chosen catalog from ``engine`` (a name, an engine, or the configured one)."""
    settings = workspace.settings
    work = list(workspace.catalogs(languages))
    glossaries = {language: workspace.read_glossary(language) for language in languages}
    if isinstance(engine, str) or engine is None:
        check_engine_name(engine or settings.engine)
    name = engine if isinstance(engine, str) else engine.name if engine else None
    name = name or settings.engine
    plans: dict[Language, dict[str, list[Piece]]] = {language: {} for language in languages}
    pending = [
        len(
            sentences_to_translate(
                slot.catalog,
                refresh=refresh,
                glossary=glossaries[slot.language],
                engine=name,
                source=settings.source_language,
                plans=plans[slot.language],
            )
        )
        for slot in work
    ]
    total = sum(pending)
    active: Engine | None = None
    if total:
        active = (
            engine
            if engine is not None and not isinstance(engine, str)
            else create_engine(engine or settings.engine, device=device or settings.device)
        )
        needed = list(
            dict.fromkeys(s.language for s, count in zip(work, pending, strict=True) if count)
        )
        active.prepare(settings.source_language, needed, progress)
        progress.start(f"translating ({active.name})", total)
    updates = []
    for slot in work:
        written = False
        if active is None:
            report = TranslateReport(
                0, 0, count_human_work(slot.catalog), count_other_engine(slot.catalog, name)
            )
        else:
            fill = _filler(
                workspace,
                _Remembering(active),
                slot.language,
                refresh=refresh,
                glossary=glossaries[slot.language],
                progress=progress,
                plans=plans[slot.language],
            )
            written, report = workspace.commit_catalog(slot.snapshot, fill(slot.catalog), fill)
        updates.append(
            TranslationUpdate(
                slot.document, slot.language.code, workspace.relative(slot.path), report, written
            )
        )
    return updates


def _filler(
    workspace: Workspace,
    engine: Engine,
    language: Language,
    *,
    refresh: bool,
    glossary: Glossary,
    progress: Progress,
    plans: dict[str, list[Piece]],
) -> Callable[[polib.POFile | None], tuple[polib.POFile | None, TranslateReport]]:
    """Machine translation of one catalog as a re-appliable change (see ``commit_catalog``)."""
    settings = workspace.settings
    first = True

    def fill(catalog: polib.POFile | None) -> tuple[polib.POFile | None, TranslateReport]:
        nonlocal first
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
            on_progress=progress.advance if first else None,
            plans=plans,
        )
        first = False
        return (translated if report.filled or report.refreshed else None), report

    return fill


class _Remembering:
    """An engine that answers again from what it translated in this run (for re-applies)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.name
        self._known: dict[tuple[str, str, str], Translation] = {}

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
