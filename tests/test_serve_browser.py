"""The review desk in a real browser: ``translatio serve`` started as a user starts it,
driven by headless Chromium through Selenium (Debian's ``chromium`` and
``chromium-driver``, which ``.ci/run`` installs).

Open the queue, edit and save as reviewed, meet a translator's concurrent save from polib
(the conflict page shows both texts, nothing is lost), build the drafts and open one.
Screenshots of each page are written to the test's folder and checked not to be blank.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from translatio import Project

from .conftest import SHORT_DOC, MakeProject, desk_process, read_po

FIRST = "The first paragraph is here."


@pytest.fixture
def served(make_project: MakeProject) -> Iterator[tuple[Path, str]]:
    root = make_project({"doc.md": SHORT_DOC}, languages=("fr",), engine="pseudo")
    Project.open(root).run(engine="machine")
    with desk_process(root) as (address, printed):
        yield root, address
    [out] = printed
    assert out.startswith(f"review desk for {root}: {address}/")


def _shot(browser: webdriver.Chrome, path: Path) -> None:
    browser.save_screenshot(str(path))
    with Image.open(path) as image:
        colours = image.convert("L").getextrema()
    assert colours[0] < 100 < colours[1], f"{path} looks blank"


def _wait_for(browser: webdriver.Chrome, selector: str) -> WebElement:
    """The element, once the page that has it has loaded (a click navigates)."""
    return WebDriverWait(browser, 20).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector))
    )


def _row_of(browser: webdriver.Chrome, text: str) -> object:
    for row in browser.find_elements(By.CSS_SELECTOR, "tbody tr"):
        if text in row.text:
            return row
    raise AssertionError(f"no row shows {text!r}")


def test_edit_conflict_and_build_in_chromium(
    served: tuple[Path, str], browser: webdriver.Chrome, tmp_path: Path
) -> None:
    root, address = served
    path = root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    browser.get(address + "/queue/fr")
    _shot(browser, tmp_path / "queue.png")
    row = _row_of(browser, FIRST)
    area = row.find_element(By.TAG_NAME, "textarea")  # type: ignore[attr-defined]
    area.clear()
    area.send_keys("Le premier paragraphe est ici.")
    name = row.find_element(By.NAME, "reviewer")  # type: ignore[attr-defined]
    name.clear()
    name.send_keys("Ada Lovelace")
    row.find_element(By.CSS_SELECTOR, 'button[value="save-reviewed"]').click()  # type: ignore[attr-defined]
    assert "Saved." in _wait_for(browser, "[role=status]").text
    entry = {e.msgid: e for e in read_po(path)}[FIRST]
    assert entry.msgstr == "Le premier paragraphe est ici." and "fuzzy" not in entry.flags
    assert "reviewed: Ada Lovelace" in entry.tcomment

    # a translator saves the same entry in a PO editor while the page is open
    catalog = polib.pofile(str(path), wrapwidth=0)
    for item in catalog:
        if item.msgid == FIRST:
            item.msgstr = "La version du traducteur."
    catalog.save()
    row = _row_of(browser, FIRST)
    area = row.find_element(By.TAG_NAME, "textarea")  # type: ignore[attr-defined]
    area.clear()
    area.send_keys("La version de la page.")
    row.find_element(By.CSS_SELECTOR, 'button[value="save"]').click()  # type: ignore[attr-defined]
    alert = _wait_for(browser, "[role=alert]").text
    assert "Nothing was overwritten" in alert
    assert "La version du traducteur." in browser.page_source
    assert "La version de la page." in browser.page_source
    _shot(browser, tmp_path / "conflict.png")
    assert {e.msgid: e for e in read_po(path)}[FIRST].msgstr == "La version du traducteur."

    browser.get(address + "/")
    browser.find_element(By.CSS_SELECTOR, 'button[value="draft"]').click()
    link = _wait_for(browser, 'a[href$=".html"]')
    link.click()
    assert "La version du traducteur." in browser.page_source
    _shot(browser, tmp_path / "edition.png")
