"""Every path translatio reads or writes stays inside the project, whatever links sit on it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translatio.cli import app
from translatio.errors import SourceError
from translatio.project import Project

from .conftest import MakeProject

runner = CliRunner()


def _files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


@pytest.mark.parametrize("link", ["editions", "editions/fr", "locales", "locales/fr"])
def test_a_default_folder_linked_outside_is_refused(
    make_project: MakeProject, tmp_path: Path, link: str
) -> None:
    root = make_project(languages=("fr",))
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(outside)

    result = runner.invoke(app, ["run", "--draft", "--keep", "0", "--project", str(root)])

    assert result.exit_code == 1, result.output
    assert "leads outside the project" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(outside) == []


def test_a_catalog_linked_to_a_system_file_is_refused_without_echoing_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(languages=("fr",))
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP SECRET LINE\n", "utf-8")
    catalog = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    catalog.parent.mkdir(parents=True)
    catalog.symlink_to(secret)

    for command in (["status"], ["extract"], ["translate"], ["check"]):
        result = runner.invoke(app, [*command, "--project", str(root)])
        assert result.exit_code == 1, (command, result.output)
        assert "leads outside the project" in result.stderr
        assert "TOP SECRET" not in result.output + result.stderr
    assert secret.read_text("utf-8") == "root:x:0:0:TOP SECRET LINE\n"


def test_a_link_inside_the_project_is_followed(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    (root / "built").mkdir()
    (root / "editions").symlink_to(root / "built")
    result = runner.invoke(app, ["run", "--draft", "--keep", "0", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "built" / "fr" / "article.html").is_file()


def test_a_document_named_like_a_review_page_is_refused(make_project: MakeProject) -> None:
    root = make_project({"x.md": "Hello.\n", "x.review.md": "Other.\n"}, languages=("fr",))
    with pytest.raises(SourceError, match="would overwrite the review or bilingual page"):
        Project.open(root).extract()


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


@pytest.mark.parametrize(
    "command",
    [
        ["translate"],
        ["status"],
        ["build"],
        ["approve", "-l", "fr", "--all-passing"],
        ["review", "-l", "fr"],
    ],
    ids=lambda command: command[0],
)
def test_every_step_meets_a_missing_catalog_with_the_same_message(
    make_project: MakeProject, command: list[str]
) -> None:
    root = make_project(languages=("fr",))
    result = runner.invoke(app, [*command, "--project", str(root)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "error: no fr catalog for article (locales/fr/LC_MESSAGES/article.po)",
        "  hint: run `translatio extract` first (or `translatio run`)",
    ]
    assert not (root / "locales").exists()
    assert not (root / "editions").exists()
