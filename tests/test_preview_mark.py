"""The preview mark: pseudo-localised text is recognised by its text, whatever tool it passed.

The pseudo engine puts ``⟦`` and ``⟧`` around each sentence it answers. Once the
provenance comment is gone (an editor, ``po2tmx`` and ``tm import``), the marks still
make the text a preview: ``check`` reports it, no reviewed edition, memory or import
takes it, and drafts show it labelled as a preview and count it as untranslated.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from translatio import CatalogError, EditionState, Policy, Project
from translatio.catalog.fill import translate_catalog
from translatio.catalog.merge import merge_catalog
from translatio.catalog.provenance import Provenance, text_hash, with_provenance
from translatio.catalog.states import State, entry_state
from translatio.catalog.values import build_template
from translatio.engines.pseudo import PseudoEngine, pseudo_localise, pseudo_preview
from translatio.languages import Language
from translatio.publish.edition import build_edition
from translatio.publish.render import render_body
from translatio.qa.checks import Severity, check_catalog, check_entry
from translatio.text.document import Format
from translatio.text.segment import segment_markdown

from .conftest import FIXTURES, SHORT_DOC, MakeProject, cli, read_po
from .prepared import catalog_path, entries, preview, save
from .test_tm_exchange import toolkit

OPEN, CLOSE = "\u27e6", "\u27e7"


def _accepted_elsewhere(project: Project) -> Path:
    """The previews as they come back from other tools: fuzzy cleared, comments gone."""
    path = catalog_path(project.workspace.root, "es", "doc")
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if entry.msgid:
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            entry.tcomment = ""
    save(catalog, path)
    return path


# -- the engine's mark ---------------------------------------------------------------------


def test_every_sentence_of_a_preview_is_marked_outside_its_markup() -> None:
    source = (FIXTURES / "markdown" / "rich.md").read_text("utf-8")
    document = segment_markdown(source, name="rich", path="rich.md")
    catalog, _ = merge_catalog(build_template(document, created=""), None, Language("fr"))
    catalog, _ = translate_catalog(
        catalog, PseudoEngine(), source=Language("en"), target=Language("fr")
    )
    # a text without words (a code span alone) is kept as it is, not pseudo-localised
    filled = [entry for entry in catalog if entry.msgid and entry.msgstr != entry.msgid]
    assert filled
    for entry in filled:
        # the engine carried the markup itself: no safe placement, no markup-placement error
        assert "markup=unsure" not in entry.tcomment, entry.msgid
        assert entry_state(entry) is State.PREVIEW
        assert OPEN in entry.msgstr and CLOSE in entry.msgstr, entry.msgstr
        assert entry.msgstr.replace(OPEN, "").replace(CLOSE, "").replace(" ", "") == (
            pseudo_localise(entry.msgid).replace(" ", "")
        )
    assert not [f for f in check_catalog(catalog, Language("fr")) if f.severity is Severity.ERROR]
    two = catalog.find("A second paragraph in the item.")
    assert two is not None and two.msgstr == pseudo_preview("A second paragraph in the item.")


def test_markdown_and_the_prose_checks_read_the_marks_as_text() -> None:
    sentences = ("Read *this* (and [that](https://example.org)).", "Then stop!")
    msgid, msgstr = " ".join(sentences), " ".join(pseudo_preview(s) for s in sentences)
    html = render_body(msgstr, Format.MARKDOWN)
    assert html.startswith(f"<p>{OPEN}Ŕéáđ <em>ţĥíš</em> (áñđ <a href=")
    assert html.endswith(f"šţóþ!{CLOSE}</p>\n")
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"])
    entry.tcomment = with_provenance(
        "", Provenance(engine="pseudo", model="pseudo-1", score=0.0, digest=text_hash(msgstr))
    )
    assert check_entry(entry, Language("fr")) == []  # no bracket, end or sentence warnings


def test_a_source_that_uses_the_brackets_itself_is_translated_as_usual() -> None:
    entry = polib.POEntry(msgid="The meaning ⟦e⟧ of e.", msgstr="Le sens ⟦e⟧ de e.")
    assert entry_state(entry) is State.TRANSLATED
    assert check_entry(entry, Language("fr")) == []


def test_previews_written_before_the_mark_are_marked_once(make_project: MakeProject) -> None:
    project = preview(make_project)
    path = catalog_path(project.workspace.root, "es", "doc")
    catalog = read_po(path)
    for entry in catalog:  # what an earlier version wrote: no marks, its own hash
        if entry.msgid:
            entry.msgstr = pseudo_localise(entry.msgid)
            provenance = Provenance(
                engine="pseudo", model="pseudo-1", score=0.0, digest=text_hash(entry.msgstr)
            )
            entry.tcomment = with_provenance("", provenance)
    save(catalog, path)
    [update] = project.translate(engine="pseudo")
    assert update.report.refreshed == 3
    assert [entry.msgstr for entry in entries(path)] == [
        pseudo_preview(text)
        for text in ("The title", "The first paragraph is here.", "The second paragraph is here.")
    ]
    [again] = project.translate(engine="pseudo")
    assert (again.report.filled, again.report.refreshed, again.written) == (0, 0, False)


# -- accepted elsewhere: check, state, editions, memory ------------------------------------


def _pseudo_comment(text: str) -> str:
    digest = text_hash(text)
    return with_provenance(
        "", Provenance(engine="pseudo", model="pseudo-1", score=0.0, digest=digest)
    )


MARKED = pseudo_preview("The first paragraph is here.")


@pytest.mark.parametrize(
    ("flags", "comment", "msgstr", "codes"),
    [
        (["fuzzy"], _pseudo_comment(MARKED), MARKED, []),  # untouched: a preview, no finding
        ([], _pseudo_comment(MARKED), MARKED, []),  # accepted, comment kept: still untouched
        ([], "", MARKED, ["preview-text"]),  # accepted, comment gone (another tool)
        (["fuzzy"], "", MARKED, ["preview-text"]),  # fuzzy, comment gone (tmx2po, msgcat)
        (["fuzzy"], _pseudo_comment(MARKED), "El " + MARKED, ["preview-text"]),  # edited
        (
            ["fuzzy"],
            "translation memory: 100% old.tmx:3 (imported, reviewed by Bob)",
            MARKED,
            ["preview-text"],
        ),  # an imported memory fill
        ([], "", "El primer párrafo está aquí.", []),
    ],
    ids=["untouched", "accepted", "reviewed", "fuzzy", "edited", "memory fill", "translation"],
)
def test_check_reports_the_mark_anywhere_but_in_an_untouched_preview(
    flags: list[str], comment: str, msgstr: str, codes: list[str]
) -> None:
    entry = polib.POEntry(
        msgid="The first paragraph is here.", msgstr=msgstr, flags=flags, tcomment=comment
    )
    findings = check_entry(entry, Language("es"))
    assert [f.code for f in findings] == codes
    assert all(f.severity is Severity.ERROR for f in findings)
    assert (entry_state(entry) is State.PREVIEW) is (OPEN in msgstr)


def test_a_preview_accepted_in_an_editor_without_its_comment_is_an_error_and_never_published(
    make_project: MakeProject,
) -> None:
    project = preview(make_project)
    root = project.workspace.root
    _accepted_elsewhere(project)

    findings = project.check()
    assert [(f.code, f.severity) for f in findings] == [("preview-text", Severity.ERROR)] * 3
    result = cli(root, "check", "-l", "es")
    assert result.exit_code == 1 and "error[preview-text]" in result.output
    [status] = project.status()
    assert status.entries[State.PREVIEW] == 3 and status.entries[State.TRANSLATED] == 0

    [report] = project.build(keep=0)
    assert report.state is EditionState.WRITTEN and report.completeness == 0.0
    assert (root / "editions" / "es" / "doc.md").read_text("utf-8") == SHORT_DOC
    [refused] = project.build()  # the default --keep 80 of a reviewed edition
    assert refused.state is EditionState.SKIPPED

    approval = project.approve("es", all_passing=True, force=True, reviewer="Ada")
    assert approval.approved == () and len(approval.refused) == 3
    assert project.tm_stats()[0].paragraphs == 0  # the memory never offers it


def test_an_edited_preview_that_keeps_a_mark_is_still_a_preview(
    make_project: MakeProject,
) -> None:
    project = preview(make_project)
    path = _accepted_elsewhere(project)
    catalog = read_po(path)
    entry = catalog.find("The first paragraph is here.")
    assert entry is not None
    entry.msgstr = "El primer párrafo está aquí. " + pseudo_preview("Still to do.")
    save(catalog, path)
    assert entry_state(read_po(path).find("The first paragraph is here.")) is State.PREVIEW
    edition = build_edition(project.documents()[0], read_po(path), policy=Policy.REVIEWED)
    assert edition.text == SHORT_DOC
    # a real engine leaves it to the person: it may hold their words
    [update] = project.translate(engine="apertium")
    assert update.report.refreshed + update.report.filled == 0
    assert read_po(path).find("The first paragraph is here.").msgstr == entry.msgstr


# -- tm import ---------------------------------------------------------------------------


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" datatype="plaintext" segtype="sentence"
    adminlang="en" srclang="en" o-tmf="test"/>
  <body>
{units}
  </body>
</tmx>
"""
UNIT = """    <tu>
      <tuv xml:lang="en"><seg>{source}</seg></tuv>
      <tuv xml:lang="es"><seg>{target}</seg></tuv>
    </tu>"""


