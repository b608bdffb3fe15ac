"""The scripted engine: the in-package stand-in that the suite and the benchmarks use.

It answers from its script, keeps every call it was asked, fails where it is told to, and
goes into the registry like any engine (with the registry as before once a test ends).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from translatio.engines import (
    Capabilities,
    EngineOptions,
    check_engine_name,
    create_engine,
    engine_capabilities,
    engine_names,
)
from translatio.engines.base import BatchEngine, translate_all
from translatio.engines.pseudo import PseudoEngine
from translatio.engines.scripted import Preparation, Request, ScriptedEngine
from translatio.errors import EngineError, ModelError
from translatio.languages import Language
from translatio.progress import NullProgress
from translatio.project import Project

from .conftest import MakeProject, read_po, registered

EN, FR, DE = Language("en"), Language("fr"), Language("de")


def _texts(engine: ScriptedEngine, texts: Sequence[str], target: Language = FR) -> list[str]:
    return [t.text for t in engine.translate(texts, source=EN, target=target)]


def test_without_a_script_every_text_comes_back_unchanged() -> None:
    assert _texts(ScriptedEngine(), ["Hello.", ""]) == ["Hello.", ""]


def test_a_function_script_answers_every_text() -> None:
    engine = ScriptedEngine(lambda text: f"[{text}]")
    assert _texts(engine, ["a", "b"]) == ["[a]", "[b]"]


def test_a_mapping_script_answers_its_texts_and_echoes_the_others() -> None:
    outputs = {"Hello.": "Bonjour."}
    engine = ScriptedEngine(outputs)
    outputs["Bye."] = "Au revoir."  # the script is the mapping as it was given
    assert _texts(engine, ["Hello.", "Bye."]) == ["Bonjour.", "Bye."]


def test_answers_carry_the_model_and_score() -> None:
    [plain] = ScriptedEngine(name="machine").translate(["x"], source=EN, target=FR)
    assert (plain.score, plain.model) == (0.0, "machine-1")
    [chosen] = ScriptedEngine(model="m-2", score=-0.5).translate(["x"], source=EN, target=FR)
    assert (chosen.text, chosen.score, chosen.model) == ("x", -0.5, "m-2")


def test_it_counts_every_call_and_text_per_target() -> None:
    engine = ScriptedEngine()
    done: list[int] = []
    engine.prepare(EN, [FR, DE], NullProgress())
    engine.translate(["a", "b"], source=EN, target=FR, on_progress=done.append)
    engine.translate(["c"], source=EN, target=DE)
    engine.translate(["a"], source=EN, target=FR)
    engine.close()
    assert engine.prepared == [Preparation(EN, (FR, DE))]
    assert engine.requests == [
        Request(EN, FR, ("a", "b")),
        Request(EN, DE, ("c",)),
        Request(EN, FR, ("a",)),
    ]
    assert engine.asked() == ["a", "b", "c", "a"]
    assert (engine.asked(FR), engine.asked(DE), engine.asked(EN)) == (["a", "b", "a"], ["c"], [])
    assert engine.closed == 1
    assert done == [2]


def test_a_prepare_error_is_raised_once_the_call_is_counted() -> None:
    engine = ScriptedEngine(prepare_error=ModelError("missing Argos packages: en→de"))
    with pytest.raises(ModelError, match="en→de"):
        engine.prepare(EN, [DE], NullProgress())
    assert engine.prepared == [Preparation(EN, (DE,))]


def test_a_failing_text_fails_the_whole_call() -> None:
    done: list[int] = []
    engine = ScriptedEngine(failing_texts={"bad"})
    assert _texts(engine, ["good"]) == ["good"]
    with pytest.raises(EngineError, match=r"cannot translate 'bad' \(en → fr\)"):
        engine.translate(["good", "bad"], source=EN, target=FR, on_progress=done.append)
    assert engine.requests[-1] == Request(EN, FR, ("good", "bad"))
    assert done == []


def test_the_hook_runs_during_each_call_before_any_answer() -> None:
    seen: list[tuple[list[str], Language, int]] = []
    engine = ScriptedEngine(
        on_translate=lambda texts, target: seen.append((list(texts), target, len(engine.requests)))
    )
    engine.translate(["a"], source=EN, target=FR)
    engine.translate(["b", "c"], source=EN, target=DE)
    assert seen == [(["a"], FR, 1), (["b", "c"], DE, 2)]


def test_what_the_hook_raises_the_call_raises() -> None:
    def fail_on_the_second_call(texts: Sequence[str], target: Language) -> None:
        if len(engine.requests) == 2:
            raise EngineError("the server went away")

    engine = ScriptedEngine(on_translate=fail_on_the_second_call)
    assert _texts(engine, ["a"]) == ["a"]
    with pytest.raises(EngineError, match="went away"):
        engine.translate(["b"], source=EN, target=FR)


def test_it_is_not_a_corpus_planner_so_each_target_is_asked_alone() -> None:
    engine = ScriptedEngine(capabilities=Capabilities(batch=True))
    assert not isinstance(engine, BatchEngine)
    done = translate_all(engine, EN, {FR: ["a"], DE: ["b", "c"]})
    assert {language: [t.text for t in out] for language, out in done.items()} == {
        FR: ["a"],
        DE: ["b", "c"],
    }
    assert engine.requests == [Request(EN, FR, ("a",)), Request(EN, DE, ("b", "c"))]


def test_create_engine_refuses_capabilities_other_than_the_registered_ones() -> None:
    preview = Capabilities(preview=True, scored=False)
    with registered("scripted", lambda options: ScriptedEngine(), capabilities=preview):
        assert engine_capabilities("scripted") == preview
        with pytest.raises(EngineError, match="registered as") as raised:
            create_engine("scripted")
        assert "register the engine with the capabilities" in (raised.value.hint or "")
    factory = lambda options: ScriptedEngine(capabilities=preview)  # noqa: E731
    with registered("scripted", factory, capabilities=preview):
        assert create_engine("scripted").capabilities == preview


def test_a_registration_is_undone_after_its_block() -> None:
    made: list[EngineOptions] = []

    def factory(options: EngineOptions) -> ScriptedEngine:
        made.append(options)
        return ScriptedEngine(name="scripted")

    assert "scripted" not in engine_names()
    with registered("scripted", factory):
        check_engine_name("scripted")
        engine = create_engine("scripted", EngineOptions(device="cpu"))
        assert isinstance(engine, ScriptedEngine)
        assert [options.device for options in made] == ["cpu"]
    assert "scripted" not in engine_names()
    with pytest.raises(EngineError, match="unknown engine 'scripted'"):
        check_engine_name("scripted")

    with pytest.raises(RuntimeError), registered("scripted", factory):
        raise RuntimeError("a test that fails")
    assert "scripted" not in engine_names()


def test_a_built_in_engine_replaced_for_a_block_comes_back() -> None:
    capabilities = PseudoEngine.capabilities
    stand_in = ScriptedEngine(name="pseudo", capabilities=capabilities)
    with registered("pseudo", lambda options: stand_in, capabilities=capabilities):
        assert create_engine("pseudo") is stand_in
    assert isinstance(create_engine("pseudo"), PseudoEngine)


def test_a_project_makes_the_registered_engine_once_and_closes_it(
    make_project: MakeProject,
) -> None:
    engine = ScriptedEngine({"First paragraph.": "Premier paragraphe."}, name="scripted")
    root = make_project({"doc.txt": "First paragraph.\n"}, languages=("fr", "de"))
    project = Project.open(root)
    project.extract()
    with registered("scripted", lambda options: engine):
        project.translate(engine="scripted")
    [prepared] = engine.prepared
    assert (prepared.source, set(prepared.targets)) == (EN, {FR, DE})
    assert sorted(engine.asked()) == ["First paragraph.", "First paragraph."]
    assert engine.closed == 1
    catalog = read_po(root / "locales" / "fr" / "LC_MESSAGES" / "doc.po")
    [entry] = [entry for entry in catalog if entry.msgid]
    assert entry.msgstr == "Premier paragraphe."
    assert "scripted" in entry.tcomment and "scripted-1" in entry.tcomment
