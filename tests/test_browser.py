"""HTML editions and the review page opened in headless Chromium, as a reader would.

``.ci/run`` installs Debian's ``chromium`` and ``fonts-noto-cjk``. Each page is
rendered to a PNG; the test checks that the page is not blank, that Chinese glyphs
are really drawn (the page differs from the same page with every Han character
replaced by a code point no font has, which renders as empty boxes), and that the
browser logged no console errors.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from typer.testing import CliRunner

from translatio.cli import app

from .conftest import MakeProject, read_po

runner = CliRunner()
CHINESE = "如果说新冠疫情带来了什么积极的结果，那就是越来越多的人要求重新思考我们与中共政权的关系。"
_NO_GLYPH = "\U000f0000"  # a private-use code point: no font draws it


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium not found: apt-get install chromium fonts-noto-cjk (.ci/run does)")


def _screenshot(page: Path, png: Path, profile: Path) -> str:
    result = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=900,700",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert png.is_file(), result.stderr[-2000:]
    return result.stderr


def _ink(image: Image.Image) -> int:
    """Pixels noticeably darker than white."""
    return sum(image.convert("L").histogram()[:200])


def _check_page(page: Path, tmp_path: Path) -> None:
    html = page.read_text("utf-8")
    boxes = tmp_path / f"{page.stem}-boxes.html"
    boxes.write_text(re.sub(r"[\u4e00-\u9fff]", _NO_GLYPH, html), "utf-8")
    shot, control = tmp_path / f"{page.stem}.png", tmp_path / f"{page.stem}-boxes.png"
    log = _screenshot(page, shot, tmp_path / "profile-a")
    _screenshot(boxes, control, tmp_path / "profile-b")
    image, boxes_image = Image.open(shot), Image.open(control)
    assert _ink(image) > 2000, "the page rendered (not blank)"
    difference = ImageChops.difference(image.convert("L"), boxes_image.convert("L"))
    changed = sum(difference.histogram()[61:])
    assert changed > 2000, "Chinese glyphs are drawn, not missing-glyph boxes"
    console = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console


def test_chinese_edition_and_review_page_render(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project(languages=("zh_CN",))
    assert runner.invoke(app, ["extract", "--project", str(root)]).exit_code == 0
    po = root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po"
    catalog = read_po(po)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr = CHINESE
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    assert runner.invoke(app, ["build", "--project", str(root), "--bilingual"]).exit_code == 0
    assert runner.invoke(app, ["review", "-l", "zh_CN", "--project", str(root)]).exit_code == 0
    editions = root / "editions" / "zh_CN"
    for name in ("article.html", "article.bilingual.html", "article.review.html"):
        _check_page(editions / name, tmp_path)
