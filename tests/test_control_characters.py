"""Characters a reader cannot see: ``check`` reports them, ``approve`` and builds keep them out.

Control characters (which PO escapes such as ``\\a``, ``\\x1b`` and ``\\0`` write) and
direction controls left open ("Trojan Source") are errors and never reach an edition;
the marks correct text needs (LRM, RLM, ALM, ZWNJ, ZWJ) pass where the text uses them.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from translatio import EditionState, Project
from translatio.catalog.po.read import parse_po
from translatio.catalog.provenance import read_provenance, text_hash, with_provenance
from translatio.catalog.states import State, entry_state
from translatio.languages import Language
from translatio.publish.pages import page
from translatio.publish.render import render_page
from translatio.publish.review_page import render_review
from translatio.qa.checks import Severity, check_entry
from translatio.text.document import Format

from .conftest import SHORT_DOC, MakeProject, read_po
from .prepared import catalog_path

_CODES = frozenset({"control-character", "bidi-control", "invisible-character"})
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""What no edition may hold: C0 and C1 control characters and DEL, tab, LF and CR aside."""
E, W = "error", "warning"

CASES: list[tuple[str, str, str, dict[str, str]]] = [
    # control characters: errors wherever they stand, whatever the source holds
    ("es", "Hello world.", "Hola\x1b[31m mundo.", {"control-character": E}),
    ("es", "Hello world.", "Hola\x07 mundo.", {"control-character": E}),
    ("es", "Hello world.", "Hola\x00 mundo.", {"control-character": E}),
    ("es", "Hello world.", "Hola\x7f mundo.", {"control-character": E}),
    ("es", "Hello world.", "Hola\x9b mundo.", {"control-character": E}),  # C1: CSI
    ("es", "Hello world.", "Hola\x85 mundo.", {"control-character": E}),  # C1: NEL
    ("es", "Hello world.", "Hola\x0c mundo.", {"control-character": E}),  # form feed
    ("es", "Hello world.", "Hola mundo.\x1f", {"control-character": E}),
    ("es", "Ring \x07 twice.", "Suena \x07 dos veces.", {"control-character": E}),
    # near misses: tab and line breaks are text; pictures of controls and NBSP are visible
    ("es", "Hello\tworld.", "Hola\tmundo.", {}),
    ("es", "Hello\nworld.", "Hola\nmundo.", {}),
    ("es", "Hello\r\nworld.", "Hola\r\nmundo.", {}),
    ("es", "The NUL sign.", "El signo \u2400 NUL.", {}),
    ("es", "Hello world.", "Hola\u00a0mundo.", {}),
    ("es", "Type `\\x1b`.", "Escriba `\\x1b`.", {}),
    # direction controls left open at the end: errors
    ("es", "Hello world.", "\u202eHola mundo.", {"bidi-control": E}),
    ("es", "Hello world.", "\u202bHola mundo.", {"bidi-control": E}),
    ("ar", "Open Word now.", "افتح \u2067Word الآن.", {"bidi-control": E}),
    ("ar", "Open Word now.", "افتح \u2068Word الآن.", {"bidi-control": E}),
    ("ar", "Open Word now.", "افتح \u2066Word\u202c الآن.", {"bidi-control": E}),  # PDF ≠ PDI
    ("ar", "Open Word now.", "افتح \u202aWord\u2069 الآن.", {"bidi-control": E}),  # PDI ≠ PDF
    ("ar", "Open Word now.", "افتح \u202cWord\u202a الآن.", {"bidi-control": E}),  # wrong order
    ("es", "Hello world.", "Hola \u202ealoH\u202c \u202emundo.", {"bidi-control": E}),
    # near misses: closed ones pass; a closed override the source lacks is a warning
    ("ar", "Open Word now.", "افتح \u2066Word\u2069 الآن.", {}),
    ("ar", "Open Word now.", "افتح \u202aWord\u202c الآن.", {}),
    ("ar", "Open Word now.", "افتح \u2066\u202bWord\u2069 الآن.", {}),  # PDI closes both
    ("ar", "Open Word now.", "افتح Word\u202c الآن.", {}),  # a closing mark alone does nothing
    ("es", "Hello world.", "Hola \u202eodnum\u202c.", {"bidi-control": W}),
    ("es", "Hello \u202edlrow\u202c.", "Hola \u202eodnum\u202c.", {}),
    # marks correct text needs: no finding where the text uses them
    ("fa", "I want to go.", "می\u200cخواهم بروم.", {}),  # ZWNJ in Persian
    ("ar", "Version 3 (beta).", "الإصدار 3 (تجريبي)\u200f.", {}),  # RLM
    ("ar", "Version 3 (beta).", "الإصدار \u061c3 (تجريبي).", {}),  # ALM
    ("he", "Open Word now.", "פתחו את Word\u200e עכשיו.", {}),  # LRM
    ("fr", "The word שלום means peace.", "Le mot \u200fשלום\u200e signifie paix.", {}),
    ("hi", "The exam is here.", "परीक्\u200dषा यहाँ है।", {}),  # ZWJ after a virama
    ("hi", "The exam is here.", "परीक्\u200cषा यहाँ है।", {}),  # ZWNJ after a virama
    ("fr", "She codes all day.", "Elle code toute la journée 👩\u200d💻.", {}),  # emoji ZWJ
    ("fr", "Fly the flag.", "Hissez le drapeau 🏳\ufe0f\u200d🌈.", {}),
    ("fr", "Read it \u200f now.", "Lisez-le \u200f maintenant.", {}),  # the source has it
    # near misses: the same marks where the text needs none are warnings
    ("fr", "Read it now.", "Lisez\u200f-le maintenant.", {"invisible-character": W}),
    ("fr", "Read it now.", "Lisez\u061c-le maintenant.", {"invisible-character": W}),
    ("fr", "Read it now.", "Lisez\u200e-le maintenant.", {"invisible-character": W}),
    ("de", "Print the edition now.", "Druck\u200cen Sie die Auflage jetzt.", {
        "invisible-character": W
    }),
    ("de", "Print the edition now.", "Drucken Sie die\u200d Auflage jetzt.", {
        "invisible-character": W
    }),
    # invisible characters prose never needs stay errors
    ("fr", "Plain words here.", "Des mots\u200b simples ici.", {"invisible-character": E}),
    ("fa", "Plain words here.", "کلمات\ufeff ساده اینجا.", {"invisible-character": E}),
    ("de", "Print the edition now.", "Drucken Sie die Auf\u00adlage jetzt.", {
        "invisible-character": E
    }),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "msgid", "msgstr", "expected"),
    CASES,
    ids=[f"{case[0]}:{ascii(case[2])[1:30]}" for case in CASES],
)
def test_character_table(code: str, msgid: str, msgstr: str, expected: dict[str, str]) -> None:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("source/a.md", "3")])
    findings = check_entry(entry, Language(code), path="locales/x.po")
    found = {f.code: f.severity.value for f in findings if f.code in _CODES}
    assert found == expected


