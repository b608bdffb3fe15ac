"""Projects prepared through the API, in the states the step tests start from."""

from __future__ import annotations

from pathlib import Path

import polib

from translatio import Project

from .conftest import SHORT_DOC, MakeProject, read_po

FR_CATALOG = "locales/fr/LC_MESSAGES/article.po"


def catalog_path(root: Path, language: str = "fr", document: str = "article") -> Path:
    return root / "locales" / language / "LC_MESSAGES" / f"{document}.po"


def entries(path: Path) -> list[polib.POEntry]:
    """The catalog's active entries (no header, no obsolete ones)."""
    return [entry for entry in read_po(path) if entry.msgid and not entry.obsolete]


def save(catalog: polib.POFile, path: Path) -> None:
    path.write_bytes(catalog.__unicode__().encode("utf-8"))


def machine_translated(make_project: MakeProject, language: str = "fr") -> Project:
    """The article in one language, filled by the stand-in MT engine (reviewed build skipped)."""
    project = Project.open(make_project(languages=(language,)))
    project.run()
    return project


def preview(make_project: MakeProject) -> Project:
    """A Spanish project whose catalog holds pseudo-localised previews, built as a draft."""
    project = Project.open(make_project({"doc.md": SHORT_DOC}, languages=("es",), engine="pseudo"))
    project.run(policy="draft", keep=0)
    return project


def cleared_in_an_editor(project: Project) -> None:
    """What Poedit does: the "needs work" toggle clears fuzzy, and long lines re-wrap."""
    path = catalog_path(project.workspace.root)
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid:
            entry.flags.remove("fuzzy")
    catalog.wrapwidth = 79
    save(catalog, path)
    assert max(len(line) for line in path.read_text("utf-8").splitlines()) <= 80
