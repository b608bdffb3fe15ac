"""Machine output policy: engines fill only empty entries and never touch human work."""

from __future__ import annotations

import polib

from translatio.catalog.fill import translate_catalog
from translatio.catalog.merge import merge_catalog
from translatio.catalog.provenance import read_provenance, text_hash
from translatio.catalog.states import State, catalog_status, entry_state
from translatio.catalog.values import build_template
from translatio.engines.pseudo import pseudo_localise
from translatio.engines.scripted import ScriptedEngine
from translatio.languages import Language
from translatio.text.segment import segment_markdown

from .conftest import machine_engine

EN, FR = Language("en"), Language("fr")
SOURCE = "# Title\n\nFirst paragraph here.\n\nSecond paragraph here.\n"


def _catalog(text: str = SOURCE, previous: polib.POFile | None = None) -> polib.POFile:
    template = build_template(segment_markdown(text, name="d", path="d.md"), created="")
    return merge_catalog(template, previous, FR)[0]


def _entry(catalog: polib.POFile, msgid: str) -> polib.POEntry:
    found = catalog.find(msgid)
    assert found is not None, msgid
    return found


def _machine(catalog: polib.POFile, *, refresh: bool = False) -> polib.POFile:
    return translate_catalog(catalog, machine_engine(), source=EN, target=FR, refresh=refresh)[0]


def test_machine_output_is_fuzzy_with_provenance() -> None:
    catalog = _machine(_catalog())
    entry = _entry(catalog, "First paragraph here.")
    assert entry.msgstr == pseudo_localise("First paragraph here.")
    assert entry.fuzzy
    provenance = read_provenance(entry.tcomment)
    assert provenance is not None
    assert (provenance.engine, provenance.model) == ("machine", "machine-1")
    assert provenance.digest == text_hash(entry.msgstr)
    assert entry_state(entry) is State.MACHINE


def test_input_catalog_is_not_modified() -> None:
    catalog = _catalog()
    _machine(catalog)
    assert all(not entry.msgstr for entry in catalog if entry.msgid)


def test_human_translations_are_never_touched() -> None:
    catalog = _catalog()
    _entry(catalog, "Title").msgstr = "Titre"
    translated = _machine(catalog, refresh=True)
    assert _entry(translated, "Title").msgstr == "Titre"
    assert not _entry(translated, "Title").fuzzy


def test_edited_machine_output_is_never_refreshed() -> None:
    catalog = _machine(_catalog())
    _entry(catalog, "First paragraph here.").msgstr = "Premier paragraphe, revu."
    again, report = translate_catalog(catalog, machine_engine(), source=EN, target=FR, refresh=True)
    assert _entry(again, "First paragraph here.").msgstr == "Premier paragraphe, revu."
    assert report.refreshed == 2  # the two untouched entries
    assert entry_state(_entry(again, "First paragraph here.")) is State.NEEDS_UPDATE


def test_approved_machine_output_is_never_refreshed() -> None:
    catalog = _machine(_catalog())
    approved = _entry(catalog, "Title")
    approved.flags.remove("fuzzy")
    text = approved.msgstr
    again = _machine(catalog, refresh=True)
    assert _entry(again, "Title").msgstr == text
    assert entry_state(_entry(again, "Title")) is State.TRANSLATED


def test_untouched_machine_output_follows_source_changes() -> None:
    machine = _machine(_catalog())
    edited = SOURCE.replace("Second paragraph here.", "Second paragraph here, edited.")
    merged = _catalog(edited, machine)
    entry = _entry(merged, "Second paragraph here, edited.")
    assert entry.previous_msgid == "Second paragraph here."
    assert entry_state(entry) is State.NEEDS_UPDATE
    refreshed = _entry(_machine(merged), "Second paragraph here, edited.")
    assert refreshed.msgstr == pseudo_localise("Second paragraph here, edited.")
    assert refreshed.previous_msgid is None


