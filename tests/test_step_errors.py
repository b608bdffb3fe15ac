"""What the library refuses, as tables: each row names the error type, message, where and hint.

Every user error is a ``TranslatioError`` carrying ``.path``, ``.line`` and ``.hint``, and
nothing is written when a step refuses. How the CLI prints these is ``test_cli.py``'s.
"""

from __future__ import annotations

import os
import signal
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from translatio import (
    BusyError,
    CatalogError,
    ConfigError,
    EngineError,
    Project,
    SourceError,
    TranslatioError,
)

from .conftest import FIXTURES, MakeProject, hold_project, read_po

SETTINGS_CASES = tomllib.loads((FIXTURES / "errors" / "settings.toml").read_text("utf-8"))["case"]
FR_CATALOG = "locales/fr/LC_MESSAGES/article.po"


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# -- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", SETTINGS_CASES, ids=[case["id"] for case in SETTINGS_CASES])
def test_bad_settings(tmp_path: Path, case: dict[str, Any]) -> None:
    (tmp_path / case["file"]).write_bytes(case["content"].encode(case.get("encoding", "utf-8")))
    with pytest.raises(ConfigError) as caught:
        Project.open(tmp_path)
    error = caught.value
    assert case["message"] in error.message
    assert error.path == (tmp_path / case.get("path", case["file"])).resolve()
    assert error.line == case.get("line", error.line)
    assert error.hint and case.get("hint", "") in error.hint


def test_a_project_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    with pytest.raises(ConfigError, match="the project is not a directory") as caught:
        Project.open(tmp_path / "pyproject.toml")
    assert caught.value.hint and "--project" in caught.value.hint


# -- sources -----------------------------------------------------------------------------------


def _bytes(name: str, data: bytes) -> Callable[[Path, Path], None]:
    return lambda root, outside: (root / "source" / name).write_bytes(data)


def _link_outside(root: Path, outside: Path) -> None:
    (outside / "secret.md").write_text("# Secret\n", "utf-8")
    (root / "source" / "leak.md").symlink_to(outside / "secret.md")


def _latin1_glossary(root: Path, outside: Path) -> None:
    Project.open(root).extract()
    (root / "locales" / "glossary.tsv").write_bytes(b"caf\xe9\tcaf\xe9\n")


SOURCE_ERRORS = [
    # id, sources, damage, step, error type, message, path, line
    (
        "not-utf8",
        {"bad.md": "fine\n"},
        _bytes("bad.md", b"line one\ncaf\xe9\n"),
        "extract",
        SourceError,
        "not UTF-8: byte 0xe9 at offset 12",
        "source/bad.md",
        2,
    ),
    (
        "nul-byte",
        {"odd.txt": "fine\n"},
        _bytes("odd.txt", b"Hello\x00world\n"),
        "run",
        SourceError,
        "NUL byte at offset 5",
        "source/odd.txt",
        1,
    ),
    (
        "link-leaving-the-project",
        None,
        _link_outside,
        "extract",
        SourceError,
        "the source leaves the project directory",
        "source/leak.md",
        None,
    ),
    (
        "only-dotfiles",
        {".draft.md": "# Hidden\n"},
        None,
        "extract",
        SourceError,
        "no source documents",
        "source",
        None,
    ),
    (
        "named-like-a-review-page",
        {"x.md": "Hello.\n", "x.review.md": "Other.\n"},
        None,
        "extract",
        SourceError,
        "would overwrite the review or bilingual page",
        "source/x.review.md",
        None,
    ),
    (
        "glossary-not-utf8",
        None,
        _latin1_glossary,
        "translate",
        ConfigError,
        "the glossary is not UTF-8",
        "locales/glossary.tsv",
        None,
    ),
]


@pytest.mark.parametrize(
    ("sources", "damage", "step", "error_type", "message", "path", "line"),
    [case[1:] for case in SOURCE_ERRORS],
    ids=[case[0] for case in SOURCE_ERRORS],
)
def test_unreadable_inputs_stop_the_step_before_it_writes(
    make_project: MakeProject,
    tmp_path: Path,
    sources: dict[str, str] | None,
    damage: Callable[[Path, Path], None] | None,
    step: str,
    error_type: type[TranslatioError],
    message: str,
    path: str,
    line: int | None,
) -> None:
    root = make_project(sources, languages=("fr",))
    outside = tmp_path / "outside"
    outside.mkdir()
    if damage:
        damage(root, outside)
    before = _snapshot(root)
    with pytest.raises(error_type) as caught:
        getattr(Project.open(root), step)()
    error = caught.value
    assert message in error.message
    assert (error.path, error.line) == (Path(path), line)
    assert error.hint
    assert _snapshot(root) == before  # nothing written, for any document


