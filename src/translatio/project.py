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

import polib

from translatio import publishing, review
from translatio.catalog import (
    TEMPLATE_HEADER,
    build_template,
    now_stamp,
    same_entries,
    serialize,
    template_fingerprint,
)
from translatio.config import Settings
from translatio.document import Document
from translatio.edition import Policy
from translatio.engines import Engine, check_engine_name, create_engine
from translatio.engines.base import Translation
from translatio.errors import CatalogError, ConfigError
from translatio.glossary import Glossary
from translatio.languages import Language, parse_language
from translatio.merge import MergeReport, merge_catalog
from translatio.qa import Finding, Severity, check_catalog
from translatio.reports import (
    ApprovalReport,
    CatalogUpdate,
    EditionReport,
    EditionState,
    NullProgress,
    Progress,
    TranslationUpdate,
)
from translatio.status import CatalogStatus, catalog_status
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
        chosen = tuple(
            dict.fromkeys(parse_language(code, setting="--language") for code in requested)
        )
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
        self, languages: Iterable[str] | None = None, *, force: bool = False
    ) -> list[CatalogUpdate]:
        """Write each document's template and merge it into every language catalog.

        Two guards stop it before anything is written, unless ``force``: a catalog that
        lacks entries of the previous template (cut short, or entries deleted by hand),
        and a merge that would make more than half of a catalog's translations obsolete
        (an emptied or wrong source file).
        """
        with self._locked():
            updates = []
            for document in self.documents():
                old_template = self.workspace.read_catalog(
                    self.workspace.template_path(document.name)
                )
                template = self._template(document, old_template)
                planned = []
                for language in self.languages(languages):
                    path = self.workspace.catalog_path(document.name, language)
                    merge = self._merger(
                        template, old_template, language, path, document.path, force=force
                    )
                    previous, snapshot = self.workspace.read_snapshot(path)
                    planned.append((language, path, snapshot, merge, merge(previous)))
                self.workspace.write(
                    self.workspace.template_path(document.name),
                    serialize(template, wrap=self.settings.wrap),
                )
                for language, path, snapshot, merge, result in planned:
                    written, report = self.workspace.commit_catalog(snapshot, result, merge)
                    relative = self.workspace.relative(path)
                    updates.append(
                        CatalogUpdate(document.name, language.code, relative, report, written)
                    )
            return updates

    def _merger(
        self,
        template: polib.POFile,
        old_template: polib.POFile | None,
        language: Language,
        path: Path,
        source: str,
        *,
        force: bool,
    ) -> Callable[[polib.POFile | None], tuple[polib.POFile, MergeReport]]:
        """The merge of ``template`` into a catalog, guards included, as a re-appliable change."""

        def merge(previous: polib.POFile | None) -> tuple[polib.POFile, MergeReport]:
            merged, report = merge_catalog(template, previous, language)
            if not force:
                self._check_complete(path, previous, old_template)
                self._guard(source, language, previous, report)
            return merged, report

        return merge

    def _template(self, document: Document, previous: polib.POFile | None) -> polib.POFile:
        created = previous.metadata.get("POT-Creation-Date") if previous is not None else None
        template = build_template(document, created=created or now_stamp())
        if previous is not None and not same_entries(template, previous):
            template = build_template(document, created=now_stamp())
        return template

    def _check_complete(
        self, path: Path, catalog: polib.POFile | None, template: polib.POFile | None
    ) -> None:
        """Every msgid of the template the catalog was merged from must still be in it.

        Only a catalog merged from that very template (its ``X-Translatio-Template``
        fingerprint) is held to it: one not updated since an older template legitimately
        lacks the new entries, and one merged by another tool is not checked.
        """
        if catalog is None or template is None:
            return
        if catalog.metadata.get(TEMPLATE_HEADER) != template_fingerprint(template):
            return
        present = {(entry.msgctxt, entry.msgid) for entry in catalog}
        missing = [e for e in template if e.msgid and (e.msgctxt, e.msgid) not in present]
        if missing:
            raise CatalogError(
                f"{len(missing)} entries of the template are missing from the catalog "
                f"(first: {missing[0].msgid[:40]!r}); was it cut short?",
                path=self.workspace.relative(path),
                hint="restore it from version control; if the entries were removed on "
                "purpose, run again with --force",
            )

    def _guard(
        self,
        source: str,
        language: Language,
        previous: polib.POFile | None,
        report: MergeReport,
    ) -> None:
        translated = (
            sum(1 for e in previous if e.msgstr and e.msgid and not e.obsolete) if previous else 0
        )
        if translated and report.obsoleted * 2 > translated:
            raise CatalogError(
                f"the source change would make {report.obsoleted} of {translated} "
                f"{language.code} translations obsolete",
                path=source,
                hint="check that this is the right source file; if the change is intended, "
                "run again with --force (the translations are kept as obsolete entries)",
            )

    # -- translate -------------------------------------------------------------------------

    def translate(
        self,
        languages: Iterable[str] | None = None,
        *,
        engine: str | Engine | None = None,
        refresh: bool = False,
        device: str | None = None,
        progress: Progress | None = None,
    ) -> list[TranslationUpdate]:
        """Fill empty entries of every catalog with machine output (fuzzy, with provenance).

        The engine is created (and a model loaded) only when there is something to do.
        """
        with self._locked():
            return self._translate(languages, engine, refresh, device, progress)

    def _translate(
        self,
        languages: Iterable[str] | None,
        engine: str | Engine | None,
        refresh: bool,
        device: str | None,
        progress: Progress | None,
    ) -> list[TranslationUpdate]:
        progress = progress or NullProgress()
        chosen = self.languages(languages)
        work = [
            (slot.document, slot.language, slot.path, slot.catalog, slot.snapshot)
            for slot in self.workspace.catalogs(chosen)
        ]
        glossaries = {language: self.workspace.read_glossary(language) for language in chosen}
        if isinstance(engine, str) or engine is None:
            check_engine_name(engine or self.settings.engine)
        name = engine if isinstance(engine, str) else engine.name if engine else None
        name = name or self.settings.engine
        plans: dict[Language, dict[str, list[Piece]]] = {language: {} for language in chosen}
        pending = [
            len(
                sentences_to_translate(
                    item[3],
                    refresh=refresh,
                    glossary=glossaries[item[1]],
                    engine=name,
                    source=self.settings.source_language,
                    plans=plans[item[1]],
                )
            )
            for item in work
        ]
        total = sum(pending)
        active: Engine | None = None
        if total:
            active = (
                engine
                if engine is not None and not isinstance(engine, str)
                else create_engine(
                    engine or self.settings.engine, device=device or self.settings.device
                )
            )
            needed = [item[1] for item, count in zip(work, pending, strict=True) if count]
            active.prepare(self.settings.source_language, needed, progress)
            progress.start(f"translating ({active.name})", total)
        updates = []
        for document, language, catalog_path, catalog, snapshot in work:
            written = False
            if active is None:
                report = TranslateReport(
                    0, 0, count_human_work(catalog), count_other_engine(catalog, name)
                )
            else:
                fill = self._filler(
                    _Remembering(active),
                    language,
                    refresh,
                    glossaries[language],
                    progress,
                    plans[language],
                )
                written, report = self.workspace.commit_catalog(snapshot, fill(catalog), fill)
            updates.append(
                TranslationUpdate(
                    document, language.code, self.workspace.relative(catalog_path), report, written
                )
            )
        return updates

    def _filler(
        self,
        engine: Engine,
        language: Language,
        refresh: bool,
        glossary: Glossary,
        progress: Progress,
        plans: dict[str, list[Piece]],
    ) -> Callable[[polib.POFile | None], tuple[polib.POFile | None, TranslateReport]]:
        """Machine translation of one catalog as a re-appliable change (see ``commit_catalog``).

        Applied again to a person's newer save, it asks the engine only for sentences it
        has not translated in this run.
        """
        first = True

        def fill(catalog: polib.POFile | None) -> tuple[polib.POFile | None, TranslateReport]:
            nonlocal first
            if catalog is None:  # deleted while we worked: not ours to bring back
                return None, TranslateReport(0, 0, 0)
            translated, report = translate_catalog(
                catalog,
                engine,
                source=self.settings.source_language,
                target=language,
                refresh=refresh,
                spacing=HanLatinSpacing(self.settings.chinese_spacing),
                glossary=glossary,
                on_progress=progress.advance if first else None,
                plans=plans,
            )
            first = False
            return (translated if report.filled or report.refreshed else None), report

        return fill

    # -- status ----------------------------------------------------------------------------

    def status(self, languages: Iterable[str] | None = None) -> list[CatalogStatus]:
        """Counts per document and language.

        A catalog whose msgids no longer match the source is reported ``stale``: its
        counts describe the file, and ``translatio extract`` brings it up to date.
        """
        results = []
        current: dict[Path, set[str]] = {}
        for slot in self.workspace.catalogs(self.languages(languages)):
            if slot.source not in current:
                document = self.workspace.read_document(slot.source)
                current[slot.source] = {e.msgid for e in build_template(document, created="")}
            catalog = slot.catalog
            stale = current[slot.source] != {
                entry.msgid for entry in catalog if entry.msgid and not entry.obsolete
            }
            findings = check_catalog(
                catalog, slot.language, glossary=self.workspace.read_glossary(slot.language)
            )
            errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
            results.append(
                catalog_status(
                    slot.document,
                    slot.language.code,
                    catalog,
                    qa=(errors, len(findings) - errors),
                    stale=stale,
                )
            )
        return results

    # -- review ----------------------------------------------------------------------------

    def check(self, languages: Iterable[str] | None = None) -> list[Finding]:
        """QA findings for every translated entry of every catalog."""
        return review.check(self, languages)

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

        ``references`` are source references (``source/article.md:12``) choosing entries;
        ``all_passing`` chooses every machine entry without QA errors. Entries with QA
        errors are refused unless ``force``.
        """
        with self._locked():
            return review.approve(
                self,
                language,
                references=references,
                all_passing=all_passing,
                force=force,
                reviewer=reviewer,
            )

    def review_pages(self, language: str) -> list[tuple[str, bool]]:
        """Write the bilingual review page of every document: (path, written) pairs."""
        with self._locked():
            return review.write_review_pages(self, language)

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
        """Write editions (source format, and HTML) for every document and language.

        An edition under ``keep`` percent complete is skipped and the report says why.
        """
        policy = Policy(policy)
        threshold = self.settings.keep if keep is None else keep
        with self._locked():
            return [
                publishing.build_one(
                    self.workspace,
                    self.workspace.read_document(slot.source),
                    slot.language,
                    slot.catalog,
                    policy=policy,
                    keep=threshold,
                    html=html,
                    bilingual=bilingual,
                )
                for slot in self.workspace.catalogs(self.languages(languages))
            ]

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
    ) -> tuple[list[CatalogUpdate], list[TranslationUpdate], list[EditionReport]]:
        """Extract, translate and build, in that order, holding the project throughout."""
        with self._locked():
            extracted = self.extract(languages, force=force)
            translated = self.translate(
                languages, engine=engine, refresh=refresh, device=device, progress=progress
            )
            built = self.build(languages, policy=policy, keep=keep)
            return extracted, translated, built


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
