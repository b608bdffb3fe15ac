"""Paths and settings that must not hurt a project: folders that overlap, settings of the
wrong type, symbolic links that lead out of the project, and source trees deeper than
Python's recursion limit.

Each is refused, or left out with a warning, in one line (``error: …`` and a hint through
the CLI), never with a traceback, and never by reading or writing outside the project.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from translatio import Project
from translatio.config import load_settings
from translatio.errors import ConfigError
from translatio.workspace.sources import walk
from translatio.workspace.storage import TEMPORARY

from .conftest import MakeProject, cli, cli_error

FOLDERS_HINT = (
    "  hint: source_dir, locales_dir, editions_dir, drafts_dir and review_dir must be separate "
    "folders, none inside another (locales_dir also holds the imported memories, in memory/)"
)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- folders that overlap ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            'editions_dir = "source"',
            "error: editions_dir is 'source', the same folder as source_dir ('source', the "
            "default) ({root}/translatio.toml:4)",
        ),
        (
            'editions_dir = "source/out"',
            "error: editions_dir is 'source/out', inside source_dir ('source', the default) "
            "({root}/translatio.toml:4)",
        ),
        (
            'locales_dir = "./source/"',
            "error: locales_dir is './source/', the same folder as source_dir ('source', the "
            "default) ({root}/translatio.toml:4)",
        ),
        (
            'source_dir = "."',
            "error: source_dir is '.', which holds locales_dir ('locales', the default) "
            "({root}/translatio.toml:4)",
        ),
        (
            'editions_dir = "locales/memory"',
            "error: editions_dir is 'locales/memory', inside locales_dir ('locales', the "
            "default) ({root}/translatio.toml:4)",
        ),
        (
            'source_dir = "texts"\nlocales_dir = "po"\neditions_dir = "po/out"',
            "error: editions_dir is 'po/out', inside locales_dir ('po') ({root}/translatio.toml:6)",
        ),
        (
            'locales_dir = "texts/po"\nsource_dir = "texts"',
            "error: locales_dir is 'texts/po', inside source_dir ('texts') "
            "({root}/translatio.toml:4)",
        ),
    ],
    ids=[
        "editions-over-sources",
        "editions-inside-sources",
        "catalogs-are-sources",
        "sources-hold-catalogs",
        "editions-over-memories",
        "all-three-set",
        "catalogs-inside-sources",
    ],
)
def test_folders_that_overlap_are_refused_naming_both_keys(
    make_project: MakeProject, settings: str, expected: str
) -> None:
    root = make_project(languages=("fr",), extra=settings + "\n")
    (root / "texts").mkdir()
    (root / "texts" / "article.txt").write_text("Hello world.\n", "utf-8")
    before = _files(root)
    [error, hint] = cli_error(root, "run", "--draft", "--keep", "0")
    assert error == expected.format(root=root.resolve())
    assert hint == FOLDERS_HINT
    assert _files(root) == before


def test_a_link_that_makes_two_folders_one_is_refused(make_project: MakeProject) -> None:
    root = make_project(languages=("fr",))
    (root / "editions").symlink_to(root / "source")
    before = _files(root / "source")
    [error, hint] = cli_error(root, "build", "--draft")
    assert error == (
        "error: editions_dir is 'editions', the same folder as source_dir ('source', the "
        f"default) (through a symbolic link) ({root.resolve()}/translatio.toml)"
    )
    assert hint == FOLDERS_HINT
    assert _files(root / "source") == before


def test_overlapping_folders_in_pyproject_are_named_with_their_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.translatio]\nlanguages = ["fr"]\neditions_dir = "source"\n',
        "utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert caught.value.message.startswith("tool.translatio.editions_dir is 'source', the same")
    assert caught.value.line == 6


def test_separate_folders_and_links_inside_the_project_are_accepted(
    make_project: MakeProject,
) -> None:
    root = make_project(
        languages=("fr",), extra='source_dir = "texts/en"\nlocales_dir = "texts/po"\n'
    )
    (root / "texts" / "en").mkdir(parents=True)
    (root / "source" / "article.txt").rename(root / "texts" / "en" / "article.txt")
    (root / "built").mkdir()
    (root / "drafts").symlink_to(root / "built")
    settings = load_settings(root)
    assert (settings.source_dir, settings.locales_dir) == ("texts/en", "texts/po")
    Project.open(root).run(policy="draft", keep=0)
    assert (root / "texts" / "po" / "fr" / "LC_MESSAGES" / "article.po").is_file()
    assert (root / "built" / "fr" / "article.html").is_file()


# -- settings of the wrong type ----------------------------------------------------------------

WRONG_TYPES = [
    # key, a value of the wrong type, its TOML type, the type the key takes
    ("source_language", '["en"]', "an array", "a string"),
    ("languages", '"fr"', "a string", "an array"),
    ("source_dir", "3", "an integer", "a string"),
    ("locales_dir", "{ path = 'po' }", "a table", "a string"),
    ("editions_dir", "true", "a boolean", "a string"),
    ("drafts_dir", "[]", "an array", "a string"),
    ("review_dir", "1.5", "a float", "a string"),
    ("site_url", "false", "a boolean", "a string"),
    ("outdated", "0", "an integer", "a string"),
    ("engine", '["pseudo"]', "an array", "a string"),
    ("engines", '"apertium"', "a string", "a table"),
    ("keep", '"80"', "a string", "a number"),
    ("device", '["cpu"]', "an array", "a string"),
    ("chinese_spacing", "{ a = 1 }", "a table", "a string"),
    ("wrap", "79.5", "a float", "an integer"),
    ("executor", "[1]", "an array", "a string"),
    ("ray_address", "1979-05-27T07:32:00Z", "a date-time", "a string"),
    ("memory_threshold", "true", "a boolean", "a number"),
    ("memory_accept_same_document", "1", "an integer", "a boolean"),
    ("alternatives_comment", '"yes"', "a string", "a boolean"),
]


def _settings_with(key: str, value: str) -> str:
    lines = {"source_language": '"en"', "languages": '["fr"]', "engine": '"machine"'}
    lines[key] = value
    return "".join(f"{name} = {text}\n" for name, text in lines.items())


def test_every_key_is_type_checked() -> None:
    from translatio.config import _KEYS

    assert sorted(key for key, *_ in WRONG_TYPES) == sorted(_KEYS)


@pytest.mark.parametrize(
    ("key", "value", "found", "expected"), WRONG_TYPES, ids=[case[0] for case in WRONG_TYPES]
)
def test_a_setting_of_the_wrong_type_is_one_line(
    make_project: MakeProject, key: str, value: str, found: str, expected: str
) -> None:
    root = make_project(languages=("fr",))
    text = _settings_with(key, value)
    (root / "translatio.toml").write_text(text, "utf-8")
    line = 1 + [row.split(" = ")[0] for row in text.splitlines()].index(key)
    [error, hint] = cli_error(root, "status")
    assert error == (
        f"error: {key} is {found}, not {expected} ({root.resolve()}/translatio.toml:{line})"
    )
    assert hint.startswith(f"  hint: {key} must be ")


def test_a_setting_of_the_wrong_type_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.translatio]\nlanguages = ["fr"]\ndevice = ["cpu"]\n', "utf-8"
    )
    [error, hint] = cli_error(tmp_path, "status")
    assert error == (
        f"error: tool.translatio.device is an array, not a string "
        f"({tmp_path.resolve()}/pyproject.toml:3)"
    )
    assert hint == "  hint: device must be one of auto, cpu, cuda"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ('languages = ["fr", 3]\n', "languages holds an integer, not a string"),
        ('languages = [["fr"]]\n', "languages holds an array, not a string"),
        ('languages = ["fr"]\nsource_dir = "a\\u0000b"\n', "source_dir is 'a\\x00b', not a"),
    ],
    ids=["integer-language", "nested-array", "nul-in-folder"],
)
def test_odd_values_are_one_line_too(tmp_path: Path, settings: str, expected: str) -> None:
    (tmp_path / "translatio.toml").write_text(settings, "utf-8")
    [error, hint] = cli_error(tmp_path, "status")
    assert error.startswith(f"error: {expected}"), error
    assert hint.startswith("  hint: ")


# -- symbolic links out of the project -----------------------------------------------------------

MEMORY = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
    'msgid "Hello world."\nmsgstr "Bonjour SECRET."\n'
)


def test_a_memory_folder_linked_outside_is_not_listed(
    make_project: MakeProject, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project(languages=("fr",))
    Project.open(root).extract()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private-notes.po").write_text(MEMORY, "utf-8")
    (root / "locales" / "memory").mkdir()
    (root / "locales" / "memory" / "fr").symlink_to(outside)
    with caplog.at_level(logging.WARNING, logger="translatio"):
        [stats] = Project.open(root).tm_stats()
    assert stats.imported == 0
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert warnings[0].startswith("locales/memory/fr leads outside the project")
    assert warnings[0].endswith("the translation memory goes on without it")
    assert "private-notes" not in warnings[0]


def test_a_memory_file_linked_outside_is_left_out_with_a_warning(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(languages=("fr",))
    Project.open(root).extract()
    secret = tmp_path / "secret.po"
    secret.write_text(MEMORY, "utf-8")
    (root / "locales" / "memory" / "fr").mkdir(parents=True)
    (root / "locales" / "memory" / "fr" / "leak.po").symlink_to(secret)
    result = cli(root, "tm", "stats", "--json")
    assert result.exit_code == 0, result.output
    assert "SECRET" not in result.output + result.stderr
    assert result.stderr.startswith("warning: locales/memory/fr/leak.po leads outside the project")


def test_a_source_folder_linked_outside_is_refused(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(languages=("fr",))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwords.csv").write_text("root,hunter2\n", "utf-8")
    (outside / "diary.md").write_text("# Dear diary\n", "utf-8")
    (root / "source" / "article.txt").unlink()
    (root / "source").rmdir()
    (root / "source").symlink_to(outside)
    for command in ("extract", "status"):
        [error, hint] = cli_error(root, command)
        assert error == (
            f"error: source leads outside the project (to {outside.resolve()}) (source)"
        )
        assert hint.startswith("  hint: translatio only reads and writes inside the project")
    assert not (root / "locales").exists()


def test_a_source_file_linked_outside_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project(languages=("fr",))
    (tmp_path / "diary.md").write_text("# Dear diary\n", "utf-8")
    (root / "source" / "diary.md").symlink_to(tmp_path / "diary.md")
    [error, hint] = cli_error(root, "extract")
    assert error == "error: the source leaves the project directory (source/diary.md)"
    assert hint == "  hint: copy the file into the project instead of linking to it"
    assert not (root / "locales").exists()


@pytest.mark.parametrize("target", ["outside", "inside"])
def test_a_linked_source_subfolder_is_not_followed_and_is_named(
    make_project: MakeProject, tmp_path: Path, target: str
) -> None:
    root = make_project(languages=("fr",))
    folder = tmp_path / "outside" if target == "outside" else root / "drafts"
    folder.mkdir()
    (folder / "diary.md").write_text("# Dear diary\n", "utf-8")
    (root / "source" / "linked").symlink_to(folder)
    result = cli(root, "extract")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: source/linked is ignored: it links to a folder, and translatio does not "
        "follow such links"
    ]
    assert (root / "locales" / "fr" / "LC_MESSAGES" / "article.po").is_file()
    assert not [path for path in (root / "locales").rglob("*") if "diary" in path.name]


# -- deep source trees -------------------------------------------------------------------------


def _deep_folder(base: Path, depth: int) -> Path:
    """``base/d/d/…/d``, ``depth`` folders deep (``os.makedirs`` itself recurses)."""
    folder = base
    for _ in range(depth):
        folder = folder / "d"
        folder.mkdir()
    return folder


def _remove_tree(top: Path) -> None:
    """Remove ``top`` without recursing (pytest's clean-up of tmp_path, ``shutil.rmtree``,
    recurses once per folder and fails at the end of the session on a tree this deep)."""
    folders, pending = [], [top]
    while pending:
        folder = pending.pop()
        folders.append(folder)
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        folder.rmdir()


@pytest.fixture
def deep_root(make_project: MakeProject) -> Iterator[Path]:
    root = make_project(languages=("fr",))
    try:
        yield root
    finally:
        _remove_tree(root)


def test_a_source_tree_deeper_than_the_recursion_limit(deep_root: Path) -> None:
    depth = sys.getrecursionlimit() + 100
    root = deep_root
    deepest = _deep_folder(root / "source", depth)
    (deepest / "deep.txt").write_text("A paragraph far down.\n", "utf-8")
    project = Project.open(root)
    project.run(policy="draft", keep=0)
    document = "/".join(["d"] * depth) + "/deep"
    catalog = root / "locales" / "fr" / "LC_MESSAGES" / f"{document}.po"
    assert catalog.is_file()
    assert (root / "drafts" / "fr" / f"{document}.html").is_file()
    # a killed run's temporary file at the bottom of the tree is cleaned under the lock
    stale = catalog.parent / f"{TEMPORARY}deep.po.x"
    stale.write_bytes(b"half")
    [_, updated] = project.extract()
    assert updated.document == document
    assert not stale.exists()


def test_the_walk_goes_as_os_walk_went(tmp_path: Path) -> None:
    for name in ("b/z.md", "b/a.md", "a/c/x.md", ".hidden/h.md", "m.md", "a/y.md", "0.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", "utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "b")
    expected = []
    for folder, subfolders, files in os.walk(tmp_path):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        expected.extend(Path(folder, name) for name in sorted(files))
    walked = list(walk(tmp_path))
    assert [path for path in walked if path.name != "link"] == expected
    assert tmp_path / "link" in walked