def test_human_fuzzy_translation_after_source_change_stays() -> None:
    catalog = _catalog()
    _entry(catalog, "Second paragraph here.").msgstr = "Deuxième paragraphe."
    merged = _catalog(SOURCE.replace("here.", "here!"), catalog)
    after = _entry(_machine(merged), "Second paragraph here!")
    assert after.msgstr == "Deuxième paragraphe."
    assert after.fuzzy and after.previous_msgid == "Second paragraph here."


def test_status_counts_every_state() -> None:
    catalog = _machine(_catalog("# Title\n\nOne two three.\n\nFour five.\n\nSix.\n"))
    _entry(catalog, "Title").flags.remove("fuzzy")
    _entry(catalog, "Six.").msgstr = ""
    _entry(catalog, "Six.").flags.remove("fuzzy")
    _entry(catalog, "Four five.").msgstr = "Quatre cinq."
    catalog.append(polib.POEntry(msgid="Old", msgstr="Vieux", obsolete=True))
    status = catalog_status("d", "fr", catalog)
    assert status.entries == {
        State.TRANSLATED: 1,
        State.MACHINE: 1,
        State.PREVIEW: 0,
        State.NEEDS_UPDATE: 1,
        State.UNTRANSLATED: 1,
        State.OBSOLETE: 1,
    }
    assert status.total_words == 1 + 3 + 2 + 1
    assert round(status.percent(State.TRANSLATED), 1) == round(100 / 7, 1)


def test_pseudo_engine_keeps_markup_urls_code_and_numbers() -> None:
    text = (
        'Read **the** [guide](https://example.org/x_y?a=1 "Guide") and `run --fast` '
        "<kbd>Ctrl</kbd> at 10:30, 3.5% &amp; <https://a.example> or mail me@example.org \\*"
    )
    out = pseudo_localise(text)
    for kept in (
        "**",
        '](https://example.org/x_y?a=1 "Guide")',
        "`run --fast`",
        "<kbd>",
        "</kbd>",
        "10:30",
        "3.5%",
        "&amp;",
        "<https://a.example>",
        "me@example.org",
        "\\*",
    ):
        assert kept in out, kept
    assert "Read" not in out and "guide" not in out
    assert pseudo_localise(text) == out


def test_accepted_machine_output_survives_a_later_source_change() -> None:
    machine = _machine(_catalog())
    accepted = _entry(machine, "Second paragraph here.")
    accepted.flags.remove("fuzzy")  # a reviewer accepts it in an editor
    text = accepted.msgstr
    resaved = _catalog(SOURCE, machine)  # a merge with nothing changed records it
    assert "reviewed:" in _entry(resaved, "Second paragraph here.").tcomment
    edited = SOURCE.replace("Second paragraph here.", "Second paragraph here, edited.")
    merged = _catalog(edited, resaved)
    entry = _entry(merged, "Second paragraph here, edited.")
    assert entry.fuzzy and entry.msgstr == text
    assert entry_state(entry) is State.NEEDS_UPDATE
    after = _entry(_machine(merged, refresh=True), "Second paragraph here, edited.")
    assert after.msgstr == text, "an accepted text is never replaced by machine output"


def test_accepted_then_edited_source_in_one_merge() -> None:
    machine = _machine(_catalog())
    _entry(machine, "Title").flags.remove("fuzzy")
    merged = _catalog(SOURCE.replace("# Title", "# Title!"), machine)
    entry = _entry(merged, "Title!")
    assert "reviewed:" in entry.tcomment
    assert _entry(_machine(merged), "Title!").msgstr == pseudo_localise("Title")


def test_chinese_sentences_join_tightly_but_latin_ones_keep_a_space() -> None:
    source = "First one. Second one. Third one.\n"
    catalog = _catalog(source)
    outputs = {"First one.": "第一句。", "Second one.": "Xi Jinping.", "Third one.": "Done."}
    engine = ScriptedEngine(outputs, name="echo", score=-0.5)
    result, _ = translate_catalog(catalog, engine, source=EN, target=Language("zh_CN"))
    assert _entry(result, "First one. Second one. Third one.").msgstr == "第一句。Xi Jinping. Done."