# -- catalogs ----------------------------------------------------------------------------------


def _translated_by_hand(make_project: MakeProject, languages: tuple[str, ...] = ("fr",)) -> Path:
    root = make_project(languages=languages)
    Project.open(root).extract()
    po = root / FR_CATALOG
    catalog = read_po(po)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr = "FR " + entry.msgid[:30]
    catalog.save(str(po))
    return root


def _append_garbage(root: Path) -> None:
    po = root / FR_CATALOG
    po.write_text(po.read_text("utf-8") + '\nmsgid "x"\nmsgstr "y"\nthis is not PO syntax\n')


def _cut_last_three(root: Path) -> None:
    po = root / FR_CATALOG
    text = po.read_text("utf-8")
    po.write_text(text[: text.index("\n\n#. type: paragraph\n#: source/article.txt:7") + 1])


def _empty_source(root: Path) -> None:
    (root / "source" / "article.txt").write_text("Something else entirely.\n", "utf-8")


CATALOG_GUARDS = [
    # id, damage, message, path, hint
    ("damaged", _append_garbage, "", FR_CATALOG, ""),
    (
        "empty",
        lambda root: (root / FR_CATALOG).write_bytes(b""),
        "the catalog is empty",
        FR_CATALOG,
        "",
    ),
    (
        "cut-at-an-entry-boundary",
        _cut_last_three,
        "3 entries of the template are missing from the catalog",
        FR_CATALOG,
        "--force",
    ),
    (
        "emptied-source",
        _empty_source,
        "would make 6 of 6 fr translations obsolete",
        "source/article.txt",
        "--force",
    ),
]


@pytest.mark.parametrize(
    ("damage", "message", "path", "hint"),
    [case[1:] for case in CATALOG_GUARDS],
    ids=[case[0] for case in CATALOG_GUARDS],
)
def test_extract_refuses_to_lose_translations(
    make_project: MakeProject,
    damage: Callable[[Path], None],
    message: str,
    path: str,
    hint: str,
) -> None:
    root = _translated_by_hand(make_project)
    damage(root)
    before = _snapshot(root)
    with pytest.raises(CatalogError) as caught:
        Project.open(root).extract()
    assert message in caught.value.message
    assert caught.value.path == Path(path)
    assert caught.value.hint and hint in caught.value.hint
    assert _snapshot(root) == before


def test_force_keeps_every_translation_as_obsolete(make_project: MakeProject) -> None:
    root = _translated_by_hand(make_project)
    _empty_source(root)
    [update] = Project.open(root).extract(force=True)
    assert (update.merge.obsoleted, update.merge.new, update.written) == (6, 1, True)
    assert len({e.msgstr for e in read_po(root / FR_CATALOG) if e.obsolete}) == 6


def test_small_edits_pass_the_guard(make_project: MakeProject) -> None:
    root = _translated_by_hand(make_project)
    source = root / "source" / "article.txt"
    source.write_text(source.read_text("utf-8").replace("pandemic", "epidemic"), "utf-8")
    [update] = Project.open(root).extract()
    assert update.written and update.merge.fuzzy >= 1


def test_a_catalog_behind_an_older_template_is_not_mistaken_for_a_cut(
    make_project: MakeProject,
) -> None:
    root = make_project(languages=("fr", "de"))
    project = Project.open(root)
    project.extract()
    source = root / "source" / "article.txt"
    source.write_text(source.read_text("utf-8") + "\nA new closing paragraph.\n", "utf-8")
    # (all within one minute: the POT-Creation-Date alone could not tell the templates apart)
    [fr] = project.extract(["fr"])
    [de] = project.extract(["de"])
    assert (fr.merge.new, de.merge.new) == (1, 1)