def _tmx(path: Path, pairs: list[tuple[str, str]]) -> Path:
    units = "\n".join(UNIT.format(source=source, target=target) for source, target in pairs)
    path.write_text(TMX.format(units=units), "utf-8")
    return path


def test_a_tmx_holding_marked_text_is_refused_with_a_count(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"doc.md": SHORT_DOC}, languages=("es",))
    project = Project.open(root)
    first, second = "The first paragraph is here.", "The second paragraph is here."
    source = _tmx(
        tmp_path / "mixed.tmx",
        [
            (first, pseudo_preview(first)),
            (second, "El segundo párrafo está aquí."),
            ("The title", "El " + pseudo_preview("title")),  # half edited: still marked
        ],
    )
    report = project.tm_import(source)
    assert (report.previews, [(code, units) for code, _, units in report.stored]) == (
        2,
        [("es", 1)],
    )
    [(_, kept_in, _)] = report.stored  # locales/memory/es/mixed.tmx-<hash of its path>.po
    stored = (root / kept_in).read_text("utf-8")
    assert OPEN not in stored and CLOSE not in stored

    result = cli(root, "tm", "import", str(source), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["previews"] == 2
    result = cli(root, "tm", "import", str(source))
    assert result.stdout.splitlines()[-1] == (
        "2 units refused: preview text marked ⟦…⟧ (the pseudo engine's), not translations"
    )

    only = _tmx(tmp_path / "only.tmx", [(first, pseudo_preview(first))])
    with pytest.raises(CatalogError) as raised:
        project.tm_import(only)
    assert "(1 refused: preview text marked ⟦…⟧, not translations)" in str(raised.value)


def test_pseudo_output_through_po2tmx_and_back_imports_nothing_marked(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = preview(make_project)
    path = _accepted_elsewhere(project)  # po2tmx leaves fuzzy entries out
    catalog = read_po(path)
    human = catalog.find("The second paragraph is here.")
    assert human is not None
    human.msgstr = "El segundo párrafo, de una persona."
    save(catalog, path)
    exported = tmp_path / "previews.tmx"
    toolkit("po2tmx", "-l", "es", "-i", str(path), "-o", str(exported))

    report = project.tm_import(exported)
    memory = project.workspace.root / report.stored[0][1]
    assert [entry.msgstr for entry in read_po(memory) if entry.msgid] == [
        "El segundo párrafo, de una persona."
    ]
    assert exported.read_text("utf-8").count(OPEN) == 2  # the tool kept the text as it was
    assert report.previews == 2
    assert [(code, units) for code, _, units in report.stored] == [("es", 1)]
    [stats] = project.tm_stats()
    assert (stats.paragraphs, stats.imported) == (1, 1)  # the person's entry, twice


# -- drafts --------------------------------------------------------------------------------


def test_a_pseudo_only_draft_counts_as_untranslated(make_project: MakeProject) -> None:
    project = preview(make_project)
    root = project.workspace.root
    [skipped] = project.build(policy="draft", keep=50)
    assert (skipped.state, skipped.completeness) == (EditionState.SKIPPED, 0.0)
    assert skipped.preview == 100.0
    result = cli(root, "build", "--draft", "--keep", "50")
    assert result.stdout.splitlines() == [
        "es/doc: skipped: 0.0% draft is below --keep 50%; "
        "100.0% is preview text, which counts as untranslated"
    ]
    # the skipped draft is no longer published: the earlier build's files are removed
    assert not (root / "drafts" / "es" / "doc.md").exists()
    assert not (root / "drafts" / "es" / "doc.html").exists()
    [written] = project.build(policy="draft", keep=0)
    assert (written.state, written.completeness) == (EditionState.WRITTEN, 0.0)
    assert not (root / "editions").exists()
    index = (root / "drafts" / "index.html").read_text("utf-8")
    row = re.search(r'<tr class="draft">.*?</tr>', index, re.S)
    assert row is not None and "<td>0%</td><td>0%</td>" in row.group(0), index
