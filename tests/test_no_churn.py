"""No churn from other tools: a catalog whose entries did not change is never rewritten.

Another tool's save (Babel's ``write_po``, translate-toolkit setting ``X-Generator`` the
way Poedit 3.2.2 does) drops or replaces translatio's headers and re-lays the file out;
an editor clears a fuzzy flag. None of that makes ``extract`` or ``translate`` rewrite
the file: what translatio must remember of it is written with the next real change, and
the guard against a cut-short catalog keeps working from the project's own record
(``locales/merged.tsv``). Catalogs are re-saved by the real tools, never an imitation.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po as babel_read_po
from babel.messages.pofile import write_po as babel_write_po
from translate.storage import pypo

from translatio import Project
from translatio.catalog.states import State, entry_state
from translatio.catalog.values import GENERATOR, TEMPLATE_HEADER
from translatio.errors import CatalogError

from .conftest import MakeProject, msgfmt_check, read_po

DOC = (
    "# The title\n\nThe first paragraph is here.\n\nThe second paragraph is here, and it "
    "is long enough that every writer wraps it somewhere past the seventy-ninth column.\n"
)
CATALOG = "locales/fr/LC_MESSAGES/doc.po"


@pytest.fixture
def project(make_project: MakeProject) -> Project:
    """A French catalog filled by the stand-in MT engine (fuzzy, with provenance)."""
    project = Project.open(make_project({"doc.md": DOC}, languages=("fr",)))
    project.extract()
    [update] = project.translate()
    assert update.report.filled == 3
    return project


def _babel_resave(path: Path, *, clear_fuzzy: bool = False, drop: str | None = None) -> None:
    """What Babel (pybabel, an editor built on it) does to a catalog it saves."""
    catalog = babel_read_po(io.BytesIO(path.read_bytes()))
    for message in catalog:
        if message.id and clear_fuzzy:
            message.flags.discard("fuzzy")
    if drop is not None:
        del catalog[drop]
    out = io.BytesIO()
    babel_write_po(out, catalog)
    path.write_bytes(out.getvalue())


def _toolkit_resave(path: Path, *, generator: str, clear_fuzzy: bool = False) -> None:
    """translate-toolkit's writer, setting ``X-Generator`` as Poedit 3.2.2 does on save."""
    store = pypo.pofile.parsefile(io.BytesIO(path.read_bytes()))
    store.updateheader(add=True, X_Generator=generator)
    for unit in store.units:
        if not unit.isheader() and clear_fuzzy:
            unit.markfuzzy(False)
    path.write_bytes(bytes(store))


def _untouched(path: Path, before: bytes, inode: int) -> None:
    assert path.read_bytes() == before
    assert path.stat().st_ino == inode  # not even replaced by the same bytes


def test_a_babel_resave_is_not_undone(project: Project) -> None:
    path = project.workspace.root / CATALOG
    _babel_resave(path)
    saved, inode = path.read_bytes(), path.stat().st_ino
    assert TEMPLATE_HEADER.encode() not in saved and b"Generated-By: Babel" in saved
    [extracted] = project.extract()
    assert not extracted.written
    [translated] = project.translate()
    assert not translated.written
    _untouched(path, saved, inode)


def test_a_fuzzy_flag_cleared_in_an_editor_costs_no_rewrite(project: Project) -> None:
    path = project.workspace.root / CATALOG
    _babel_resave(path, clear_fuzzy=True)
    saved, inode = path.read_bytes(), path.stat().st_ino
    assert not project.extract()[0].written
    assert not project.translate(refresh=True)[0].written
    _untouched(path, saved, inode)
    assert {entry_state(e) for e in read_po(path) if e.msgid} == {State.TRANSLATED}

    # the next real change records the acceptance: the edited paragraph's accepted
    # text becomes fuzzy, and is never taken for untouched machine output
    source = project.workspace.root / "source" / "doc.md"
    source.write_text(DOC.replace("first paragraph", "first paragraph really"), "utf-8")
    [update] = project.extract()
    assert update.written and update.merge.fuzzy == 1
    catalog = read_po(path)
    changed = next(e for e in catalog if e.msgid == "The first paragraph really is here.")
    assert changed.previous_msgid == "The first paragraph is here."
    assert "reviewed: fuzzy flag cleared in an editor" in changed.tcomment
    assert entry_state(changed) is State.NEEDS_UPDATE
    kept = changed.msgstr
    [refreshed] = project.translate(refresh=True)
    assert refreshed.report.refreshed == 0
    assert next(e for e in read_po(path) if e.msgid == changed.msgid).msgstr == kept
    # and translatio's headers are back with that write
    assert catalog.metadata["X-Generator"] == GENERATOR
    assert TEMPLATE_HEADER in catalog.metadata
    msgfmt_check(path)


def test_poedit_setting_its_generator_is_left_alone(project: Project) -> None:
    path = project.workspace.root / CATALOG
    _toolkit_resave(path, generator="Poedit 3.2.2", clear_fuzzy=True)
    saved, inode = path.read_bytes(), path.stat().st_ino
    assert b"X-Generator: Poedit 3.2.2" in saved
    assert not project.extract()[0].written
    assert not project.translate()[0].written
    _untouched(path, saved, inode)


def test_a_real_change_is_still_written(project: Project) -> None:
    path = project.workspace.root / CATALOG
    _babel_resave(path)
    source = project.workspace.root / "source" / "doc.md"
    source.write_text(DOC + "\nZebras graze quietly.\n", "utf-8")
    [update] = project.extract()
    assert update.written and update.merge.new == 1
    catalog = read_po(path)
    assert catalog.metadata["X-Generator"] == GENERATOR
    assert "Generated-By" not in catalog.metadata


def test_a_header_that_matters_is_still_corrected(project: Project) -> None:
    path = project.workspace.root / CATALOG
    path.write_bytes(path.read_bytes().replace(b"plural=(n > 1)", b"plural=(n != 1)"))
    assert project.extract()[0].written
    assert read_po(path).metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_the_truncation_guard_works_without_the_header(project: Project) -> None:
    root = project.workspace.root
    record = root / "locales" / "merged.tsv"
    assert record.read_text("utf-8").splitlines()[1:] == [
        f"{CATALOG}\t{read_po(root / CATALOG).metadata[TEMPLATE_HEADER]}"
    ]
    inode = record.stat().st_ino
    project.extract()
    assert record.stat().st_ino == inode  # written only when it changes
    _babel_resave(root / CATALOG, drop="The first paragraph is here.")
    assert TEMPLATE_HEADER not in read_po(root / CATALOG).metadata
    with pytest.raises(CatalogError, match="1 entries of the template are missing"):
        project.extract()
    [update] = project.extract(force=True)
    assert update.written and update.merge.new == 1


def test_the_record_is_the_same_whatever_the_order_of_work(make_project: MakeProject) -> None:
    root = make_project({"b.md": DOC, "a.md": DOC}, languages=("fr", "de"))
    Project.open(root).extract(["fr"])
    Project.open(root).extract(["de"])
    lines = (root / "locales" / "merged.tsv").read_text("utf-8").splitlines()
    assert lines[1:] == sorted(lines[1:]) and len(lines) == 5
    assert lines[0].startswith("# translatio:")
