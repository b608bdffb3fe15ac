"""HTML editions: standalone pages, right language tags, no active content from catalogs."""

from __future__ import annotations

from html.parser import HTMLParser

import polib
import pytest

from translatio.catalog.values import build_template
from translatio.engines.base import Engine
from translatio.languages import Language, parse_language
from translatio.publish.edition import Policy, build_edition
from translatio.publish.render import render_body, render_page
from translatio.text.document import Format
from translatio.text.segment import segment_markdown

from .conftest import MakeProject, read_po

SOURCE = "# Title\n\nA paragraph with <kbd>Ctrl</kbd>.\n\n<div>source html</div>\n"
ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_translations_cannot_inject_active_content(attack: str) -> None:
    document = segment_markdown(SOURCE, name="d", path="d.md")
    catalog = build_template(document, created="")
    for entry in catalog:
        entry.msgstr = f"Traduction {attack} <kbd>Ctrl</kbd>"
    edition = build_edition(document, catalog, policy=Policy.REVIEWED)
    page = render_page(edition.text, Format.MARKDOWN, language=Language("fr"), title="t")
    assert _active_content(page) == [], page
    assert "<kbd>Ctrl</kbd>" in page, "markup the source has is kept"
    assert "<div>source html</div>" in page, "the source's own HTML blocks are kept"


@pytest.mark.parametrize(
    ("code", "lang", "direction"),
    [
        ("zh_CN", "zh-Hans", "ltr"),
        ("zh-Hant", "zh-Hant", "ltr"),
        ("pt_BR", "pt-BR", "ltr"),
        ("he", "he", "rtl"),
        ("ar", "ar", "rtl"),
    ],
)
def test_page_language_and_direction(code: str, lang: str, direction: str) -> None:
    page = render_page("Text.\n", Format.TEXT, language=parse_language(code), title="T & <b>")
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert "<title>T &amp; &lt;b&gt;</title>" in page
    assert "Noto Sans CJK" in page


def test_plain_text_is_escaped() -> None:
    page = render_page(
        "a <b>bold</b> & more\n\nsecond", Format.TEXT, language=Language("de"), title="t"
    )
    assert "<p>a &lt;b&gt;bold&lt;/b&gt; &amp; more</p>" in page
    assert "<p>second</p>" in page


class _ActiveContent(HTMLParser):
    """Collects every element or attribute that could run code or load a page."""

    DANGEROUS_TAGS = frozenset(
        {
            "script",
            "iframe",
            "object",
            "embed",
            "svg",
            "math",
            "form",
            "noscript",
            "base",
            "link",
            "frame",
        }
    )

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DANGEROUS_TAGS or (tag == "meta" and dict(attrs).get("http-equiv")):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(f"{tag}[{name}]")
            target = (value or "").strip().lower()
            if name in {"href", "src", "action"} and target.startswith(("javascript:", "data:")):
                self.found.append(f"{tag}[{name}={target[:20]}]")


def _active_content(page: str) -> list[str]:
    body = page.split("<body>", 1)[1]
    parser = _ActiveContent()
    parser.feed(body)
    return parser.found


def test_the_checker_sees_active_content() -> None:
    assert _active_content("<body><img src=x onerror=alert(1)><a href='javascript:x'>") == [
        "img[onerror]",
        "a[href=javascript:x]",
    ]


def _rich_draft(engine: Engine) -> tuple[polib.POFile, str]:
    """The rich fixture filled by ``engine``, one heading reviewed, and its draft's body."""
    from translatio.catalog.fill import translate_catalog
    from translatio.catalog.merge import merge_catalog

    from .conftest import FIXTURES

    source = (FIXTURES / "markdown" / "rich.md").read_text("utf-8")
    document = segment_markdown(source, name="rich", path="rich.md")
    catalog, _ = merge_catalog(build_template(document, created=""), None, Language("fr"))
    catalog, _ = translate_catalog(catalog, engine, source=Language("en"), target=Language("fr"))
    human = catalog.find("Setext heading")
    human.msgstr, human.flags = "Titre revu", []
    edition = build_edition(document, catalog, policy=Policy.DRAFT)
    page = render_page(
        edition.body,
        Format.MARKDOWN,
        language=Language("fr"),
        title="t",
        machine_lines=edition.machine_lines,
        preview_lines=edition.preview_lines,
    )
    reviewed = build_edition(document, catalog, policy=Policy.REVIEWED)
    assert reviewed.machine_lines == reviewed.preview_lines == frozenset()
    return catalog, page.split("<main>")[1]


