"""The library's rules through ``translatio.Project``: what extract, translate, status, check
and approve merge, fill, count and accept, asserted on the reports they return.

Editions are ``test_build_step.py``'s; what steps refuse is ``test_step_errors.py``'s;
what the CLI makes of the reports is ``test_cli.py``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from translatio import Project, Severity, State
from translatio.catalog.states import entry_state
from translatio.engines.pseudo import pseudo_localise, pseudo_preview

from .conftest import SHORT_DOC, MakeProject, add_code_span_error, msgfmt_check, read_po
from .prepared import (
    FR_CATALOG,
    catalog_path,
    cleared_in_an_editor,
    entries,
    machine_translated,
    preview,
    save,
)

# -- extract -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "plural_forms"),
    [("zh_CN", "nplurals=1; plural=0;"), ("fr", "nplurals=2; plural=(n > 1);")],
)
def test_extract_writes_the_template_and_a_catalog_per_language(
    make_project: MakeProject, language: str, plural_forms: str
) -> None:
    root = make_project(languages=(language,))
    [update] = Project.open(root).extract()
    assert (update.document, update.language, update.written) == ("article", language, True)
    assert (update.merge.new, update.merge.kept, update.merge.obsoleted) == (6, 0, 0)
    assert update.path == f"locales/{language}/LC_MESSAGES/article.po"
    assert (root / "locales" / "article.pot").is_file()
    metadata = read_po(root / update.path).metadata
    assert (metadata["Language"], metadata["Plural-Forms"]) == (language, plural_forms)
    msgfmt_check(root / update.path)


TEXT = "# Caf\u00e9\n\nLine one\nline two.\n"


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode(),
        b"\xef\xbb\xbf" + TEXT.encode(),
        TEXT.replace("\n", "\r\n").encode(),
        TEXT.replace("\u00e9", "e\u0301").encode(),
    ],
    ids=["plain", "bom", "crlf", "nfd"],
)
def test_bom_crlf_and_decomposed_sources_give_the_same_template(
    make_project: MakeProject, encoded: bytes
) -> None:
    root = make_project({"a.md": "placeholder\n"}, languages=("fr",))
    (root / "source" / "a.md").write_bytes(encoded)
    Project.open(root).extract()
    msgids = [entry.msgid for entry in read_po(root / "locales" / "a.pot")]
    assert msgids == ["Caf\u00e9", "Line one line two."]


def test_dotfiles_in_source_are_ignored(make_project: MakeProject) -> None:
    root = make_project({".draft.md": "# Hidden\n", "real.md": "# Real\n"}, languages=("fr",))
    [update] = Project.open(root).extract()
    assert update.document == "real"
    assert not list((root / "locales").rglob("*draft*"))


def test_ignored_source_files_are_reported(
    make_project: MakeProject, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project(
        {"a.md": "Hello.\n", "..md": "Dots.\n", "notes.rst": "Not read.\n"}, languages=("fr",)
    )
    with caplog.at_level(logging.WARNING, logger="translatio"):
        [update] = Project.open(root).extract()
    assert update.document == "a"
    messages = [record.getMessage() for record in caplog.records]
    assert any("source/..md is ignored" in message for message in messages)
    assert any("source/notes.rst is ignored" in message for message in messages)


# -- translate ---------------------------------------------------------------------------------


def test_translate_fills_only_the_languages_asked_for(make_project: MakeProject) -> None:
    root = make_project()
    project = Project.open(root)
    project.extract()
    [update] = project.translate(["zh_CN"], engine="machine")
    assert (update.language, update.report.filled, update.report.refreshed) == ("zh_CN", 6, 0)
    assert update.written
    assert all(entry.fuzzy and entry.msgstr for entry in entries(catalog_path(root, "zh_CN")))
    assert not any(entry.msgstr for entry in entries(catalog_path(root, "fr")))
    for path in (root / "locales").rglob("*.po"):
        msgfmt_check(path)


def test_another_real_engines_output_is_kept_until_refresh(make_project: MakeProject) -> None:
    project = Project.open(make_project({"doc.md": SHORT_DOC}, languages=("es",)))
    project.run(policy="draft", keep=0)
    [kept] = project.translate(engine="apertium")
    assert (kept.report.filled, kept.report.other_engine, kept.written) == (0, 3, False)
    [refreshed] = project.translate(engine="apertium", refresh=True)
    assert (refreshed.report.refreshed, refreshed.report.filled) == (3, 0)
    path = catalog_path(project.workspace.root, "es", "doc")
    assert all("engine=apertium" in entry.tcomment for entry in entries(path))


def test_a_real_engine_replaces_untouched_preview_output(make_project: MakeProject) -> None:
    project = preview(make_project)
    root = project.workspace.root
    path = catalog_path(root, "es", "doc")
    person = pseudo_preview("The second paragraph is here.")
    text = path.read_text("utf-8")
    path.write_text(text.replace(f'msgstr "{person}"', 'msgstr "El segundo, de una persona."'))

    _, [update], _ = project.run(engine="apertium", policy="draft", keep=0)

    assert update.report.filled + update.report.refreshed == 2
    by_msgid = {entry.msgid: entry for entry in read_po(path)}
    assert by_msgid["The first paragraph is here."].msgstr.startswith("El primer")
    assert "engine=apertium" in by_msgid["The first paragraph is here."].tcomment
    assert by_msgid["The second paragraph is here."].msgstr == "El segundo, de una persona."
    edition = (root / "drafts" / "es" / "doc.md").read_text("utf-8")
    assert "El primer" in edition and pseudo_localise("The title") not in edition


# -- status ------------------------------------------------------------------------------------


STATUS_CASES: list[tuple[str, Callable[[MakeProject], Project], dict[State, int], float]] = [
    # id, how the project got there, entries by state, percent translated
    (
        "extracted",
        lambda make: _extracted(make),
        {State.UNTRANSLATED: 6},
        0.0,
    ),
    ("machine", lambda make: machine_translated(make), {State.MACHINE: 6}, 0.0),
    ("preview", lambda make: preview(make), {State.PREVIEW: 3}, 0.0),
    (
        "cleared-in-an-editor",
        lambda make: _then(machine_translated(make), cleared_in_an_editor),
        {State.TRANSLATED: 6},
        100.0,
    ),
]


def _extracted(make_project: MakeProject) -> Project:
    project = Project.open(make_project(languages=("fr",)))
    project.extract()
    return project


def _then(project: Project, change: Callable[[Project], None]) -> Project:
    change(project)
    return project


@pytest.mark.parametrize(
    ("prepare", "entries", "percent"),
    [case[1:] for case in STATUS_CASES],
    ids=[case[0] for case in STATUS_CASES],
)
def test_status_counts_entries_by_state(
    make_project: MakeProject,
    prepare: Callable[[MakeProject], Project],
    entries: dict[State, int],
    percent: float,
) -> None:
    [status] = prepare(make_project).status()
    assert status.entries == {state: entries.get(state, 0) for state in State}
    assert status.percent(State.TRANSLATED) == percent
    assert (status.qa_errors, status.stale) == (0, False)


def test_status_says_when_a_catalog_is_behind_the_source(make_project: MakeProject) -> None:
    project = machine_translated(make_project)
    assert [status.stale for status in project.status()] == [False]
    source = project.workspace.root / "source" / "article.txt"
    source.write_text(source.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    assert [status.stale for status in project.status()] == [True]


# -- check -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "codes"),
    [("fr", []), ("zh_CN", ["wrong-script"] * 6)],
)
def test_check_findings_of_machine_output(
    make_project: MakeProject, language: str, codes: list[str]
) -> None:
    findings = machine_translated(make_project, language).check()
    assert [finding.code for finding in findings] == codes
    assert {finding.severity for finding in findings} <= {Severity.ERROR}


def test_a_finding_names_catalog_line_and_source_reference(make_project: MakeProject) -> None:
    project = machine_translated(make_project)
    path = catalog_path(project.workspace.root)
    catalog = read_po(path)
    entry = next(e for e in catalog if e.msgid)
    entry.msgstr = "# " + entry.msgstr  # a translation that would become a heading
    save(catalog, path)
    [finding] = project.check()
    assert (finding.code, finding.severity) == ("block-marker", Severity.ERROR)
    assert (finding.path, finding.reference) == (FR_CATALOG, "source/article.txt:1")
    assert finding.line == read_po(path).find(entry.msgid).linenum
    [status] = project.status()
    assert (status.qa_errors, status.qa_warnings) == (1, 0)


# -- approve -----------------------------------------------------------------------------------


def test_approve_one_entry_records_reviewer_and_date(make_project: MakeProject) -> None:
    project = machine_translated(make_project)
    report = project.approve("fr", references=["source/article.txt:3"], reviewer="Ada L")
    assert (report.language, report.approved) == ("fr", ("source/article.txt:3",))
    assert (report.refused, report.unmatched) == ((), ())
    active = entries(catalog_path(project.workspace.root))
    [approved] = [e for e in active if entry_state(e) is State.TRANSLATED]
    assert approved.occurrences == [("source/article.txt", "3")]
    assert "reviewed: Ada L 2026-01-01 00:00+0000" in approved.tcomment
    assert "machine translation:" in approved.tcomment
    assert sum(entry_state(e) is State.MACHINE for e in active) == 5


def test_approve_reports_references_that_name_no_entry(make_project: MakeProject) -> None:
    project = machine_translated(make_project)
    report = project.approve("fr", references=["source/article.txt:2"], reviewer="R")
    assert (report.approved, report.unmatched) == ((), ("source/article.txt:2",))


@pytest.mark.parametrize(
    ("force", "refused", "translated"),
    [(False, (("source/article.txt:1", ("code-span",)),), 5), (True, (), 6)],
    ids=["refused", "forced"],
)
def test_approve_all_passing_refuses_entries_with_errors_unless_forced(
    make_project: MakeProject,
    force: bool,
    refused: tuple[tuple[str, tuple[str, ...]], ...],
    translated: int,
) -> None:
    project = machine_translated(make_project)
    add_code_span_error(catalog_path(project.workspace.root))
    report = project.approve("fr", all_passing=True, force=force, reviewer="R")
    assert (len(report.approved), report.refused) == (translated, refused)
    active = entries(catalog_path(project.workspace.root))
    assert sum(entry_state(e) is State.TRANSLATED for e in active) == translated


@pytest.mark.parametrize("force", [False, True])
def test_approve_refuses_preview_even_when_forced(make_project: MakeProject, force: bool) -> None:
    project = preview(make_project)
    path = catalog_path(project.workspace.root, "es", "doc")
    before = path.read_bytes()
    report = project.approve("es", all_passing=True, force=force, reviewer="R")
    assert report.approved == ()
    assert [codes for _, codes in report.refused] == [("preview",)] * 3
    assert path.read_bytes() == before
