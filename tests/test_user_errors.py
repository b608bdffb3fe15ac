"""User mistakes get one clear line (file, line, hint) and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from translatio.cli import app

from .conftest import MakeProject

runner = CliRunner()


def _fails(root: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--project", str(root)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


def test_nul_byte_in_a_source_is_refused_before_any_catalog_is_written(
    make_project: MakeProject,
) -> None:
    root = make_project({"odd.txt": "fine\n"})
    (root / "source" / "odd.txt").write_bytes(b"Hello\x00world\n")
    message = _fails(root, "run")
    assert "NUL byte at offset 5" in message and "source/odd.txt:1" in message
    assert not (root / "locales").exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("pyproject.toml", b"[tool.translatio]\nlanguages = ['fr']\n# caf\xe9\n", "not UTF-8"),
        ("pyproject.toml", b"[tool]\ntranslatio = 5\n", "tool.translatio is not a table"),
        ("translatio.toml", b'languages = ["fr"]\nengine = "bogus"\n', "engine is 'bogus'"),
    ],
)
def test_broken_settings(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    (tmp_path / name).write_bytes(content)
    message = _fails(tmp_path, "status")
    assert expected in message and name in message


def test_pyproject_with_a_non_table_tool_is_ignored_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", "utf-8")
    assert "no translatio settings found" in _fails(tmp_path, "status")


def test_project_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    assert "the project is not a directory" in _fails(tmp_path / "pyproject.toml", "status")


def test_glossary_that_is_not_utf8(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    (root / "locales").mkdir()
    (root / "locales" / "glossary.tsv").write_bytes(b"caf\xe9\tcaf\xe9\n")
    message = _fails(root, "run")
    assert "the glossary is not UTF-8" in message and "locales/glossary.tsv" in message


@pytest.mark.parametrize("code", ["xx_YY", "it", "en"])
def test_only_configured_languages(make_project: MakeProject, code: str) -> None:
    root = make_project(languages=("fr", "zh_CN"))
    message = _fails(root, "extract", "-l", code)
    assert "is not a configured target language" in message
    assert "configured: fr, zh_CN" in message
    assert not (root / "locales").exists()


def test_dotfiles_in_source_are_ignored_and_an_empty_source_is_an_error(
    make_project: MakeProject,
) -> None:
    root = make_project({".draft.md": "# Hidden\n"})
    assert "no source documents" in _fails(root, "extract")
    (root / "source" / "real.md").write_text("# Real\n", "utf-8")
    result = runner.invoke(app, ["extract", "--project", str(root)])
    assert result.exit_code == 0, result.stderr
    assert (root / "locales" / "real.pot").exists()
    assert not list((root / "locales").glob("*draft*"))


def test_unknown_engine_is_refused_even_with_nothing_to_do(make_project: MakeProject) -> None:
    root = make_project()
    runner.invoke(app, ["run", "--project", str(root)])
    assert "unknown engine 'bogus'" in _fails(root, "translate", "--engine", "bogus")


def test_approve_options_exclude_each_other(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    runner.invoke(app, ["run", "--project", str(root)])
    message = _fails(
        root, "approve", "-l", "fr", "--entry", "source/article.txt:1", "--all-passing"
    )
    assert "exclude each other" in message


def test_keep_message_does_not_round_into_a_contradiction(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    runner.invoke(app, ["run", "--project", str(root)])
    result = runner.invoke(app, ["build", "--draft", "--keep", "100", "--project", str(root)])
    assert "skipped" not in result.output
    result = runner.invoke(app, ["build", "--keep", "0.5", "--project", str(root)])
    assert "0.0% reviewed is below --keep 0.5%" in result.output
