"""Catalog layout in a project: the ``wrap`` setting, and no churn between tools."""

from __future__ import annotations

import subprocess
from pathlib import Path

from translatio.project import Project

from .conftest import MakeProject, gettext_tool

LONG = " ".join(["A long paragraph that goes on and on well past one line of a catalog."] * 3)


def _catalog(root: Path) -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"


def _longest_line(path: Path) -> int:
    """The longest string line (comments are not wrapped by gettext either)."""
    lines = path.read_text("utf-8").splitlines()
    return max(len(line) for line in lines if not line.startswith("#"))


def test_catalogs_follow_the_wrap_setting(make_project: MakeProject) -> None:
    wrapped = make_project({"doc.md": LONG + "\n"}, languages=("fr",))
    Project.open(wrapped).run(policy="draft", keep=0)
    assert _longest_line(_catalog(wrapped)) <= 79
    assert _longest_line(wrapped / "locales" / "doc.pot") <= 79

    (wrapped / "translatio.toml").write_text(
        (wrapped / "translatio.toml").read_text("utf-8") + "wrap = 0\n", "utf-8"
    )
    Project.open(wrapped).run(policy="draft", keep=0)  # same content: nothing rewritten
    assert _longest_line(_catalog(wrapped)) <= 79
    (_catalog(wrapped)).unlink()
    Project.open(wrapped).run(policy="draft", keep=0)
    assert _longest_line(_catalog(wrapped)) > len(LONG)


def test_a_catalog_another_tool_laid_out_is_not_rewritten(make_project: MakeProject) -> None:
    root = make_project({"doc.md": LONG + "\n\nA second paragraph.\n"}, languages=("fr",))
    Project.open(root).run(policy="draft", keep=0)
    path = _catalog(root)
    subprocess.run([gettext_tool("msgcat"), "--width=40", "-o", str(path), str(path)], check=True)
    narrow = path.read_bytes()
    assert _longest_line(path) <= 40

    Project.open(root).run(policy="draft", keep=0)
    assert path.read_bytes() == narrow  # unchanged content, the tool's layout kept

    (root / "source" / "doc.md").write_text(LONG + "\n\nA changed paragraph.\n", "utf-8")
    Project.open(root).run(policy="draft", keep=0)
    assert path.read_bytes() != narrow  # a real change is written, in gettext's layout
    assert _longest_line(path) <= 79
    again = subprocess.run(
        [gettext_tool("msgcat"), str(path)], check=True, capture_output=True
    ).stdout
    assert again == path.read_bytes()