def test_language_codes_come_from_settings_only(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    Project.open(root).extract()
    po = root / FR_CATALOG
    po.write_text(po.read_text("utf-8").replace("Language: fr", "Language: ../../evil"))
    Project.open(root).extract()
    assert read_po(po).metadata["Language"] == "fr"
    assert not (root / "evil").exists() and not (root.parent / "evil").exists()


MISSING_CATALOG_STEPS: dict[str, Callable[[Project], object]] = {
    "translate": lambda project: project.translate(),
    "build": lambda project: project.build(),
    "approve": lambda project: project.approve("fr", all_passing=True, reviewer="R"),
}
"""The steps that write from catalogs; those that only read go on (test_partial_projects)."""


@pytest.mark.parametrize("step", MISSING_CATALOG_STEPS.values(), ids=MISSING_CATALOG_STEPS)
def test_every_step_meets_a_missing_catalog_with_the_same_error(
    make_project: MakeProject, step: Callable[[Project], object]
) -> None:
    root = make_project(languages=("fr",))
    with pytest.raises(CatalogError) as caught:
        step(Project.open(root))
    error = caught.value
    assert (error.message, error.path, error.line) == (
        "no fr catalog for article",
        Path(FR_CATALOG),
        None,
    )
    assert error.hint == "run `translatio extract` first (or `translatio run`)"
    assert not (root / "locales").exists() and not (root / "editions").exists()
    assert not (root / "drafts").exists() and not (root / "review").exists()


# -- languages and engines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        ("xx_YY", "xx_YY is not a configured target language", "configured: fr, zh_CN"),
        ("it", "it is not a configured target language", "configured: fr, zh_CN"),
        ("en", "en is not a configured target language", "configured: fr, zh_CN"),
        ("../etc", "'../etc' is not a language code", "use a gettext code"),
    ],
)
def test_only_configured_languages(
    make_project: MakeProject, code: str, message: str, hint: str
) -> None:
    root = make_project(languages=("fr", "zh_CN"))
    with pytest.raises(ConfigError) as caught:
        Project.open(root).extract([code])
    assert caught.value.message == message
    assert caught.value.hint and hint in caught.value.hint
    assert not (root / "locales").exists()


@pytest.mark.parametrize("before", ["extract", "run"])
def test_an_unknown_engine_is_refused_even_with_nothing_to_do(
    make_project: MakeProject, before: str
) -> None:
    project = Project.open(make_project())
    getattr(project, before)()
    with pytest.raises(EngineError, match="unknown engine 'nonsense'") as caught:
        project.translate(engine="nonsense")
    assert caught.value.hint and "pseudo" in caught.value.hint


# -- paths leading outside ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "link", ["editions", "editions/fr", "drafts", "drafts/fr", "locales", "locales/fr"]
)
def test_a_default_folder_linked_outside_is_refused(
    make_project: MakeProject, tmp_path: Path, link: str
) -> None:
    root = make_project(languages=("fr",))
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(outside)
    policy = "reviewed" if link.startswith("editions") else "draft"  # the tree it writes
    with pytest.raises(TranslatioError, match="leads outside the project") as caught:
        Project.open(root).run(policy=policy, keep=0)
    assert caught.value.hint
    assert _snapshot(outside) == {}


@pytest.mark.parametrize(
    "step",
    [
        lambda project: project.status(),
        lambda project: project.extract(),
        lambda project: project.translate(),
        lambda project: project.check(),
    ],
    ids=["status", "extract", "translate", "check"],
)
def test_a_catalog_linked_to_a_system_file_is_refused_without_echoing_it(
    make_project: MakeProject, tmp_path: Path, step: Callable[[Project], object]
) -> None:
    root = make_project(languages=("fr",))
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP SECRET LINE\n", "utf-8")
    catalog = root / FR_CATALOG
    catalog.parent.mkdir(parents=True)
    catalog.symlink_to(secret)
    with pytest.raises(TranslatioError, match="leads outside the project") as caught:
        step(Project.open(root))
    assert "TOP SECRET" not in f"{caught.value} {caught.value.hint}"
    assert secret.read_text("utf-8") == "root:x:0:0:TOP SECRET LINE\n"


# -- the project lock --------------------------------------------------------------------------


def test_a_second_process_is_refused_while_the_first_holds_the_project(
    make_project: MakeProject,
) -> None:
    root = make_project()
    holder = hold_project(root, 30)
    try:
        with pytest.raises(BusyError) as caught:
            Project.open(root).extract()
        assert "another translatio process is working on this project" in caught.value.message
        assert caught.value.hint and "--wait" in caught.value.hint
        assert not (root / "locales").exists()
    finally:
        holder.kill()
        holder.wait()


def test_wait_lets_the_second_process_go_after_the_first(make_project: MakeProject) -> None:
    root = make_project()
    holder = hold_project(root, 1.0)
    waited: list[bool] = []
    updates = Project.open(root, wait=30, on_wait=lambda: waited.append(True)).extract()
    holder.wait()
    assert waited == [True]
    assert {update.written for update in updates} == {True}


def test_a_killed_holder_never_blocks(make_project: MakeProject) -> None:
    root = make_project()
    holder = hold_project(root, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert len(Project.open(root).extract()) == 2
    assert not list(root.glob(".*lock*")), "no lock file is left behind"
