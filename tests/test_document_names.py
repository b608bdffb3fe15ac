"""Source file and folder names with spaces and any letters are documents.

Their ``#:`` references are read as GNU gettext writes them: the installed gettext 0.21
writes the name as it is (``#: source/my doc.md:3``), gettext 0.22 and later enclose it
in U+2068/U+2069 (``write-po.c``), and a tool that does not know the isolates (gettext
0.21 itself, polib) may break an enclosed name over two ``#:`` lines. Links between the
HTML editions are percent-encoded. A name no catalog or terminal can hold safely (a
control character) leaves that file out with a warning; the other documents go on.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import polib
import pytest

from translatio.catalog.po import parse_po
from translatio.catalog.po.references import format_reference, parse_references
from translatio.project import Project

from .conftest import MakeProject, cli, gettext_tool, msgfmt_check

NAMES = {
    "my doc.md": "# My doc\n\nThe first text.\n",
    "café folder/x.md": "# Café\n\nThe second text.\n",
    "日本語/記事 一.md": "# 記事\n\nThe third text.\n",
    "two  spaces.md": "# Two\n\nThe fourth text.\n",
}
FSI, PDI = "\u2068", "\u2069"
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _project(make_project: MakeProject, files: dict[str, str] = NAMES) -> Path:
    root = make_project({}, languages=("fr",))
    (root / "source" / "article.txt").unlink()
    for name, text in files.items():
        path = root / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def _references(path: Path) -> list[tuple[str, str]]:
    return [
        ref for entry in parse_po(path.read_bytes(), path=str(path)) for ref in entry.occurrences
    ]


def test_names_with_spaces_and_any_letters_are_documents(make_project: MakeProject) -> None:
    root = _project(make_project)
    result = cli(root, "extract")
    assert result.exit_code == 0, result.output
    for name in NAMES:
        document = name.rsplit(".", 1)[0]
        catalog = root / "locales" / "fr" / "LC_MESSAGES" / f"{document}.po"
        assert {path for path, _ in _references(catalog)} == {f"source/{name}"}
        msgfmt_check(catalog)
        msgfmt_check(root / "locales" / f"{document}.pot")
    rerun = cli(root, "extract")
    assert "updated" not in rerun.stdout  # read back as written: nothing to change


def test_gettext_tools_keep_the_references(make_project: MakeProject) -> None:
    """msgcat and msgmerge read translatio's catalogs and write references that read back
    to the same names (gettext 0.21 splits a name at its spaces and joins the pieces with
    one space again: a run of spaces comes back as one, so those names are left out)."""
    root = _project(make_project)
    Project.open(root).extract()
    for name in (name for name in NAMES if "  " not in name):
        document = name.rsplit(".", 1)[0]
        catalog = root / "locales" / "fr" / "LC_MESSAGES" / f"{document}.po"
        template = root / "locales" / f"{document}.pot"
        merged = root / "merged.po"
        subprocess.run(
            [gettext_tool("msgmerge"), "--quiet", "-o", str(merged), str(catalog), str(template)],
            check=True,
        )
        assert _references(merged) == _references(catalog)
        narrow = subprocess.run(
            [gettext_tool("msgcat"), "--width=20", str(catalog)],
            check=True,
            capture_output=True,
        ).stdout
        assert [
            ref for entry in parse_po(narrow, path="narrow.po") for ref in entry.occurrences
        ] == [
            (f"source/{name}", "1"),
            (f"source/{name}", "3"),
        ]


def test_what_xgettext_writes_is_read(tmp_path: Path) -> None:
    """The installed xgettext (0.21) writes names with spaces as they are."""
    (tmp_path / "sub dir").mkdir()
    (tmp_path / "sub dir" / "my file.c").write_text('int f(){ _("hello"); }\n', "utf-8")
    (tmp_path / "café.c").write_text('int g(){ _("hello"); }\n', "utf-8")
    subprocess.run(
        [
            gettext_tool("xgettext"),
            "-k_",
            "--from-code=UTF-8",
            "-o",
            "out.pot",
            "sub dir/my file.c",
            "café.c",
        ],
        cwd=tmp_path,
        check=True,
    )
    written = (tmp_path / "out.pot").read_text("utf-8").replace("charset=CHARSET", "charset=UTF-8")
    assert re.search(r"^#: sub dir/my file\.c:1 café\.c:1$", written, re.MULTILINE)
    [entry] = parse_po(written.encode("utf-8"), path="out.pot")
    assert entry.occurrences == [("sub dir/my file.c", "1"), ("café.c", "1")]


def test_enclosed_names_as_gettext_0_22_writes_them(tmp_path: Path) -> None:
    """``#: ⁨name⁩:LINE`` (write-po.c since 0.22), also broken over lines by msgcat 0.21
    and by polib, which do not know the isolates."""
    text = f"#: {FSI}source/my doc.md{PDI}:3 source/b.md:1 {FSI}a b 日本.md{PDI}:7\n"
    path = tmp_path / "enclosed.po"
    path.write_text(HEADER + text + 'msgid "a"\nmsgstr "x"\n', "utf-8")
    expected = [("source/my doc.md", "3"), ("source/b.md", "1"), ("a b 日本.md", "7")]
    assert _references(path) == expected
    runs = tmp_path / "runs.po"
    runs.write_text(HEADER + f'#: {FSI}a  b.md{PDI}:7\nmsgid "a"\nmsgstr ""\n', "utf-8")
    assert _references(runs) == [("a  b.md", "7")]
    msgfmt_check(path)
    narrow = subprocess.run(
        [gettext_tool("msgcat"), "--width=20", str(path)], check=True, capture_output=True
    ).stdout
    assert b"#: \xe2\x81\xa8source/my\n#: doc.md" in narrow  # cut inside the name
    assert parse_po(narrow, path="narrow.po")[0].occurrences == expected
    resaved = tmp_path / "polib.po"
    catalog = polib.pofile(str(path), wrapwidth=20)
    catalog.save(str(resaved))
    assert _references(resaved) == expected


@pytest.mark.parametrize(
    "name", ["source/my doc.md", "a  b.md", "日本語/記事 一.md", "plain.md", "tab\there.md"]
)
def test_a_reference_written_is_read_back(name: str) -> None:
    written = format_reference(name, "12")
    assert (FSI in written) == (" " in name or "\t" in name)
    assert parse_references([written, "other.md:3"]) == [(name, "12"), ("other.md", "3")]


def test_edition_links_are_percent_encoded(make_project: MakeProject) -> None:
    root = _project(make_project)
    result = cli(root, "run", "--draft", "--keep", "0", "--engine", "machine")
    assert result.exit_code == 0, result.output
    pages = list((root / "drafts").rglob("*.html"))
    assert any(" " in page.name for page in pages)
    for page in pages:
        for href in _hrefs(page.read_text("utf-8")):
            parts = urlsplit(href)
            if parts.scheme or not parts.path:
                continue
            assert " " not in href and not re.search(r"[^\x21-\x7e]", href), href
            assert (page.parent / unquote(parts.path)).resolve().is_file(), (page, href)


def test_a_name_with_a_control_character_is_left_out_alone(make_project: MakeProject) -> None:
    root = _project(
        make_project,
        {"good doc.md": "Good.\n", "bad\x07name.md": "Bad.\n", "turn\u202eed.md": "Turned.\n"},
    )
    result = cli(root, "extract")
    assert result.exit_code == 1, "the rest went on, and the status says one file did not"
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "error: source/bad\\x07name.md is left out: its name holds U+0007, a control "
        "character, which catalogs and terminals cannot show; rename it",
        "error: source/turn\\u202eed.md is left out: its name holds U+202E, a "
        "bidirectional control, which catalogs and terminals cannot show; rename it",
    ]
    assert sorted(path.name for path in (root / "locales" / "fr" / "LC_MESSAGES").iterdir()) == [
        "good doc.po"
    ]


def _hrefs(html: str) -> list[str]:
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(value for key, value in attrs if key == "href" and value)

    Links().feed(html)
    return found
