"""Word alignment: from CTranslate2's attention, kept in the sentence cache, linked on review.

The extraction is checked on hand-made attention; the Argos path runs a tiny genuine
package (``tests/argos_fixture.py``): random weights, so which word answers which is
meaningless, but the attention, the words and the links are CTranslate2's own.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import polib
import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from translatio import Project
from translatio.engines.argos import ArgosEngine, DecodingSettings
from translatio.engines.argos.executors.worker import word_groups, word_links
from translatio.engines.argos.packages.archive import install_from_file
from translatio.engines.argos.sentence_cache import SentenceCache, WordAlignment
from translatio.languages import Language
from translatio.publish.aligned import Alignment, sentence_cells
from translatio.text.align import Pair

from .argos_fixture import build_package
from .conftest import MakeProject

EN, ES = Language("en"), Language("es")
DOCUMENT = (
    "The library opens at nine. On Sundays it stays closed all day long.\n\n"
    "Few governments can escape criticism.\n"
)

# -- extraction, on hand-made attention -------------------------------------------------------


def test_pieces_are_grouped_into_words_by_the_word_marker() -> None:
    assert word_groups(["▁The", "▁li", "b", "rary", "▁", "opens", "."]) == [
        [0],
        [1, 2, 3],
        [4, 5, 6],
    ]
    assert word_groups(["ab", "▁c"]) == [[0], [1]]  # a piece before any marker starts a word
    assert word_groups(["▁图书馆", "九", "点", "▁ok"]) == [[0], [1], [2], [3]]  # no spaces in Han


def test_each_target_word_takes_the_source_word_of_highest_summed_attention() -> None:
    source = ["▁The", "▁li", "b", "rary", "▁opens"]  # words: The, library, opens
    target = ["▁La", "▁biblio", "teca", "▁abre"]  # words: La, biblioteca, abre
    attention = [
        [0.7, 0.1, 0.1, 0.0, 0.1],  # La → The
        [0.4, 0.3, 0.0, 0.0, 0.3],  # biblio: The alone (0.4) beats library (0.3) ...
        [0.0, 0.2, 0.2, 0.2, 0.4],  # ... but summed over both pieces library wins: 0.9 vs 0.7
        [0.1, 0.1, 0.1, 0.1, 0.6],  # abre → opens
    ]
    assert word_links(source, target, attention) == (0, 1, 2)
    # a tie goes to the earlier word; a target token cut off without a row adds nothing
    assert word_links(["▁a", "▁b"], ["▁x", "▁y"], [[0.5, 0.5]]) == (0, 0)


# -- the Argos path and the cache -----------------------------------------------------------


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("words"), "en", "es", seed=2, text=DOCUMENT * 30)


def engine(cache: Path, **settings: object) -> ArgosEngine:
    return ArgosEngine(
        device="cpu",
        cache=SentenceCache(cache),
        threads=2,
        settings=DecodingSettings(**settings),  # type: ignore[arg-type]
    )


def stored(cache: Path) -> dict[str, WordAlignment]:
    with sqlite3.connect(cache) as connection:
        rows = connection.execute("SELECT source, alignment FROM word_alignments").fetchall()
    return {source: WordAlignment.from_json(text) for source, text in rows}


def test_argos_keeps_a_word_alignment_per_sentence_and_the_output_is_unchanged(
    archive: Path, tmp_path: Path
) -> None:
    install_from_file(archive)
    sentences = ["The library opens at nine.", "Few governments can escape criticism."]
    with_words = engine(tmp_path / "one.sqlite3").translate(sentences, source=EN, target=ES)
    without = engine(tmp_path / "two.sqlite3", word_alignment=False).translate(
        sentences, source=EN, target=ES
    )
    assert [t.text for t in with_words] == [t.text for t in without]
    found = stored(tmp_path / "one.sqlite3")
    assert set(found) == set(sentences)
    for sentence, translation in zip(sentences, with_words, strict=True):
        alignment = found[sentence]
        assert " ".join(alignment.source_words) == sentence  # the tokenizer's words, in order
        assert "".join(alignment.target_words) == "".join(translation.text.split())
        assert len(alignment.links) == len(alignment.target_words) > 0
    with sqlite3.connect(tmp_path / "two.sqlite3") as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    assert "word_alignments" not in tables  # off: not even the table


def test_the_cache_round_trip_and_a_cache_from_before_the_table(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as connection:  # a cache as translatio wrote it before
        connection.execute(
            "CREATE TABLE sentences (model TEXT NOT NULL, source TEXT NOT NULL, "
            "target TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (model, source)) WITHOUT ROWID"
        )
        connection.execute("INSERT INTO sentences VALUES ('m', 'Hello.', 'Hola.', -0.5)")
    connection.close()
    cache = SentenceCache(path)
    assert cache.lookup("m", ["Hello."]) == {"Hello.": ("Hola.", -0.5)}
    assert cache.lookup_word_alignments("m", ["Hello."]) == {}
    assert cache.warnings == []
    words = WordAlignment(("Good", "morning."), ("Buenos", "días."), (0, 1))
    cache.store(
        "m", [("Good morning.", "Buenos días.", -0.1)], word_alignments={"Good morning.": words}
    )
    cache.close()
    again = SentenceCache(path)
    assert again.lookup_word_alignments("m", ["Good morning.", "Hello."]) == {
        "Good morning.": words
    }
    assert again.lookup_word_alignments("other", ["Good morning."]) == {}
    again.close()
    with sqlite3.connect(path) as connection:  # a damaged row is a warning, never an error
        connection.execute("UPDATE word_alignments SET alignment = '{\"links\": [7]}'")
    connection.close()
    damaged = SentenceCache(path)
    assert damaged.lookup_word_alignments("m", ["Good morning."]) == {}
    assert damaged.warnings and "word alignments" in damaged.warnings[0]
    damaged.close()


# -- the review page ---------------------------------------------------------------------------


def test_words_link_only_where_the_translation_is_still_the_engines_output() -> None:
    words = WordAlignment(("The", "library", "opens."), ("La", "biblioteca", "abre."), (0, 1, 2))
    source, target = "The library opens.", "La biblioteca abre."
    alignment = Alignment(((0, len(source)),), ((0, len(target)),), (Pair(0, 0),), True)
    source_cell, target_cell = sentence_cells(alignment, source, target, 3, word_alignments=[words])
    assert 'id="r3s0w1" data-words="r3t0w1"' in source_cell
    assert 'id="r3t0w1" data-words="r3s0w1" tabindex="-1" aria-describedby="r3s0w1"' in target_cell
    assert re.sub(r"<[^>]+>", "", target_cell) == target  # the text itself is unchanged
    edited = "La biblioteca abre pronto."  # a person's change: same sentence, other words
    alignment = Alignment(((0, len(source)),), ((0, len(edited)),), (Pair(0, 0),), True)
    cells = sentence_cells(alignment, source, edited, 3, word_alignments=[words])
    assert not any('class="w"' in cell for cell in cells)
    # a pair the aligner made (not the engine's own) never gets the engine's words
    by_aligner = Alignment(((0, len(source)),), ((0, len(target)),), (Pair(0, 0),), False)
    cells = sentence_cells(by_aligner, source, target, 3, word_alignments=[words])
    assert not any('class="w"' in cell for cell in cells)


def argos_page(make_project: MakeProject, archive: Path, tmp_path: Path) -> tuple[Path, Path]:
    install_from_file(archive)
    root = make_project({"a.md": DOCUMENT}, languages=("es",), engine="argos")
    project = Project.open(root)
    project.extract()
    project.translate(memory=False)
    [(written, _)] = project.review_pages("es")
    return root, root / written


def lit(element: object) -> bool:
    return "wl" in (element.get_attribute("class") or "").split()  # type: ignore[attr-defined]


def test_a_word_lights_its_counterparts_on_hover_and_focus_in_chromium(
    make_project: MakeProject, archive: Path, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    root, page = argos_page(make_project, archive, tmp_path)
    assert 'class="w"' in page.read_text("utf-8")
    browser.get(page.as_uri())  # from file://: the page needs nothing else
    target = browser.find_elements(By.CSS_SELECTOR, "span.w[id*='t']")[0]
    mates = [browser.find_element(By.ID, i) for i in target.get_attribute("data-words").split()]
    assert mates and not any(lit(mate) for mate in mates)
    ActionChains(browser).move_to_element(target).perform()  # hover: translation → source
    assert lit(target) and all(lit(mate) for mate in mates)
    assert target.get_attribute("aria-describedby") == target.get_attribute("data-words")
    sentence = mates[0].find_element(By.XPATH, "./ancestor::span[@data-pair]")
    assert "hl" in (sentence.get_attribute("class") or "")  # its sentence lights as well
    ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h1")).perform()
    assert not lit(target) and not any(lit(mate) for mate in mates)
    # by keyboard: a sentence, Enter to its first word, the arrow key to the next
    sentence = next(
        each
        for each in browser.find_elements(By.CSS_SELECTOR, ".s[data-pair]")
        if len(each.find_elements(By.CSS_SELECTOR, ".w")) >= 2
    )
    browser.execute_script("arguments[0].focus();", sentence)  # as Tab would give it
    sentence.send_keys(Keys.ENTER)
    first = browser.switch_to.active_element
    assert "w" in (first.get_attribute("class") or "").split()
    answers = [browser.find_element(By.ID, i) for i in first.get_attribute("data-words").split()]
    assert answers and all(lit(answer) for answer in answers)  # to the other side
    first.send_keys(Keys.ARROW_RIGHT)
    second = browser.switch_to.active_element
    assert second.get_attribute("id") != first.get_attribute("id") and lit(second)
    assert not lit(first)
    second.send_keys(Keys.ESCAPE)
    assert browser.switch_to.active_element.get_attribute("id") == sentence.get_attribute("id")
    browser.save_screenshot(str(tmp_path / "words.png"))
    # a person's edit of that entry: no word links for it any more
    path = root / "locales" / "es" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if entry.msgstr:
            entry.msgstr = entry.msgstr + " (revisado)"
    catalog.save()
    [(written, _)] = Project.open(root).review_pages("es")
    assert 'class="w"' not in (root / written).read_text("utf-8")


def test_the_review_desk_links_the_words_too(
    make_project: MakeProject, archive: Path, tmp_path: Path
) -> None:
    from starlette.testclient import TestClient

    from translatio.serve.app import Desk, create_app

    root, page = argos_page(make_project, archive, tmp_path)
    with TestClient(create_app(Desk(root)), base_url="http://127.0.0.1:8765") as client:
        queue = client.get("/queue/es").text
        script = client.get("/desk.js").text
    linked = re.findall(r'<span class="w" id="(\w+)" data-words="([\w ]+)"', queue)
    assert linked and len(linked) == page.read_text("utf-8").count('class="w"')
    ids = {own for own, _ in linked}
    assert all(set(mates.split()) <= ids for _, mates in linked)  # every link has its word
    assert "data-words" in script and "<script>" not in queue
