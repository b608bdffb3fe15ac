"""Alternatives: the beam's other hypotheses, kept in the sentence cache, shown for review.

The Argos path runs a tiny genuine package (``tests/argos_fixture.py``): random weights,
so the hypotheses are nonsense, but they come from CTranslate2's own ``num_hypotheses``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import polib
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from translatio import Project
from translatio.catalog import provenance
from translatio.engines.argos import ArgosEngine, DecodingSettings
from translatio.engines.argos.decoding import distinct_alternatives
from translatio.engines.argos.packages.archive import install_from_file
from translatio.engines.argos.sentence_cache import SentenceCache
from translatio.languages import Language

from .argos_fixture import build_package
from .conftest import MakeProject, desk_process, msgfmt_check, read_po

EN, ZH, TW = Language("en"), Language("zh_CN"), Language("zh_TW")
SHOTS = Path(os.environ.get("TRANSLATIO_SCREENSHOTS", tempfile.gettempdir())) / "translatio-shots"
"""Where the browser tests leave their screenshots, to be looked at."""
SENTENCES = ["The régime lied about the virus.", "Few governments can escape criticism."]


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("alternatives"), "en", "zh", seed=1)


def engine(cache: Path, **settings: object) -> ArgosEngine:
    return ArgosEngine(
        device="cpu",
        cache=SentenceCache(cache),
        threads=2,
        settings=DecodingSettings(**settings),  # type: ignore[arg-type]
    )


def test_near_duplicates_differ_only_in_punctuation_case_or_spacing() -> None:
    candidates = ["the cat sat!", "The cat sat.", "A cat sat.", "a cat sat", "A dog sat", "", "…"]
    assert distinct_alternatives("The cat sat.", candidates, 3) == ("A cat sat.", "A dog sat")
    assert distinct_alternatives("The cat sat.", candidates, 1) == ("A cat sat.",)
    assert distinct_alternatives("猫坐着。", ["猫坐着!", "猫，坐着", "狗坐着。"], 3) == (
        "狗坐着。",
    )
    assert distinct_alternatives("x", ["y"], 0) == ()


def test_alternatives_come_from_the_beam_and_leave_the_output_unchanged(
    archive: Path, tmp_path: Path
) -> None:
    install_from_file(archive)
    plain = engine(tmp_path / "one.sqlite3", alternatives=0).translate(
        SENTENCES, source=EN, target=ZH
    )
    rich = engine(tmp_path / "many.sqlite3").translate(SENTENCES, source=EN, target=ZH)
    assert [t.text for t in rich] == [t.text for t in plain]
    assert [t.score for t in rich] == pytest.approx([t.score for t in plain])
    assert all(t.alternatives == () for t in plain)
    assert any(t.alternatives for t in rich)
    for translation in rich:
        assert len(translation.alternatives) <= 3
        assert translation.text not in translation.alternatives
        assert (
            distinct_alternatives(translation.text, translation.alternatives, 3)
            == translation.alternatives
        )


def test_a_rerun_gets_the_alternatives_from_the_cache_without_decoding(
    archive: Path, tmp_path: Path
) -> None:
    install_from_file(archive)
    first = engine(tmp_path / "cache.sqlite3").translate(SENTENCES, source=EN, target=ZH)
    again = engine(tmp_path / "cache.sqlite3")
    second = again.translate(SENTENCES, source=EN, target=ZH)
    assert second == first
    assert again.stats.ctranslate2_calls == 0 and again.stats.cache_hits == len(SENTENCES)
    # the alternatives live beside the output, in their own table
    with sqlite3.connect(tmp_path / "cache.sqlite3") as connection:
        rows = connection.execute("SELECT count(*) FROM alternatives").fetchone()
    assert rows == (len(SENTENCES),)


def test_a_cache_filled_without_alternatives_is_decoded_again_once_when_asked(
    archive: Path, tmp_path: Path
) -> None:
    install_from_file(archive)
    cache = tmp_path / "cache.sqlite3"
    engine(cache, alternatives=0).translate(SENTENCES, source=EN, target=ZH)
    asking = engine(cache)
    answers = asking.translate(SENTENCES, source=EN, target=ZH)
    assert asking.stats.sentences_translated == len(SENTENCES)
    assert any(t.alternatives for t in answers)
    rerun = engine(cache)
    assert rerun.translate(SENTENCES, source=EN, target=ZH) == answers
    assert rerun.stats.sentences_translated == 0


def test_derived_traditional_chinese_converts_the_alternatives_too(
    archive: Path, tmp_path: Path
) -> None:
    install_from_file(archive)
    results = engine(tmp_path / "cache.sqlite3").translate_many(EN, {ZH: SENTENCES, TW: SENTENCES})
    import opencc

    convert = opencc.OpenCC("s2twp").convert
    for simplified, traditional in zip(results[ZH], results[TW], strict=True):
        assert traditional.alternatives == tuple(convert(t) for t in simplified.alternatives)


# -- on the review page -----------------------------------------------------------------

TARGET_TEXT = {  # a little text in the target script, so the random model's pieces use it
    "zh_CN": "图书馆九点开门。星期天它全天关闭，即使在夏天也是如此。政府撒谎了。" * 20,
    "es": "La biblioteca abre a las nueve. Los domingos permanece cerrada todo el día. " * 20,
    "ar": "تفتح المكتبة في التاسعة. أيام الأحد تبقى مغلقة طوال اليوم، حتى في الصيف. " * 20,
}
DOCUMENT = (
    "The library opens at nine. On Sundays it stays closed all day long.\n\n"
    "Few governments can escape criticism.\n"
)


@pytest.fixture(scope="session")
def target_archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("targets")
    codes = {"zh_CN": "zh", "es": "es", "ar": "ar"}
    return {
        language: build_package(
            directory, "en", codes[language], seed=5, text=DOCUMENT * 30 + TARGET_TEXT[language]
        )
        for language in TARGET_TEXT
    }


def argos_review(
    make_project: MakeProject, archive: Path, language: str, extra: str = "", **review: object
) -> tuple[Path, str]:
    """An Argos-translated project's review page in ``language``: its path and its HTML."""
    install_from_file(archive)
    root = make_project({"a.md": DOCUMENT}, languages=(language,), engine="argos", extra=extra)
    project = Project.open(root)
    project.extract()
    project.translate(memory=False)
    [(written, _)] = project.review_pages(language, **review)  # type: ignore[arg-type]
    return root / written, (root / written).read_text("utf-8")


