"""Exchanging memories: TMX export read back by translate-toolkit, PO and TMX imports.

translate-toolkit is the other tool: its TMX reader and ``pot2po --tm`` read what
``tm export`` writes, and ``po2tmx`` writes TMX that ``tm import`` reads.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

from translatio import CatalogError, ConfigError, Project
from translatio.tm.compendium import memory_file_name

from .conftest import MakeProject, cli, cli_error, read_po
from .tm_helpers import (
    FIRST_FR,
    READERS,
    SECOND,
    TOWN,
    by_msgid,
    catalog_of,
    reviewed_first,
    translate_by_hand,
)


def toolkit(name: str, *args: str) -> None:
    """Run a translate-toolkit command (installed with the dev dependencies)."""
    program = Path(sys.executable).parent / name
    result = subprocess.run([str(program), *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def compendium(path: Path, *, language: str | None = "fr") -> Path:
    """A compendium as msgcat would give one: a reviewed, a fuzzy and an empty entry."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    if language:
        catalog.metadata["Language"] = language
    catalog.metadata["Last-Translator"] = "Bob Martin <bob@example.org>"
    catalog.append(polib.POEntry(msgid=READERS, msgstr="Traduction venue d'ailleurs."))
    catalog.append(polib.POEntry(msgid=TOWN, msgstr="Brouillon.", flags=["fuzzy"]))
    catalog.append(polib.POEntry(msgid="Nothing here yet.", msgstr=""))
    path.write_bytes(catalog.__unicode__().encode("utf-8"))
    return path


# -- export ------------------------------------------------------------------------------


