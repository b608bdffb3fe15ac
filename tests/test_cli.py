"""The command line, as a user drives it (Typer's CliRunner, in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translatio.cli import app

from .conftest import ARTICLE, MakeProject, msgfmt_check, read_po

runner = CliRunner()
COMMANDS = ["extract", "translate", "status", "build", "run"]


def invoke(root: Path, *args: str):
    return runner.invoke(app, [*args, "--project", str(root)])


def test_help_lists_every_command_with_an_example() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, sub.output
        assert "Example: translatio" in sub.output


def test_full_cycle_on_the_article(make_project: MakeProject) -> None:
    root = make_project()
    result = invoke(root, "extract")
    assert result.exit_code == 0, result.output
    pot = root / "locales" / "article.pot"
    po = root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po"
    assert pot.is_file() and po.is_file()
    assert read_po(po).metadata["Language"] == "zh_CN"
    assert read_po(po).metadata["Plural-Forms"] == "nplurals=1; plural=0;"

    result = invoke(root, "translate", "--engine", "machine", "-l", "zh_CN")
    assert result.exit_code == 0, result.output
    assert "6 filled" in result.output
    catalog = read_po(po)
    assert all(entry.fuzzy and entry.msgstr for entry in catalog if entry.msgid)
    assert not any(e.msgstr for e in read_po(root / "locales/fr/LC_MESSAGES/article.po") if e.msgid)

    result = invoke(root, "status", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["language"]: row for row in json.loads(result.output)}
    assert rows["zh_CN"]["entries"]["machine"] == 6
    assert rows["fr"]["entries"]["untranslated"] == 6

    result = invoke(root, "build", "-l", "zh_CN")
    assert result.exit_code == 0
    assert "skipped" in result.output and "--draft" in result.output
    assert not (root / "editions").exists()

    result = invoke(root, "build", "-l", "zh_CN", "--draft")
    assert result.exit_code == 0, result.output
    edition = (root / "editions" / "zh_CN" / "article.txt").read_text("utf-8")
    assert edition.startswith("[Draft:")
    page = (root / "editions" / "zh_CN" / "article.html").read_text("utf-8")
    assert '<html lang="zh-Hans" dir="ltr">' in page
    for path in (root / "locales").rglob("*.po"):
        msgfmt_check(path)


def test_run_then_rerun_writes_nothing(make_project: MakeProject) -> None:
    root = make_project(languages=("zh_TW", "ar"))
    first = invoke(root, "run", "--draft", "--json")
    assert first.exit_code == 0, first.output
    reports = json.loads(first.output)
    assert {report["state"] for report in reports} == {"written"}
    page = (root / "editions" / "ar" / "article.html").read_text("utf-8")
    assert 'lang="ar" dir="rtl"' in page
    snapshot = {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}
    second = invoke(root, "run", "--draft", "--json")
    assert second.exit_code == 0
    assert {report["state"] for report in json.loads(second.output)} == {"unchanged"}
    assert snapshot == {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}


def test_reviewed_translations_reach_the_edition(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    assert invoke(root, "run").exit_code == 0
    po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    catalog = read_po(po)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr = "FR: " + entry.msgid[:20]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.save(str(po))
    result = invoke(root, "build")
    assert result.exit_code == 0, result.output
    edition = (root / "editions" / "fr" / "article.txt").read_text("utf-8")
    assert edition.startswith("FR: If there is one po")
    assert "[Draft" not in edition


def test_deterministic_bytes_across_projects(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project()
    assert invoke(root, "run", "--draft").exit_code == 0
    first = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    other = tmp_path / "copy"
    (other / "source").mkdir(parents=True)
    (other / "source" / "article.txt").write_text(ARTICLE.read_text("utf-8"), "utf-8")
    (other / "translatio.toml").write_bytes((root / "translatio.toml").read_bytes())
    assert invoke(other, "run", "--draft").exit_code == 0
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    assert len(first) == 1 + 1 + 3 + 2 * 2  # settings, source, POT + 2 PO, 2 × (txt, html)
    assert first == second


def test_unchanged_catalog_resaves_byte_identical(make_project: MakeProject) -> None:
    from translatio.catalog import serialize

    root = make_project()
    assert invoke(root, "run").exit_code == 0
    paths = sorted((root / "locales").rglob("*.po*"))
    assert len(paths) == 3  # the template and two catalogs
    for path in paths:
        assert serialize(read_po(path)) == path.read_bytes(), path


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('languages = ["zh_CN"]\nlanguagez = 1\n', "unknown setting languagez"),
        ('languages = ["zh CN"]\n', "not a language code"),
        ("languages = []\n", "languages is missing or empty"),
        ('languages = ["fr"]\nkeep = 120\n', "keep is 120"),
        ('languages = ["fr"]\nsource_dir = "../elsewhere"\n', "not a directory inside"),
        ('languages = ["fr"\n', "not valid TOML"),
    ],
)
def test_bad_settings_are_one_clear_line(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / "translatio.toml").write_text(config, "utf-8")
    result = runner.invoke(app, ["status", "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "translatio.toml" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_error_names_the_line_of_a_bad_setting(tmp_path: Path) -> None:
    (tmp_path / "translatio.toml").write_text('languages = ["fr"]\n\nengin = "x"\n', "utf-8")
    result = runner.invoke(app, ["extract", "--project", str(tmp_path)])
    assert "translatio.toml:3)" in result.stderr
    assert "did you mean 'engine'" in result.stderr


def test_unknown_engine(make_project: MakeProject) -> None:
    root = make_project()
    invoke(root, "extract")
    result = invoke(root, "translate", "--engine", "nonsense")
    assert result.exit_code == 1
    assert "unknown engine 'nonsense'" in result.stderr
    assert "pseudo" in result.stderr


def test_translate_before_extract_says_what_to_do(make_project: MakeProject) -> None:
    result = invoke(make_project(), "translate")
    assert result.exit_code == 1
    assert "run `translatio extract` first" in result.stderr


def test_non_utf8_source_names_file_line_and_offset(make_project: MakeProject) -> None:
    root = make_project({"bad.md": "fine\n"})
    (root / "source" / "bad.md").write_bytes(b"line one\ncaf\xe9\n")
    result = invoke(root, "extract")
    assert result.exit_code == 1
    assert "not UTF-8: byte 0xe9 at offset 12" in result.stderr
    assert "source/bad.md:2" in result.stderr


def test_damaged_catalog_is_reported_not_overwritten(make_project: MakeProject) -> None:
    root = make_project()
    invoke(root, "extract")
    po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    damaged = po.read_text("utf-8") + '\nmsgid "x"\nmsgstr "y"\nthis is not PO syntax\n'
    po.write_text(damaged, "utf-8")
    result = invoke(root, "extract")
    assert result.exit_code == 1
    assert "article.po" in result.stderr
    assert po.read_text("utf-8") == damaged


def test_bad_language_option(make_project: MakeProject) -> None:
    result = invoke(make_project(), "status", "-l", "../etc")
    assert result.exit_code == 1
    assert "not a language code" in result.stderr


def test_crlf_bom_and_nfc_sources_give_the_same_template(make_project: MakeProject) -> None:
    text = "# Caf\u00e9\n\nLine one\nline two.\n"
    root = make_project({"a.md": text})
    (root / "source" / "b.md").write_bytes(
        b"\xef\xbb\xbf" + text.replace("\u00e9", "e\u0301").replace("\n", "\r\n").encode()
    )
    assert invoke(root, "extract").exit_code == 0
    a = [e.msgid for e in read_po(root / "locales" / "a.pot")]
    b = [e.msgid for e in read_po(root / "locales" / "b.pot")]
    assert a == b == ["Caf\u00e9", "Line one line two."]


def test_status_says_when_a_catalog_is_behind_the_source(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    invoke(root, "run")
    assert json.loads(invoke(root, "status", "--json").output)[0]["stale"] is False
    source = root / "source" / "article.txt"
    source.write_text(source.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    result = invoke(root, "status")
    assert "fr*" in result.output and "run translatio extract" in result.output
    assert json.loads(invoke(root, "status", "--json").output)[0]["stale"] is True