def listed(page: str) -> list[str]:
    return [
        html.unescape(text) for text in re.findall(r'<span class="alt"[^>]*>(.*?)</span>', page)
    ]


def test_the_review_page_lists_the_cached_alternatives_never_the_catalog(
    make_project: MakeProject, target_archives: dict[str, Path], tmp_path: Path
) -> None:
    _, page = argos_review(make_project, target_archives["es"], "es")
    root = tmp_path / "project"  # make_project's
    catalog = read_po(next(root.glob("locales/es/LC_MESSAGES/a.po")))
    cache = SentenceCache()
    connection = cache._connect()
    assert connection is not None
    stored = [
        json.loads(texts) for (texts,) in connection.execute("SELECT texts FROM alternatives")
    ]
    cache.close()
    shown = listed(page)
    assert shown and set(shown) <= {text for texts in stored for text in texts}
    assert page.count('class="copy"') == len(shown) and "<script>" in page
    assert "Other translations argos considered" in page
    assert "Sentence 2:</span><ol>" in page  # the two-sentence entry names its sentence
    for entry in catalog:  # in the page only: not in msgstr, not in a comment
        assert not any(text in entry.msgstr or text in (entry.tcomment or "") for text in shown)
    # a second page, with the option off, has none
    [(again, _)] = Project.open(root).review_pages("es", alternatives=False)
    assert 'class="alt"' not in (root / again).read_text("utf-8")
    assert '<span class="w"' in page, "the engine's word links come from the same cache"
    assert '<span class="w"' in (root / again).read_text("utf-8"), "and stay without them"


def test_without_the_sentence_cache_there_are_no_alternatives_and_no_error(
    make_project: MakeProject, target_archives: dict[str, Path], tmp_path: Path
) -> None:
    argos_review(make_project, target_archives["es"], "es")
    for file in (tmp_path / "cache").glob("sentences.sqlite3*"):
        file.unlink()
    root = tmp_path / "project"
    [(again, _)] = Project.open(root).review_pages("es")
    page = (root / again).read_text("utf-8")
    assert 'class="alt"' not in page and 'class="copy"' not in page


