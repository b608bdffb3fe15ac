"""Counts that say what happened: each number counts one thing, as the engine marks it.

``translate`` separates engine fills, memory fills, refreshes and human translations
left alone (text and ``--json``); a refresh whose output is identical writes and counts
nothing; Apertium's marks are read as they mean (``*`` unknown and ``@`` untransferable
words are left untranslated, ``#`` is an inflection it could not generate) and a word it
copied as a name is listed; a TMX import names every language it saw and what it took;
``status``, ``build`` and the review page give one completeness figure, by words.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
import pytest

from translatio import Project
from translatio.catalog.provenance import (
    Provenance,
    read_unknown_words,
    text_hash,
    with_provenance,
)
from translatio.catalog.states import completeness
from translatio.catalog.tally import tally_fill
from translatio.catalog.values import copy_catalog
from translatio.engines.apertium import ApertiumEngine, read_marks
from translatio.languages import Language

from .conftest import FIXTURES, MakeProject, cli, read_po
from .tm_helpers import FIRST_FR, READERS, catalog_of, reviewed_first, translate_by_hand

EN = Language("en")


def _apertium() -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-spa")


# -- translate: one number per origin -------------------------------------------------------


def test_memory_fills_are_not_counted_as_human_translations(make_project: MakeProject) -> None:
    root = reviewed_first(make_project).workspace.root
    result = cli(root, "translate", "--engine", "machine")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "locales/fr/LC_MESSAGES/first.po: 0 filled by the engine, 0 from memory, "
        "0 refreshed, 4 human translations left alone",
        "locales/fr/LC_MESSAGES/second.po: 2 filled by the engine, 2 from memory, "
        "0 refreshed, 0 human translations left alone",
    ]
    result = cli(root, "translate", "--engine", "machine", "--json")
    rows = {row["path"].rsplit("/", 1)[-1]: row for row in json.loads(result.stdout)}
    counts = ("filled", "memory", "refreshed", "protected")
    assert {name: [row[key] for key in counts] for name, row in rows.items()} == {
        "first.po": [0, 0, 0, 4],
        "second.po": [0, 0, 0, 0],  # nothing left to fill; the memory fills await review
    }


def test_a_refresh_with_identical_output_writes_and_counts_nothing(
    make_project: MakeProject,
) -> None:
    project = Project.open(make_project(languages=("fr",)))
    project.extract()
    [first] = project.translate(engine="machine")
    assert first.written and first.report.filled == 6
    path = catalog_of(project.workspace.root, "article")
    before, inode = path.read_bytes(), path.stat().st_ino
    # a later day: a rewrite would move PO-Revision-Date
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1798761600")
        [again] = project.translate(engine="machine", refresh=True)
    assert (again.written, again.report.refreshed, again.report.filled) == (False, 0, 0)
    assert path.read_bytes() == before and path.stat().st_ino == inode
    result = cli(project.workspace.root, "translate", "--engine", "machine", "--refresh")
    assert ", 0 refreshed," in result.stdout


def test_a_refresh_with_new_output_counts_only_what_changed(make_project: MakeProject) -> None:
    project = Project.open(make_project(languages=("fr",)))
    project.extract()
    project.translate(engine="machine")
    path = catalog_of(project.workspace.root, "article")
    catalog = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in catalog if e.msgid)
    entry.msgstr = "Autre chose"  # as if another model had written it
    entry.tcomment = with_provenance(
        "", Provenance("machine", "machine-0", 0.0, text_hash("Autre chose"))
    )
    path.write_bytes(catalog.__unicode__().encode("utf-8"))
    [again] = project.translate(engine="machine", refresh=True)
    assert (again.written, again.report.refreshed) == (True, 1)


def test_the_tally_tells_memory_from_engine() -> None:
    before = polib.POFile(wrapwidth=0)
    before.metadata = {"PO-Revision-Date": "2026-01-01 00:00+0000"}
    for msgid in ("One.", "Two.", "Three."):
        before.append(polib.POEntry(msgid=msgid, msgstr=""))
    after = copy_catalog(before)
    for entry, model in zip(
        after, ("memory:first_5", "machine-1", "memory:a+machine-1"), strict=True
    ):
        entry.msgstr = entry.msgid.upper()
        entry.flags = ["fuzzy"]
        entry.tcomment = with_provenance(
            "", Provenance("machine", model, 0.0, text_hash(entry.msgstr))
        )
    written, report = tally_fill(before, after)
    assert written is after
    assert (report.memory, report.filled, report.refreshed, report.protected) == (1, 2, 0, 0)
    unchanged, nothing = tally_fill(before, copy_catalog(before))
    assert unchanged is None and (nothing.filled, nothing.memory) == (0, 0)


# -- Apertium's marks ---------------------------------------------------------------------


def test_a_name_apertium_copied_is_listed_and_a_generation_mark_is_not() -> None:
    _apertium()
    engine = ApertiumEngine()
    [april] = engine.translate(["The meeting is in April."], source=EN, target=Language("es"))
    assert april.text == "La reunión es en April."  # copied unmarked, read as a name
    assert april.unknown_words == ("April",)
    [croatian] = engine.translate(["The meeting is in April."], source=EN, target=Language("hr"))
    raw = "@The #miting @i @in #april#."  # what `apertium eng-hbs_HR` prints for it
    assert read_marks(raw) == ("The miting i in april#.", ("The", "i", "in"))
    assert croatian.unknown_words == ("The", "i", "in")  # untransferable, left in English
    assert "miting" not in croatian.unknown_words  # translated; only its form is wrong
    [marked] = engine.translate(["We met Xi Jinping."], source=EN, target=Language("es"))
    assert marked.unknown_words == ("Xi", "Jinping")


def test_the_catalog_lists_the_words_left_untranslated(make_project: MakeProject) -> None:
    _apertium()
    root = make_project({"doc.md": "# News\n\nThe meeting is in April.\n"}, languages=("es",))
    project = Project.open(root)
    project.extract()
    project.translate(engine="apertium")
    [entry] = [e for e in read_po(catalog_of(root, "doc", "es")) if e.msgid.endswith("April.")]
    assert read_unknown_words(entry.tcomment) == ("April",)


# -- TMX import -----------------------------------------------------------------------------


def test_a_tmx_import_names_every_language_and_what_it_took(
    make_project: MakeProject, tmp_path: Path
) -> None:
    source = tmp_path / "trados.tmx"
    source.write_bytes((FIXTURES / "tm" / "multilingual.tmx").read_bytes())
    root = make_project({"second.md": READERS + "\n"}, languages=("fr", "pt_BR"))
    Project.open(root).extract()
    report = Project.open(root).tm_import(source)
    assert report.languages == (
        ("en-US", "source"),
        ("fr-FR", "fr"),
        ("de-DE", ""),
        ("ja", ""),
        ("pt-BR", "pt_BR"),
    )
    result = cli(root, "tm", "import", str(source))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"languages in {source}: en-US (source), fr-FR (as fr), "
        "de-DE (left out: not a configured language, or not -l), "
        "ja (left out: not a configured language, or not -l), pt-BR (as pt_BR)"
    )
    only = json.loads(cli(root, "tm", "import", str(source), "-l", "fr", "--json").stdout)
    assert only["languages"][4] == {"language": "pt-BR", "taken_as": None}  # not asked for
    assert [row["language"] for row in only["stored"]] == ["fr"]


def test_a_tmx_without_a_configured_language_says_which_it_holds(
    make_project: MakeProject, tmp_path: Path
) -> None:
    source = tmp_path / "trados.tmx"
    source.write_bytes((FIXTURES / "tm" / "multilingual.tmx").read_bytes())
    root = make_project({"second.md": READERS + "\n"}, languages=("es",))
    result = cli(root, "tm", "import", str(source))
    assert result.exit_code == 1
    assert "languages it holds left out: fr-FR, de-DE, ja, pt-BR" in result.stderr


# -- one completeness figure ----------------------------------------------------------------


def test_status_build_and_the_review_page_give_one_figure(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    first = root / "source" / "first.md"
    # a corrected paragraph: its reviewed translation becomes fuzzy ("needs update"),
    # and the edition still shows the translation of its earlier wording
    first.write_text(first.read_text("utf-8").replace("on Monday", "on Tuesday"), "utf-8")
    project.extract()
    catalog = read_po(catalog_of(root, "first"))
    figure = completeness(catalog)
    assert 0 < figure < 100
    [status] = [item for item in project.status() if item.document == "first"]
    assert status.completeness == figure
    [built] = [r for r in project.build(keep=0) if r.document == "first"]
    assert built.reviewed == figure
    assert built.completeness == 100.0  # what the edition shows: --keep's measure
    [row] = [
        r for r in json.loads(cli(root, "status", "--json").stdout) if r["document"] == "first"
    ]
    assert row["completeness"] == round(figure, 1)
    assert row["completeness_basis"] == "source words with a reviewed translation"
    lines = cli(root, "build", "--keep", "0").stdout.splitlines()
    assert f"fr/first: unchanged ({figure:.0f}% of source words reviewed)" in " ".join(lines)
    project.review_pages("fr")
    page = next(root.glob("**/first.review.html")).read_text("utf-8")
    found = re.search(r'<p class="completeness" title="([^"]+)">[^<]*: (\d+)%</p>', page)
    assert found is not None
    assert found.groups() == ("source words with a reviewed translation", f"{figure:.0f}")


def test_completeness_counts_words_not_entries(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    translate_by_hand(catalog_of(root, "second"), {READERS: FIRST_FR[READERS]})
    catalog = read_po(catalog_of(root, "second"))
    entries = [e for e in catalog if e.msgid]
    words = {e.msgid: len(e.msgid.split()) for e in entries}
    expected = 100 * words[READERS] / sum(words.values())
    assert completeness(catalog) == pytest.approx(expected)
    assert round(100 / len(entries)) != round(expected)  # an entry count would differ
