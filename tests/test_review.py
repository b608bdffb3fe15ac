"""Review workflow from the command line: check, approve, and editors clearing fuzzy."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from typer.testing import CliRunner

from translatio.cli import app
from translatio.states import State, entry_state

from .conftest import MakeProject, read_po

runner = CliRunner()


def _machine_translated(make_project: MakeProject, language: str = "fr") -> tuple[Path, Path]:
    root = make_project(languages=(language,))
    assert runner.invoke(app, ["run", "--project", str(root)]).exit_code == 0
    return root, root / "locales" / language / "LC_MESSAGES" / "article.po"


def test_check_reports_errors_with_file_line_and_exit_status(make_project: MakeProject) -> None:
    root, po = _machine_translated(make_project)
    catalog = read_po(po)
    entry = next(e for e in catalog if e.msgid)
    entry.msgstr = "# " + entry.msgstr  # a translation that would become a heading
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    result = runner.invoke(app, ["check", "--project", str(root), "--json"])
    assert result.exit_code == 1
    [finding] = json.loads(result.output)
    assert finding["code"] == "block-marker" and finding["severity"] == "error"
    assert finding["path"] == "locales/fr/LC_MESSAGES/article.po"
    assert finding["reference"] == "source/article.txt:1"
    assert read_po(po).find(entry.msgid).linenum == finding["line"]
    status = runner.invoke(app, ["status", "--project", str(root), "--json"])
    assert json.loads(status.output)[0]["qa"] == {"errors": 1, "warnings": 0}


def test_clean_catalog_passes_check(make_project: MakeProject) -> None:
    root, _ = _machine_translated(make_project)
    result = runner.invoke(app, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output


def test_chinese_pseudo_output_is_the_wrong_script(make_project: MakeProject) -> None:
    root, _ = _machine_translated(make_project, "zh_CN")
    result = runner.invoke(app, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert "error[wrong-script]" in result.output


def test_approve_one_entry_records_reviewer_and_date(make_project: MakeProject) -> None:
    root, po = _machine_translated(make_project)
    result = runner.invoke(
        app,
        [
            "approve",
            "-l",
            "fr",
            "--entry",
            "source/article.txt:3",
            "--reviewer",
            "Ada L",
            "--project",
            str(root),
        ],
    )
    assert result.exit_code == 0, result.output
    entries = [e for e in read_po(po) if e.msgid]
    approved = [e for e in entries if entry_state(e) is State.TRANSLATED]
    assert [e.occurrences for e in approved] == [[("source/article.txt", "3")]]
    assert "reviewed: Ada L 2026-01-01 00:00+0000" in approved[0].tcomment
    assert "machine translation:" in approved[0].tcomment
    assert sum(entry_state(e) is State.MACHINE for e in entries) == 5


def test_approve_refuses_entries_with_errors_unless_forced(make_project: MakeProject) -> None:
    root, po = _machine_translated(make_project)
    catalog = read_po(po)
    bad = next(e for e in catalog if e.msgid)
    bad.msgstr += " `code`"  # a code span the source does not have
    from translatio.provenance import read_provenance, text_hash, with_provenance

    provenance = read_provenance(bad.tcomment)
    assert provenance is not None
    bad.tcomment = with_provenance(
        bad.tcomment,
        type(provenance)(
            provenance.engine, provenance.model, provenance.score, text_hash(bad.msgstr)
        ),
    )
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    result = runner.invoke(app, ["approve", "-l", "fr", "--all-passing", "--project", str(root)])
    assert result.exit_code == 1
    assert "refused source/article.txt:1: QA errors code-span" in result.output
    assert sum(entry_state(e) is State.TRANSLATED for e in read_po(po) if e.msgid) == 5
    forced = runner.invoke(
        app, ["approve", "-l", "fr", "--all-passing", "--force", "--project", str(root)]
    )
    assert forced.exit_code == 0
    assert all(entry_state(e) is State.TRANSLATED for e in read_po(po) if e.msgid)


def test_approve_needs_a_choice(make_project: MakeProject) -> None:
    root, _ = _machine_translated(make_project)
    result = runner.invoke(app, ["approve", "-l", "fr", "--project", str(root)])
    assert result.exit_code == 1
    assert "nothing to approve" in result.stderr and "--all-passing" in result.stderr


def test_an_editor_clearing_fuzzy_and_rewrapping_is_seen_as_reviewed(
    make_project: MakeProject,
) -> None:
    root, po = _machine_translated(make_project)
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid:
            entry.flags.remove("fuzzy")  # what Poedit's "needs work" toggle does
    catalog.wrapwidth = 79  # Poedit and Weblate re-wrap long lines on save
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    assert max(len(line) for line in po.read_text("utf-8").splitlines()) <= 80
    status = runner.invoke(app, ["status", "--project", str(root), "--json"])
    [row] = json.loads(status.output)
    assert row["entries"]["translated"] == 6 and row["entries"]["machine"] == 0
    build = runner.invoke(app, ["build", "--project", str(root)])
    assert "written (100%)" in build.output


def test_review_page_is_self_contained_worst_first_and_safe(make_project: MakeProject) -> None:
    root, po = _machine_translated(make_project)
    catalog = read_po(po)
    entries = [e for e in catalog if e.msgid]
    entries[3].msgstr = "<script>alert(1)</script> " + entries[3].msgstr  # adds an HTML tag
    entries[5].msgstr = ""
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    result = runner.invoke(app, ["review", "-l", "fr", "--project", str(root)])
    assert result.exit_code == 0, result.output
    page = (root / "editions" / "fr" / "article.review.html").read_text("utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page
    for external in ("http://", "https://", "src=", "<link", "@import"):
        assert external not in page.split("<tbody>")[0], external
    rows = page.split("<tbody>")[1].split("</tr>")
    assert "error [html-tag]" in rows[0], "the entry with an error comes first"
    assert "source/article.txt:7" in rows[0]
    assert "locales/fr/LC_MESSAGES/article.po:" in rows[0]
    assert any("<em>untranslated</em>" in row for row in rows)
    assert "score 0.00" in page
