"""How the CLI prints a user error: ``error: <what> (<where>)``, a hint line, exit 1.

One row per kind of error the commands meet; which errors the library raises, and when,
is ``test_step_errors.py``'s. ``{root}`` in an expected line is the project directory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from translatio import Project

from .conftest import MakeProject, cli_error, hold_project

MISSING = "error: no fr catalog for article (locales/fr/LC_MESSAGES/article.po)"
EXTRACT_FIRST = "  hint: run `translatio extract` first (or `translatio run`)"


def _nothing(root: Path) -> None:
    pass


def _extracted(root: Path) -> None:
    Project.open(root).extract()


def _nul_source(root: Path) -> None:
    (root / "source" / "article.txt").write_bytes(b"Hello\x00world\n")


def _misspelt_setting(root: Path) -> None:
    (root / "translatio.toml").write_text('languages = ["fr"]\n\nengin = "x"\n', "utf-8")


ERRORS: list[tuple[str, Callable[[Path], None], list[str], list[str]]] = [
    # id, setup, arguments, the stderr lines (a line ending in "…" is a prefix)
    ("missing-catalog-translate", _nothing, ["translate"], [MISSING, EXTRACT_FIRST]),
    ("missing-catalog-build", _nothing, ["build"], [MISSING, EXTRACT_FIRST]),
    (
        "missing-catalog-approve",
        _nothing,
        ["approve", "-l", "fr", "--all-passing"],
        [MISSING, EXTRACT_FIRST],
    ),
    (
        "source-with-line",
        _nul_source,
        ["run"],
        [
            "error: NUL byte at offset 5 (a binary file?) (source/article.txt:1)",
            "  hint: remove the NUL byte; catalogs cannot hold it",
        ],
    ),
    (
        "setting-with-line",
        _misspelt_setting,
        ["extract"],
        [
            "error: unknown setting engin ({root}/translatio.toml:3)",
            "  hint: did you mean 'engine'? …",
        ],
    ),
    (
        "unconfigured-language",
        _nothing,
        ["extract", "-l", "it"],
        [
            "error: it is not a configured target language ({root}/translatio.toml)",
            "  hint: configured: fr; add it to languages to translate into it",
        ],
    ),
    (
        "not-a-language-code",
        _nothing,
        ["status", "-l", "../etc"],
        [
            "error: '../etc' is not a language code",
            "  hint: use a gettext code such as de, zh_CN, pt_BR or sr@latin "
            "(or a BCP 47 tag such as sr-Latn)",
        ],
    ),
    (
        "unknown-engine",
        _extracted,
        ["translate", "--engine", "bogus"],
        ["error: unknown engine 'bogus'", "  hint: choose one of: …"],
    ),
    (
        "approve-needs-a-choice",
        _extracted,
        ["approve", "-l", "fr"],
        [
            "error: nothing to approve",
            "  hint: name entries with --entry source/<doc>:LINE, or use --all-passing",
        ],
    ),
    (
        "approve-choices-exclude-each-other",
        _extracted,
        ["approve", "-l", "fr", "--entry", "source/article.txt:1", "--all-passing"],
        [
            "error: --entry and --all-passing exclude each other",
            "  hint: name entries with --entry, or approve everything that passes with "
            "--all-passing",
        ],
    ),
]


@pytest.mark.parametrize(
    ("setup", "args", "expected"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
def test_a_user_error_is_one_line_and_a_hint(
    make_project: MakeProject,
    setup: Callable[[Path], None],
    args: list[str],
    expected: list[str],
) -> None:
    root = make_project(languages=("fr",))
    setup(root)
    lines = cli_error(root, *args)
    assert len(lines) == len(expected), lines
    for line, want in zip(lines, expected, strict=True):
        want = want.format(root=root.resolve())
        if want.endswith("…"):
            assert line.startswith(want[:-1]), line
        else:
            assert line == want


def test_a_project_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    [error, hint] = cli_error(tmp_path / "pyproject.toml", "status")
    assert error == f"error: the project is not a directory ({tmp_path.resolve()}/pyproject.toml)"
    assert hint.startswith("  hint: --project takes the directory")


def test_a_busy_project(make_project: MakeProject) -> None:
    root = make_project()
    holder = hold_project(root, 30)
    try:
        [error, hint] = cli_error(root, "extract")
    finally:
        holder.kill()
        holder.wait()
    assert error.startswith("error: another translatio process is working on this project")
    assert hint == "  hint: wait for it to finish, or pass --wait SECONDS"


def test_a_catalog_linked_to_a_system_file_is_not_echoed(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project(languages=("fr",))
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP SECRET LINE\n", "utf-8")
    catalog = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    catalog.parent.mkdir(parents=True)
    catalog.symlink_to(secret)
    lines = cli_error(root, "status")
    assert "leads outside the project" in lines[0]
    assert "TOP SECRET" not in "\n".join(lines)
