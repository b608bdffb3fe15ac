"""The engine protocol: every engine names itself, prepares a run's pairs and translates.

``prepare`` is how the project asks an engine for what a run needs (Argos downloads
missing packages, Apertium checks its pairs) without knowing which engine it holds.
"""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

from translatio.engines import EngineOptions, create_engine, engine_names
from translatio.engines.apertium import ApertiumEngine
from translatio.engines.argos import ArgosEngine
from translatio.engines.argos.sentence_cache import SentenceCache
from translatio.engines.base import Engine
from translatio.engines.pseudo import PseudoEngine, pseudo_localise
from translatio.engines.scripted import ScriptedEngine
from translatio.errors import EngineError, ModelError
from translatio.languages import Language
from translatio.progress import NullProgress
from translatio.project import Project

from .conftest import MakeProject

EN = Language("en")


class RecordingProgress:
    """Progress that keeps what it was told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def start(self, description: str, total: int) -> None:
        self.events.append((description, total))

    def advance(self, amount: int) -> None:
        self.events.append(("advance", amount))


def recording_engine(prepare_error: EngineError | None = None) -> ScriptedEngine:
    """The pseudo engine under another name, keeping every ``prepare`` call."""
    return ScriptedEngine(
        pseudo_localise,
        name="recording",
        capabilities=PseudoEngine.capabilities,
        prepare_error=prepare_error,
    )


@pytest.mark.parametrize("name", sorted({*engine_names(), "machine"}))
def test_every_registered_engine_satisfies_the_protocol(name: str) -> None:
    engine = create_engine(name, EngineOptions(device="cpu"))
    assert engine.name == name
    for method in ("prepare", "translate"):
        ours = inspect.signature(getattr(engine, method)).parameters
        protocol = inspect.signature(getattr(Engine, method)).parameters
        assert list(ours) == [p for p in protocol if p != "self"], method
        assert [p.kind for p in ours.values()] == [
            p.kind for n, p in protocol.items() if n != "self"
        ], method


def test_pseudo_prepares_nothing() -> None:
    progress = RecordingProgress()
    PseudoEngine().prepare(EN, [Language("zh_CN"), Language("ja")], progress)
    assert progress.events == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, world.", "⟦Ĥéĺĺó, ŵóŕĺđ.⟧"),
        ("Run `make test` at https://a.example/p.", "⟦Ŕúñ `make test` áţ https://a.example/p.⟧"),
        ("", "⟦⟧"),
        ("日本語 and 42", "⟦日本語 áñđ 42⟧"),
    ],
    ids=["words", "markup", "empty", "han and digits"],
)
def test_pseudo_translates_each_text_alone_and_reports_progress(text: str, expected: str) -> None:
    counts: list[int] = []
    translations = PseudoEngine().translate(
        [text, "Hello."], source=EN, target=Language("fr"), on_progress=counts.append
    )
    assert [(t.text, t.score, t.model) for t in translations] == [
        (expected, 0.0, "pseudo-1"),
        ("⟦Ĥéĺĺó.⟧", 0.0, "pseudo-1"),
    ]
    assert counts == [2]


def test_apertium_prepare_names_the_pair_it_lacks() -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-spa (.ci/run does)")
    engine = ApertiumEngine()
    engine.prepare(EN, [Language("es")], NullProgress())
    with pytest.raises(EngineError) as raised:
        engine.prepare(EN, [Language("es"), Language("ja")], NullProgress())
    assert str(raised.value) == "no Apertium pair for en → ja"
    assert "Debian has no Apertium package for en and ja" in (raised.value.hint or "")
    assert "installed from en: " in (raised.value.hint or "")
    assert "eng-spa" in (raised.value.hint or "")


def test_apertium_prepare_without_apertium_names_the_packages() -> None:
    engine = ApertiumEngine()
    engine.executable = None
    with pytest.raises(EngineError, match="apertium is not installed") as raised:
        engine.prepare(EN, [Language("es")], NullProgress())
    assert "apt-get install apertium apertium-eng-spa" in (raised.value.hint or "")


def test_argos_prepare_offline_names_each_missing_pair() -> None:
    engine = ArgosEngine(device="cpu", cache=SentenceCache(), threads=1)
    progress = RecordingProgress()
    targets = [Language("zh_CN"), Language("de"), Language("zh_CN")]
    with pytest.raises(ModelError) as raised:
        engine.prepare(EN, targets, progress)
    assert str(raised.value).startswith("missing Argos packages: en→zh, en→de (")
    assert raised.value.hint == (
        "download them where there is network, then: "
        "translatio models install translate-en_zh.argosmodel; "
        "translatio models install translate-en_de.argosmodel"
    )
    assert progress.events == []


def test_argos_prepare_with_nothing_missing_touches_no_index(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRANSLATIO_ARGOS_INDEX", (tmp_path / "absent.json").as_uri())
    ArgosEngine(device="cpu", threads=1).prepare(EN, [], NullProgress())


def _sources() -> dict[str, str]:
    return {"one.txt": "First paragraph.\n\nSecond one.\n", "two.txt": "Another text.\n"}


def test_project_prepares_once_with_the_languages_that_need_work(
    make_project: MakeProject,
) -> None:
    project = Project.open(make_project(_sources(), languages=("zh_CN", "fr", "de")))
    project.extract()
    project.translate(["fr"], engine=recording_engine())
    engine = recording_engine()
    project.translate(engine=engine)
    [prepared] = engine.prepared
    assert prepared.source == EN
    assert set(prepared.targets) == {Language("zh_CN"), Language("de")}

    again = recording_engine()
    updates = project.translate(engine=again)
    assert again.prepared == []
    assert all(update.report.filled == 0 for update in updates)


def test_a_failed_prepare_writes_nothing(make_project: MakeProject) -> None:
    project = Project.open(make_project(_sources(), languages=("zh_CN",)))
    project.extract()
    catalogs = sorted((project.workspace.root / "locales").rglob("*.po"))
    before = [path.read_bytes() for path in catalogs]
    engine = recording_engine(EngineError("no pair"))
    with pytest.raises(EngineError, match="no pair"):
        project.translate(engine=engine)
    assert len(engine.prepared) == 1
    assert [path.read_bytes() for path in catalogs] == before
