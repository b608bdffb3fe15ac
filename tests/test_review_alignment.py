"""The review page links each sentence to its counterpart: by the engine, or by the aligner.

Machine output is linked as the engine translated it; a person's sentences only where the
sentence aligner, given an engine's translation of the source (``--align-with``), is sure;
in Chromium, hovering or focusing a sentence highlights its counterpart and the arrow keys
move between them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from translatio import Project
from translatio.engines.scripted import ScriptedEngine

from .conftest import MakeProject, registered

LIBRARY = "The library opens at nine. On Sundays it stays closed all day long, even in summer."
OPENS = "La biblioteca abre a las nueve."
CLOSED = "Los domingos permanece cerrada todo el día, incluso en verano."
GLOSSES = {
    "The library opens at nine.": "La biblioteca abre en nueve.",
    "On Sundays it stays closed all day long, even in summer.": (
        "En domingos queda cerrado todo el día largo, incluso en verano."
    ),
}


@pytest.fixture
def glossing() -> Iterator[ScriptedEngine]:
    engine = ScriptedEngine(lambda text: GLOSSES.get(text, text), name="glossing")
    with registered("glossing", lambda options: engine):
        yield engine


def _page(make_project: MakeProject, translation: str | None, **review: str) -> str:
    root = make_project({"a.md": LIBRARY + "\n"}, languages=("es",))
    project = Project.open(root)
    project.run(engine="machine")
    if translation is not None:
        path = root / "locales" / "es" / "LC_MESSAGES" / "a.po"
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            if entry.msgid == LIBRARY:
                entry.msgstr = translation
                entry.flags = []
        catalog.save()
    [(written, _)] = project.review_pages("es", **review)
    return (root / written).read_text("utf-8")


def _links(page: str) -> dict[str, str]:
    """``sentence text → its counterpart's text`` for every linked sentence."""
    spans = dict(re.findall(r'<span class="s[^"]*" id="(\w+)"[^>]*>(.*?)</span>', page))
    pairs = re.findall(r'id="(\w+)" data-pair="(\w+)"', page)
    return {spans[one]: spans[other] for one, other in pairs}


def test_machine_output_is_linked_as_the_engine_translated_it(make_project: MakeProject) -> None:
    page = _page(make_project, None)
    links = _links(page)
    assert links["The library opens at nine."].startswith("Ţĥé")  # the engine's first sentence
    assert len(links) == 4  # two pairs, both ways
    assert "<script>" in page and 'aria-describedby="r0t0"' in page


def test_a_persons_reordered_sentences_are_linked_by_meaning(
    make_project: MakeProject, glossing: ScriptedEngine
) -> None:
    page = _page(make_project, f"{CLOSED} {OPENS}", align_with="glossing")
    links = _links(page)
    assert links["The library opens at nine."] == OPENS
    assert links[OPENS] == "The library opens at nine."
    assert links["On Sundays it stays closed all day long, even in summer."] == CLOSED
    assert glossing.asked() == list(GLOSSES)


def test_without_an_engine_a_persons_sentences_stay_unpaired(make_project: MakeProject) -> None:
    page = _page(make_project, f"{CLOSED} {OPENS}")
    assert _links(page) == {}
    assert page.count('class="s unpaired"') == 4


def test_a_merge_is_shown_unpaired_never_paired_wrongly(
    make_project: MakeProject, glossing: ScriptedEngine
) -> None:
    merged = "Abre a las nueve y los domingos permanece cerrada, incluso en verano."
    page = _page(make_project, merged, align_with="glossing")
    assert _links(page) == {}


def test_hover_focus_and_arrow_keys_in_chromium(
    make_project: MakeProject, glossing: ScriptedEngine, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    _page(make_project, f"{CLOSED} {OPENS}", align_with="glossing")
    [page] = (tmp_path / "project" / "review" / "es").glob("*.review.html")
    browser.get(page.as_uri())  # from file://: the page needs nothing else
    source = browser.find_element(By.ID, "r0s0")
    ActionChains(browser).move_to_element(source).perform()
    counterpart = browser.find_element(By.ID, source.get_attribute("data-pair") or "")
    assert counterpart.text == OPENS
    assert "hl" in (counterpart.get_attribute("class") or "")
    source.click()  # focus, as Tab would give it
    source.send_keys(Keys.ARROW_RIGHT)
    assert browser.switch_to.active_element.get_attribute("id") == counterpart.get_attribute("id")
    assert "hl" in (source.get_attribute("class") or "")  # still lit: focus is on its pair
    browser.switch_to.active_element.send_keys(Keys.ARROW_UP)  # along the translation column
    assert browser.switch_to.active_element.text == CLOSED
    browser.save_screenshot(str(tmp_path / "aligned.png"))


TRANSLATIONS = {  # a person's translation, sentences in the other order, and an engine's
    "zh_CN": (
        "星期天它全天关闭，即使在夏天也是如此。图书馆九点开门。",
        ["图书馆在九点开放。", "在星期天它整天保持关闭，甚至在夏天。"],
        "图书馆九点开门。",
    ),
    "ar": (
        "أيام الأحد تبقى مغلقة طوال اليوم، حتى في الصيف. تفتح المكتبة في التاسعة.",
        ["المكتبة تفتح في التاسعة.", "في أيام الأحد تظل مغلقة طوال اليوم، حتى في الصيف."],
        "تفتح المكتبة في التاسعة.",
    ),
}


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_linked_sentences_in_chinese_and_arabic_in_chromium(
    make_project: MakeProject, browser: webdriver.Chrome, tmp_path: Path, language: str
) -> None:
    translation, glosses, opens = TRANSLATIONS[language]
    by_source = dict(zip(GLOSSES, glosses, strict=True))
    engine = ScriptedEngine(lambda text: by_source.get(text, text), name="glossing")
    with registered("glossing", lambda options: engine):
        root = make_project({"a.md": LIBRARY + "\n"}, languages=(language,))
        project = Project.open(root)
        project.run(engine="machine")
        path = root / "locales" / language / "LC_MESSAGES" / "a.po"
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            if entry.msgid == LIBRARY:
                entry.msgstr, entry.flags = translation, []
        catalog.save()
        [(written, _)] = project.review_pages(language, align_with="glossing")
    page = (root / written).read_text("utf-8")
    assert _links(page)["The library opens at nine."] == opens
    browser.get((root / written).as_uri())
    source = browser.find_element(By.ID, "r0s0")
    source.click()  # focus, as Tab would give it
    source.send_keys(Keys.ARROW_RIGHT)
    counterpart = browser.switch_to.active_element
    assert counterpart.text == opens and "hl" in (counterpart.get_attribute("class") or "")
    cell = counterpart.find_element(By.XPATH, "./ancestor::td")
    assert cell.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    shot = tmp_path / f"aligned-{language}.png"
    browser.save_screenshot(str(shot))
