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

from translatio import Project

from .conftest import MakeProject, read_po

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
    Project.open(root).extract()
    po = root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po"
    catalog = read_po(po)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr = CHINESE
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    Project.open(root).build(bilingual=True)
    assert [written for _, written in Project.open(root).review_pages("zh_CN")] == [True]
    editions = root / "editions" / "zh_CN"
    for name in ("article.html", "article.bilingual.html"):
        _check_page(editions / name, tmp_path)
    _check_page(root / "review" / "zh_CN" / "article.review.html", tmp_path)


ARABIC = {
    "Title": "عنوان المقال",
    "First paragraph with *emphasis* here.": "الفقرة الأولى مع *تأكيد* هنا.",
    "A quoted line.": "سطر مقتبس.",
    "One item": "العنصر الأول",
}
CJK = {
    "zh_CN": "这是一个*重点*段落，用于检查中文排版。",
    "zh_TW": "這是一個*重點*段落，用於檢查中文排版。",
    "ja": "これは*強調*のある段落で、日本語の組版を確かめます。",
}
DOCUMENT = (
    "# Title\n\nFirst paragraph with *emphasis* here.\n\n> A quoted line.\n\n- One item\n\n"
    "Left in English.\n"
)
_PROBE = """<script>
const style = (selector, pseudo) => getComputedStyle(document.querySelector(selector), pseudo);
const found = {};
for (const [name, selector, property, pseudo] of PROBES) {
  found[name] = document.querySelector(selector) ? style(selector, pseudo)[property] : null;
}
document.body.dataset.result = JSON.stringify(found);
</script>"""


def _computed(page: Path, tmp_path: Path, probes: list[tuple[str, str, str, str | None]]) -> dict:
    """Computed styles of a page in Chromium: a copy of it gets a probe script (the page
    itself has none, and must not), and the DOM after loading carries the answers."""
    import html
    import json

    probe = _PROBE.replace("PROBES", json.dumps(probes))
    copy = tmp_path / f"probe-{page.parent.name}-{page.name}"
    copy.write_text(page.read_text("utf-8").replace("</body>", probe + "</body>"), "utf-8")
    result = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile-probe'}",
            "--dump-dom",
            copy.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = re.search(r'data-result="([^"]*)"', result.stdout)
    assert match, result.stderr[-2000:]
    return dict(json.loads(html.unescape(match.group(1))))


def _set_translations(root: Path, language: str, table: dict[str, str]) -> None:
    po = root / "locales" / language / "LC_MESSAGES" / "doc.po"
    catalog = read_po(po)
    for entry in catalog:
        if entry.msgid in table:
            entry.msgstr, entry.flags, entry.tcomment = table[entry.msgid], [], ""
    po.write_bytes(catalog.__unicode__().encode("utf-8"))


def _ink_centre(image: Image.Image) -> float:
    """The mean x of dark pixels, as a share of the width."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    xs = [x for y in range(0, height, 2) for x in range(0, width, 2) if pixels[x, y] < 128]
    assert len(xs) > 500, "the page rendered"
    return sum(xs) / len(xs) / width


def test_arabic_edition_is_right_to_left_and_mirrored(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"doc.md": DOCUMENT}, languages=("ar", "fr"))
    Project.open(root).extract()
    _set_translations(root, "ar", ARABIC)
    Project.open(root).build(keep=0)
    page = root / "editions" / "ar" / "doc.html"
    found = _computed(
        page,
        tmp_path,
        [
            ("page", "html", "direction", None),
            ("start", "main p", "textAlign", None),
            ("quote-right", "blockquote", "borderRightWidth", None),
            ("quote-left", "blockquote", "borderLeftWidth", None),
            ("list-padding-right", "main ul", "paddingRight", None),
            ("english", 'main p[lang="en"]', "direction", None),
            ("font", "body", "fontFamily", None),
            ("switcher", "nav.languages ul", "display", None),
            ("switcher-direction", "nav.languages ul", "direction", None),
        ],
    )
    assert found["page"] == "rtl" and found["start"] == "start"
    assert (found["quote-right"], found["quote-left"]) == ("3px", "0px"), "border on the start side"
    assert found["list-padding-right"] != "0px"
    assert found["english"] == "ltr", "the English fallback reads left to right"
    assert found["font"].startswith('"Noto Naskh Arabic"')
    assert (found["switcher"], found["switcher-direction"]) == ("flex", "rtl")
    shot, control = tmp_path / "ar.png", tmp_path / "ar-ltr.png"
    log = _screenshot(page, shot, tmp_path / "profile-ar")
    mirrored = tmp_path / "doc-ltr.html"
    mirrored.write_text(page.read_text("utf-8").replace('dir="rtl"', 'dir="ltr"'), "utf-8")
    _screenshot(mirrored, control, tmp_path / "profile-ar-ltr")
    assert _ink_centre(Image.open(shot)) > _ink_centre(Image.open(control)) + 0.03
    assert [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line] == []


@pytest.mark.parametrize(
    ("language", "font"),
    [("zh_CN", "Noto Sans CJK SC"), ("zh_TW", "Noto Sans CJK TC"), ("ja", "Noto Sans CJK JP")],
)
def test_cjk_editions_use_their_fonts_and_no_faux_italics(
    make_project: MakeProject, tmp_path: Path, language: str, font: str
) -> None:
    root = make_project({"doc.md": DOCUMENT}, languages=(language,))
    Project.open(root).run(policy="draft", keep=0)
    _set_translations(root, language, {"First paragraph with *emphasis* here.": CJK[language]})
    Project.open(root).build(policy="draft")
    page = root / "drafts" / language / "doc.html"
    found = _computed(
        page,
        tmp_path,
        [
            ("font", "body", "fontFamily", None),
            ("heading", "h1", "fontFamily", None),
            ("em", "main p:not(.machine-translated) em", "fontStyle", None),
            ("marks", "main p:not(.machine-translated) em", "textEmphasisStyle", None),
            ("line", "main p", "lineHeight", None),
            ("size", "main p", "fontSize", None),
            ("label", "main .machine-translated", "content", "::after"),
        ],
    )
    assert found["font"].startswith(f'"{font}"') and "Serif CJK" in found["heading"]
    assert found["em"] == "normal" and "dot" in found["marks"]
    assert float(found["line"].removesuffix("px")) >= 1.8 * float(found["size"].removesuffix("px"))
    assert found["label"] in {'" （机器翻译）"', '" （機器翻譯）"', '" （機械翻訳）"'}
    _check_page(page, tmp_path)
