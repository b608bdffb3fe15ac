"""Editions through ``translatio.Project.build`` (and ``run``, ``review_pages``): what each
policy publishes, when an edition is skipped, and that a rerun writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from translatio import EditionState, Policy, Project
from translatio.engines.pseudo import pseudo_preview

from .conftest import ARTICLE, SHORT_DOC, MakeProject, read_po
from .prepared import (
    FR_CATALOG,
    catalog_path,
    cleared_in_an_editor,
    machine_translated,
    preview,
    save,
)


def _mtimes(root: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}


# -- build -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "keep", "state", "skipped_below", "completeness"),
    [
        (Policy.REVIEWED, 50, EditionState.SKIPPED, 50, 0.0),
        (Policy.REVIEWED, 0.5, EditionState.SKIPPED, 0.5, 0.0),
        (Policy.REVIEWED, 0, EditionState.WRITTEN, None, 0.0),
        (Policy.DRAFT, 50, EditionState.WRITTEN, None, 100.0),
        (Policy.DRAFT, 100, EditionState.WRITTEN, None, 100.0),
    ],
)
def test_build_skips_editions_below_keep_and_says_so(
    make_project: MakeProject,
    policy: Policy,
    keep: float,
    state: EditionState,
    skipped_below: float | None,
    completeness: float,
) -> None:
    project = machine_translated(make_project)
    [report] = project.build(policy=policy, keep=keep)
    assert (report.state, report.policy, report.keep) == (state, policy.value, skipped_below)
    assert report.completeness == completeness
    assert bool(report.paths) is (state is EditionState.WRITTEN)
    tree, other = ("editions", "drafts") if policy is Policy.REVIEWED else ("drafts", "editions")
    assert (project.workspace.root / tree).exists() is bool(report.paths)
    assert not (project.workspace.root / other).exists()


def test_a_draft_edition_is_marked_and_its_page_names_the_language(
    make_project: MakeProject,
) -> None:
    root = make_project(languages=("zh_CN", "ar"))
    project = Project.open(root)
    project.extract()
    project.translate(engine="machine")
    [zh, ar] = project.build(policy="draft")
    assert zh.paths == ("drafts/zh_CN/article.txt", "drafts/zh_CN/article.html")
    assert (root / zh.paths[0]).read_text("utf-8").startswith("[草稿：")
    assert (root / ar.paths[0]).read_text("utf-8").startswith("[مسودة:"), "ar notices are Arabic"
    assert '<html lang="zh-Hans" dir="ltr">' in (root / zh.paths[1]).read_text("utf-8")
    assert 'lang="ar" dir="rtl"' in (root / ar.paths[1]).read_text("utf-8")


def test_reviewed_translations_reach_the_edition(make_project: MakeProject) -> None:
    project = machine_translated(make_project)
    path = catalog_path(project.workspace.root)
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr = "FR: " + entry.msgid[:20]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.save(str(path))
    [report] = project.build()
    assert (report.state, report.completeness) == (EditionState.WRITTEN, 100.0)
    edition = (project.workspace.root / "editions" / "fr" / "article.txt").read_text("utf-8")
    assert edition.startswith("FR: If there is one po") and "[Draft" not in edition


def test_machine_output_accepted_in_an_editor_is_published(make_project: MakeProject) -> None:
    project = machine_translated(make_project)
    cleared_in_an_editor(project)
    [report] = project.build()
    assert (report.state, report.completeness) == (EditionState.WRITTEN, 100.0)


def test_a_reviewed_edition_never_contains_preview_text(make_project: MakeProject) -> None:
    project = preview(make_project)
    root = project.workspace.root
    path = catalog_path(root, "es", "doc")
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:  # someone clears every fuzzy flag by hand
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    path.write_text(str(catalog), "utf-8")
    [report] = project.build(keep=0)
    assert report.state is EditionState.WRITTEN
    edition = (root / "editions" / "es" / "doc.md").read_text("utf-8")
    assert edition == SHORT_DOC  # nothing of the preview, the source shows through


def test_a_draft_labels_preview_text_as_preview(make_project: MakeProject) -> None:
    root = preview(make_project).workspace.root
    assert not (root / "editions").exists()
    page = (root / "drafts" / "es" / "doc.html").read_text("utf-8")
    assert pseudo_preview("The first paragraph is here.") in page
    assert page.count('class="preview"') == 3 and 'class="machine-translated"' not in page
    assert '.preview::after{content:" (vista previa, no es una traducción)"}' in page
    assert "Borrador: esta edición muestra vistas previas del diseño" in page
    edition = (root / "drafts" / "es" / "doc.md").read_text("utf-8")
    assert edition.startswith("> **Borrador: esta edición muestra vistas previas del diseño")


def test_a_link_inside_the_project_is_followed(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    (root / "built").mkdir()
    (root / "drafts").symlink_to(root / "built")
    [report] = Project.open(root).run(policy="draft", keep=0)[2]
    assert report.state is EditionState.WRITTEN
    assert (root / "built" / "fr" / "article.html").is_file()


# -- determinism -------------------------------------------------------------------------------


def test_a_rerun_writes_nothing(make_project: MakeProject) -> None:
    root = make_project(languages=("zh_TW", "ar"))
    project = Project.open(root)
    extracted, translated, built = project.run(policy="draft")
    assert {report.state for report in built} == {EditionState.WRITTEN}
    snapshot = _mtimes(root)
    extracted, translated, built = project.run(policy="draft")
    assert {update.written for update in [*extracted, *translated]} == {False}
    assert {report.state for report in built} == {EditionState.UNCHANGED}
    assert _mtimes(root) == snapshot


def test_the_same_sources_give_the_same_bytes(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project()
    Project.open(root).run(policy="draft")
    first = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    other = tmp_path / "copy"
    (other / "source").mkdir(parents=True)
    (other / "source" / "article.txt").write_text(ARTICLE.read_text("utf-8"), "utf-8")
    (other / "translatio.toml").write_bytes((root / "translatio.toml").read_bytes())
    Project.open(other).run(policy="draft")
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    # settings, source, POT + 2 PO, 2 × (txt, html), the original's page, the index,
    # the manifest of written files, the source's revisions and the record of merges
    assert len(first) == 1 + 1 + 3 + 2 * 2 + 2 + 3
    records = {"manifest.tsv", "article.revisions", "merged.tsv"}
    assert {Path("locales", name) for name in records} <= set(first)
    assert first == second


def test_an_unchanged_catalog_resaves_byte_identical(make_project: MakeProject) -> None:
    from translatio.catalog.values import serialize

    root = make_project()
    Project.open(root).run()
    paths = sorted((root / "locales").rglob("*.po*"))
    assert len(paths) == 3  # the template and two catalogs
    for path in paths:
        assert serialize(read_po(path)) == path.read_bytes(), path


# -- review pages ------------------------------------------------------------------------------


def test_review_page_is_self_contained_worst_first_and_safe(make_project: MakeProject) -> None:
    project = machine_translated(make_project)
    root = project.workspace.root
    path = catalog_path(root)
    catalog = read_po(path)
    entries = [e for e in catalog if e.msgid]
    entries[3].msgstr = "<script>alert(1)</script> " + entries[3].msgstr  # adds an HTML tag
    entries[5].msgstr = ""
    save(catalog, path)
    assert project.review_pages("fr") == [("review/fr/article.review.html", True)]
    assert project.review_pages("fr") == [("review/fr/article.review.html", False)]
    assert not (root / "editions").exists()
    page = (root / "review" / "fr" / "article.review.html").read_text("utf-8")
    from translatio.publish.aligned import ALIGN_SCRIPT

    # the one script is the page's own (linked sentences); the translation's stays text
    assert page.count("<script") == 1 and ALIGN_SCRIPT in page and "&lt;script&gt;" in page
    for external in ("http://", "https://", "src=", "<link", "@import"):
        assert external not in page.split("<tbody>")[0], external
    rows = page.split("<tbody>")[1].split("</tr>")
    assert "error [html-tag]" in rows[0], "the entry with an error comes first"
    assert "source/article.txt:7" in rows[0]
    assert f"{FR_CATALOG}:" in rows[0]
    assert any("<em>non traduit</em>" in row for row in rows)
    assert "score 0.00" in page
