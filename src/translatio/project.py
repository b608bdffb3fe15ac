"""The public API: one ``Project`` whose methods are the steps the CLI runs.

Each step reads through the ``Workspace``, calls the pure core (segment, catalog, merge,
translate, edition, render) and writes back through the workspace; it returns a report
value and never prints. Scripts use it the way the CLI does::

    project = Project.open("path/to/project")
    project.extract()
    project.translate(engine="pseudo", languages=["zh_CN"])
    for edition in project.build(policy="draft", keep=0):
        print(edition.language, edition.state)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from translatio.catalog.states import CatalogStatus
from translatio.config import Settings
from translatio.engines import Engine
from translatio.errors import ConfigError
from translatio.languages import Language, parse_language
from translatio.progress import NullProgress, Progress
from translatio.publish.edition import Policy
from translatio.qa.checks import Finding
from translatio.reports import (
    ApprovalReport,
    CatalogUpdate,
    EditionReport,
    EditionState,
    ExportReport,
    ImportReport,
    MemoryStats,
    RecallUpdate,
    TranslationUpdate,
)
from translatio.steps.approve import approve as approve_step
from translatio.steps.build import build as build_step
from translatio.steps.check import check as check_step
from translatio.steps.edit import Change, EditResult
from translatio.steps.edit import edit_entry as edit_step
from translatio.steps.extract import extract as extract_step
from translatio.steps.review import QueuedCatalog
from translatio.steps.review import review_pages as review_pages_step
from translatio.steps.review import review_queue as review_queue_step
from translatio.steps.status import status as status_step
from translatio.steps.tm import MAX_IMPORT_SIZE
from translatio.steps.tm import export_tmx as tm_export_step
from translatio.steps.tm import import_memory as tm_import_step
from translatio.steps.tm import import_source as tm_import_source
from translatio.steps.tm import memory_stats as tm_stats_step
from translatio.steps.translate import translate as translate_step
from translatio.text.document import Document
from translatio.tm.recall import recall as recall_step
from translatio.workspace.workspace import Workspace

__all__ = [
    "CatalogUpdate",
    "EditionReport",
    "EditionState",
    "NullProgress",
    "Progress",
    "Project",
    "TranslationUpdate",
]


class Project:
    """A translatio project: sources, catalogs and editions under one directory."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        wait: float = 0.0,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.wait = wait
        """Seconds to wait for another translatio process to release the project."""
        self.on_wait = on_wait
        """Called once when this process has to wait (the CLI prints a message)."""
        self._lock_depth = 0

    @classmethod
    def open(
        cls,
        root: Path | str = ".",
        *,
        wait: float = 0.0,
        on_wait: Callable[[], None] | None = None,
    ) -> Project:
        """The project at ``root``; raises ``ConfigError`` when its settings are wrong."""
        return cls(Workspace.open(root), wait=wait, on_wait=on_wait)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the project for a step that writes (re-entrant within this object).

        While it is held, each source and catalog is read once (``loading_once``): the
        steps of ``run`` hand each other what they read and wrote.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        with (
            self.workspace.lock(wait=self.wait, on_wait=self.on_wait),
            self.workspace.loading_once(),
        ):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    @property
    def settings(self) -> Settings:
        """The project's validated settings."""
        return self.workspace.settings

    def languages(self, requested: Iterable[str] | None = None) -> tuple[Language, ...]:
        """The requested languages (any spelling), or all configured ones.

        A language must be one of the configured targets: catalogs for anything else
        would be created by a typo.
        """
        if not requested:
            return self.settings.languages
        chosen = tuple(dict.fromkeys(parse_language(code) for code in requested))
        for language in chosen:
            if language not in self.settings.languages:
                configured = ", ".join(code.code for code in self.settings.languages)
                raise ConfigError(
                    f"{language.code} is not a configured target language",
                    path=self.settings.config_path,
                    hint=f"configured: {configured}; add it to languages to translate into it",
                )
        return chosen

    def documents(self) -> list[Document]:
        """Every source document, segmented."""
        return [self.workspace.read_document(path) for path in self.workspace.source_paths()]

    # -- extract ---------------------------------------------------------------------------

    def extract(
        self, languages: Iterable[str] | None = None, *, force: bool = False, minor: bool = False
    ) -> list[CatalogUpdate]:
        """Write each document's template and merge it into every language catalog.

        Two guards stop it before anything is written, unless ``force``: a catalog that
        lacks entries of the previous template (cut short, or entries deleted by hand),
        and a merge that would make more than half of a catalog's translations obsolete
        (an emptied or wrong source file). Each new wording of a paragraph is recorded
        with the time it was first seen; ``minor`` records the changed ones as minor
        (typos, punctuation: published editions keep their reviewed text, no notice).
        """
        with self._locked():
            return extract_step(self.workspace, self.languages(languages), force=force, minor=minor)

    # -- translate -------------------------------------------------------------------------

    def translate(
        self,
        languages: Iterable[str] | None = None,
        *,
        engine: str | Engine | None = None,
        refresh: bool = False,
        device: str | None = None,
        progress: Progress | None = None,
        executor: str | None = None,
        ray_address: str | None = None,
        memory: bool = True,
        on_recall: Callable[[list[RecallUpdate]], None] | None = None,
    ) -> list[TranslationUpdate]:
        """Fill empty entries of every catalog with machine output (fuzzy, with provenance).

        First, unless ``memory`` is false, the translation memory fills what reviewed
        text it knows (``recall``, reported to ``on_recall``); the engine gets the rest.
        The engine is created (and a model loaded) only when there is something to do.
        """
        with self._locked():
            chosen = self.languages(languages)
            if memory:
                recalled = recall_step(self.workspace, chosen)
                if on_recall is not None:
                    on_recall(recalled)
            return translate_step(
                self.workspace,
                chosen,
                engine=engine,
                refresh=refresh,
                device=device,
                progress=progress or NullProgress(),
                executor=executor,
                ray_address=ray_address,
                memory=memory,
            )

    # -- translation memory ----------------------------------------------------------------

    def recall(self, languages: Iterable[str] | None = None) -> list[RecallUpdate]:
        """Fill empty entries from the translation memory of reviewed text (fuzzy, marked).

        ``translate`` does this first; this runs it alone.
        """
        with self._locked():
            return recall_step(self.workspace, self.languages(languages))

    def tm_import(
        self, path: Path | str, language: str | None = None, *, max_size: int = MAX_IMPORT_SIZE
    ) -> ImportReport:
        """Import a compendium PO or a TMX file into the project's memory (``locales/memory``).

        ``path`` is a regular file or a pipe of at most ``max_size`` bytes; a pipe is read
        to its end before the project is locked.
        """
        target = self.languages([language])[0] if language else None
        with tm_import_source(Path(path), max_size=max_size) as source, self._locked():
            return tm_import_step(self.workspace, source, language=target)

    def tm_export(
        self,
        destination: Path | str | BinaryIO,
        languages: Iterable[str] | None = None,
        *,
        force: bool = False,
    ) -> ExportReport:
        """Write the reviewed paragraphs (catalogs and imports) to a TMX 1.4b file or stream.

        An existing file is replaced only when it is empty or a TMX file translatio wrote,
        unless ``force``; a device or a directory never is. A binary stream
        (``sys.stdout.buffer``) gets the document as it is written.
        """
        target = Path(destination) if isinstance(destination, str | Path) else destination
        with self._locked():
            return tm_export_step(self.workspace, self.languages(languages), target, force=force)

    def tm_stats(self, languages: Iterable[str] | None = None) -> list[MemoryStats]:
        """What the translation memory holds per language."""
        return tm_stats_step(self.workspace, self.languages(languages))

    # -- status ----------------------------------------------------------------------------

    def status(self, languages: Iterable[str] | None = None) -> list[CatalogStatus]:
        """Counts per document and language; a catalog behind its source is ``stale``."""
        return status_step(self.workspace, self.languages(languages))

    # -- review ----------------------------------------------------------------------------

    def check(
        self,
        languages: Iterable[str] | None = None,
        *,
        meaning: bool = False,
        allow_missing: bool = False,
    ) -> list[Finding]:
        """QA findings for every translated entry of every catalog.

        ``meaning`` adds the meaning check (``qa.meaning``; the ``qe`` extra): a warning
        for each translation the sentence encoder doubts says what its source says. A
        document not extracted in a language is a ``not-extracted`` error (a warning with
        ``allow_missing``).
        """
        return check_step(
            self.workspace, self.languages(languages), meaning=meaning, allow_missing=allow_missing
        )

    def approve(
        self,
        language: str,
        *,
        references: Sequence[str] = (),
        all_passing: bool = False,
        force: bool = False,
        reviewer: str,
    ) -> ApprovalReport:
        """Mark machine output as reviewed: fuzzy cleared, reviewer and date recorded.

        Either ``references`` (source references such as ``source/article.md:12``) choose
        entries, or ``all_passing`` chooses every machine entry without QA errors. Entries
        with QA errors are refused unless ``force``; preview (pseudo) output always is.
        """
        [target] = self.languages([language])
        with self._locked():
            return approve_step(
                self.workspace,
                target,
                references=references,
                all_passing=all_passing,
                force=force,
                reviewer=reviewer,
            )

    def review_queue(self, language: str, *, meaning: bool = False) -> list[QueuedCatalog]:
        """Every document's entries in ``language``, ranked as the review page ranks them
        (with ``meaning``, the translations the meaning check flags first)."""
        [target] = self.languages([language])
        return list(review_queue_step(self.workspace, target, meaning=meaning))

    def edit(self, language: str, change: Change) -> EditResult:
        """One person's change to one entry, applied only if nobody changed it meanwhile."""
        [target] = self.languages([language])
        with self._locked():
            return edit_step(self.workspace, target, change)

    def review_pages(
        self,
        language: str,
        *,
        align_with: str | None = None,
        progress: Progress | None = None,
        meaning: bool = False,
        alternatives: bool = True,
        back_translate: str | None = None,
    ) -> list[tuple[str, bool]]:
        """Write the bilingual review page of every document: (path, written) pairs.

        ``align_with`` names an engine that translates the source sentences of texts a
        person wrote, so the page can link each of their sentences to its source;
        ``meaning`` adds the meaning check's flags, ranked first (the ``qe`` extra);
        ``alternatives`` shows the other translations the engine considered (kept in the
        sentence cache); ``back_translate`` names an engine of another family than the
        one that translated, whose back-translation is shown as a reading aid.
        """
        [target] = self.languages([language])
        with self._locked():
            return review_pages_step(
                self.workspace,
                target,
                align_with=align_with,
                progress=progress,
                meaning=meaning,
                alternatives=alternatives,
                back_translate=back_translate,
            )

    # -- build -----------------------------------------------------------------------------

    def build(
        self,
        languages: Iterable[str] | None = None,
        *,
        policy: Policy | str = Policy.REVIEWED,
        keep: float | None = None,
        html: bool = True,
        bilingual: bool = False,
    ) -> list[EditionReport]:
        """Write editions (source format, and HTML) for every document and language:
        ``editions/`` under the reviewed policy, ``drafts/`` under the draft policy.

        An edition under ``keep`` percent complete is skipped and the report says why;
        files an earlier build wrote that the policy no longer publishes are removed.
        """
        threshold = self.settings.keep if keep is None else keep
        with self._locked():
            return build_step(
                self.workspace,
                self.languages(languages),
                policy=Policy(policy),
                keep=threshold,
                html=html,
                bilingual=bilingual,
            )

    # -- everything ------------------------------------------------------------------------

    def run(
        self,
        languages: Sequence[str] | None = None,
        *,
        engine: str | Engine | None = None,
        refresh: bool = False,
        policy: Policy | str = Policy.REVIEWED,
        keep: float | None = None,
        device: str | None = None,
        force: bool = False,
        progress: Progress | None = None,
        executor: str | None = None,
        ray_address: str | None = None,
    ) -> tuple[list[CatalogUpdate], list[TranslationUpdate], list[EditionReport]]:
        """Extract, translate and build, in that order, holding the project throughout."""
        with self._locked():
            extracted = self.extract(languages, force=force)
            translated = self.translate(
                languages,
                engine=engine,
                refresh=refresh,
                device=device,
                progress=progress,
                executor=executor,
                ray_address=ray_address,
            )
            built = self.build(languages, policy=policy, keep=keep)
            return extracted, translated, built
