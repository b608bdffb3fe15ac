"""The correction notice, the earlier-version mark and the corrections log in Chromium.

An edition whose original was corrected after publication is opened in headless
Chromium in zh_CN, fr and ar: the notice is drawn at the top in the page's language and
direction, the paragraph that follows the earlier wording carries its visible label, and
once reviewed the log closes the page. Screenshots land in the test's folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from translatio import Project

from .conftest import MakeProject, cli
from .test_browser import _computed, _ink, _screenshot
from .test_site_corrections import SOURCE, _at, _correct, _review

NOTICES = {
    "zh_CN": "原文已于2026年1月3日更新；本译文依据的是2026年1月1日的版本。",
    "fr": "L’original a été mis à jour le 3 janvier 2026 ; cette traduction suit la version "
    "du 1 janvier 2026.",
    "ar": "حُدِّث الأصل في 3 يناير 2026؛ وتتبع هذه الترجمة نسخة 1 يناير 2026.",
}
PREFIXES = {"zh_CN": "【中文】", "fr": "[fr] ", "ar": "[عربي] "}


@pytest.mark.parametrize("language", ["zh_CN", "fr", "ar"])
def test_the_correction_notice_and_log_render_in_the_editions_language(
    make_project: MakeProject,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    root = make_project({"article.md": SOURCE}, languages=(language,))
    Project.open(root).extract()
    _review(root, language, PREFIXES[language])
    Project.open(root).build()
    _correct(root, monkeypatch)
    assert cli(root, "build").exit_code == 0
    page = root / "editions" / language / "article.html"
    direction = "rtl" if language == "ar" else "ltr"
    found = _computed(
        page,
        tmp_path,
        [
            ("notice", "p.correction-notice", "display", None),
            ("notice-colour", "p.correction-notice", "backgroundColor", None),
            ("notice-direction", "p.correction-notice", "direction", None),
            ("label", "p.earlier-version", "content", "::after"),
        ],
    )
    assert found["notice"] == "block" and found["notice-colour"] == "rgb(232, 240, 254)"
    assert found["notice-direction"] == direction
    assert found["label"] and found["label"] != "none", "the earlier-version label is drawn"
    assert NOTICES[language] in page.read_text("utf-8")
    shot = tmp_path / f"notice-{language}.png"
    log = _screenshot(page, shot, tmp_path / f"profile-{language}")
    assert _ink(Image.open(shot)) > 2000
    assert [line for line in log.splitlines() if "Uncaught" in line] == []

    _review(root, language, PREFIXES[language], only="Tuesday")
    _at(monkeypatch, 4)
    assert cli(root, "build").exit_code == 0
    found = _computed(
        page,
        tmp_path,
        [
            ("notice", "p.correction-notice", "display", None),
            ("log", "section.corrections li", "display", None),
            ("log-direction", "section.corrections", "direction", None),
        ],
    )
    assert found["notice"] is None, "reviewed: no notice any more"
    assert found["log"] == "list-item" and found["log-direction"] == direction
    _screenshot(page, tmp_path / f"log-{language}.png", tmp_path / f"profile-log-{language}")