def test_the_export_is_tmx_that_translate_toolkit_reads(
    make_project: MakeProject, tmp_path: Path
) -> None:
    from translate.storage.tmx import tmxfile

    project = reviewed_first(make_project)
    output = tmp_path / "memory.tmx"
    report = project.tm_export(output)
    assert (report.units, report.skipped, report.written) == (4, 0, True)
    with output.open("rb") as handle:
        store = tmxfile(handle)
    assert {(unit.source, unit.target) for unit in store.units} == set(FIRST_FR.items())
    root = ET.parse(output).getroot()
    header = root.find("header")
    assert header is not None
    required = {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang"}
    assert required | {"srclang", "datatype"} <= set(header.attrib)
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert langs == {"en", "fr"}
    origins = {prop.text for prop in root.iter("prop")}
    assert "first:5" in origins
    assert project.tm_export(output).written is False  # same input, same bytes


def test_pot2po_fills_a_template_from_the_exported_memory(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = reviewed_first(make_project)
    memory = tmp_path / "memory.tmx"
    project.tm_export(memory, ["fr"])
    output = tmp_path / "second.po"
    root = project.workspace.root
    template = root / "locales" / "second.pot"
    untranslated = catalog_of(root, "second")  # pot2po needs a template catalog to start from
    assert not any(entry.msgstr for entry in read_po(untranslated))
    toolkit(
        "pot2po",
        "--tm",
        str(memory),
        "-i",
        str(template),
        "-t",
        str(untranslated),
        "-o",
        str(output),
    )
    filled = {entry.msgid: entry.msgstr for entry in read_po(output) if entry.msgid}
    assert filled[READERS] == FIRST_FR[READERS]
    assert filled[TOWN] == FIRST_FR[READERS]  # pot2po's own fuzzy match, from our units


def test_a_unit_xml_cannot_hold_is_left_out_and_counted(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = reviewed_first(make_project)
    translate_by_hand(
        catalog_of(project.workspace.root, "first"), {READERS: "Un non-caractère \ufffe ici."}
    )
    report = project.tm_export(tmp_path / "memory.tmx")
    assert (report.units, report.skipped) == (3, 1)
    ET.parse(tmp_path / "memory.tmx")
    # a control character is no reviewed text at all (check's error): never in the memory
    translate_by_hand(
        catalog_of(project.workspace.root, "first"), {READERS: "Un caractère \x07 de contrôle."}
    )
    report = project.tm_export(tmp_path / "memory.tmx")
    assert report.units == 3  # the history still has the first text (and still skips it)
    history = project.workspace.root / "locales" / "fr" / "history.po"
    assert "\x07" not in history.read_text("utf-8") and "\\a" not in history.read_text("utf-8")


# -- import ------------------------------------------------------------------------------


def test_a_compendium_po_brings_its_reviewed_entries_with_their_origin(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"second.md": SECOND}, languages=("fr",))
    project = Project.open(root)
    project.extract()
    source = compendium(tmp_path / "compendium.po")
    report = project.tm_import(source)
    stored = f"locales/memory/fr/{memory_file_name('compendium.po', str(source))}"
    assert report.stored == (("fr", stored, 1),)
    assert report.skipped == 2
    line = next(e.linenum for e in polib.pofile(str(source)) if e.msgid == READERS)
    project.translate(engine="machine")
    entry = by_msgid(catalog_of(root, "second"))[READERS]
    assert entry.msgstr == "Traduction venue d'ailleurs."
    assert "fuzzy" in entry.flags
    assert f"translation memory: 100% compendium.po:{line} (imported, reviewed by Bob Martin)" in (
        entry.tcomment
    )
    stats = project.tm_stats()[0]
    assert (stats.paragraphs, stats.imported) == (0, 1)


def test_the_catalogs_come_before_an_imported_memory(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = reviewed_first(make_project)
    project.tm_import(compendium(tmp_path / "compendium.po"))
    project.translate(engine="machine")
    entry = by_msgid(catalog_of(project.workspace.root, "second"))[READERS]
    assert entry.msgstr == FIRST_FR[READERS]


def test_an_imported_memory_survives_the_loss_of_the_index(
    make_project: MakeProject, tmp_path: Path
) -> None:
    from translatio.tm.index import index_path

    root = make_project({"second.md": SECOND}, languages=("fr",))
    project = Project.open(root)
    project.extract()
    project.tm_import(compendium(tmp_path / "compendium.po"))
    assert project.tm_stats()[0].imported == 1
    index_path(root).unlink()
    assert project.tm_stats()[0].imported == 1


def test_a_damaged_memory_file_is_left_out_with_a_warning(
    make_project: MakeProject, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    root = make_project({"second.md": SECOND}, languages=("fr",))
    project = Project.open(root)
    project.extract()
    project.tm_import(compendium(tmp_path / "compendium.po"))
    [stored] = (root / "locales" / "memory" / "fr").glob("compendium.po-*.po")
    stored.write_bytes(stored.read_bytes()[:-20] + b'\nmsgstr "unclosed')
    with caplog.at_level(logging.WARNING, logger="translatio"):
        project.translate(engine="machine")
    assert "translation memory" not in by_msgid(catalog_of(root, "second"))[READERS].tcomment
    assert any(stored.name in record.getMessage() for record in caplog.records)
    assert project.tm_stats()[0].imported == 0


def test_a_tmx_from_po2tmx_is_imported(make_project: MakeProject, tmp_path: Path) -> None:
    source = compendium(tmp_path / "compendium.po")
    toolkit("po2tmx", "-l", "fr", "-i", str(source), "-o", str(tmp_path / "other.tmx"))
    root = make_project({"second.md": SECOND}, languages=("fr", "de"))
    project = Project.open(root)
    project.extract()
    report = project.tm_import(tmp_path / "other.tmx")
    assert [(code, units) for code, _, units in report.stored] == [("fr", 1)]
    project.translate(["fr"], engine="machine")
    entry = by_msgid(catalog_of(root, "second"))[READERS]
    assert entry.msgstr == "Traduction venue d'ailleurs."
    assert "translation memory: 100% other.tmx:" in entry.tcomment


OMEGAT = Path(__file__).parent / "fixtures" / "tm" / "omegat.tmx"
"""A TMX file as OmegaT writes one: regional tags in capitals, inline markup as bpt/ept."""


def test_an_omegat_tmx_with_inline_markup_and_regional_tags(
    make_project: MakeProject, tmp_path: Path
) -> None:
    source = tmp_path / "project-omegat.tmx"
    source.write_bytes(OMEGAT.read_bytes())
    emphasised = "Our readers asked for *longer* opening hours at the library."
    root = make_project({"second.md": emphasised + "\n"}, languages=("fr",))
    project = Project.open(root)
    project.extract()
    report = project.tm_import(source, "fr")
    assert [(code, units) for code, _, units in report.stored] == [("fr", 1)]
    project.translate(engine="machine")
    entry = by_msgid(catalog_of(root, "second"))[emphasised]
    assert entry.msgstr == "Nos lecteurs voulaient des horaires *plus longs*."
    assert "100% project-omegat.tmx:7 (imported, reviewed by omegat-user)" in entry.tcomment


@pytest.mark.parametrize(
    ("content", "name", "error", "message"),
    [
        ("<tmx><body><tu>", "cut.tmx", CatalogError, "not a readable TMX file"),
        ("<html></html>", "page.tmx", CatalogError, "not a TMX file"),
        (
            '<!DOCTYPE tmx [<!ENTITY a "aaaa">]><tmx/>',
            "bomb.tmx",
            CatalogError,
            "declares XML entities",
        ),
        ("", "memory.xliff", CatalogError, "cannot tell the format"),
        ("LANGUAGE=None", "nolang.po", CatalogError, "no Language header"),
        ("LANGUAGE=ja", "japanese.po", ConfigError, "ja is not a configured target language"),
        ("LANGUAGE=fr-empty", "empty.po", CatalogError, "no reviewed translation"),
    ],
)
def test_imports_that_cannot_be_used_are_refused_naming_the_file(
    make_project: MakeProject,
    tmp_path: Path,
    content: str,
    name: str,
    error: type[Exception],
    message: str,
) -> None:
    source = tmp_path / name
    if content.startswith("LANGUAGE="):
        language = content.split("=", 1)[1]
        compendium(source, language=None if language == "None" else language.split("-")[0])
        if language.endswith("-empty"):
            catalog = polib.pofile(str(source))
            for entry in catalog:
                entry.flags.append("fuzzy")
            source.write_bytes(catalog.__unicode__().encode("utf-8"))
    else:
        source.write_text(content, "utf-8")
    project = Project.open(make_project({"second.md": SECOND}, languages=("fr",)))
    project.extract()
    with pytest.raises(error) as raised:
        project.tm_import(source)
    assert message in str(raised.value)
    assert raised.value.path is not None and raised.value.path.name == name  # type: ignore[attr-defined]
    assert not (project.workspace.root / "locales" / "memory").exists()


# -- the command line ----------------------------------------------------------------------


def test_the_tm_commands(make_project: MakeProject, tmp_path: Path) -> None:
    import json

    project = reviewed_first(make_project)
    root = project.workspace.root
    source = compendium(tmp_path / "compendium.po")
    result = cli(root, "tm", "import", str(source), "-l", "fr")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"fr: 1 units from {source} kept in locales/memory/fr/"
        + memory_file_name("compendium.po", str(source)),
        "2 entries left out (fuzzy, untranslated or plural)",
    ]
    result = cli(root, "tm", "export", "--tmx", str(tmp_path / "out.tmx"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{tmp_path / 'out.tmx'}: written (5 units)"]
    result = cli(root, "tm", "stats", "--json")
    assert result.exit_code == 0, result.output
    [stats] = json.loads(result.stdout)
    keys = ("language", "paragraphs", "imported", "history", "sources")
    assert {key: stats[key] for key in keys} == {
        "language": "fr",
        "paragraphs": 4,
        "imported": 1,
        "history": 4,  # the reviewed pairs, kept in locales/fr/history.po
        "sources": 4,
    }
    result = cli(root, "tm", "stats")
    assert result.stdout.splitlines()[:2] == [
        "language  paragraphs  imported  history  sources  sentences",
        "fr                 4         1        4        4          4",
    ]
    lines = cli_error(root, "tm", "import", str(tmp_path / "missing.po"))
    assert lines[0].startswith("error: cannot access") and "missing.po" in lines[0]
    lines = cli_error(root, "tm", "import", str(source), "-l", "de")
    assert lines[0].startswith("error: de is not a configured target language")


def test_an_export_round_trip_into_another_project(
    make_project: MakeProject, tmp_path: Path
) -> None:
    from translate.storage.tmx import tmxfile

    project = reviewed_first(make_project, languages=("zh_CN", "fr"))
    root = project.workspace.root
    chinese = {READERS: "读者要求延长图书馆的开放时间。"}
    translate_by_hand(catalog_of(root, "first", "zh_CN"), chinese)
    memory = tmp_path / "memory.tmx"
    assert project.tm_export(memory, ["zh_CN"]).units == 1
    with memory.open("rb") as handle:
        [unit] = tmxfile(handle, sourcelanguage="en", targetlanguage="zh-CN").units
    assert (unit.source, unit.target) == (READERS, chinese[READERS])
    assert 'xml:lang="zh-CN"' in memory.read_text("utf-8")
    other = tmp_path / "other"
    (other / "source").mkdir(parents=True)
    (other / "translatio.toml").write_text(
        'source_language = "en"\nlanguages = ["zh_CN"]\nengine = "machine"\n', "utf-8"
    )
    (other / "source" / "second.md").write_text(SECOND, "utf-8")
    imported = Project.open(other)
    imported.extract()
    assert imported.tm_import(memory).stored[0][2] == 1
    imported.translate()
    entry = by_msgid(catalog_of(other, "second", "zh_CN"))[READERS]
    assert entry.msgstr == chinese[READERS]
    assert "translation memory: 100% memory.tmx:" in entry.tcomment
    assert "(imported, reviewed by Ada Lovelace)" in entry.tcomment  # the changeid travelled


def test_translate_says_what_the_memory_filled(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    result = cli(project.workspace.root, "translate")
    assert result.exit_code == 0, result.output
    assert "translation memory: 1 exact and 1 close matches filled, fuzzy" in result.stdout
    again = cli(project.workspace.root, "translate")
    assert "translation memory" not in again.stdout
