"""Shared fixtures: temporary projects, the GNU gettext oracle, reproducible dates."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from translatio import engines
from translatio.engines.pseudo import PseudoEngine

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = Path(__file__).parents[1] / "source" / "article.txt"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Reproducible dates, and no test ever reads or writes the user's packages or cache."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("TRANSLATIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRANSLATIO_ARGOS_INDEX", (tmp_path / "offline-index.json").as_uri())


class MachineEngine(PseudoEngine):
    """A stand-in for a real MT engine: pseudo-localised text, but not marked as a preview.

    The pseudo engine's output is a preview that can never be approved or published;
    workflow tests need machine output that behaves like Argos's or Apertium's.
    """

    name = "machine"
    model = "machine-1"


@pytest.fixture(autouse=True)
def _machine_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--engine machine`` (the default of ``make_project``) creates a ``MachineEngine``."""
    monkeypatch.setitem(engines._FACTORIES, "machine", lambda device: MachineEngine())


def gettext_tool(name: str) -> str:
    """Path of a GNU gettext program; the suite needs them as its oracle."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install GNU gettext (apt-get install gettext)")
    return path


def msgfmt_check(path: Path) -> None:
    """Fail unless ``msgfmt --check-format`` accepts the catalog."""
    result = subprocess.run(
        [gettext_tool("msgfmt"), "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejected {path}:\n{result.stderr}"


def read_po(path: Path) -> polib.POFile:
    return polib.pofile(str(path), wrapwidth=0)


MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """A project directory with a translatio.toml and the given source files."""

    def make(
        sources: dict[str, str] | None = None,
        *,
        languages: tuple[str, ...] = ("zh_CN", "fr"),
        engine: str = "machine",
        extra: str = "",
    ) -> Path:
        root = tmp_path / "project"
        (root / "source").mkdir(parents=True)
        listed = ", ".join(f'"{code}"' for code in languages)
        (root / "translatio.toml").write_text(
            f'source_language = "en"\nlanguages = [{listed}]\nengine = "{engine}"\n{extra}',
            encoding="utf-8",
        )
        for name, text in (sources or {"article.txt": ARTICLE.read_text("utf-8")}).items():
            (root / "source" / name).write_text(text, encoding="utf-8")
        return root

    return make
