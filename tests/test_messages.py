"""translatio's own messages: the shipped ``translatio`` gettext domain and its fallbacks.

GNU msgfmt is the oracle for the catalogs; Babel (CLDR) for language names and locales.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from translatio.languages import Language
from translatio.publish import messages
from translatio.publish.language_names import _AUTONYMS, _LIKELY_TERRITORY, autonym, og_locale

from .conftest import gettext_tool, read_po

PACKAGE = Path(__file__).parents[1] / "src" / "translatio"
LOCALE = PACKAGE / "publish" / "locale"
CONFIGURED = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))[
    "tool"
]["translatio"]["languages"]
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/translatio.po"))


def test_every_configured_language_has_a_catalog() -> None:
    shipped = {path.parents[1].name for path in CATALOGS}
    assert set(CONFIGURED) <= shipped
    assert len(CATALOGS) >= 7


def test_the_template_holds_exactly_the_messages_the_code_uses() -> None:
    template = read_po(LOCALE / "translatio.pot")
    assert [entry.msgid for entry in template if entry.msgid] == list(messages.MESSAGES)
    source = "\n".join(path.read_text("utf-8") for path in PACKAGE.rglob("*.py"))
    for name in re.findall(
        r"^([A-Z_]+) = ", (LOCALE.parent / "messages.py").read_text("utf-8"), re.M
    ):
        if name not in {"DOMAIN", "MESSAGES"}:
            assert f"messages.{name}" in source, f"{name} is never shown"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parents[1].name)
def test_each_catalog_is_complete_and_valid_gettext(path: Path) -> None:
    result = subprocess.run(
        [gettext_tool("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"{len(messages.MESSAGES)} translated messages."
    catalog = read_po(path)
    assert catalog.metadata["Language"] == path.parents[1].name
    assert Language(path.parents[1].name).plural_forms == catalog.metadata["Plural-Forms"]
    for entry in catalog:
        if entry.msgid:
            placeholders = set(re.findall(r"\{\w+\}", entry.msgid))
            assert set(re.findall(r"\{\w+\}", entry.msgstr)) == placeholders, entry.msgid
            assert ("python-brace-format" in entry.flags) is bool(placeholders)
            if entry.msgstr == entry.msgid:  # only words that are spelt the same
                assert entry.msgid in {"original", "Original ({language})", "Corrections"}, (
                    entry.msgid
                )


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parents[1].name)
def test_catalogs_are_laid_out_as_gettext_writes_them(path: Path) -> None:
    result = subprocess.run([gettext_tool("msgcat"), str(path)], capture_output=True, check=True)
    assert result.stdout == path.read_bytes()


@pytest.mark.parametrize(
    ("code", "expected", "found"),
    [
        ("zh_CN", "草稿：本版本包含尚未经过审校的机器翻译。", "zh_CN"),
        ("ru", "Черновик: это издание содержит машинный перевод, который ещё не проверен.", "ru"),
        ("ar", "مسودة: تحتوي هذه النسخة على ترجمة آلية لم تُراجَع بعد.", "ar"),
        ("pt_BR", messages.DRAFT_NOTICE, None),
        ("ko", messages.DRAFT_NOTICE, None),
    ],
)
def test_a_language_without_a_catalog_falls_back_to_english(
    code: str, expected: str, found: str | None
) -> None:
    words = messages.translator(Language(code))
    assert words(messages.DRAFT_NOTICE) == expected
    assert words.found == (Language(found) if found else None)
    assert words.language_of(messages.DRAFT_NOTICE) == Language(code if found else "en")
    assert words(messages.REVIEW_TITLE, document="a/b", language="X").count("a/b") == 1


def test_a_regional_variant_uses_its_languages_catalog() -> None:
    words = messages.translator(Language("de_AT"))
    assert words.found == Language("de")
    assert words(messages.LANGUAGES) == "Sprachen"
    assert words.language_of(messages.LANGUAGES) == Language("de_AT")


def test_the_package_ships_the_catalogs() -> None:
    """hatchling packages every file under src/translatio that git does not ignore."""
    ignored = subprocess.run(
        ["git", "check-ignore", *map(str, [LOCALE / "translatio.pot", *CATALOGS])],
        capture_output=True,
        text=True,
        check=False,
        cwd=LOCALE,
    )
    assert ignored.stdout == ""
    pyproject = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text("utf-8"))
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/translatio"]


@pytest.mark.parametrize(
    "code",
    # CLDR reads tl as Filipino; Argos's tl model is Tagalog, and is named so
    sorted(code for code in _AUTONYMS if "_" not in code and code != "tl"),
)
def test_language_names_are_cldrs(code: str) -> None:
    from babel import Locale

    cldr = Locale.parse(code).get_language_name(code)
    assert autonym(Language(code)).casefold() == cldr.casefold()


@pytest.mark.parametrize("code", sorted(_LIKELY_TERRITORY))
def test_open_graph_locales_use_cldrs_likely_territory(code: str) -> None:
    from babel.core import get_global

    likely = get_global("likely_subtags")[code]
    expected = "PT" if code == "pt" else likely.split("_")[-1]  # pt on disk is pt-PT
    assert og_locale(Language(code)) == f"{code}_{expected}"
    assert og_locale(Language("zh_TW")) == "zh_TW"
