"""A person saves a catalog while translatio works on it: the save is never lost.

Every step that writes catalogs (extract, translate, approve) reads them, works, then
replaces them. Each test below saves the catalog the way an editor does (a temporary file
renamed over the original) at the moment translatio is working, and checks that the
person's text is in the file afterwards, together with the step's own changes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from translatio.engines.pseudo import PseudoEngine, pseudo_localise
from translatio.engines.scripted import ScriptedEngine
from translatio.errors import CatalogError
from translatio.languages import Language
from translatio.project import Project
from translatio.steps import approve as review_module
from translatio.steps import extract as extract_module
from translatio.steps import translate as translate_module

from .conftest import MakeProject, read_po

SOURCE = "First paragraph here.\n\nSecond paragraph here.\n\nThird paragraph here.\n"


def editor_save(path: Path, msgid: str, msgstr: str) -> None:
    """Set one entry's msgstr and clear its fuzzy flag in the file text, saved atomically."""
    text = path.read_text("utf-8")
    pattern = re.compile(
        r'(?:#, fuzzy\n)?(msgid "' + re.escape(msgid) + r'"\n)msgstr "[^\n]*"', re.MULTILINE
    )
    changed, count = pattern.subn(lambda m: f'{m.group(1)}msgstr "{msgstr}"', text)
    assert count == 1, f"{msgid!r} not found in {path}"
    temporary = path.with_name(path.name + ".editor~")
    temporary.write_text(changed, "utf-8")
    os.replace(temporary, path)


def _project(make_project: MakeProject) -> tuple[Project, Path]:
    root = make_project({"doc.txt": SOURCE}, languages=("fr",))
    project = Project.open(root)
    project.extract()
    return project, root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"


def saving_engine(save: Callable[[], None]) -> ScriptedEngine:
    """The pseudo engine, except that a person saves the catalog during its first call."""
    pending = [save]

    def save_once(texts: Sequence[str], target: Language) -> None:
        while pending:
            pending.pop()()

    return ScriptedEngine(
        pseudo_localise,
        name="pseudo",
        model=PseudoEngine.model,
        capabilities=PseudoEngine.capabilities,
        on_translate=save_once,
    )


def test_translate_keeps_a_save_made_while_the_engine_runs(make_project: MakeProject) -> None:
    project, path = _project(make_project)
    engine = saving_engine(lambda: editor_save(path, "Second paragraph here.", "Deuxième."))

    [update] = project.translate(engine=engine)

    entries = {entry.msgid: entry for entry in read_po(path)}
    assert entries["Second paragraph here."].msgstr == "Deuxième."
    assert not entries["Second paragraph here."].fuzzy
    assert entries["First paragraph here."].msgstr  # the engine's work is there too
    assert entries["First paragraph here."].fuzzy
    assert update.written
    assert update.report.filled == 2  # re-applied to the person's version
    assert update.report.protected == 1
    assert len(engine.requests) == 1  # the re-apply did not ask the engine again


def test_extract_keeps_a_save_made_while_it_merges(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, path = _project(make_project)
    source = path.parents[3] / "source" / "doc.txt"
    source.write_text(SOURCE + "\nA new paragraph.\n", "utf-8")
    merge = extract_module.merge_catalog
    saves = [lambda: editor_save(path, "Third paragraph here.", "Troisième.")]

    def merge_while_saving(*args: object, **kwargs: object) -> object:
        result = merge(*args, **kwargs)  # type: ignore[arg-type]
        if saves:
            saves.pop()()
        return result

    monkeypatch.setattr(extract_module, "merge_catalog", merge_while_saving)
    [update] = project.extract()

    entries = {entry.msgid: entry for entry in read_po(path)}
    assert entries["Third paragraph here."].msgstr == "Troisième."
    assert "A new paragraph." in entries  # the merge was applied to the saved version
    assert update.written


def test_approve_keeps_a_save_made_while_it_checks(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, path = _project(make_project)
    project.translate(engine="machine")
    check = review_module.check_entry
    saves = [lambda: editor_save(path, "Third paragraph here.", "Troisième, revu.")]

    def check_while_saving(*args: object, **kwargs: object) -> object:
        if saves:
            saves.pop()()
        return check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(review_module, "check_entry", check_while_saving)
    report = project.approve("fr", all_passing=True, reviewer="Ana")

    entries = {entry.msgid: entry for entry in read_po(path)}
    assert entries["Third paragraph here."].msgstr == "Troisième, revu."
    assert "reviewed: Ana" not in (entries["Third paragraph here."].tcomment or "")
    assert not entries["First paragraph here."].fuzzy  # approved on the saved version
    assert "reviewed: Ana" in entries["First paragraph here."].tcomment
    assert len(report.approved) == 2


def test_a_catalog_saved_on_every_attempt_is_left_as_the_person_saved_it(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, path = _project(make_project)
    count = iter(range(1000))
    fill = translate_module.fill_catalog

    # The engine is asked once per run, so the person saves while each attempt fills the
    # catalog: every attempt is stale by the time it would write.
    def fill_while_saving(*args: object, **kwargs: object) -> object:
        editor_save(path, "Second paragraph here.", f"Version {next(count)}")
        return fill(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(translate_module, "fill_catalog", fill_while_saving)
    with pytest.raises(CatalogError, match="kept changing"):
        project.translate(engine="machine")
    last = {entry.msgid: entry for entry in read_po(path)}["Second paragraph here."]
    assert last.msgstr.startswith("Version ")
    assert int(last.msgstr.split()[1]) == next(count) - 1  # the latest save is on disk


def test_a_catalog_deleted_while_translating_is_not_brought_back(
    make_project: MakeProject,
) -> None:
    project, path = _project(make_project)
    engine = saving_engine(path.unlink)
    [update] = project.translate(engine=engine)
    assert not path.exists()
    assert not update.written


def test_saves_during_a_real_translate_process_all_survive(make_project: MakeProject) -> None:
    """A separate ``translatio translate`` process, and a person saving three times.

    The source is long enough that translating it takes seconds, so the saves land after
    the process read the catalog and before it writes (without compare-and-swap this
    test loses the saves; checked by disabling the check).
    """
    # about 5 s of work on 2 cores: the saves at 1.5, 2 and 2.5 s land well inside the run
    paragraphs = [f"Paragraph number {n} says something." for n in range(30000)]
    root = make_project(
        {"big.txt": "\n\n".join(paragraphs) + "\n"}, languages=("fr",), engine="pseudo"
    )
    Project.open(root).extract()
    path = root / "locales" / "fr" / "LC_MESSAGES" / "big.po"
    process = subprocess.Popen(
        [sys.executable, "-m", "translatio", "translate", "--project", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    saved: dict[str, str] = {}

    def person() -> None:
        time.sleep(1.0)
        for n in range(3):
            time.sleep(0.5)
            msgid = paragraphs[n * 1000]
            editor_save(path, msgid, f"Traduction humaine {n}.")
            saved[msgid] = f"Traduction humaine {n}."

    writer = threading.Thread(target=person)
    writer.start()
    _, stderr = process.communicate(timeout=300)
    writer.join()
    assert process.returncode == 0, stderr
    entries = {entry.msgid: entry for entry in read_po(path)}
    assert len(saved) == 3
    for msgid, msgstr in saved.items():
        assert entries[msgid].msgstr == msgstr
    machine = [e for e in entries.values() if e.msgid and e.msgid not in saved]
    assert all(entry.msgstr and entry.fuzzy for entry in machine)
