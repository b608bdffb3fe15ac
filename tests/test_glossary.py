"""Glossaries: protected during machine translation, checked by QA, errors with a line.

Everything here goes through the library (``parse_glossary``, ``split_runs``,
``translatio.Project``); the CLI only prints what ``Project.check`` returns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from translatio import ConfigError, Project
from translatio.languages import Language
from translatio.text.glossary import parse_glossary
from translatio.text.markup import split_runs
from translatio.workspace.workspace import Workspace

from .conftest import MakeProject, read_po

TERMS = (
    "# names and organisations\nXi Jinping\t习近平\nCSW\t\nChinese Communist Party\t中国共产党\n"
)


@pytest.mark.parametrize(
    ("line", "terms"),
    [
        ("Xi Jinping\t习近平", {"Xi Jinping": "习近平"}),
        ("CSW\t", {"CSW": "CSW"}),  # no translation: the term stays as it is
        ("CSW", {"CSW": "CSW"}),
        ("CSW\t=", {"CSW": "CSW"}),
        ("  Tribunal \t tribunal ", {"Tribunal": "tribunal"}),
        ("# a comment\t注释", {}),
        ("   ", {}),
    ],
)
def test_a_glossary_line_gives_its_term(line: str, terms: dict[str, str]) -> None:
    assert parse_glossary(line + "\n", path="g.tsv").terms == terms


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("good\tbon\n\ttranslation without a term\n", 2),
        ("a\tb\tc\n", 1),  # two tabs: where does the translation start?
        ("# fine\n\nok\tbien\n\tx\n", 4),
    ],
)
def test_a_malformed_line_is_reported_with_its_line(text: str, line: int) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_glossary(text, path="g.tsv")
    assert (raised.value.path, raised.value.line) == (Path("g.tsv"), line)
    assert raised.value.hint


@pytest.mark.parametrize(
    ("text", "protected"),
    [
        (
            "The régime led by Xi Jinping, said CSW; not CSWx.",
            [("Xi Jinping", "习近平"), ("CSW", "CSW")],
        ),
        ("CSWx and xCSW are other words.", []),
        ("The Chinese Communist Party.", [("Chinese Communist Party", "中国共产党")]),
    ],
)
def test_terms_are_protected_runs_with_their_translation(
    text: str, protected: list[tuple[str, str]]
) -> None:
    runs = split_runs(text, parse_glossary(TERMS, path="g.tsv"))
    assert [(run.text, run.replacement) for run in runs if run.replacement] == protected
    assert all(not run.translatable for run in runs if run.replacement)
    assert "".join(run.text for run in runs) == text


def test_glossary_applies_to_machine_translation_and_qa(make_project: MakeProject) -> None:
    root = make_project(languages=("zh_CN",))
    (root / "locales" / "zh_CN").mkdir(parents=True)
    (root / "locales" / "zh_CN" / "glossary.tsv").write_text(TERMS, "utf-8")
    project = Project.open(root)
    project.run()
    path = root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po"
    catalog = read_po(path)
    with_name = [e for e in catalog if "Xi Jinping" in e.msgid]
    assert with_name and all("习近平" in e.msgstr for e in with_name)
    assert all("Xi Jinping" not in e.msgstr for e in with_name)
    party = next(e for e in catalog if "Chinese Communist Party" in e.msgid)
    assert "中国共产党" in party.msgstr
    assert not [f for f in project.check() if f.code == "glossary"]

    entry = with_name[0]
    entry.msgstr = entry.msgstr.replace("习近平", "Xi")
    path.write_bytes(catalog.__unicode__().encode("utf-8"))
    glossary = [f for f in project.check() if f.code == "glossary"]
    assert [f.message for f in glossary] == ["glossary: 'Xi Jinping' should be '习近平'"]
    assert glossary[0].path == "locales/zh_CN/LC_MESSAGES/article.po"


def test_language_file_wins_over_shared_file(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    (root / "locales" / "fr").mkdir(parents=True)
    (root / "locales" / "glossary.tsv").write_text("CSW\t\nTribunal\tTribunal\n", "utf-8")
    (root / "locales" / "fr" / "glossary.tsv").write_text("Tribunal\ttribunal\n", "utf-8")
    glossary = Workspace.open(root).read_glossary(Language("fr"))
    assert glossary.terms == {"CSW": "CSW", "Tribunal": "tribunal"}
