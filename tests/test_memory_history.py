"""The memory never forgets reviewed work: the history, origins and their ranking.

Reviewed translations of edited and removed paragraphs stay in ``locales/<lang>/history.po``
with the source they translated, go out in TMX exports and answer an exact match to the
old source; a person's text outranks machine output approved in bulk.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from translatio import Project

from .conftest import MakeProject, read_po
from .tm_helpers import (
    FIRST,
    FIRST_FR,
    READERS,
    by_msgid,
    catalog_of,
    reviewed_first,
    translate_by_hand,
)

EDITED = "Our readers asked for longer opening hours at the main library."
QUOTE = f"# Quoted\n\n{READERS}\n"


def _history(root: Path, language: str = "fr") -> dict[str, polib.POEntry]:
    return {entry.msgstr: entry for entry in read_po(root / "locales" / language / "history.po")}


def test_an_edited_paragraphs_reviewed_translation_stays_in_the_memory(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    (root / "source" / "first.md").write_text(FIRST.replace(READERS, EDITED), "utf-8")
    project.extract()
    entry = by_msgid(catalog_of(root, "first"))[EDITED]
    assert "fuzzy" in entry.flags  # the merge carried it over for review
    # a translator edits the fuzzy text: the history keeps the text as it was reviewed
    translate_by_hand(catalog_of(root, "first"), {}, translator="Ada Lovelace <ada@example.org>")
    catalog = polib.pofile(str(catalog_of(root, "first")), wrapwidth=0)
    for item in catalog:
        if item.msgid == EDITED:
            item.msgstr = "Un brouillon pas encore relu."
    catalog.save()

    kept = _history(root)[FIRST_FR[READERS]]
    assert kept.msgid == READERS and kept.msgctxt is None
    comments = kept.tcomment.splitlines()
    assert comments[:3] == ["from: first:5", "origin: person", "reviewer: Ada Lovelace"]
    assert comments[3].startswith("first seen: 20")
    assert "Un brouillon pas encore relu." not in _history(root)

    # a document quoting the old paragraph word for word gets the translator's text
    (root / "source" / "quoted.md").write_text(QUOTE, "utf-8")
    project.extract()
    project.translate(engine="machine")
    quoted = by_msgid(catalog_of(root, "quoted"))[READERS]
    assert quoted.msgstr == FIRST_FR[READERS]
    assert "translation memory: 100% first:5, an earlier version (person," in quoted.tcomment

    # and the TMX export has it, marked as from an earlier version
    report = project.tm_export(tmp_path / "memory.tmx")
    tmx = (tmp_path / "memory.tmx").read_text("utf-8")
    assert f"<seg>{READERS}</seg>" in tmx
    assert '<prop type="x-earlier-version">yes</prop>' in tmx
    assert tmx.count(f"<seg>{FIRST_FR[READERS]}</seg>") == 1  # once, though it is twice known
    assert report.units == len([line for line in tmx.splitlines() if line.strip() == "<tu>"]) + (
        tmx.count("<tu changeid")
    )


def test_a_removed_paragraph_purged_from_its_catalog_is_still_remembered(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    only = "This paragraph appears only in the first article."
    (root / "source" / "first.md").write_text(FIRST.replace(only + "\n", ""), "utf-8")
    project.extract()
    path = catalog_of(root, "first")
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in [entry for entry in catalog if entry.obsolete]:
        catalog.remove(entry)  # what "purge obsolete" in an editor does
    catalog.save()
    (root / "source" / "quoted.md").write_text(f"# Quoted\n\n{only}\n", "utf-8")
    project.extract()
    project.translate(engine="machine")
    assert by_msgid(catalog_of(root, "quoted"))[only].msgstr == FIRST_FR[only]


def test_a_persons_translation_outranks_machine_output_approved_in_bulk(
    make_project: MakeProject,
) -> None:
    root = make_project({"a.md": f"{READERS}\n", "b.md": f"# B\n\n{READERS}\n"}, languages=("fr",))
    project = Project.open(root)
    project.run(engine="machine")
    project.approve("fr", all_passing=True, reviewer="Bulk Approver")
    translate_by_hand(catalog_of(root, "b"), {READERS: FIRST_FR[READERS]})  # a person rewrote it
    (root / "source" / "c.md").write_text(f"{READERS}\n", "utf-8")
    project.extract()
    project.translate(engine="machine")
    entry = by_msgid(catalog_of(root, "c"))[READERS]
    assert entry.msgstr == FIRST_FR[READERS]
    assert "(person, reviewed by Ada Lovelace)" in entry.tcomment
    history = _history(root)
    assert history[FIRST_FR[READERS]].msgctxt is None  # the best one for msgmerge
    [machine] = [
        e for text, e in history.items() if text != FIRST_FR[READERS] and e.msgid == READERS
    ]
    assert "origin: approved machine output" in machine.tcomment
    assert "reviewer: Bulk Approver" in machine.tcomment
    assert machine.msgctxt is not None


def test_a_rewrite_in_an_editor_is_a_persons_translation(make_project: MakeProject) -> None:
    root = make_project({"a.md": f"{READERS}\n"}, languages=("fr",))
    project = Project.open(root)
    project.run(engine="machine")
    path = catalog_of(root, "a")
    catalog = polib.pofile(str(path), wrapwidth=0)
    [entry] = [e for e in catalog if e.msgid == READERS]
    entry.flags.remove("fuzzy")  # accepted in an editor, after rewriting it
    entry.msgstr = FIRST_FR[READERS]
    catalog.save()
    project.extract()
    assert "origin: person" in _history(root)[FIRST_FR[READERS]].tcomment


def test_the_history_is_written_only_when_it_learns_something(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    project.extract()
    history = project.workspace.root / "locales" / "fr" / "history.po"
    before = history.read_bytes()
    stamp = history.stat().st_mtime_ns
    project.extract()
    project.translate(engine="machine")
    project.tm_stats()
    assert history.read_bytes() == before and history.stat().st_mtime_ns == stamp


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is installed by .ci/run")
def test_msgmerge_can_use_the_history_as_a_compendium(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    (root / "source" / "first.md").write_text(FIRST.replace(READERS, EDITED), "utf-8")
    project.extract()
    (root / "source" / "quoted.md").write_text(QUOTE, "utf-8")
    project.extract()
    empty = root / "empty.po"
    empty.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', "utf-8")
    merged = subprocess.run(
        [
            "msgmerge",
            "--compendium",
            str(root / "locales" / "fr" / "history.po"),
            "-o",
            "-",
            str(empty),
            str(root / "locales" / "quoted.pot"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    catalog = polib.pofile(merged.stdout)
    assert {e.msgid: e.msgstr for e in catalog if e.msgid}[READERS] == FIRST_FR[READERS]
