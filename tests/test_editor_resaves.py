"""Provenance survives every editor: a re-save by Babel, polib, translate-toolkit, msgcat
or msgmerge changes no entry's state, and the review page tells a reviewer what it needs.

Babel and polib wrap the one-line ``machine translation: … hash=…`` comment over two or
three lines; the catalogs are re-saved here by the real tools, never by an imitation.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po as babel_read_po
from babel.messages.pofile import write_po as babel_write_po
from translate.storage import pypo

from translatio import CatalogStatus, Project
from translatio.catalog.provenance import (
    Provenance,
    logical_lines,
    read_provenance,
    read_unknown_words,
    text_hash,
    with_provenance,
    with_review,
)
from translatio.catalog.states import State
from translatio.languages import Language
from translatio.publish.review_page import render_review

from .conftest import ARTICLE, MakeProject, gettext_tool, read_po

_REVIEWER = "Ada Lovelace-Byron of the Analytical Engine Translation Society"


def _catalogs(root: Path) -> list[Path]:
    return sorted(root.glob("locales/*/LC_MESSAGES/*.po"))


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    """Apertium MT (es) with unknown words, pseudo MT (fr), an approved and a human entry."""
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-spa")
    root = make_project(
        {"article.txt": ARTICLE.read_text("utf-8"), "notes.md": "# Option\n\nXi Jinping spoke.\n"},
        languages=("es", "fr"),
        engine="apertium",
    )
    project = Project.open(root)
    project.extract()
    [es_article, es_notes] = project.translate(["es"], engine="apertium")
    [fr_article, fr_notes] = project.translate(["fr"], engine="pseudo")
    assert all(update.report.filled for update in (es_article, es_notes, fr_article, fr_notes))
    approval = project.approve("es", references=["source/article.txt:3"], reviewer=_REVIEWER)
    assert approval.approved == ("source/article.txt:3",)
    po = root / "locales" / "es" / "LC_MESSAGES" / "article.po"
    catalog = read_po(po)
    human = next(entry for entry in catalog if entry.occurrences == [("source/article.txt", "5")])
    human.msgstr = "Texto escrito por una persona."  # a translator's own text, accepted
    human.flags.remove("fuzzy")
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    return root


def _resave_babel(path: Path) -> None:
    with path.open("rb") as file:
        catalog = babel_read_po(file)
    output = io.BytesIO()
    babel_write_po(output, catalog)
    path.write_bytes(output.getvalue())


def _resave_polib(path: Path) -> None:
    catalog = polib.pofile(str(path))
    catalog.wrapwidth = 79
    path.write_bytes(str(catalog).encode("utf-8"))


def _resave_translate_toolkit(path: Path) -> None:
    store = pypo.pofile.parsefile(str(path))
    path.write_bytes(bytes(store))


def _resave_msgcat(path: Path) -> None:
    subprocess.run([gettext_tool("msgcat"), "-o", str(path), str(path)], check=True)


def _resave_msgmerge(path: Path) -> None:
    template = path.parents[2] / f"{path.stem}.pot"
    subprocess.run(
        [
            gettext_tool("msgmerge"),
            "--quiet",
            "--previous",
            "-o",
            str(path),
            str(path),
            str(template),
        ],
        check=True,
    )


_TOOLS: dict[str, tuple[Callable[[Path], None], bool]] = {
    # tool: (re-save, whether it wraps the provenance comment)
    "babel": (_resave_babel, True),
    "polib-79": (_resave_polib, True),
    "translate-toolkit": (_resave_translate_toolkit, False),
    "msgcat": (_resave_msgcat, False),
    "msgmerge": (_resave_msgmerge, False),
}


def _what_translatio_sees(
    root: Path, scratch: Path
) -> tuple[list[CatalogStatus], dict[str, set[str]]]:
    """The project's status, and per language the entries ``approve(all_passing)`` clears."""
    status = Project.open(root).status()
    copy = scratch / "approve-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy)
    before = {path.relative_to(copy): read_po(path) for path in _catalogs(copy)}
    accepted: dict[str, set[str]] = {}
    for language in ("es", "fr"):
        Project.open(copy).approve(language, all_passing=True, reviewer=_REVIEWER)
    for relative, old in before.items():
        # what approval cleared on disk: a preview stays a preview, so its state cannot tell
        now = {entry.msgid: entry for entry in read_po(copy / relative) if entry.msgid}
        cleared = {
            entry.msgid
            for entry in old
            if entry.msgid and entry.fuzzy and not now[entry.msgid].fuzzy
        }
        accepted.setdefault(relative.parts[1], set()).update(cleared)
    return status, accepted


def _states(status: list[CatalogStatus], language: str) -> set[State]:
    """The states that some entry of the language's catalogs is in."""
    return {
        state
        for catalog in status
        if catalog.language == language
        for state, count in catalog.entries.items()
        if count
    }


