"""Back-translation on the review page: a reading aid from another engine family, labelled.

The way back runs through Apertium (spa-eng, installed from Debian packages): a real
engine of another family than the one that translated. The same family is refused in one
line that says why; so is a preview engine.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from translatio import EngineError, Project

from .conftest import MakeProject, cli_error
from .test_alternatives import SHOTS, argos_review, target_archives

__all__ = ["target_archives"]  # a fixture shared with the alternatives' tests

LIBRARY = "The library opens at nine. On Sundays it stays closed all day long."
SPANISH = "La biblioteca abre a las nueve. Los domingos permanece cerrada todo el día."


def backs(page: str) -> list[str]:
    found = re.findall(r'<span class="back-text"[^>]*>(.*?)</span>', page)
    return [html.unescape(text) for text in found]


def spanish_project(make_project: MakeProject, engine: str = "machine") -> Path:
    """One paragraph in Spanish: a person's translation (from ``engine``'s output)."""
    root = make_project({"a.md": LIBRARY + "\n"}, languages=("es",), engine=engine)
    Project.open(root).run(engine=engine)
    return root


def test_a_persons_translation_is_put_back_into_english_by_apertium(
    make_project: MakeProject,
) -> None:
    root = spanish_project(make_project)
    path = root / "locales" / "es" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if entry.msgid == LIBRARY:
            entry.msgstr, entry.flags = SPANISH, []
    catalog.save()
    [(written, _)] = Project.open(root).review_pages("es", back_translate="apertium")
    page = (root / written).read_text("utf-8")
    [back] = backs(page)
    assert "library" in back.lower() and "nine" in back.lower() and "Sunday" in back
    assert "Back-translation into en by apertium (machine, a reading aid" in page
    assert "not the source, not a check" in page
    assert 'class="back-text" lang="en" dir="ltr"' in page


def test_machine_output_of_another_family_is_back_translated(
    make_project: MakeProject, target_archives: dict[str, Path]
) -> None:
    _, page = argos_review(make_project, target_archives["es"], "es", back_translate="apertium")
    assert len(backs(page)) == 2 and all(back.strip() for back in backs(page))


def test_the_same_family_is_refused_in_one_line_saying_why(make_project: MakeProject) -> None:
    root = spanish_project(make_project, engine="apertium")
    [line, hint] = cli_error(root, "review", "-l", "es", "--back-translate", "apertium")
    assert line.startswith("error: cannot back-translate es with apertium: apertium wrote")
    assert "undoes its own mistakes" in line and "chrF 72.2" in line
    assert hint.strip().startswith("hint: name an engine of another family")
    assert not list(root.glob("review/**/*.html")) and not list(root.glob("editions/**/*.html"))


def test_two_argos_models_are_one_family(
    make_project: MakeProject, target_archives: dict[str, Path]
) -> None:
    with pytest.raises(EngineError, match="argos wrote its machine translations"):
        argos_review(make_project, target_archives["es"], "es", back_translate="argos")


def test_a_preview_engine_cannot_back_translate(make_project: MakeProject) -> None:
    root = spanish_project(make_project)
    [line, _] = cli_error(root, "review", "-l", "es", "--back-translate", "pseudo")
    assert line == (
        "error: cannot back-translate with pseudo: it makes layout previews, not translations"
    )
    [line, _] = cli_error(root, "review", "-l", "es", "--back-translate", "nonesuch")
    assert "unknown engine 'nonesuch'" in line


@pytest.mark.parametrize("language", ["es", "zh_CN", "ar"])
def test_the_label_in_chromium(
    make_project: MakeProject,
    target_archives: dict[str, Path],
    browser: webdriver.Chrome,
    language: str,
) -> None:
    if language == "es":  # Apertium takes Spanish back to English
        path, _ = argos_review(make_project, target_archives["es"], "es", back_translate="apertium")
    else:  # no other family reads these here: the alternatives alone
        path, _ = argos_review(make_project, target_archives[language], language)
    browser.get(path.as_uri())
    labels = browser.find_elements(By.CSS_SELECTOR, ".back-translation .aid-label")
    if language == "es":
        assert labels and all(label.is_displayed() for label in labels)
        assert labels[0].text.startswith("Back-translation into en by apertium (machine")
        text = browser.find_element(By.CSS_SELECTOR, ".back-text")
        assert text.get_attribute("lang") == "en" and text.is_displayed()
    else:
        assert labels == []
    SHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"back-{language}.png"))