@pytest.mark.parametrize("mark", ["machine-translated", "preview"])
def test_draft_marks_exactly_the_machine_translated_or_preview_blocks(mark: str) -> None:
    from translatio.engines.pseudo import PseudoEngine

    from .conftest import machine_engine

    engine = machine_engine() if mark == "machine-translated" else PseudoEngine()
    catalog, body = _rich_draft(engine)
    assert "<h2>Titre revu</h2>" in body, "a reviewed heading is not marked"
    other = {"machine-translated": 'class="preview"', "preview": "machine-translated"}[mark]
    assert other not in body
    marked = _marked_text(body, mark)
    for entry in catalog:
        if entry.msgid and entry.fuzzy:
            visible = entry.msgstr.replace("**", "").replace("`", "").split("](")[0]
            assert visible.split()[0].strip("⟦[*_") in marked, entry.msgstr
    assert "Titre revu" not in marked


class _Marked(HTMLParser):
    """Text inside elements marked with a class (``machine-translated``, ``preview``)."""

    def __init__(self, mark: str) -> None:
        super().__init__()
        self.mark = mark
        self.depth = 0
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marked = self.mark in (dict(attrs).get("class") or "").split()
        if tag not in {"br", "img", "hr"}:
            self.stack.append(marked)
            self.depth += marked

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"br", "img", "hr"} and self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def _marked_text(body: str, mark: str = "machine-translated") -> str:
    parser = _Marked(mark)
    parser.feed(body)
    return " ".join(parser.text)


def test_bilingual_page_pairs_every_segment_with_its_translation() -> None:
    from translatio.publish.edition import usable_translations
    from translatio.publish.render import render_bilingual

    document = segment_markdown(SOURCE, name="d", path="d.md")
    catalog = build_template(document, created="")
    catalog.find("Title").msgstr = "Titre"
    paragraph = catalog.find("A paragraph with <kbd>Ctrl</kbd>.")
    paragraph.msgstr = "Un paragraphe <script>alert(1)</script> avec <kbd>Ctrl</kbd>."
    page = render_bilingual(
        document,
        usable_translations(catalog, Policy.REVIEWED),
        source=Language("en"),
        target=Language("zh_TW"),
        title="d",
    )
    rows = page.split('<div class="row')[2:]
    assert len(rows) == len(document.segments) == 2
    assert '<div lang="en" dir="ltr">Title</div>' in rows[0]
    assert 'lang="zh-Hant"' in rows[0] and ">Titre<" in rows[0]
    assert "&lt;script&gt;" in rows[1] and _active_content(page) == []
    assert rows[1].count("<kbd>Ctrl</kbd>") == 2, "the source's own HTML, on both sides"


RICH = (
    "# A <abbr>CLI</abbr> guide\n\nSee the [ref link][docs] and *this*.\n\n"
    "Nothing translated here.\n\n[docs]: https://example.org/docs\n"
)


def test_bilingual_sides_render_like_the_edition() -> None:
    """Inline HTML, reference links and emphasis render on both sides, as in the edition."""
    from translatio.publish.edition import usable_translations
    from translatio.publish.render import render_bilingual

    document = segment_markdown(RICH, name="d", path="d.md")
    catalog = build_template(document, created="")
    catalog.find("A <abbr>CLI</abbr> guide").msgstr = "Un guide <abbr>CLI</abbr>"
    catalog.find(
        "See the [ref link][docs] and *this*."
    ).msgstr = "Voir le [lien][docs] et *ceci* <img src=x onerror=alert(1)>."
    usable = usable_translations(catalog, Policy.REVIEWED)
    page = render_bilingual(
        document, usable, source=Language("en"), target=Language("fr"), title="t"
    )
    edition = build_edition(document, catalog, policy=Policy.REVIEWED)
    body = render_page(edition.text, Format.MARKDOWN, language=Language("fr"), title="t")
    link = '<a href="https://example.org/docs" rel="noopener noreferrer">'
    for rendered in ("Un guide <abbr>CLI</abbr>", f"Voir le {link}lien</a> et <em>ceci</em>"):
        assert rendered in page and rendered in body
    assert f"See the {link}ref link</a> and <em>this</em>." in page
    assert "A <abbr>CLI</abbr> guide" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page, "foreign markup escaped as in the edition"
    [untranslated] = [row for row in page.split('<div class="row')[1:] if "Nothing" in row]
    assert untranslated.count('lang="en" dir="ltr"') == 2, "the fallback side is marked English"
    assert _active_content(page) == []