@pytest.mark.parametrize(
    ("code", "msgstr"),
    [(case[0], case[2]) for case in CASES if not case[3] and case[0] != "es"],
)
def test_marks_correct_text_needs_are_no_error_at_all(code: str, msgstr: str) -> None:
    msgid = next(case[1] for case in CASES if case[2] == msgstr)
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    findings = check_entry(entry, Language(code))
    assert [f for f in findings if f.severity is Severity.ERROR] == []


def test_a_control_character_is_named_with_its_position() -> None:
    entry = polib.POEntry(msgid="Hello world.", msgstr="Hola\x1b[31m mundo\x07.")
    [finding] = [f for f in check_entry(entry, Language("es")) if f.code == "control-character"]
    assert "U+001B (ESC) at character 5" in finding.message
    assert "U+0007 (BEL) at character 16" in finding.message
    assert not _RAW_CONTROL.search(finding.message)


def test_a_direction_control_left_open_is_named_with_its_position_and_closing_mark() -> None:
    entry = polib.POEntry(msgid="Open Word now.", msgstr="افتح \u2067Word الآن.")
    [finding] = [f for f in check_entry(entry, Language("ar")) if f.code == "bidi-control"]
    assert "U+2067 RIGHT-TO-LEFT ISOLATE at character 6" in finding.message
    assert "U+2069" in finding.message


