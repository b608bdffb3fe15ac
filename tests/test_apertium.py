"""Real machine translation end to end with Apertium (Debian's apertium-eng-spa).

.ci/run installs the packages. The assertions are about real output: the words change
into Spanish while links, code spans, emphasis, numbers and URLs come through intact.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest
from typer.testing import CliRunner

from translatio.cli import app
from translatio.engines.apertium import ApertiumEngine
from translatio.languages import Language

from .conftest import ARTICLE, FIXTURES, MakeProject, msgfmt_check, read_po

runner = CliRunner()

_KEPT = {
    "link targets": re.compile(r"\]\([^)]*\)"),
    "code spans": re.compile(r"`[^`]+`"),
    "URLs": re.compile(r"https?://[^\s<>)\"]+"),
    # Ordinals may legitimately change ("21st century" → "siglo XXI"); numbers may not.
    "numbers": re.compile(r"\b\d+(?:[.,]\d+)*\b"),
    "emphasis": re.compile(r"\*\*|(?<!\w)_|_(?!\w)|(?<![*\w])\*(?!\*)"),
    "HTML tags": re.compile(r"</?\w+>"),
}


@pytest.fixture(autouse=True)
def _apertium_installed() -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-spa (.ci/run does)")


def test_engine_translates_and_reports_unknown_words() -> None:
    engine = ApertiumEngine()
    [dog, name] = engine.translate(
        ["The quick brown fox jumps over the lazy dog.", "Xi Jinping spoke."],
        source=Language("en"),
        target=Language("es"),
    )
    assert "perro" in dog.text and "zorro" in dog.text
    assert "*" not in name.text and "Jinping" in name.text
    assert "Jinping" in name.unknown_words
    assert dog.model.startswith("apertium-eng-spa")


def test_article_and_markup_rich_document_to_spanish(make_project: MakeProject) -> None:
    root = make_project(
        {
            "article.txt": ARTICLE.read_text("utf-8"),
            "rich.md": (FIXTURES / "markdown" / "rich.md").read_text("utf-8"),
        },
        languages=("es",),
        engine="apertium",
    )
    result = runner.invoke(app, ["run", "--draft", "--keep", "0", "--project", str(root)])
    assert result.exit_code == 0, result.output + result.stderr
    for name in ("article", "rich"):
        po = root / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
        msgfmt_check(po)
        entries = [entry for entry in read_po(po) if entry.msgid]
        assert entries and all(entry.msgstr and entry.fuzzy for entry in entries)
        for entry in entries:
            for what, pattern in _KEPT.items():
                assert Counter(pattern.findall(entry.msgstr)) == Counter(
                    pattern.findall(entry.msgid)
                ), (what, entry.msgid, entry.msgstr)
    article = read_po(root / "locales" / "es" / "LC_MESSAGES" / "article.po")
    spanish = " ".join(entry.msgstr for entry in article)
    for word in ("demanda creciente", "disidentes", "cristianos"):
        assert word in spanish.lower()
    rich = read_po(root / "locales" / "es" / "LC_MESSAGES" / "rich.po")
    paragraph = next(e for e in rich if e.msgid.startswith("A paragraph with"))
    assert "párrafo" in paragraph.msgstr
    assert "`code | span`" in paragraph.msgstr
    assert '](https://example.org/a?b=1 "Title")' in paragraph.msgstr
    edition = (root / "editions" / "es" / "rich.md").read_text("utf-8")
    assert 'def untouched():\n    return "code is not translated"' in edition
    html = (root / "editions" / "es" / "rich.html").read_text("utf-8")
    assert '<a href="https://example.org/a?b=1" title="Title"' in html
    assert '<html lang="es" dir="ltr">' in html
