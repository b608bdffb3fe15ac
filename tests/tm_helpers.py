"""Projects with reviewed work in them, for the translation-memory tests."""

from __future__ import annotations

from pathlib import Path

import polib

from translatio import Project

from .conftest import MakeProject, read_po

FIRST = (
    "# Reviewed article\n\n"
    "The committee met on Monday. It approved the budget.\n\n"
    "Our readers asked for longer opening hours at the library.\n\n"
    "This paragraph appears only in the first article.\n"
)
"""The article a person translated into French (``first``)."""

FIRST_FR = {
    "Reviewed article": "Article relu",
    "The committee met on Monday. It approved the budget.": (
        "Le comité s'est réuni lundi. Il a approuvé le budget."
    ),
    "Our readers asked for longer opening hours at the library.": (
        "Nos lecteurs ont demandé des horaires d'ouverture plus longs à la bibliothèque."
    ),
    "This paragraph appears only in the first article.": (
        "Ce paragraphe n'apparaît que dans le premier article."
    ),
}

SECOND = (
    "# A new article\n\n"
    "Our readers asked for longer opening hours at the library.\n\n"
    "Our readers asked for longer opening hours at the town library.\n\n"
    "Something entirely different is said here, about the weather.\n"
)
"""A second article: one paragraph exactly as reviewed, one close to it, one new."""

TRANSLATOR = "Ada Lovelace <ada@example.org>"


READERS = "Our readers asked for longer opening hours at the library."
TOWN = "Our readers asked for longer opening hours at the town library."
"""A reviewed paragraph and a close variant of it (one word added)."""


def catalog_of(root: Path, document: str, language: str = "fr") -> Path:
    return root / "locales" / language / "LC_MESSAGES" / f"{document}.po"


def by_msgid(path: Path) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in read_po(path) if entry.msgid and not entry.obsolete}


def translate_by_hand(
    path: Path, translations: dict[str, str], *, translator: str = TRANSLATOR
) -> None:
    """What a translator does in Poedit: type translations (not fuzzy), name themselves."""
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.metadata["Last-Translator"] = translator
    path.write_bytes(catalog.__unicode__().encode("utf-8"))


def reviewed_first(
    make_project: MakeProject,
    second: str = SECOND,
    *,
    extra: str = "",
    languages: tuple[str, ...] = ("fr",),
) -> Project:
    """``first`` reviewed in French by a person, ``second`` only extracted."""
    root = make_project({"first.md": FIRST, "second.md": second}, languages=languages, extra=extra)
    project = Project.open(root)
    project.extract()
    translate_by_hand(catalog_of(root, "first"), FIRST_FR)
    return project