# -- a project: PO escapes, approve, build, pages --------------------------------------------

_ESCAPED = {
    "\x1b": b"\\x1b",  # ESC, as \x1b
    "\x07": b"\\a",  # BEL, as \a
    "\x00": b"\\0",  # NUL, as \0
}


def _write_with_escapes(catalog: polib.POFile, path: Path) -> None:
    """Save ``catalog`` with its control characters written as the PO escapes people type."""
    data = catalog.__unicode__().encode("utf-8")
    for char, escape in _ESCAPED.items():
        data = data.replace(char.encode("ascii"), escape)
    assert not _RAW_CONTROL.search(data.decode("utf-8")), "only escapes in the file"
    path.write_bytes(data)


_TRANSLATIONS = {
    "The title": "Le titre\x1b[31m rouge",
    "The first paragraph is here.": "Le premier paragraphe\x07 est ici.",
    "The second paragraph is here.": "Le second paragraphe\x00 est ici.",
}


def _translated(make_project: MakeProject, translations: dict[str, str]) -> Project:
    """A Markdown project whose French catalog holds ``translations``, reviewed (not fuzzy)."""
    root = make_project({"doc.md": SHORT_DOC}, languages=("fr",))
    project = Project.open(root)
    project.extract()
    path = catalog_path(root, "fr", "doc")
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    _write_with_escapes(catalog, path)
    return project


def test_po_escapes_are_read_as_control_characters_and_reported(
    make_project: MakeProject,
) -> None:
    project = _translated(make_project, _TRANSLATIONS)
    findings = project.check()
    assert sorted((f.code, f.severity, f.reference) for f in findings) == [
        ("control-character", Severity.ERROR, "source/doc.md:1"),
        ("control-character", Severity.ERROR, "source/doc.md:3"),
        ("control-character", Severity.ERROR, "source/doc.md:5"),
    ]
    messages = " ".join(f.message for f in findings)
    assert "U+001B (ESC)" in messages and "U+0007 (BEL)" in messages
    assert "U+0000 (NUL)" in messages


def test_a_build_never_publishes_a_control_character(make_project: MakeProject) -> None:
    project = _translated(
        make_project, {**_TRANSLATIONS, "The second paragraph is here.": "Le second ici."}
    )
    [report] = project.build(keep=0, bilingual=True)
    assert report.state is EditionState.WRITTEN
    root = project.workspace.root
    edition = (root / "editions" / "fr" / "doc.md").read_text("utf-8")
    # the refused entries fall back to the source; the usable one is published
    assert edition == "# The title\n\nThe first paragraph is here.\n\nLe second ici.\n"
    for name in ("doc.html", "doc.bilingual.html"):
        html = (root / "editions" / "fr" / name).read_text("utf-8")
        assert not _RAW_CONTROL.search(html), name
        assert "rouge" not in html and "premier" not in html
    html = (root / "editions" / "fr" / "doc.html").read_text("utf-8")
    assert "<title>The title</title>" in html
    assert '<h1 lang="en" dir="ltr">The title</h1>' in html, "marked as the source's"


def test_drafts_refuse_control_characters_too(make_project: MakeProject) -> None:
    project = Project.open(make_project({"doc.md": SHORT_DOC}, languages=("fr",)))
    project.run(policy="draft", keep=0)
    root = project.workspace.root
    path = catalog_path(root, "fr", "doc")
    catalog = read_po(path)
    heading = catalog.find("The title")
    assert heading is not None and "fuzzy" in heading.flags
    heading.msgstr = "Le \x1b]0;pwned\x07titre"
    _write_with_escapes(catalog, path)
    project.build(policy="draft", keep=0)
    edition = (root / "drafts" / "fr" / "doc.md").read_text("utf-8")
    page_text = (root / "drafts" / "fr" / "doc.html").read_text("utf-8")
    assert "# The title\n" in edition and "pwned" not in edition + page_text
    assert not _RAW_CONTROL.search(edition + page_text)
    assert "<title>The title</title>" in page_text