def test_review_page_shows_the_text_as_the_catalog_holds_it() -> None:
    from translatio.publish.review_page import render_review

    document = segment_markdown(RICH, name="d", path="d.md")
    catalog = build_template(document, created="")
    catalog.find("See the [ref link][docs] and *this*.").msgstr = "Voir le [lien][docs] et *ceci*."
    page = render_review(
        catalog, source=Language("en"), target=Language("ja"), path="x.po", title="t"
    )
    assert "Voir le [lien][docs] et *ceci*." in page
    assert "A &lt;abbr&gt;CLI&lt;/abbr&gt; guide" in page
    assert "<em>ceci</em>" not in page and "<a " not in page
    assert '<html lang="ja" dir="ltr">' in page
    assert "<th>場所</th><th>状態</th>" in page, "headings in the reviewer's language"
    assert "<em>未翻訳</em>" in page


@pytest.mark.parametrize("attack", ATTACKS)
def test_bilingual_and_review_pages_are_safe_too(attack: str) -> None:
    from translatio.publish.edition import usable_translations
    from translatio.publish.render import render_bilingual
    from translatio.publish.review_page import render_review

    document = segment_markdown(SOURCE, name="d", path="d.md")
    catalog = build_template(document, created="")
    for entry in catalog:
        entry.msgstr = f"Traduction {attack}"
    fr, en = Language("fr"), Language("en")
    bilingual = render_bilingual(
        document, usable_translations(catalog, Policy.REVIEWED), source=en, target=fr, title="t"
    )
    review = render_review(catalog, source=en, target=fr, path="x.po", title="t")
    assert _active_content(bilingual) == []
    assert _active_content(review) == []


def test_every_page_is_built_on_the_one_skeleton() -> None:
    from translatio.publish.edition import usable_translations
    from translatio.publish.pages import page
    from translatio.publish.render import render_bilingual
    from translatio.publish.review_page import render_review

    document = segment_markdown(SOURCE, name="d", path="d.md")
    catalog = build_template(document, created="")
    fr, en = Language("fr"), Language("en")
    pages = [
        render_page("Text.\n", Format.TEXT, language=fr, title="t"),
        render_bilingual(
            document, usable_translations(catalog, Policy.REVIEWED), source=en, target=fr, title="t"
        ),
        render_review(catalog, source=en, target=fr, path="x.po", title="t"),
    ]
    head = (
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    )
    for built in pages:
        assert built.startswith("<!DOCTYPE html>\n<html lang=")
        assert f"<head>\n{head}" in built
        assert built.endswith("</body>\n</html>\n")
    assert page(title="a & b", lang="en", body="<p>x</p>\n", style="p{}") == (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n{head}<title>a &amp; b</title>\n'
        "<style>\np{}\n</style>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n"
    )


