"""Editions as a site, through ``translatio.Project.build``: alternates, the language
switcher, the index, ``lang``/``dir`` where the language changes, titles and metadata,
notices in the edition's language, relative links for nested document ids.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from translatio import EditionState, Project

from .conftest import MakeProject, read_po
from .prepared import catalog_path, save

DOCS = {
    "blog/2026/op-ed.md": "# An op-ed\n\nThe opinion is here. It has two sentences.\n\n"
    "The second paragraph is here.\n",
    "notes.txt": "Plain notes are here.\n\nA second note.\n",
}


class Page(HTMLParser):
    """The parts of a page the tests look at: elements with their attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: dict[int, str] = {}
        self._open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag not in {"meta", "link", "br", "img", "hr"}:
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for index in self._open:
            self.text[index] = self.text.get(index, "") + data

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        """Attributes of every ``tag`` whose attributes include ``wanted``."""
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(attrs.get(key) == value for key, value in wanted.items())
        ]

    def texts(self, tag: str) -> list[tuple[dict[str, str], str]]:
        """Each ``tag`` with its text content."""
        return [
            (attrs, self.text.get(index, "").strip())
            for index, (name, attrs) in enumerate(self.elements)
            if name == tag
        ]

    def meta(self, key: str) -> str:
        """The content of ``<meta name=key>`` or ``<meta property=key>``."""
        [found] = [
            attrs["content"]
            for name, attrs in self.elements
            if name == "meta" and key in (attrs.get("name"), attrs.get("property"))
        ]
        return found


def _project(make_project: MakeProject, files: dict[str, str], languages: tuple[str, ...]) -> Path:
    """A project whose ``source/`` holds ``files`` (paths may name folders)."""
    root = make_project({}, languages=languages)
    (root / "source" / "article.txt").unlink()
    for name, text in files.items():
        path = root / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _page(root: Path, relative: str, tree: str = "editions") -> Page:
    """A page of the reviewed site (``editions``) or of the drafts (``drafts``)."""
    return Page((root / tree / relative).read_text("utf-8"))


def _set(root: Path, language: str, document: str, change: Callable[[str], str | None]) -> None:
    """Give entries a translation: ``change(msgid)`` → reviewed text, or None to leave it."""
    path = catalog_path(root, language, document)
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid and (text := change(entry.msgid)) is not None:
            entry.msgstr, entry.flags, entry.tcomment = text, [], ""
    save(catalog, path)


@pytest.fixture
def site(make_project: MakeProject) -> Path:
    """A draft site of two documents (one nested) in zh_CN, fr and ar."""
    root = _project(make_project, DOCS, ("zh_CN", "fr", "ar"))
    Project.open(root).run(policy="draft", keep=0)
    return root


def test_every_page_links_every_edition_with_relative_links(site: Path) -> None:
    for language in ("en", "zh_CN", "fr", "ar"):
        here = f"{language}/blog/2026/op-ed.html"
        page = _page(site, here, "drafts")
        links = {attrs["hreflang"]: attrs["href"] for attrs in page.find("link", rel="alternate")}
        assert set(links) == {"en", "zh-Hans", "fr", "ar", "x-default"}
        for code, tag in (("en", "en"), ("fr", "fr"), ("zh_CN", "zh-Hans"), ("ar", "ar")):
            expected = "op-ed.html" if code == language else f"../../../{code}/blog/2026/op-ed.html"
            assert links[tag] == expected
        assert links["x-default"] == links["en"]
        for href in links.values():
            assert "://" not in href and not href.startswith("/")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(href)))
            assert (site / "drafts" / target).is_file(), href
        switcher = [attrs for attrs in page.find("a") if "hreflang" in attrs]
        assert [attrs["hreflang"] for attrs in switcher] == ["en", "zh-Hans", "fr", "ar"]
        assert [attrs["href"] for attrs in switcher] == [links[a["hreflang"]] for a in switcher]
        [current] = [attrs for attrs in switcher if attrs.get("aria-current") == "page"]
        assert current["href"] == "op-ed.html"
        assert page.find("a", href="../../../index.html"), "a way back to the index"