def test_a_direction_control_left_open_is_not_published(make_project: MakeProject) -> None:
    project = _translated(
        make_project,
        {
            "The title": "Le titre \u202eruoj ud",
            "The first paragraph is here.": "Le \u2067premier\u2069 paragraphe est ici.",
        },
    )
    assert [(f.code, f.severity) for f in project.check()] == [("bidi-control", Severity.ERROR)]
    project.build(keep=0)
    edition = (project.workspace.root / "editions" / "fr" / "doc.md").read_text("utf-8")
    assert edition.startswith("# The title\n\nLe \u2067premier\u2069 paragraphe est ici.\n")
    assert "\u202e" not in edition


def _machine_output_with(project: Project, msgid: str, msgstr: str) -> None:
    """Make one entry untouched machine output (its provenance hash matching) with ``msgstr``."""
    path = catalog_path(project.workspace.root, "fr", "doc")
    catalog = read_po(path)
    entry = catalog.find(msgid)
    assert entry is not None
    provenance = read_provenance(entry.tcomment)
    assert provenance is not None
    entry.msgstr = msgstr
    entry.tcomment = with_provenance(
        entry.tcomment,
        type(provenance)(provenance.engine, provenance.model, provenance.score, text_hash(msgstr)),
    )
    _write_with_escapes(catalog, path)


@pytest.mark.parametrize(
    ("msgstr", "code"),
    [("Le titre\x1b[2J", "control-character"), ("Le titre \u202eruoj", "bidi-control")],
)
def test_approve_all_passing_refuses_them(
    make_project: MakeProject, msgstr: str, code: str
) -> None:
    project = Project.open(make_project({"doc.md": SHORT_DOC}, languages=("fr",)))
    project.run()
    _machine_output_with(project, "The title", msgstr)
    path = catalog_path(project.workspace.root, "fr", "doc")
    # translatio's reader turns the escape into the character (polib would keep "\\x1b")
    title = parse_po(path.read_bytes(), path=str(path)).find("The title")
    assert title is not None and title.msgstr == msgstr
    assert entry_state(title) is State.MACHINE
    report = project.approve("fr", all_passing=True, reviewer="R")
    assert report.refused == (("source/doc.md:1", (code,)),)
    assert len(report.approved) == 2
    # forced, it is approved, and still never published
    forced = project.approve("fr", all_passing=True, force=True, reviewer="R")
    assert forced.approved == ("source/doc.md:1",)
    project.build(keep=0)
    edition = (project.workspace.root / "editions" / "fr" / "doc.md").read_text("utf-8")
    assert edition.startswith("# The title\n") and "\u202e" not in edition
    assert not _RAW_CONTROL.search(edition)


def test_pages_write_the_replacement_character_for_control_characters() -> None:
    shell = page(title="Ti\x1btle\x00", lang="fr", body="<p>a\x07b\x9bc\td</p>\n", style="")
    assert "<title>Ti\ufffdtle\ufffd</title>" in shell
    assert "<p>a\ufffdb\ufffdc\td</p>" in shell
    assert not _RAW_CONTROL.search(shell)


@pytest.mark.parametrize("format", [Format.TEXT, Format.MARKDOWN])
def test_a_source_with_a_control_character_is_shown_with_the_replacement_character(
    format: Format,
) -> None:
    shown = render_page(
        "A source\x1b[1m with a bell\x07.\n", format, language=Language("en"), title="A\x1bB"
    )
    assert not _RAW_CONTROL.search(shown)
    assert "A source\ufffd[1m with a bell\ufffd." in shown and "<title>A\ufffdB</title>" in shown


def test_the_review_page_shows_the_entry_without_its_control_characters() -> None:
    catalog = polib.POFile()
    entry = polib.POEntry(
        msgid="Hello world.", msgstr="Hola\x1b[31m mundo.", occurrences=[("source/a.md", "1")]
    )
    catalog.append(entry)
    shown = render_review(
        catalog, source=Language("en"), target=Language("es"), path="x.po", title="T\x07"
    )
    assert not _RAW_CONTROL.search(shown)
    assert "Hola\ufffd[31m mundo." in shown
    assert "[control-character] control character U+001B (ESC) at character 5" in shown