class _Head(HTMLParser):
    """Every element of a page's head with its attributes, and the head's text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


_HEAD_ATTRIBUTES = {
    "meta": {"charset", "name", "content", "property"},
    "title": set(),
    "style": set(),
    "link": {"rel", "hreflang", "href"},
}


def _head_problems(page: str) -> list[str]:
    """Anything in the head but plain metadata, and links that leave the site."""
    parser = _Head()
    parser.feed(page.split("<body>", 1)[0])
    problems = []
    for tag, attrs in parser.elements:
        if tag in {"html", "head"}:
            continue
        if tag not in _HEAD_ATTRIBUTES or set(attrs) - _HEAD_ATTRIBUTES[tag]:
            problems.append(f"{tag}{sorted(attrs)}")
        href = attrs.get("href", "")
        if tag == "link" and (attrs.get("rel") != "alternate" or ":" in href or href[:1] == "/"):
            problems.append(f"link {href}")
    return problems


def test_the_head_checker_sees_what_does_not_belong() -> None:
    head = (
        '<head><script>x</script><meta http-equiv="refresh" content="0">'
        '<link rel="stylesheet" href="x.css"><link rel="alternate" href="javascript:x">'
        '<link rel="alternate" href="https://evil.example/"></head><body>'
    )
    assert _head_problems(head) == [
        "script[]",
        "meta['content', 'http-equiv']",
        "link x.css",
        "link javascript:x",
        "link https://evil.example/",
    ]


HOSTILE = [
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    *ATTACKS,
]


@pytest.mark.parametrize("attack", HOSTILE)
def test_site_pages_and_metadata_built_from_translations_are_inert(
    make_project: MakeProject, attack: str
) -> None:
    """Titles, descriptions, og tags, the index and the switcher carry translated text."""
    from translatio import Project

    root = make_project({"doc.md": "# Title\n\nFirst paragraph.\n"}, languages=("fr", "ar"))
    project = Project.open(root)
    project.extract()
    for language in ("fr", "ar"):
        path = root / "locales" / language / "LC_MESSAGES" / "doc.po"
        catalog = read_po(path)
        for entry in catalog:
            if entry.msgid:
                entry.msgstr = f'Texte "cité" {attack} fin'
        path.write_bytes(catalog.__unicode__().encode("utf-8"))
    project.build(keep=0, bilingual=True)
    pages = sorted((root / "editions").rglob("*.html"))
    assert len(pages) == 1 + 1 + 2 * 2  # index, original, 2 × (edition, bilingual)
    for path in pages:
        page = path.read_text("utf-8")
        assert _active_content(page) == [], path
        assert _head_problems(page) == [], path
        assert "<script" not in page.lower(), path
    page = (root / "editions" / "fr" / "doc.html").read_text("utf-8")
    parser = _Head()
    parser.feed(page.split("<body>", 1)[0])
    metadata = {
        attrs.get("name") or attrs.get("property"): attrs.get("content")
        for tag, attrs in parser.elements
        if tag == "meta"
    }
    title = "".join(parser.title)
    assert title.startswith('Texte "cité" ') and title.endswith(" fin")
    assert metadata["og:title"] == title
    assert metadata["description"] == metadata["og:description"]
    assert metadata["description"].startswith('Texte "cité" ')


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("doc.md", "---\ntitle: x\n---\n\n\n# Title\n\nMachine one.\n\nKept.\n\nMachine two.\n"),
        ("doc.txt", "Title\n\nMachine one.\n\nKept.\n\nMachine two.\n"),
    ],
)
def test_a_page_shows_the_notice_itself_and_marks_the_same_blocks(name: str, source: str) -> None:
    """The HTML body is the edition without its notice; marks still find their blocks."""
    from translatio.text.segment import segment

    format = Format.MARKDOWN if name.endswith(".md") else Format.TEXT
    document = segment(source, name="doc", path=name, format=format)
    catalog = build_template(document, created="")
    for entry in catalog:
        if entry.msgid.startswith("Machine"):
            entry.msgstr, entry.flags = entry.msgid.upper(), ["fuzzy"]
    edition = build_edition(document, catalog, policy=Policy.DRAFT, notice="Avis\nen deux")
    notice = "> **Avis en deux**\n" if format is Format.MARKDOWN else "[Avis en deux]\n"
    assert notice in edition.text
    text, machine_lines, fallback_lines = (
        edition.body,
        edition.machine_lines,
        edition.fallback_lines,
    )
    expected = source.replace("Machine one.", "MACHINE ONE.").replace(
        "Machine two.", "MACHINE TWO."
    )
    assert text == expected  # the body is the source with translations put in, no notice
    body = render_body(text, format, machine_lines=machine_lines)
    assert _marked_text(body).split() == ["MACHINE", "ONE.", "MACHINE", "TWO."]
    assert len(fallback_lines) == 2  # Title and Kept.


def test_the_stylesheet_fits_print_and_phones() -> None:
    page = render_page("Text.\n", Format.TEXT, language=Language("ja"), title="t")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    style = page.split("<style>")[1].split("</style>")[0]
    assert "max-width:42em" in style and "@media (max-width:32em)" in style
    printed = style.split("@media print{")[1]
    assert "nav.languages{display:none}" in printed and "break-inside:avoid" in printed
    for physical in ("margin-left", "padding-left", "border-left", "text-align:left}"):
        assert physical not in style.replace("direction:ltr;text-align:left", ""), physical