def test_the_switcher_names_each_language_in_itself_and_is_labelled_in_the_page_language(
    site: Path,
) -> None:
    page = _page(site, "zh_CN/notes.html", "drafts")
    names = [text for attrs, text in page.texts("a") if "hreflang" in attrs]
    assert names == ["English", "简体中文", "Français", "العربية"]
    assert page.find("nav", **{"aria-label": "语言"})
    assert [text for attrs, text in page.texts("a") if attrs.get("href") == "../index.html"] == [
        "所有版本"
    ]
    ar = _page(site, "ar/notes.html", "drafts")
    [nav] = ar.find("nav", **{"aria-label": "اللغات"})
    assert "dir" not in nav, "the switcher runs in the page's direction"
    assert [text for attrs, text in ar.texts("a") if attrs.get("lang") == "en"] == ["English"]
    assert [text for attrs, text in ar.texts("a") if attrs.get("href") == "../index.html"] == [
        "كل النسخ"
    ]


def test_the_index_lists_every_document_and_language(site: Path) -> None:
    _set(site, "fr", "notes", lambda msgid: "Des notes." if msgid.startswith("Plain") else None)
    Project.open(site).build(policy="draft", keep=0)
    index = _page(site, "index.html", "drafts")
    assert (
        index.texts("h2")[0][1] == "An op-ed" and index.texts("h2")[1][1] == "Plain notes are here"
    )
    rows = [text for _, text in index.texts("tr")][1:]
    documents = [row for row in rows if "Language" not in row]
    assert len(documents) == 2 * 4
    links = [attrs["href"] for attrs in index.find("a")]
    assert links == [
        f"{language}/{document}.html"
        for document in ("blog/2026/op-ed", "notes")
        for language in ("en", "zh_CN", "fr", "ar")
    ]
    fr_notes = next(row for row in documents if "Des notes" in row)
    assert fr_notes.endswith("100%57%draft"), "4 of 7 words reviewed, the rest machine output"
    assert [attrs["class"] for attrs in index.find("tr") if "class" in attrs][:4] == [
        "original",
        "draft",
        "draft",
        "draft",
    ]


def test_a_skipped_language_is_not_linked_anywhere(make_project: MakeProject) -> None:
    root = _project(make_project, DOCS, ("zh_CN", "fr"))
    project = Project.open(root)
    project.run(policy="draft", keep=0)
    for document in ("blog/2026/op-ed", "notes"):
        _set(root, "zh_CN", document, lambda msgid: "中文：" + msgid)
    reports = project.build(policy="reviewed", keep=50)
    assert {(r.language, r.state) for r in reports} == {
        ("zh_CN", EditionState.WRITTEN),
        ("fr", EditionState.SKIPPED),
    }
    for relative in ("zh_CN/notes.html", "en/notes.html"):
        page = _page(root, relative)
        assert {a["hreflang"] for a in page.find("link")} == {"en", "zh-Hans", "x-default"}
        assert not [a for a in page.find("a") if a.get("hreflang") == "fr"]
    index = _page(root, "index.html")
    assert not [a for a in index.find("a") if a["href"].startswith("fr/")]
    fr_rows = [text for attrs, text in index.texts("tr") if attrs.get("class") == "not-published"]
    assert len(fr_rows) == 2 and all("not published" in row for row in fr_rows)
    # the draft stays among the drafts, never in the site
    assert (root / "drafts" / "fr" / "notes.html").is_file()
    assert not (root / "editions" / "fr").exists()