@pytest.mark.parametrize("tool", sorted(_TOOLS))
def test_a_resave_by_any_editor_changes_no_state(project: Path, tmp_path: Path, tool: str) -> None:
    status, accepted = _what_translatio_sees(project, tmp_path)
    assert accepted["es"], "apertium output that passes QA is there to approve"
    assert not accepted["fr"], "a preview is never approved"
    assert {State.TRANSLATED, State.MACHINE} <= _states(status, "es")
    assert _states(status, "fr") == {State.PREVIEW}
    resave, wraps = _TOOLS[tool]
    texts_before = {path: path.read_text("utf-8") for path in _catalogs(project)}
    for path in _catalogs(project):
        resave(path)
    resaved = "\n".join(path.read_text("utf-8") for path in _catalogs(project))
    assert resaved != "\n".join(texts_before.values()) or not wraps
    if wraps:  # the tool really did split our comment lines
        assert "\n# hash=" in resaved or "\n# score=" in resaved
        assert "\n# 2026-01-01 00:00+0000" in resaved
    assert _what_translatio_sees(project, tmp_path) == (status, accepted)
    for path in _catalogs(project):
        for entry in read_po(path):
            if entry.msgid and read_provenance(entry.tcomment) is not None:
                assert all(
                    not line.startswith(("hash=", "score="))
                    for line in logical_lines(entry.tcomment)
                )


_LONG = Provenance(
    engine="argos",
    model="translate-en_zh-1.9+opencc-s2twp-very-long-variant-name-1.1.7",
    score=-0.4321,
    digest=text_hash("x"),
)


@pytest.mark.parametrize("width", [30, 50, 79])
def test_comments_written_by_translatio_read_the_same_wrapped_or_not(width: int) -> None:
    comment = with_review(
        with_provenance(
            "My own note.",
            _LONG,
            unknown_words=("Jinping", "state-owned", "Zedong", "Xiaoping", "Keqiang"),
        ),
        _REVIEWER,
        "2026-01-01 00:00+0000",
    )
    catalog = polib.POFile(wrapwidth=width)
    catalog.append(polib.POEntry(msgid="a", msgstr="x", tcomment=comment))
    [wrapped] = [entry for entry in polib.pofile(str(catalog)) if entry.msgid]
    assert len(wrapped.tcomment.splitlines()) > len(comment.splitlines())  # really wrapped
    assert read_provenance(wrapped.tcomment) == read_provenance(comment) == _LONG
    assert read_unknown_words(wrapped.tcomment) == read_unknown_words(comment)
    assert logical_lines(wrapped.tcomment) == comment.splitlines()
    # rewriting a wrapped comment leaves no orphaned pieces of the old lines behind
    assert with_provenance(wrapped.tcomment, _LONG) == with_provenance(comment, _LONG)


def test_a_translators_lines_after_ours_are_never_swallowed() -> None:
    comment = "reviewed: someone without a date\nMy own note.\nAnother note."
    assert logical_lines(comment) == comment.splitlines()
    assert "My own note." in with_review(comment, "Ada", "2026-01-01 00:00+0000")


def _review_page(catalog: polib.POFile) -> str:
    return render_review(
        catalog, source=Language("en"), target=Language("es"), path="es.po", title="t"
    )


def test_review_page_shows_untranslated_words_and_no_score_for_unscored_engines(
    project: Path,
) -> None:
    catalog = read_po(project / "locales" / "es" / "LC_MESSAGES" / "notes.po")
    page = _review_page(catalog)
    spoke = next(entry for entry in catalog if entry.msgid == "Xi Jinping spoke.")
    assert "Jinping" in read_unknown_words(spoke.tcomment)
    assert "left untranslated by apertium: Xi, Jinping" in page
    assert "apertium, score —" in page and "score 0.00" not in page
    argos = Provenance("argos", "translate-en_es-1.9", -0.25, text_hash(spoke.msgstr))
    spoke.tcomment = with_provenance("", argos)
    assert "argos, score -0.25" in _review_page(catalog)


def test_review_page_explains_a_msgcat_conflict(tmp_path: Path) -> None:
    one, two = tmp_path / "one.po", tmp_path / "two.po"
    for path, text in ((one, "Hola."), (two, "Buenos días.")):
        path.write_text(
            'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgid "Hello."\nmsgstr "{text}"\n',
            encoding="utf-8",
        )
    merged = subprocess.run(
        [gettext_tool("msgcat"), str(one), str(two)], capture_output=True, text=True, check=True
    ).stdout
    assert "#-#-#-#-#" in merged
    page = _review_page(polib.pofile(merged))
    assert "msgcat conflict" in page and "one.po" in page and "two.po" in page


def test_a_persons_rewrite_drops_the_stale_untranslated_words(project: Path) -> None:
    po = project / "locales" / "es" / "LC_MESSAGES" / "notes.po"
    catalog = read_po(po)
    spoke = next(entry for entry in catalog if entry.msgid == "Xi Jinping spoke.")
    assert read_unknown_words(spoke.tcomment)
    spoke.msgstr = "Xi Jinping habló."  # a person fixes the text in an editor
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    assert "left untranslated" not in _review_page(read_po(po))
    saved = po.read_bytes()
    Project.open(project).extract()  # dropping the stale line alone is no reason to rewrite
    assert po.read_bytes() == saved
    notes = project / "source" / "notes.md"
    notes.write_text(notes.read_text("utf-8") + "\nA new paragraph.\n", "utf-8")
    Project.open(project).extract()  # the next real change carries the comment over
    merged = next(entry for entry in read_po(po) if entry.msgid == "Xi Jinping spoke.")
    assert merged.msgstr == "Xi Jinping habló."
    assert read_unknown_words(merged.tcomment) == ()
    assert read_provenance(merged.tcomment) == read_provenance(spoke.tcomment)
