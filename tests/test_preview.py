"""Pseudo-localisation is a preview, not a translation; changing engine does something.

The pseudo engine's output can never be approved or reach a reviewed edition, even when
someone clears its fuzzy flag by hand; a draft marks it; any real engine replaces it
without ``--refresh``. Entries holding another real engine's output are reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
from typer.testing import CliRunner

from translatio.cli import app
from translatio.engines.pseudo import pseudo_localise

from .conftest import MakeProject, read_po

runner = CliRunner()
SOURCE = "# The title\n\nThe first paragraph is here.\n\nThe second paragraph is here.\n"


def _catalog(root: Path, language: str = "es") -> Path:
    return root / "locales" / language / "LC_MESSAGES" / "doc.po"


def _preview_project(make_project: MakeProject) -> Path:
    root = make_project({"doc.md": SOURCE}, languages=("es",), engine="pseudo")
    result = runner.invoke(app, ["run", "--draft", "--keep", "0", "--project", str(root)])
    assert result.exit_code == 0, result.output
    return root


def test_status_counts_pseudo_output_as_preview(make_project: MakeProject) -> None:
    root = _preview_project(make_project)
    result = runner.invoke(app, ["status", "--json", "--project", str(root)])
    [row] = json.loads(result.output)
    assert row["entries"]["preview"] == 3
    assert row["entries"]["machine"] == 0
    assert row["translated_percent"] == 0


def test_approve_refuses_preview_even_when_forced(make_project: MakeProject) -> None:
    root = _preview_project(make_project)
    before = _catalog(root).read_bytes()
    for extra in ([], ["--force"]):
        result = runner.invoke(
            app, ["approve", "-l", "es", "--all-passing", *extra, "--project", str(root)]
        )
        assert result.exit_code == 1
        assert "approved 0 entries" in result.output
        assert "pseudo-localised preview, not a translation" in result.output
        assert "--engine" in result.output  # the hint names the way out
    assert _catalog(root).read_bytes() == before


def test_a_reviewed_edition_never_contains_preview_text(make_project: MakeProject) -> None:
    root = _preview_project(make_project)
    path = _catalog(root)
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:  # someone clears every fuzzy flag by hand
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    path.write_text(str(catalog), "utf-8")

    result = runner.invoke(app, ["build", "--keep", "0", "--project", str(root)])
    assert result.exit_code == 0, result.output
    edition = (root / "editions" / "es" / "doc.md").read_text("utf-8")
    assert edition == SOURCE  # nothing of the preview, the source shows through
    assert pseudo_localise("The first paragraph is here.") not in edition


def test_a_draft_marks_preview_text(make_project: MakeProject) -> None:
    root = _preview_project(make_project)
    page = (root / "editions" / "es" / "doc.html").read_text("utf-8")
    assert pseudo_localise("The first paragraph is here.") in page
    assert page.count('class="machine-translated"') == 3


def test_a_real_engine_replaces_untouched_preview_output(make_project: MakeProject) -> None:
    root = _preview_project(make_project)
    path = _catalog(root)
    text = path.read_text("utf-8")
    person = pseudo_localise("The second paragraph is here.")
    path.write_text(text.replace(f'msgstr "{person}"', 'msgstr "El segundo, de una persona."'))

    result = runner.invoke(
        app, ["run", "--engine", "apertium", "--draft", "--keep", "0", "--project", str(root)]
    )

    assert result.exit_code == 0, result.output
    assert "machine-translated 2 entries" in result.output
    entries = {entry.msgid: entry for entry in read_po(path)}
    assert entries["The first paragraph is here."].msgstr.startswith("El primer")
    assert "engine=apertium" in entries["The first paragraph is here."].tcomment
    assert entries["The second paragraph is here."].msgstr == "El segundo, de una persona."
    edition = (root / "editions" / "es" / "doc.md").read_text("utf-8")
    assert "El primer" in edition
    assert pseudo_localise("The title") not in edition


def test_another_real_engines_output_is_reported_and_refresh_replaces_it(
    make_project: MakeProject,
) -> None:
    root = make_project({"doc.md": SOURCE}, languages=("es",))  # the stand-in MT engine
    result = runner.invoke(app, ["run", "--draft", "--keep", "0", "--project", str(root)])
    assert result.exit_code == 0, result.output

    result = runner.invoke(app, ["translate", "--engine", "apertium", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "0 filled" in result.output
    assert "3 entries hold another engine's unreviewed output" in result.output
    assert "--refresh replaces them" in result.output

    result = runner.invoke(
        app, ["translate", "--engine", "apertium", "--refresh", "--project", str(root)]
    )
    assert result.exit_code == 0, result.output
    assert "3 refreshed" in result.output
    assert all("engine=apertium" in e.tcomment for e in read_po(_catalog(root)) if e.msgid)