def test_fallback_paragraphs_carry_the_source_language(make_project: MakeProject) -> None:
    root = _project(make_project, DOCS, ("ar", "zh_TW"))
    project = Project.open(root)
    project.extract()
    _set(root, "ar", "notes", lambda msgid: "ملاحظات." if msgid.startswith("Plain") else None)
    project.build(keep=0)
    page = _page(root, "ar/notes.html")
    assert page.find("html", lang="ar", dir="rtl")
    blocks = page.texts("h1") + page.texts("p")
    shown = {text: (attrs.get("lang"), attrs.get("dir")) for attrs, text in blocks}
    assert shown["ملاحظات."] == (None, None), "translated: the page's own language"
    assert shown["A second note."] == ("en", "ltr"), "the source shows through, marked"
    zh = _page(root, "zh_TW/blog/2026/op-ed.html")
    assert [attrs for attrs, text in zh.texts("h1") if text == "An op-ed"] == [
        {"lang": "en", "dir": "ltr"}
    ]
    assert zh.find("html", lang="zh-Hant", dir="ltr")


def test_titles_and_metadata_follow_the_review_policy(make_project: MakeProject) -> None:
    root = _project(make_project, DOCS, ("fr",))
    project = Project.open(root)
    project.run(policy="draft", keep=0)  # machine output everywhere
    draft = _page(root, "fr/blog/2026/op-ed.html", "drafts")
    machine_heading = draft.texts("title")[0][1]
    assert machine_heading != "An op-ed" and draft.meta("og:title") == machine_heading
    _set(
        root,
        "fr",
        "blog/2026/op-ed",
        lambda msgid: "Une tribune" if msgid == "An op-ed" else None,
    )
    project.build(keep=0)  # reviewed: only the heading is reviewed
    page = _page(root, "fr/blog/2026/op-ed.html")
    assert page.texts("title")[0][1] == "Une tribune" == page.meta("og:title")
    description = "The opinion is here. It has two sentences."
    assert page.meta("description") == description == page.meta("og:description")
    assert page.meta("og:locale") == "fr_FR"
    assert page.find("meta", property="og:locale:alternate", content="en_US")
    html = (root / "editions" / "fr" / "blog" / "2026" / "op-ed.html").read_text("utf-8")
    for unreviewed in (machine_heading, draft.meta("description")):
        assert unreviewed not in html
    index = (root / "editions" / "index.html").read_text("utf-8")
    assert "Une tribune" in index and machine_heading not in index


def test_a_text_document_is_titled_by_its_first_sentence(make_project: MakeProject) -> None:
    root = _project(
        make_project,
        {"one.txt": "A single sentence.\n\nMore text.\n", "two.txt": "First one. Then more.\n"},
        ("fr",),
    )
    project = Project.open(root)
    project.extract()
    _set(root, "fr", "one", lambda msgid: "Une seule phrase." if msgid[0] == "A" else None)
    project.build(keep=0)
    one = _page(root, "fr/one.html")
    assert one.texts("title")[0][1] == "Une seule phrase", "a headline has no full stop"
    assert one.texts("h1") == [], "plain text has no headings: its first paragraph is one"
    assert [text for _, text in one.texts("p")] == ["Une seule phrase.", "More text."]
    two = _page(root, "fr/two.html")
    assert two.texts("title")[0][1] == "First one"
    assert two.texts("h1") == [], "no heading made up from the first sentence either"
    assert [text for _, text in two.texts("p")] == ["First one. Then more."]


def test_a_markdown_heading_is_the_title_and_the_only_h1(make_project: MakeProject) -> None:
    root = _project(make_project, {"doc.md": "Intro line.\n\n# The heading\n\nText.\n"}, ("fr",))
    project = Project.open(root)
    project.extract()
    project.build(keep=0)
    page = _page(root, "fr/doc.html")
    assert page.texts("title")[0][1] == "The heading"
    assert [text for _, text in page.texts("h1")] == ["The heading"]
    assert [text for _, text in page.texts("p")] == ["Intro line.", "Text."]


