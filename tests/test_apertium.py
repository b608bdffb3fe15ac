"""Real machine translation end to end with Apertium (Debian's apertium-eng-spa).

.ci/run installs the packages. The assertions are about real output: the words change
into Spanish while links, code spans, emphasis, numbers and URLs come through intact.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from translatio import EditionState, Project
from translatio.catalog.fill import sentences_to_translate
from translatio.engines.apertium import ApertiumEngine, deformat, read_marks, reformat
from translatio.errors import EngineError
from translatio.languages import Language
from translatio.text.inline import strip

from .conftest import ARTICLE, FIXTURES, MakeProject, msgfmt_check, read_po

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
    _, translated, built = Project.open(root).run(policy="draft", keep=0)
    assert [(update.document, update.report.filled > 0) for update in translated] == [
        ("article", True),
        ("rich", True),
    ]
    assert [edition.state for edition in built] == [EditionState.WRITTEN] * 2
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
    edition = (root / "drafts" / "es" / "rich.md").read_text("utf-8")
    assert 'def untouched():\n    return "code is not translated"' in edition
    html = (root / "drafts" / "es" / "rich.html").read_text("utf-8")
    assert '<a href="https://example.org/a?b=1" title="Title"' in html
    assert '<html lang="es" dir="ltr">' in html


_TABLE_AND_MARKUP = (
    "| Option | Meaning |\n|---|---|\n| a | b |\n\n"
    "The **most important** rule is simple.\n\n"
    '- The <abbr title="x">CLI</abbr> tools.\n'
)
_EN, _ES = Language("en"), Language("es")


def _alone(text: str) -> str:
    """One text through a fresh ``apertium`` process of its own, without null flush."""
    completed = subprocess.run(
        ["apertium", "-f", "txt", "eng-spa"],
        input=text + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout.removesuffix("\n")


def _sentences(make_project: MakeProject, sources: dict[str, str]) -> list[str]:
    """What ``translate`` sends the engine for these documents (protected runs taken out)."""
    root = make_project(sources, languages=("es",), engine="apertium")
    assert len(Project.open(root).extract()) == len(sources)
    catalogs = sorted((root / "locales" / "es" / "LC_MESSAGES").glob("*.po"))
    assert len(catalogs) == len(sources)
    return list(
        dict.fromkeys(
            sentence
            for path in catalogs
            for sentence in sentences_to_translate(read_po(path), refresh=False)
        )
    )


def test_batch_output_equals_each_text_translated_alone(make_project: MakeProject) -> None:
    sources = {
        "article.txt": ARTICLE.read_text("utf-8"),
        "table.md": _TABLE_AND_MARKUP,
        **{
            path.name: path.read_text("utf-8")
            for path in sorted((FIXTURES / "markdown").glob("*.md"))
            if not path.name.endswith(".expect.md")
        },
    }
    units = _sentences(make_project, sources)
    # whole sentences, markup and all, go to the engine; Apertium alone reads plain text
    assert {
        "The **most important** rule is simple.",
        'The <abbr title="x">CLI</abbr> tools.',
    } <= set(units)
    texts = [text for text in units if not strip(text).marks]
    assert {"Option", "Meaning"} <= set(texts)
    batch = ApertiumEngine().translate(texts, source=_EN, target=_ES)
    with ThreadPoolExecutor(4) as pool:  # one process per text is slow; use every core
        alone = [
            read_marks(output, source=text)
            for text, output in zip(texts, pool.map(_alone, texts), strict=True)
        ]
    differences = [
        (text, got.text, expected)
        for text, got, (expected, _) in zip(texts, batch, alone, strict=True)
        if got.text != expected
    ]
    assert not differences, f"{len(differences)} of {len(texts)} differ: {differences[:5]}"
    assert [got.unknown_words for got in batch] == [words for _, words in alone]
    by_text = dict(zip(texts, (got.text for got in batch), strict=True))
    assert by_text["Option"] == "Opción" and by_text["Meaning"] == "Significado"
    print(f"apertium batch vs alone: {len(texts)} texts compared, {len(texts)} equal")


def test_stream_format_matches_apertiums_own_deformatter_and_reformatter() -> None:
    # every character a one-line text can hold, next to letters, blanks and "~"
    characters = [
        chr(code)
        for code in range(0x21, 0x3000)
        if not chr(code).isspace() and not 0xD800 <= code < 0xE000
    ]
    text = " ".join(f"a{char}b" for char in characters) + " a ~ b~c  d"
    destxt = subprocess.run(
        ["apertium-destxt"], input=text.encode(), capture_output=True, timeout=60, check=True
    )
    assert deformat(text) == destxt.stdout.decode("utf-8")
    retxt = subprocess.run(
        ["apertium-retxt"], input=destxt.stdout, capture_output=True, timeout=60, check=True
    )
    assert reformat(deformat(text)) == retxt.stdout.decode("utf-8") == text


def _fake_apertium(tmp_path: Path, body: str) -> Path:
    """A stand-in pipeline stage that hangs or dies, put first on PATH by the caller."""
    script = tmp_path / "bin" / "lt-proc"
    script.parent.mkdir()
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script.parent


@pytest.mark.parametrize(
    ("body", "message"),
    [("exec sleep 60", "no output for text 1"), ("echo broken >&2; exit 3", "pipeline ended")],
)
def test_a_hung_or_dead_pipeline_is_an_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    monkeypatch.setenv("PATH", f"{_fake_apertium(tmp_path, body)}:{os.environ['PATH']}")
    engine = ApertiumEngine(timeout=2)
    started = time.monotonic()
    with pytest.raises(EngineError, match=message):
        engine.translate(["The dog.", "The cat."], source=_EN, target=_ES)
    assert time.monotonic() - started < 20
