"""Whole sentences to every engine, markup put back: by the engine, by alignment, or flagged.

The reproductions of the issue run through real Apertium; placement by alignment runs
through the scripted engine with the alignments a neural engine's attention would give.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from translatio import Capabilities, Project
from translatio.engines.scripted import ScriptedEngine
from translatio.text.inline import strip
from translatio.text.placement import check_carried, place

from .conftest import MakeProject, read_po, registered

ISSUE = (
    "We need *longer opening hours* for the library.\n\n"
    "Two members of the **board** voted against the plan.\n\n"
    "The `opening_hours` setting controls the framing of the page.\n\n"
    "Read [the full report](https://example.org/r) before the meeting.\n"
)


def _apertium_alone(text: str) -> str:
    done = subprocess.run(
        ["apertium", "-f", "txt", "eng-spa"], input=text, capture_output=True, text=True
    )
    return " ".join(done.stdout.replace("*", "").split())


def _msgstrs(root: Path, language: str = "es", name: str = "a") -> dict[str, str]:
    catalog = read_po(root / "locales" / language / "LC_MESSAGES" / f"{name}.po")
    return {entry.msgid: entry.msgstr for entry in catalog if entry.msgid}


def test_the_issue_sentences_go_to_apertium_whole(make_project: MakeProject) -> None:
    root = make_project({"a.md": ISSUE}, languages=("es",), engine="apertium")
    project = Project.open(root)
    project.extract()
    project.translate(engine="apertium", memory=False)
    got = _msgstrs(root)
    assert got["We need *longer opening hours* for the library."] == (
        "Necesitamos *horas inaugurales más largas* para la biblioteca."
    )
    assert got["Two members of the **board** voted against the plan."].startswith(
        "Dos miembros de la **junta** "
    )
    assert "`opening_hours`" in got["The `opening_hours` setting controls the framing of the page."]
    link = got["Read [the full report](https://example.org/r) before the meeting."]
    assert "](https://example.org/r) antes de la reunión." in link
    for source, translation in got.items():
        # the engine saw the whole sentence: without markup, it is the plain sentence's output
        if "`" not in source:
            assert strip(translation).plain == _apertium_alone(strip(source).plain)
        assert check_carried(source, translation), translation
    assert project.check(["es"]) == [] or all(
        finding.code != "markup-placement" for finding in project.check(["es"])
    )


READ = "Read *the guide* before you call *the help desk*."
READ_ES = "Llame al servicio de ayuda solo después de leer la guía."
# Read(0) the(1) guide(2) before(3) you(4) call(5) the(6) help(7) desk.(8)
# Llame(0) al(1) servicio(2) de(3) ayuda(4) solo(5) después(6) de(7) leer(8) la(9) guía.(10)
# "the" before "help desk" melts into "al" (a + el): its attention goes nowhere clear
READ_ALIGNMENT = ((0, 8), (1, 9), (2, 10), (3, 6), (5, 0), (7, 2), (7, 3), (8, 4))


@pytest.fixture
def neural() -> Iterator[ScriptedEngine]:
    """A scripted engine standing for a neural one: plain sentences in, alignments out."""
    engine = ScriptedEngine(
        {
            "Read the guide before you call the help desk.": READ_ES,
            "See the manual for opening_hours at https://example.org/m today.": (
                "Vea hoy el manual de opening_hours en https://example.org/m."
            ),
            "Read the full report before the meeting.": (
                "Lea el informe completo antes de la reunión."
            ),
        },
        name="neural",
        alignments={"Read the guide before you call the help desk.": READ_ALIGNMENT},
    )
    with registered("neural", lambda options: engine):
        yield engine


def test_alignment_puts_reordered_emphasis_on_the_words_it_answers(
    make_project: MakeProject, neural: ScriptedEngine
) -> None:
    root = make_project({"a.md": READ + "\n"}, languages=("es",), engine="neural")
    project = Project.open(root)
    project.extract()
    project.translate(engine="neural", memory=False)
    assert _msgstrs(root)[READ] == ("Llame al *servicio de ayuda* solo después de leer *la guía*.")
    assert neural.asked() == ["Read the guide before you call the help desk."]
    assert [f.code for f in project.check(["es"]) if f.code == "markup-placement"] == []


def test_without_alignment_the_safe_placement_keeps_everything_and_is_flagged(
    make_project: MakeProject, neural: ScriptedEngine
) -> None:
    source = (
        "Read [the full report](https://example.org/r) before the meeting.\n\n"
        "See *the manual* for `opening_hours` at https://example.org/m today.\n"
    )
    root = make_project({"a.md": source}, languages=("es",), engine="neural")
    project = Project.open(root)
    project.extract()
    project.translate(engine="neural", memory=False)
    got = _msgstrs(root)
    assert got["Read [the full report](https://example.org/r) before the meeting."] == (
        "[Lea el informe completo antes de la reunión](https://example.org/r)."
    )
    manual = got["See *the manual* for `opening_hours` at https://example.org/m today."]
    assert manual == "Vea hoy el manual de `opening_hours` en https://example.org/m."
    catalog = read_po(root / "locales" / "es" / "LC_MESSAGES" / "a.po")
    assert all("markup=unsure" in entry.tcomment for entry in catalog if entry.msgid)
    flagged = [f.code for f in project.check(["es"]) if f.code == "markup-placement"]
    assert flagged == ["markup-placement", "markup-placement"]
    approval = project.approve("es", all_passing=True, reviewer="Ada")
    assert approval.approved == ()


def test_a_sentence_whose_emphasis_moved_is_not_translated_again(
    make_project: MakeProject, neural: ScriptedEngine
) -> None:
    source = "Read *the guide* before you call the help desk.\n\n" + READ + "\n"
    root = make_project({"a.md": source}, languages=("es",), engine="neural")
    Project.open(root).extract()
    Project.open(root).translate(engine="neural", memory=False)
    assert neural.asked() == ["Read the guide before you call the help desk."]
    assert _msgstrs(root)["Read *the guide* before you call the help desk."] == (
        "Llame al servicio de ayuda solo después de leer *la guía*."
    )


def test_markup_capable_engines_get_the_markdown(make_project: MakeProject) -> None:
    engine = ScriptedEngine(
        {
            "We need *longer hours*.": "Necesitamos *Horas más largas*.",
            "Call *the desk* today.": "Llame ** al servicio hoy.",
        },
        name="carrier",
        capabilities=Capabilities(markup=True),
    )
    source = "We need *longer hours*.\n\nCall *the desk* today.\n"
    with registered("carrier", lambda options: engine, capabilities=Capabilities(markup=True)):
        root = make_project({"a.md": source}, languages=("es",), engine="carrier")
        Project.open(root).extract()
        Project.open(root).translate(engine="carrier", memory=False)
    assert engine.asked() == ["We need *longer hours*.", "Call *the desk* today."]
    got = _msgstrs(root)
    # a capital the engine made after a marker is made small again; the markup stays
    assert got["We need *longer hours*."] == "Necesitamos *horas más largas*."
    # emphasis around nothing: the safe placement keeps the words, drops the emphasis
    assert got["Call *the desk* today."] == "Llame al servicio hoy."
    catalog = read_po(root / "locales" / "es" / "LC_MESSAGES" / "a.po")
    unsure = {entry.msgid for entry in catalog if "markup=unsure" in entry.tcomment}
    assert unsure == {"Call *the desk* today."}


@pytest.mark.parametrize(
    ("sentence", "plain", "marks"),
    [
        ("We need *longer opening hours* for it.", "We need longer opening hours for it.", 2),
        ("Run `make install` now.", "Run make install now.", 1),
        ("5 * 3 is 15.", "5 * 3 is 15.", 1),  # a lone asterisk is text the engine sees
        ("See ![a cat](c.png) here.", "See a cat here.", 2),
        ("A <em>tag</em> and &amp; and \\* too.", "A tag and &amp; and * too.", 4),
        ("Plain, no markup: 3.5 km.", "Plain, no markup: 3.5 km.", 0),
    ],
)
def test_strip_takes_out_markup_and_keeps_what_the_engine_must_see(
    sentence: str, plain: str, marks: int
) -> None:
    stripped = strip(sentence)
    assert (stripped.plain, len(stripped.marks)) == (plain, marks)
    assert place(stripped, stripped.plain, [(i, i) for i in range(20)]).text == sentence


@pytest.mark.parametrize(
    ("output", "good"),
    [
        ("Necesitamos *horas más largas* para eso.", True),
        ("Necesitamos *Horas más largas* Para eso.", False),  # capitals made at the cuts
        ("Necesitamos horas más largas para eso.", False),  # emphasis lost
        ("Necesitamos ** horas para eso.", False),  # emphasis around nothing
        ("Necesitamos *horas más largas para eso.", False),  # one marker lost
    ],
)
def test_carried_markup_is_checked(output: str, good: bool) -> None:
    assert check_carried("We need *longer hours* for it.", output) is good


def test_a_rewrite_in_an_editor_is_never_credited_to_the_engine(make_project: MakeProject) -> None:
    root = make_project({"a.md": READ + "\n\nKeep the door open.\n"}, languages=("es",))
    project = Project.open(root)
    project.extract()
    project.translate(engine="machine", memory=False)
    path = root / "locales" / "es" / "LC_MESSAGES" / "a.po"
    catalog = read_po(path)
    accepted, rewritten = (entry for entry in catalog if entry.msgid)
    for entry in (accepted, rewritten):  # what Poedit does: fuzzy cleared, comment kept
        entry.flags.remove("fuzzy")
    rewritten.msgstr = "Mantenga la puerta abierta."
    catalog.save(str(path))
    [(written, _)] = project.review_pages("es")
    page = (root / written).read_text("utf-8")
    rows = {row.split("</tr>", 1)[0] for row in page.split("<tr")[1:]}
    [accepted_row] = [row for row in rows if accepted.msgstr.split()[0] in row]
    [rewritten_row] = [row for row in rows if "Mantenga la puerta abierta." in row]
    assert "machine," in accepted_row  # accepted unchanged: the engine's words
    assert "machine," not in rewritten_row


LIBRARY = "The library opens at nine. On Sundays it stays closed all day long, even in summer."
LIBRARY_GLOSSES = {  # what an engine gives for each sentence: near the human words, not them
    "The library opens at nine.": "La biblioteca abre en nueve.",
    "On Sundays it stays closed all day long, even in summer.": (
        "En domingos queda cerrado todo el día largo, incluso en verano."
    ),
    "Room 12 is on the left.": "La habitación 12 es a la izquierda.",
    "Room 40 is on the right.": "La habitación 40 es a la derecha.",
}
OPENS = "La biblioteca abre a las nueve."
CLOSED = "Los domingos permanece cerrada todo el día, incluso en verano."


@pytest.mark.parametrize(
    ("source", "target", "pairs"),
    [
        (LIBRARY, f"{OPENS} {CLOSED}", [(OPENS, 0), (CLOSED, 1)]),
        # the translator put them in the other order: each still finds its own
        (LIBRARY, f"{CLOSED} {OPENS}", [(OPENS, 0), (CLOSED, 1)]),
        # two sentences made one: neither is paired with a piece of it
        (LIBRARY, "Abre a las nueve y los domingos permanece cerrada, incluso en verano.", []),
        # alike in length and reordered: the glosses and the numbers tell them apart
        (
            "Room 12 is on the left. Room 40 is on the right.",
            "La sala 40 está a la derecha. La sala 12 está a la izquierda.",
            [("La sala 12 está a la izquierda.", 0), ("La sala 40 está a la derecha.", 1)],
        ),
    ],
)
def test_memory_pairs_sentences_only_where_the_aligner_is_sure(
    source: str, target: str, pairs: list[tuple[str, int]]
) -> None:
    from translatio.languages import Language
    from translatio.tm.units import MemoryUnit, paired_sentences, sentence_units

    unit = MemoryUnit(source, target, "a:1", "a", "")
    sure, candidates = sentence_units(unit, source=Language("en"))
    assert sure == []  # several sentences: never paired by position
    assert [unit for _, unit in candidates] == [unit, unit]
    found = paired_sentences(unit, LIBRARY_GLOSSES, source=Language("en"), target=Language("es"))
    sentences = [sentence for sentence, _ in candidates]
    assert [(p.target, sentences.index(p.source)) for p in found] == pairs


def test_a_one_sentence_paragraph_is_its_own_sentence_unit_with_its_emphasis() -> None:
    from translatio.languages import Language
    from translatio.tm.units import MemoryUnit, sentence_units

    # reordered emphasis stays inside its sentence: the sentence is reused whole
    unit = MemoryUnit(READ, "Llame al *servicio de ayuda* solo después de leer *la guía*.", "a:1")
    assert sentence_units(unit, source=Language("en")) == ([unit], [])


GLOSSARY_SOURCE = "Two members of the board voted against the plan of Debian.\n"


def test_glossary_terms_are_held_inside_the_whole_sentence(make_project: MakeProject) -> None:
    engine = ScriptedEngine(
        {
            "Two members of the consejo voted against the plan of Debian.": (
                "Dos miembros del consejo votaron en contra del plan de Debian."
            )
        },
        name="neural",
    )
    with registered("neural", lambda options: engine):
        root = make_project({"a.md": GLOSSARY_SOURCE}, languages=("es",), engine="neural")
        (root / "locales" / "es").mkdir(parents=True)
        (root / "locales" / "es" / "glossary.tsv").write_text("board\tconsejo\nDebian\t\n", "utf-8")
        project = Project.open(root)
        project.extract()
        project.translate(engine="neural", memory=False)
        # one text per sentence: the terms are inside it, in their required form, not cuts
        assert engine.asked() == ["Two members of the consejo voted against the plan of Debian."]
        got = _msgstrs(root)[GLOSSARY_SOURCE.strip()]
        assert got == "Dos miembros del consejo votaron en contra del plan de Debian."
        assert [
            f.code for f in project.check(["es"]) if f.code in ("glossary", "markup-placement")
        ] == []


def test_a_term_the_engine_dropped_is_put_back_and_flagged(make_project: MakeProject) -> None:
    engine = ScriptedEngine(
        {
            "Two members of the consejo voted against the plan of Debian.": (
                "Dos miembros de la junta votaron en contra del plan de Debian."
            )
        },
        name="neural",
    )
    with registered("neural", lambda options: engine):
        root = make_project({"a.md": GLOSSARY_SOURCE}, languages=("es",), engine="neural")
        (root / "locales" / "es").mkdir(parents=True)
        (root / "locales" / "es" / "glossary.tsv").write_text("board\tconsejo\nDebian\t\n", "utf-8")
        project = Project.open(root)
        project.extract()
        project.translate(engine="neural", memory=False)
        got = _msgstrs(root)[GLOSSARY_SOURCE.strip()]
        assert "consejo" in got and "\ue000" not in got
        assert "markup-placement" in [f.code for f in project.check(["es"])]


def test_apertium_keeps_a_held_term_as_a_blank_in_the_whole_sentence(
    make_project: MakeProject,
) -> None:
    root = make_project({"a.md": GLOSSARY_SOURCE}, languages=("es",), engine="apertium")
    (root / "locales" / "es").mkdir(parents=True)
    (root / "locales" / "es" / "glossary.tsv").write_text("board\tconsejo\nDebian\t\n", "utf-8")
    project = Project.open(root)
    project.extract()
    project.translate(engine="apertium", memory=False)
    got = _msgstrs(root)[GLOSSARY_SOURCE.strip()]
    assert got.startswith("Dos miembros del consejo") or got.startswith(
        "Dos miembros de la consejo"
    )
    assert got.endswith("plan de Debian.") and "\ue000" not in got
    # the words around the term were translated as one sentence: no capital after a cut
    assert got[1:] == got[1:].replace("Votado", "votado") and "Votado" not in got