@pytest.mark.parametrize(
    ("language", "notice", "label"),
    [
        ("zh_CN", "草稿：本版本包含尚未经过审校的机器翻译。", "（机器翻译）"),
        ("zh_TW", "草稿：本版本包含尚未經過審閱的機器翻譯。", "（機器翻譯）"),
        (
            "ja",
            "下書き：この版には、まだレビューされていない機械翻訳が含まれています。",
            "（機械翻訳）",
        ),
        (
            "de",
            "Entwurf: Diese Ausgabe enthält maschinelle Übersetzung, die noch nicht geprüft wurde.",
            "(maschinelle Übersetzung)",
        ),
        (
            "fr",
            "Brouillon\u00a0: cette édition contient une traduction automatique "
            "qui n’a pas encore été relue.",
            "(traduction automatique)",
        ),
    ],
)
def test_notices_are_in_the_editions_language(
    make_project: MakeProject, language: str, notice: str, label: str
) -> None:
    root = _project(
        make_project, {"doc.md": "# Title\n\nText.\n", "doc2.txt": "Text.\n"}, (language,)
    )
    Project.open(root).run(policy="draft", keep=0)
    editions = root / "drafts" / language
    assert (editions / "doc.md").read_text("utf-8").startswith(f"> **{notice}**\n")
    assert (editions / "doc2.txt").read_text("utf-8").startswith(f"[{notice}]\n")
    page = _page(root, f"{language}/doc.html", "drafts")
    assert [text for attrs, text in page.texts("p") if attrs.get("class") == "draft-notice"] == [
        notice
    ]
    html = (editions / "doc.html").read_text("utf-8")
    assert f'.machine-translated::after{{content:" {label}"}}' in html
    assert notice not in html.split("<main>")[1], "shown once, above the text"


def test_an_english_notice_on_a_persian_page_says_it_is_english(make_project: MakeProject) -> None:
    root = _project(make_project, {"doc.md": "# Title\n\nText.\n"}, ("fa",))
    Project.open(root).run(policy="draft", keep=0)
    page = _page(root, "fa/doc.html", "drafts")  # no Persian catalog of translatio's words
    [notice] = [attrs for attrs in page.find("p") if attrs.get("class") == "draft-notice"]
    assert (notice["lang"], notice["dir"]) == ("en", "ltr")
    assert page.find("html", lang="fa", dir="rtl")


def test_building_twice_gives_the_same_bytes_and_writes_nothing(site: Path) -> None:
    files = sorted(path for path in (site / "drafts").rglob("*") if path.is_file())
    manifest = (site / "locales" / "manifest.tsv").read_bytes()
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    reports = Project.open(site).build(policy="draft", keep=0)
    assert {report.state for report in reports} == {EditionState.UNCHANGED}
    after = sorted(path for path in (site / "drafts").rglob("*") if path.is_file())
    assert after == files
    assert (site / "locales" / "manifest.tsv").read_bytes() == manifest
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == before
    assert {path.relative_to(site / "drafts").as_posix() for path in files} >= {
        "index.html",
        "en/notes.html",
        "en/blog/2026/op-ed.html",
    }


def test_one_language_built_alone_still_links_the_others_that_exist(site: Path) -> None:
    (site / "drafts" / "ar" / "notes.html").unlink()
    (site / "drafts" / "ar" / "notes.txt").unlink()
    Project.open(site).build(["fr"], policy="draft", keep=0)
    page = _page(site, "fr/notes.html", "drafts")
    assert {a["hreflang"] for a in page.find("link")} == {"en", "zh-Hans", "fr", "x-default"}
    index = _page(site, "index.html", "drafts")
    assert len([a for a in index.find("a") if a["href"].startswith("ar/")]) == 1


def test_a_long_first_sentence_is_cut_for_the_title_and_the_paragraph_stays() -> None:
    from translatio.languages import Language
    from translatio.publish.page_titles import page_title
    from translatio.text.segment import segment_text

    text = "word " * 100_000 + "end.\n\nSecond.\n"
    document = segment_text(text, name="d", path="d.txt")
    title = page_title(document, {}, source=Language("en"), target=Language("fr"))
    assert title.title == ("word " * 40).strip() + "…"
    assert title.description == title.title and not title.heading