@pytest.mark.parametrize("language", ["es", "zh_CN", "ar"])
def test_alternatives_show_and_copy_in_chromium(
    make_project: MakeProject,
    target_archives: dict[str, Path],
    browser: webdriver.Chrome,
    language: str,
) -> None:
    path, page = argos_review(make_project, target_archives[language], language)
    shown = listed(page)
    assert shown, "the random model gave no alternative to show"
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    browser.get(path.as_uri())  # from file://: the page needs nothing else
    alternatives = browser.find_elements(By.CSS_SELECTOR, "span.alt")
    assert [a.text for a in alternatives] == [" ".join(t.split()) for t in shown]
    assert all(a.is_displayed() for a in alternatives)
    cell = alternatives[0].find_element(By.XPATH, "./ancestor::td")
    assert cell.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    listing = alternatives[0].find_element(By.XPATH, "./ancestor::div[1]")
    assert listing.get_attribute("dir") == cell.get_attribute("dir")
    button = browser.find_elements(By.CSS_SELECTOR, "button.copy")[-1]
    button.click()
    WebDriverWait(browser, 5).until(lambda _: button.get_attribute("data-copied"))
    assert button.get_attribute("data-copied") == "yes" and button.text == "Copied"
    copied = browser.execute_async_script(
        "var done = arguments[0]; navigator.clipboard.readText().then(done, "
        "function (e) { done('refused: ' + e); });"
    )
    assert copied == shown[-1]
    assert browser.find_element(By.ID, "copy-status").get_attribute("textContent") == (
        "Copied to the clipboard"
    )
    SHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"alternatives-{language}.png"))


def test_the_review_desk_lists_them_and_serves_the_copy_script(
    make_project: MakeProject, target_archives: dict[str, Path], tmp_path: Path
) -> None:
    from starlette.testclient import TestClient

    from translatio.serve.app import Desk, create_app

    _, page = argos_review(make_project, target_archives["es"], "es")
    root = tmp_path / "project"  # make_project's
    with TestClient(create_app(Desk(root)), base_url="http://127.0.0.1:8765") as client:
        queue = client.get("/queue/es").text
        script = client.get("/desk.js").text
    assert listed(queue) == listed(page) != []
    assert queue.count('class="copy"') == len(listed(page)) and "<script>" not in queue
    assert "navigator.clipboard" in script and "data-pair" in script


# -- in the catalog, only when asked --------------------------------------------------------


def test_the_translator_comment_holds_them_only_when_asked(
    make_project: MakeProject,
    target_archives: dict[str, Path],
    tmp_path: Path,
) -> None:
    _, page = argos_review(make_project, target_archives["es"], "es")
    po = tmp_path / "project" / "locales" / "es" / "LC_MESSAGES" / "a.po"
    assert "alternative" not in po.read_text("utf-8")  # off by default
    shutil.rmtree(tmp_path / "project")
    setting = "alternatives_comment = true\n"
    _, page = argos_review(make_project, target_archives["es"], "es", extra=setting)
    catalog = read_po(po)
    lines = [line for e in catalog for line in (e.tcomment or "").splitlines()]
    noted = [line for line in lines if line.startswith("machine translation alternative")]
    assert noted == [
        f"machine translation alternative{where}: «{text}»"
        for where, text in zip(
            [" (sentence 2)"] * (len(listed(page)) - 1) + [""], listed(page), strict=True
        )
    ]
    assert not any(text in entry.msgstr for entry in catalog for text in listed(page))
    msgfmt_check(po)
    # a PO editor re-wraps the comment: still read as whole lines, and replaced whole
    wrapped = polib.pofile(str(po), wrapwidth=40)
    wrapped.save(str(po))
    entries = [e for e in read_po(po) if "alternative" in (e.tcomment or "")]
    assert any(len(e.tcomment.splitlines()) > 4 for e in entries)  # it did wrap
    assert [
        line for e in entries for line in provenance.logical_lines(e.tcomment) if "altern" in line
    ] == noted
    for entry in entries:
        made = provenance.read_provenance(entry.tcomment)
        assert made is not None
        again = provenance.with_provenance(entry.tcomment, made)
        assert again == made.comment_line()  # no alternative, no piece of one, is left


def test_the_review_desk_copies_an_alternative_in_chromium(
    make_project: MakeProject,
    target_archives: dict[str, Path],
    browser: webdriver.Chrome,
    tmp_path: Path,
) -> None:
    _, page = argos_review(make_project, target_archives["es"], "es")
    root = tmp_path / "project"
    with desk_process(root) as (address, _):
        browser.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": address, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        browser.get(address + "/queue/es")
        shown = [
            a.get_attribute("textContent")
            for a in browser.find_elements(By.CSS_SELECTOR, "span.alt")
        ]
        assert shown == listed(page)
        button = browser.find_elements(By.CSS_SELECTOR, "button.copy")[0]
        button.click()
        WebDriverWait(browser, 5).until(lambda _: button.get_attribute("data-copied"))
        copied = browser.execute_async_script(
            "var done = arguments[0]; navigator.clipboard.readText().then(done, "
            "function (e) { done('refused: ' + e); });"
        )
        assert copied == shown[0] and button.text == "Copied"
        SHOTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(SHOTS / "desk-alternatives-es.png"))
