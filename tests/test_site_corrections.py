"""``editions/`` is the site and only the site, and it keeps up with corrections (issue 19).

Drafts and review pages have their own trees; what translatio wrote and no longer
publishes is removed (and nothing else); every build leaves reciprocal alternates and,
with ``site_url``, a sitemap; a source corrected after publication shows in each edition
as the reviewed translation of the earlier wording under a notice, then in a corrections
log once reviewed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from translatio import EditionState, Project

from .conftest import MakeProject, cli, read_po
from .prepared import catalog_path, save

SOURCE = (
    "# A title\n\n"
    "The first paragraph is here.\n\n"
    "The council met on Monday to discuss the budget.\n\n"
    "The last paragraph closes the article.\n"
)
DAY = 86_400
START = 1_767_225_600  # 2026-01-01, the suite's SOURCE_DATE_EPOCH


def _review(root: Path, language: str, prefix: str, *, only: str | None = None) -> None:
    """Give entries a reviewed translation: ``prefix`` + the msgid."""
    path = catalog_path(root, language)
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid and not entry.obsolete and (only is None or only in entry.msgid):
            entry.msgstr, entry.flags, entry.tcomment = prefix + entry.msgid, [], ""
            entry.previous_msgid = None
    save(catalog, path)


def _at(monkeypatch: pytest.MonkeyPatch, day: int) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START + day * DAY))


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def published(make_project: MakeProject) -> Path:
    """The article reviewed and published in fr and zh_CN on 1 January 2026."""
    root = make_project({"article.md": SOURCE}, languages=("fr", "zh_CN"))
    project = Project.open(root)
    project.extract()
    _review(root, "fr", "[fr] ")
    _review(root, "zh_CN", "【中】")
    project.build()
    return root


# -- 1. the trees ---------------------------------------------------------------------------


def test_drafts_and_review_pages_never_reach_the_editions(make_project: MakeProject) -> None:
    root = make_project({"article.md": SOURCE}, languages=("ar",))
    assert cli(root, "extract").exit_code == 0
    assert cli(root, "translate").exit_code == 0
    assert cli(root, "build", "-l", "ar", "--draft", "--keep", "0").exit_code == 0
    assert cli(root, "review", "-l", "ar").exit_code == 0
    result = cli(root, "build")
    assert result.exit_code == 0, result.output
    assert "ar/article: skipped" in result.output
    assert not (root / "editions").exists() or _files(root / "editions") == set()
    assert _files(root / "drafts") >= {"ar/article.md", "ar/article.html", "index.html"}
    assert _files(root / "review") == {"ar/article.review.html"}
    assert "machine" in (root / "drafts" / "ar" / "article.html").read_text("utf-8")


def test_what_the_policy_no_longer_publishes_is_removed_and_nothing_else(
    published: Path, make_project: MakeProject
) -> None:
    root = published
    assert _files(root / "editions") >= {"fr/article.html", "fr/article.md", "zh_CN/article.html"}
    (root / "editions" / "robots.txt").write_text("User-agent: *\n")
    (root / "editions" / "fr" / "photo.jpg").write_bytes(b"\xff\xd8")
    edited = root / "editions" / "zh_CN" / "article.md"
    edited.write_text("a publisher's own change\n", encoding="utf-8")
    for language in ("fr", "zh_CN"):  # the translations are withdrawn: nothing reviewed
        path = catalog_path(root, language)
        catalog = read_po(path)
        for entry in catalog:
            entry.flags = ["fuzzy"]
        save(catalog, path)
    result = cli(root, "build")
    assert result.exit_code == 0
    assert "removed editions/fr/article.html: the reviewed policy no longer publishes it" in (
        result.stderr
    )
    assert "editions/zh_CN/article.md was changed since translatio wrote it" in result.stderr
    assert _files(root / "editions") == {"robots.txt", "fr/photo.jpg", "zh_CN/article.md"}
    manifest = (root / "locales" / "manifest.tsv").read_text("utf-8")
    assert "editions/" not in manifest, "nothing of the site is translatio's any more"


def test_a_rerun_with_no_change_writes_nothing(published: Path) -> None:
    files = {p: p.stat().st_mtime_ns for p in root_files(published)}
    Project.open(published).build()
    assert {p: p.stat().st_mtime_ns for p in root_files(published)} == files


def root_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# -- 2. a consistent site -----------------------------------------------------------------


def _alternates(page: Path) -> set[str]:
    return set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', page.read_text("utf-8")))


def test_alternates_are_reciprocal_whatever_order_languages_are_built_in(
    make_project: MakeProject,
) -> None:
    root = make_project({"article.md": SOURCE}, languages=("fr", "zh_CN", "ar"))
    project = Project.open(root)
    project.extract()
    for language in ("fr", "zh_CN", "ar"):
        _review(root, language, f"[{language}] ")
    project.build(["fr"])
    assert _alternates(root / "editions" / "fr" / "article.html") == {"en", "fr", "x-default"}
    fr_page = (root / "editions" / "fr" / "article.html").read_text("utf-8")
    _review(root, "fr", "[fr, later and not rebuilt] ")
    project.build(["zh_CN"])
    project.build(["ar"])
    expected = {"en", "fr", "zh-Hans", "ar", "x-default"}
    for language in ("en", "fr", "zh_CN", "ar"):
        assert _alternates(root / "editions" / language / "article.html") == expected, language
    now = (root / "editions" / "fr" / "article.html").read_text("utf-8")
    changed = set(now.splitlines()) ^ set(fr_page.splitlines())
    assert changed and all(
        line.startswith(('<link rel="alternate"', '<meta property="og:locale:alternate"', "<nav"))
        for line in changed
    ), "only the links to other editions changed in the French page"
    assert "[fr, later" not in now, "a page outside the build keeps its published text"
    index = (root / "editions" / "index.html").read_text("utf-8")
    assert all(f'href="{code}/article.html"' in index for code in ("fr", "zh_CN", "ar"))


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_the_sitemap_lists_every_page_with_absolute_alternates(make_project: MakeProject) -> None:
    root = make_project(
        {}, languages=("fr", "zh_CN"), extra='site_url = "https://example.org/news"\n'
    )
    (root / "source" / "article.txt").unlink()
    (root / "source" / "blog").mkdir()
    (root / "source" / "blog" / "op-ed.md").write_text(SOURCE, "utf-8")
    project = Project.open(root)
    project.extract()
    _review_document(root, "fr", "blog/op-ed", "[fr] ")
    project.build()
    tree = ElementTree.parse(root / "editions" / "sitemap.xml")
    urls = tree.getroot().findall(f"{SITEMAP}url")
    pages = {url.findtext(f"{SITEMAP}loc"): url for url in urls}
    base = "https://example.org/news/"
    assert set(pages) == {
        base + "index.html",
        base + "en/blog/op-ed.html",
        base + "fr/blog/op-ed.html",
    }, "zh_CN is not published: it is in no sitemap"
    links = {
        link.get("hreflang"): link.get("href")
        for link in pages[base + "fr/blog/op-ed.html"].findall(f"{XHTML}link")
    }
    assert links == {
        "en": base + "en/blog/op-ed.html",
        "fr": base + "fr/blog/op-ed.html",
        "x-default": base + "en/blog/op-ed.html",
    }


def _review_document(root: Path, language: str, document: str, prefix: str) -> None:
    path = catalog_path(root, language, document)
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr, entry.flags = prefix + entry.msgid, []
    save(catalog, path)


def test_without_site_url_one_line_says_why_there_is_no_sitemap(published: Path) -> None:
    result = cli(published, "build")
    lines = [line for line in result.stderr.splitlines() if "sitemap" in line]
    assert lines == [
        "warning: no editions/sitemap.xml: a sitemap needs absolute addresses; set site_url "
        "to the address the site is published at (https://example.org/news/) to write one"
    ]
    assert not (published / "editions" / "sitemap.xml").exists()


# -- 3. corrections -------------------------------------------------------------------------

CHANGED = "The council met on Tuesday to discuss the budget."


def _correct(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    """Correct the second paragraph on 3 January and extract."""
    path = root / "source" / "article.md"
    path.write_text(path.read_text("utf-8").replace("Monday", "Tuesday"), encoding="utf-8")
    _at(monkeypatch, 2)
    assert cli(root, "extract", *args).exit_code == 0


def test_a_correction_keeps_the_reviewed_translation_of_the_earlier_wording(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = published
    _correct(root, monkeypatch)
    revisions = (root / "locales" / "article.revisions").read_text("utf-8")
    assert re.search(r"^2026-01-03T00:00:00Z\t\w{16}\t\w{16}\tcorrection$", revisions, re.M)
    path = catalog_path(root, "fr")
    catalog = read_po(path)
    [fuzzy] = [entry for entry in catalog if "fuzzy" in entry.flags]
    fuzzy.msgstr = "HALF EDITED by a translator"  # the live msgstr is never published
    save(catalog, path)
    _at(monkeypatch, 3)
    result = cli(root, "build", "-l", "fr")  # the default --keep: not skipped
    assert result.exit_code == 0, result.output
    page = (root / "editions" / "fr" / "article.html").read_text("utf-8")
    assert "HALF EDITED" not in page and CHANGED not in page
    assert '<p class="earlier-version">[fr] The council met on Monday' in page
    notice = (
        "L’original a été mis à jour le 3 janvier 2026 ; cette traduction suit la version "
        "du 1 janvier 2026."
    )
    assert f'<p class="correction-notice" role="note">{notice}</p>' in page
    assert (
        (root / "editions" / "fr" / "article.md").read_text("utf-8").startswith(f"> **{notice}**\n")
    )
    zh = (root / "editions" / "zh_CN" / "article.html").read_text("utf-8")
    assert "原文已于2026年1月3日更新；本译文依据的是2026年1月1日的版本。" in zh, (
        "building French re-stamps the Chinese page's notice"
    )
    assert "corrections" not in page.split("<main>")[1], "no log before review"


@pytest.mark.parametrize(
    ("outdated", "shown", "hidden"),
    [
        ("source", CHANGED, "[fr] The council met on Monday"),
        ("skip", None, "council"),
    ],
)
def test_outdated_chooses_what_a_changed_paragraph_shows(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    outdated: str,
    shown: str | None,
    hidden: str,
) -> None:
    root = make_project(
        {"article.md": SOURCE}, languages=("fr",), extra=f'outdated = "{outdated}"\n'
    )
    Project.open(root).extract()
    _review(root, "fr", "[fr] ")
    Project.open(root).build()
    _correct(root, monkeypatch)
    assert cli(root, "translate").exit_code == 0  # machine output of the new wording
    assert cli(root, "build", "--keep", "0").exit_code == 0
    page = (root / "editions" / "fr" / "article.html").read_text("utf-8")
    assert hidden not in page
    if shown:
        assert f'<p lang="en" dir="ltr">{shown}</p>' in page
    assert "correction-notice" in page.split("<main>")[0].split("<body>")[1]
    machine = [e.msgstr for e in read_po(catalog_path(root, "fr")) if "fuzzy" in e.flags]
    assert machine and all(text not in page for text in machine)


def test_once_reviewed_the_edition_shows_a_corrections_log(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = published
    _correct(root, monkeypatch)
    _review(root, "fr", "[fr] ", only="Tuesday")
    _at(monkeypatch, 4)
    assert cli(root, "build", "-l", "fr").exit_code == 0
    page = (root / "editions" / "fr" / "article.html").read_text("utf-8")
    assert "correction-notice" not in page.split("<main>")[0].split("<body>")[1]
    assert "[fr] The council met on Tuesday" in page
    log = (
        '<section class="corrections"><h2>Corrections</h2><ul><li>3 janvier 2026 : le '
        "paragraphe 3 a été corrigé dans l’original ; cette traduction suit la correction."
        "</li></ul></section>"
    )
    assert log in page
    text = (root / "editions" / "fr" / "article.md").read_text("utf-8")
    assert text.endswith(
        "Corrections:\n\n- 3 janvier 2026 : le paragraphe 3 a été corrigé "
        "dans l’original ; cette traduction suit la correction.\n"
    )


def test_a_minor_change_keeps_the_reviewed_translation_without_a_notice(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = published
    _correct(root, monkeypatch, "--minor")
    assert "\tminor\n" in (root / "locales" / "article.revisions").read_text("utf-8")
    [entry] = [e for e in read_po(catalog_path(root, "fr")) if "fuzzy" in e.flags]
    assert entry.msgid == CHANGED, "flagged for the reviewer"
    assert cli(root, "build").exit_code == 0
    page = (root / "editions" / "fr" / "article.html").read_text("utf-8")
    assert "<p>[fr] The council met on Monday to discuss the budget.</p>" in page
    assert "correction-notice" not in page.split("<style>")[0] + page.split("</style>")[1]
    assert "earlier-version" not in page.split("</style>")[1]


def test_a_catalog_behind_its_source_is_reported_and_never_published_as_current(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = published
    path = catalog_path(root, "fr")
    saved = path.read_bytes()  # an editor's buffer from before the extract
    source = root / "source" / "article.md"
    source.write_text(source.read_text("utf-8") + "\nA paragraph added later.\n", "utf-8")
    _at(monkeypatch, 2)
    assert cli(root, "extract").exit_code == 0
    path.write_bytes(saved)  # "Save Anyway" puts back the old catalog
    result = cli(root, "build", "-l", "fr")
    assert result.exit_code == 0
    assert (
        "warning: locales/fr/LC_MESSAGES/article.po is behind source/article.md: 1 paragraph(s) "
        "have no entry (first: 'A paragraph added later.')"
    ) in result.stderr
    page = (root / "editions" / "fr" / "article.html").read_text("utf-8")
    assert '<p lang="en" dir="ltr">A paragraph added later.</p>' in page
    assert "L’original a été mis à jour le 3 janvier 2026" in page


def test_revisions_and_manifest_are_project_files_written_only_when_they_change(
    published: Path,
) -> None:
    root = published
    records = [root / "locales" / "article.revisions", root / "locales" / "manifest.tsv"]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in records]
    Project.open(root).extract()
    Project.open(root).build()
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in records] == before
    lines = records[1].read_text("utf-8").splitlines()
    assert lines[0].startswith("# translatio:")
    assert all(re.fullmatch(r"\S+\t[0-9a-f]{64}\t2026-01-01T00:00:00Z", x) for x in lines[1:])


def test_a_damaged_revisions_file_names_its_line(published: Path) -> None:
    path = published / "locales" / "article.revisions"
    path.write_text(path.read_text("utf-8") + "not a revision\n", "utf-8")
    result = cli(published, "build")
    assert result.exit_code == 1
    assert "locales/article.revisions:" in result.stderr
    assert "is not <time> <revision> <replaces> <kind>" in result.stderr
    assert "Traceback" not in result.output


def test_report_states_follow_the_trees(published: Path) -> None:
    reports = Project.open(published).build(policy="draft", keep=0)
    assert {r.state for r in reports} == {EditionState.WRITTEN}
    assert all(path.startswith("drafts/") for r in reports for path in r.paths)


def test_pages_an_earlier_translatio_left_in_the_editions_are_named_not_removed(
    published: Path,
) -> None:
    old = published / "editions" / "fr" / "article.review.html"
    old.write_text('<!DOCTYPE html>\n<meta name="generator" content="translatio">\n', "utf-8")
    theirs = published / "editions" / "fr" / "about.html"
    theirs.write_text("<!DOCTYPE html>\n<p>The publisher's own page.</p>\n", "utf-8")
    result = cli(published, "build")
    assert result.exit_code == 0
    named = [line for line in result.stderr.splitlines() if "earlier translatio" in line]
    assert named == [
        "warning: editions/fr/article.review.html was written by an earlier translatio "
        "(before the manifest, locales/manifest.tsv): translatio leaves it; remove it by hand "
        "if it should not be there"
    ]
    assert old.is_file() and theirs.is_file()


def test_the_review_page_shows_the_source_change_word_by_word_beside_the_old_translation(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _correct(published, monkeypatch)
    assert cli(published, "review", "-l", "fr").exit_code == 0
    page = (published / "review" / "fr" / "article.review.html").read_text("utf-8")
    [row] = [row for row in page.split("<tr") if 'class="source-change"' in row]
    assert (
        '<span class="text">The council met on <del>Monday</del><ins>Tuesday</ins> to discuss '
        "the budget.</span>"
    ) in row
    assert "[fr] The council met on Monday" in row, "the old translation, to edit"


def test_a_page_edited_by_hand_is_never_overwritten_restamped_or_removed(
    make_project: MakeProject,
) -> None:
    root = make_project({"article.md": SOURCE}, languages=("fr", "zh_CN"))
    Project.open(root).extract()
    _review(root, "fr", "[fr] ")
    _review(root, "zh_CN", "【中】")
    Project.open(root).build(["fr"])
    page = root / "editions" / "fr" / "article.html"
    edited = page.read_text("utf-8") + "<!-- the publisher's note -->\n"
    page.write_text(edited, "utf-8")
    warning = (
        "warning: editions/fr/article.html was changed since translatio wrote it: left as it "
        "is (remove it to let translatio write it again)"
    )
    for args in (["build", "-l", "zh_CN"], ["build"]):  # re-stamping it, then rebuilding it
        result = cli(root, *args)
        assert result.exit_code == 0, result.output
        assert warning in result.stderr.splitlines(), args
        assert page.read_text("utf-8") == edited
    for entry_path in (catalog_path(root, "fr"),):  # fr withdrawn: its page is not removed
        catalog = read_po(entry_path)
        for entry in catalog:
            entry.flags = ["fuzzy"]
        save(catalog, entry_path)
    result = cli(root, "build")
    assert page.read_text("utf-8") == edited
    lines = [line for line in result.stderr.splitlines() if "editions/fr/article.html" in line]
    assert lines == [
        "warning: editions/fr/article.html was changed since translatio wrote it: left in "
        "place (remove it by hand if it should not be published)"
    ]


def test_a_corrected_heading_keeps_the_earlier_title_in_the_editions_language(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = published / "source" / "article.md"
    source.write_text(source.read_text("utf-8").replace("A title", "A better title"), "utf-8")
    _at(monkeypatch, 2)
    assert cli(published, "extract").exit_code == 0
    assert cli(published, "build").exit_code == 0
    page = (published / "editions" / "fr" / "article.html").read_text("utf-8")
    assert "<title>[fr] A title</title>" in page and "A better title" not in page
    index = (published / "editions" / "index.html").read_text("utf-8")
    assert "[fr] A title</a>" in index


def test_the_log_stays_while_a_later_correction_waits_for_review(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _correct(published, monkeypatch)
    _review(published, "fr", "[fr] ", only="Tuesday")
    _at(monkeypatch, 4)
    assert cli(published, "build").exit_code == 0
    source = published / "source" / "article.md"
    source.write_text(source.read_text("utf-8").replace("last paragraph", "final one"), "utf-8")
    _at(monkeypatch, 6)
    assert cli(published, "extract").exit_code == 0
    assert cli(published, "build").exit_code == 0
    page = (published / "editions" / "fr" / "article.html").read_text("utf-8")
    assert "3 janvier 2026 : le paragraphe 3 a été corrigé" in page, "the reviewed one is logged"
    assert "L’original a été mis à jour le 7 janvier 2026" in page, "the pending one, noticed"
