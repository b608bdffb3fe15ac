"""The translation memory of reviewed text, through ``translatio.Project`` and the steps.

Precedence (a person's text > memory > machine), how fills are marked, what goes into
the memory, the sentence level, the settings, and an index that is damaged or shared.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from translatio import Project, State
from translatio.catalog.provenance import read_provenance
from translatio.catalog.states import entry_state
from translatio.engines.scripted import ScriptedEngine
from translatio.languages import Language
from translatio.publish.edition import Policy, build_edition
from translatio.tm.index import index_path
from translatio.tm.recall import reviewed_sentences

from .conftest import MakeProject, msgfmt_check, read_po
from .tm_helpers import (
    FIRST,
    FIRST_FR,
    READERS,
    SECOND,
    TOWN,
    by_msgid,
    catalog_of,
    reviewed_first,
    translate_by_hand,
)

WEATHER = "Something entirely different is said here, about the weather."
FR = Language("fr")
EN = Language("en")


def test_an_exact_match_fills_the_entry_fuzzy_naming_origin_and_reviewer(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project)
    project.translate(engine="machine")
    second = by_msgid(catalog_of(project.workspace.root, "second"))
    entry = second[READERS]
    assert entry.msgstr == FIRST_FR[READERS]
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid is None
    assert "translation memory: 100% first:5 (person, reviewed by Ada Lovelace)" in entry.tcomment
    assert read_provenance(entry.tcomment) is None  # not machine output
    assert entry_state(entry) is State.NEEDS_UPDATE
    msgfmt_check(catalog_of(project.workspace.root, "second"))


def test_a_close_match_shows_the_matched_source_as_previous_msgid(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project)
    project.translate(engine="machine")
    entry = by_msgid(catalog_of(project.workspace.root, "second"))[TOWN]
    assert entry.msgstr == FIRST_FR[READERS]
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == READERS
    [line] = [line for line in entry.tcomment.splitlines() if "translation memory" in line]
    score = math.floor(fuzz.ratio(TOWN, READERS))  # rapidfuzz's Indel ratio, rounded down
    assert 80 <= score < 100
    assert line == f"translation memory: {score}% first:5 (person, reviewed by Ada Lovelace)"
    assert entry_state(entry) is State.NEEDS_UPDATE
    msgfmt_check(catalog_of(project.workspace.root, "second"))


def test_what_the_memory_does_not_know_goes_to_the_engine(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    [_, second] = project.translate(engine="machine")
    entries = by_msgid(catalog_of(project.workspace.root, "second"))
    provenance = read_provenance(entries[WEATHER].tcomment)
    assert provenance is not None and provenance.engine == "machine"
    assert "translation memory" not in entries[WEATHER].tcomment
    assert second.report.filled == 2  # the heading and the weather; the rest came from memory


def test_the_threshold_setting_decides_what_is_close(make_project: MakeProject) -> None:
    above = math.floor(fuzz.ratio(TOWN, READERS)) + 1
    project = reviewed_first(make_project, extra=f"memory_threshold = {above}\n")
    project.translate(engine="machine")
    entry = by_msgid(catalog_of(project.workspace.root, "second"))[TOWN]
    assert read_provenance(entry.tcomment) is not None  # below the threshold: machine output
    assert (
        by_msgid(catalog_of(project.workspace.root, "second"))[READERS].msgstr
        == (FIRST_FR[READERS])
    )


def test_whitespace_is_normalised_and_markup_is_not(make_project: MakeProject) -> None:
    second = (
        "Our readers  asked for longer\nopening hours at the library.\n\n"
        "Our readers asked for *longer* opening hours at the library.\n"
    )
    project = reviewed_first(make_project, second, extra="memory_threshold = 100\n")
    project.translate(engine="machine")
    entries = by_msgid(catalog_of(project.workspace.root, "second"))
    spaced = "Our readers  asked for longer opening hours at the library."
    assert entries[spaced].msgstr == FIRST_FR[READERS]
    emphasised = "Our readers asked for *longer* opening hours at the library."
    assert "translation memory" not in entries[emphasised].tcomment


def test_a_persons_text_is_never_changed_and_machine_output_is_not_replaced(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project)
    project.translate(["fr"], engine="machine", memory=False)
    root = project.workspace.root
    translate_by_hand(catalog_of(root, "second"), {TOWN: "Le texte d'une personne."})
    before = by_msgid(catalog_of(root, "second"))
    project.translate(engine="machine")
    after = by_msgid(catalog_of(root, "second"))
    assert after[TOWN].msgstr == "Le texte d'une personne."
    assert after[READERS].msgstr == before[READERS].msgstr  # the machine output it had
    assert "translation memory" not in after[READERS].tcomment


def test_the_machine_step_leaves_memory_fills_alone_even_when_refreshing(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project)
    project.translate(engine="machine")
    root = project.workspace.root
    filled = catalog_of(root, "second").read_bytes()
    project.translate(engine="machine", refresh=True)
    project.translate(engine="pseudo", refresh=True)
    entries = by_msgid(catalog_of(root, "second"))
    assert entries[READERS].msgstr == FIRST_FR[READERS]
    assert entries[TOWN].msgstr == FIRST_FR[READERS]
    assert catalog_of(root, "second").read_bytes().count(b"translation memory") == (
        filled.count(b"translation memory")
    )


def test_memory_text_never_reaches_a_reviewed_edition(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    project.translate(engine="machine")
    root = project.workspace.root
    document = project.workspace.read_document(root / "source" / "second.md")
    catalog = read_po(catalog_of(root, "second"))
    reviewed = build_edition(document, catalog, policy=Policy.REVIEWED)
    assert FIRST_FR[READERS] not in reviewed.text
    assert reviewed.text == SECOND
    draft = build_edition(document, catalog, policy=Policy.DRAFT)
    assert FIRST_FR[READERS] in draft.text and draft.machine_segments == 4


def test_unreviewed_text_is_not_in_the_memory(make_project: MakeProject) -> None:
    root = make_project({"first.md": FIRST, "second.md": SECOND}, languages=("fr",))
    project = Project.open(root)
    project.extract()
    project.translate(["fr"], engine="machine", memory=False)  # first: machine output only
    (root / "source" / "first.md").write_text(FIRST + "\nA sentence typed later.\n", "utf-8")
    project.extract()
    project.translate(engine="machine")
    for entry in by_msgid(catalog_of(root, "second")).values():
        assert "translation memory" not in entry.tcomment
    assert project.tm_stats()[0].paragraphs == 0


def test_machine_output_a_reviewer_approved_is_reused_with_their_name(
    make_project: MakeProject,
) -> None:
    root = make_project({"first.md": FIRST}, languages=("fr",))
    project = Project.open(root)
    project.run(engine="machine")
    project.approve("fr", references=["source/first.md:5"], reviewer="Grace Hopper")
    approved = by_msgid(catalog_of(root, "first"))[READERS].msgstr
    (root / "source" / "second.md").write_text(SECOND, "utf-8")
    project.extract()
    project.translate(engine="machine")
    entry = by_msgid(catalog_of(root, "second"))[READERS]
    assert entry.msgstr == approved
    assert (
        "translation memory: 100% first:5 (approved machine output, reviewed by Grace Hopper)"
        in entry.tcomment
    )


@pytest.mark.parametrize("accept", [False, True])
def test_exact_matches_from_the_same_document_can_be_accepted(
    make_project: MakeProject, accept: bool
) -> None:
    spaced = "Our readers asked for  longer opening hours at the library."
    root = make_project(
        {"first.md": f"{READERS}\n\n{spaced}\n"},
        languages=("fr",),
        extra=f"memory_accept_same_document = {str(accept).lower()}\n",
    )
    project = Project.open(root)
    project.extract()
    translate_by_hand(catalog_of(root, "first"), {READERS: FIRST_FR[READERS]})
    [update] = project.recall()
    entry = by_msgid(catalog_of(root, "first"))[spaced]
    assert entry.msgstr == FIRST_FR[READERS]
    assert ("fuzzy" in entry.flags) is not accept
    assert entry_state(entry) is (State.TRANSLATED if accept else State.NEEDS_UPDATE)
    assert (update.report.exact, update.report.accepted) == (1, int(accept))


def test_an_exact_match_from_another_document_stays_fuzzy_when_accepting(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project, extra="memory_accept_same_document = true\n")
    project.translate(engine="machine")
    assert "fuzzy" in by_msgid(catalog_of(project.workspace.root, "second"))[READERS].flags


def test_recall_writes_nothing_when_nothing_matches(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    project.translate(engine="machine")
    assert [update.written for update in project.recall()] == [False, False]


# -- sentence level ----------------------------------------------------------------------


FRENCH_GLOSSES = {  # an engine's French: near the translator's words, never the same
    "The committee met on Monday.": "Le comité a rencontré lundi.",
    "It approved the budget.": "Il approuvé le budget.",
    "It rejected the new plan entirely.": "Il a rejeté le nouveau plan entièrement.",
}


def french_gloss(sentences: Sequence[str]) -> dict[str, str]:
    return {sentence: FRENCH_GLOSSES.get(sentence, sentence) for sentence in sentences}


def test_reviewed_sentences_are_reused_where_the_aligner_pairs_them(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project)
    asked = ["It approved the budget.", "It rejected the budget.", "The committee met on Monday."]
    found = reviewed_sentences(project.workspace, EN, FR, asked, gloss=french_gloss)
    assert sorted(found) == ["It approved the budget.", "The committee met on Monday."]
    assert found["It approved the budget."].text == "Il a approuvé le budget."
    assert found["It approved the budget."].model == "memory:first:3"
    assert found["The committee met on Monday."].text == "Le comité s'est réuni lundi."
    # without the engine's translation, a sentence of a longer paragraph is never reused
    assert reviewed_sentences(project.workspace, EN, FR, asked) == {}


def test_sentences_a_translator_reordered_are_paired_by_meaning(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    committee = "The committee met on Monday. It approved the budget."
    translate_by_hand(
        catalog_of(project.workspace.root, "first"),
        {committee: "Il a approuvé le budget. Le comité s'était réuni lundi."},
    )
    asked = ["It approved the budget.", "The committee met on Monday."]
    found = reviewed_sentences(project.workspace, EN, FR, asked, gloss=french_gloss)
    assert {sentence: t.text for sentence, t in found.items()} == {
        "It approved the budget.": "Il a approuvé le budget.",
        "The committee met on Monday.": "Le comité s'était réuni lundi.",
    }


def test_sentences_that_do_not_line_up_are_not_reused(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    committee = "The committee met on Monday. It approved the budget."
    translate_by_hand(
        catalog_of(project.workspace.root, "first"),
        {committee: "Lundi, le comité a approuvé le budget."},  # two sentences became one
    )
    asked = ["It approved the budget.", "The committee met on Monday."]
    assert reviewed_sentences(project.workspace, EN, FR, asked, gloss=french_gloss) == {}


def test_one_sentence_translated_two_ways_gives_the_better_ranked_one_whole(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(
        make_project, "# Second\n\nThe committee met on Monday. It liked the plan.\n"
    )
    project.translate(engine="machine")
    translate_by_hand(
        catalog_of(project.workspace.root, "second"),
        {
            "Second": "Deuxième",
            "The committee met on Monday. It liked the plan.": (
                "Lundi, le comité s'est rassemblé. Il a aimé le plan."
            ),
        },
    )
    asked = ["The committee met on Monday."]
    found = reviewed_sentences(project.workspace, EN, FR, asked, gloss=french_gloss)
    # both translations are the translator's; the aligner pairs each whole, never a mix
    assert found["The committee met on Monday."].text in (
        "Le comité s'est réuni lundi.",
        "Lundi, le comité s'est rassemblé.",
    )
    again = reviewed_sentences(project.workspace, EN, FR, asked, gloss=french_gloss)
    assert again == found  # the same answer every time


# -- the index ---------------------------------------------------------------------------


def test_the_index_follows_the_catalogs(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    assert project.tm_stats()[0].paragraphs == 4
    translate_by_hand(catalog_of(root, "first"), {READERS: "Une autre traduction relue."})
    project.translate(engine="machine")
    assert by_msgid(catalog_of(root, "second"))[READERS].msgstr == "Une autre traduction relue."
    stats = project.tm_stats()[0]
    assert (stats.paragraphs, stats.imported, stats.sentences) == (4, 0, 4)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "directory", "other-project"])
def test_a_damaged_index_is_rebuilt_from_the_catalogs_with_a_warning(
    make_project: MakeProject, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    project = reviewed_first(make_project)
    assert project.tm_stats()[0].paragraphs == 4
    path = index_path(project.workspace.root)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1500])
    elif damage == "directory":
        path.unlink()
        path.mkdir()
    else:
        import sqlite3

        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = '/elsewhere' WHERE key = 'project'")
        db.close()
    with caplog.at_level(logging.WARNING, logger="translatio"):
        project.translate(engine="machine")
    assert (
        by_msgid(catalog_of(project.workspace.root, "second"))[READERS].msgstr
        == (FIRST_FR[READERS])
    )
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("translatio")]
    assert any("translation memory index" in message for message in warnings), warnings
    assert project.tm_stats()[0].paragraphs == 4


def test_two_projects_do_not_share_a_memory(make_project: MakeProject, tmp_path: Path) -> None:
    reviewed_first(make_project)
    other = tmp_path / "other"
    (other / "source").mkdir(parents=True)
    (other / "translatio.toml").write_text(
        'source_language = "en"\nlanguages = ["fr"]\nengine = "machine"\n', "utf-8"
    )
    (other / "source" / "second.md").write_text(SECOND, "utf-8")
    project = Project.open(other)
    project.extract()
    project.translate()
    for entry in by_msgid(catalog_of(other, "second")).values():
        assert "translation memory" not in entry.tcomment
    assert index_path(other) != index_path(tmp_path / "project")


def test_an_index_another_process_holds_is_left_alone(
    make_project: MakeProject, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from translatio.tm.index import MemoryIndex

    project = reviewed_first(make_project)
    project.tm_stats()
    path = index_path(project.workspace.root)
    monkeypatch.setattr(MemoryIndex, "busy_timeout", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.INFO, logger="translatio"):
            project.translate(engine="machine")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (
        by_msgid(catalog_of(project.workspace.root, "second"))[READERS].msgstr
        == (FIRST_FR[READERS])
    )
    # nothing is lost (the index is rebuilt in memory), so it is said, not warned about
    said = [r for r in caplog.records if r.name == "translatio.tm.index"]
    assert said and all(r.levelno == logging.INFO for r in said)
    assert "cannot be used (database is locked)" in said[0].getMessage()
    assert not path.with_name(path.name + ".damaged").exists()


def test_a_persons_save_during_recall_is_kept(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translatio.tm import recall as recall_module

    project = reviewed_first(make_project)
    path = catalog_of(project.workspace.root, "second")
    original = recall_module._Offers.best
    saved: list[bool] = []

    def best(self: object, text: str, document: str, threshold: float) -> object:
        if document == "second" and not saved:
            saved.append(True)
            translate_by_hand(path, {WEATHER: "Le temps, tapé par une personne."})
        return original(self, text, document, threshold)  # type: ignore[arg-type]

    monkeypatch.setattr(recall_module._Offers, "best", best)
    updates = project.recall()
    assert saved and [update.written for update in updates] == [False, True]
    entries = by_msgid(path)
    assert entries[WEATHER].msgstr == "Le temps, tapé par une personne."
    assert "fuzzy" not in entries[WEATHER].flags
    assert entries[READERS].msgstr == FIRST_FR[READERS]  # applied again to the person's save
    assert entries[TOWN].previous_msgid == READERS


# -- sentence level, end to end (the translate step asks reviewed_sentences first) -------


def test_a_new_paragraph_gets_its_reviewed_sentence_from_memory_and_the_rest_from_mt(
    make_project: MakeProject,
) -> None:
    mixed = "The committee met on Monday. It rejected the new plan entirely."
    project = reviewed_first(make_project, f"{mixed}\n")
    engine = ScriptedEngine(
        lambda text: FRENCH_GLOSSES.get(text, text), name="machine", model="machine-1"
    )
    project.translate(engine=engine)
    # the reviewed paragraph's sentences were translated to align it, then the new one
    assert engine.asked() == [
        "The committee met on Monday.",
        "It approved the budget.",
        "It rejected the new plan entirely.",
    ]
    entry = by_msgid(catalog_of(project.workspace.root, "second"))[mixed]
    assert entry.msgstr.startswith("Le comité s'est réuni lundi. ")
    provenance = read_provenance(entry.tcomment)
    assert provenance is not None and provenance.engine == "machine"
    assert set(provenance.model.split("+")) == {"memory:first:3", "machine-1"}
    assert "fuzzy" in entry.flags and entry_state(entry) is State.MACHINE


def test_an_unusable_cache_directory_costs_only_time(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory should be\n", "utf-8")
    monkeypatch.setenv("TRANSLATIO_CACHE_DIR", str(blocked))
    project = reviewed_first(make_project)
    project.translate(engine="machine")  # the index is built in memory for this run
    entries = by_msgid(catalog_of(project.workspace.root, "second"))
    assert entries[READERS].msgstr == FIRST_FR[READERS]
    assert entries[TOWN].previous_msgid == READERS
    assert project.tm_stats()[0].paragraphs == 4
