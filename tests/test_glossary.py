"""Glossaries: protected during machine translation, checked by QA, errors with a line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from translatio.cli import app
from translatio.errors import ConfigError
from translatio.glossary import parse_glossary
from translatio.languages import Language
from translatio.markup import split_runs

from .conftest import MakeProject, read_po

runner = CliRunner()
TERMS = (
    "# names and organisations\nXi Jinping\t习近平\nCSW\t\nChinese Communist Party\t中国共产党\n"
)


def test_terms_are_protected_runs_with_their_translation() -> None:
    glossary = parse_glossary(TERMS, path="g.tsv")
    runs = split_runs("The régime led by Xi Jinping, said CSW; not CSWx.", glossary)
    protected = [(run.text, run.replacement) for run in runs if not run.translatable]
    assert ("Xi Jinping", "习近平") in protected
    assert ("CSW", "CSW") in protected
    assert "".join(run.text for run in runs) == "The régime led by Xi Jinping, said CSW; not CSWx."
    assert not any(run.text == "CSWx" for run in runs if not run.translatable)


def test_malformed_line_is_reported_with_its_line() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_glossary("good\tbon\n\ttranslation without a term\n", path="g.tsv")
    assert raised.value.line == 2


def test_glossary_applies_to_machine_translation_and_qa(make_project: MakeProject) -> None:
    root = make_project(languages=("zh_CN",))
    (root / "locales" / "zh_CN").mkdir(parents=True)
    (root / "locales" / "zh_CN" / "glossary.tsv").write_text(TERMS, "utf-8")
    assert runner.invoke(app, ["run", "--project", str(root)]).exit_code == 0
    catalog = read_po(root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po")
    with_name = [e for e in catalog if "Xi Jinping" in e.msgid]
    assert with_name and all("习近平" in e.msgstr for e in with_name)
    assert all("Xi Jinping" not in e.msgstr for e in with_name)
    party = next(e for e in catalog if "Chinese Communist Party" in e.msgid)
    assert "中国共产党" in party.msgstr

    entry = with_name[0]
    entry.msgstr = entry.msgstr.replace("习近平", "Xi")
    (root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po").write_bytes(
        catalog.__unicode__().encode("utf-8")
    )
    result = runner.invoke(app, ["check", "--project", str(root), "--json"])
    glossary = [f for f in json.loads(result.output) if f["code"] == "glossary"]
    assert [f["message"] for f in glossary] == ["glossary: 'Xi Jinping' should be '习近平'"]


def test_language_file_wins_over_shared_file(make_project: MakeProject) -> None:
    from translatio.workspace import Workspace

    root = make_project(languages=("fr",))
    (root / "locales" / "fr").mkdir(parents=True)
    (root / "locales" / "glossary.tsv").write_text("CSW\t\nTribunal\tTribunal\n", "utf-8")
    (root / "locales" / "fr" / "glossary.tsv").write_text("Tribunal\ttribunal\n", "utf-8")
    glossary = Workspace.open(root).read_glossary(Language("fr"))
    assert glossary.terms == {"CSW": "CSW", "Tribunal": "tribunal"}
