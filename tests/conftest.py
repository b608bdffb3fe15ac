"""Shared fixtures: temporary projects, the gettext oracle, reproducible dates, the CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polib
import pytest
from typer.testing import CliRunner, Result

from translatio.cli import app
from translatio.engines import (
    Capabilities,
    Engine,
    EngineOptions,
    register_engine,
    unregister_engine,
)
from translatio.engines.pseudo import pseudo_localise
from translatio.engines.scripted import ScriptedEngine

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = Path(__file__).parents[1] / "source" / "article.txt"

SHORT_DOC = "# The title\n\nThe first paragraph is here.\n\nThe second paragraph is here.\n"
"""A three-entry Markdown document, for tests that change entries one by one."""

RUNNER = CliRunner()
"""The one CliRunner of the suite: CLI tests check the adapter (options, exit codes, words)."""


def translatio(*args: str) -> Result:
    """``translatio ARGS``, run in-process: commands without a project (``models``, help)."""
    return RUNNER.invoke(app, list(args))


def cli(root: Path, *args: str) -> Result:
    """``translatio ARGS --project ROOT``, run in-process."""
    return translatio(*args, "--project", str(root))


def user_error(result: Result) -> list[str]:
    """The stderr lines of a run that failed as a user error: exit 1, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output + result.stderr
    return result.stderr.splitlines()


def cli_error(root: Path, *args: str) -> list[str]:
    """The stderr lines of a command that must fail as a user error: exit 1, no traceback."""
    return user_error(cli(root, *args))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Reproducible dates, and no test ever reads or writes the user's packages or cache."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("TRANSLATIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRANSLATIO_ARGOS_INDEX", (tmp_path / "offline-index.json").as_uri())


def machine_engine() -> ScriptedEngine:
    """A stand-in for a real MT engine: pseudo-localised text, but not marked as a preview.

    The pseudo engine's output is a preview that can never be approved or published;
    workflow tests need machine output that behaves like Argos's or Apertium's.
    """
    return ScriptedEngine(pseudo_localise, name="machine", model="machine-1")


@contextmanager
def registered(
    name: str,
    factory: Callable[[EngineOptions], Engine],
    *,
    capabilities: Capabilities = Capabilities(),  # noqa: B008 (a frozen value)
) -> Iterator[None]:
    """``register_engine`` for the ``with`` block; ``unregister_engine`` afterwards."""
    register_engine(name, factory, capabilities=capabilities)
    try:
        yield
    finally:
        unregister_engine(name)


@pytest.fixture(autouse=True)
def _machine_engine() -> Iterator[None]:
    """``--engine machine`` (the default of ``make_project``) makes a ``machine_engine()``."""
    with registered("machine", lambda options: machine_engine()):
        yield


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


def hold_project(root: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that takes the project lock and keeps it for ``seconds``."""
    code = textwrap.dedent(
        f"""
        import time
        from translatio.engines import register_engine
        from translatio.engines.scripted import ScriptedEngine
        from translatio.workspace.workspace import Workspace
        register_engine("machine", lambda options: ScriptedEngine(name="machine"))  # as the suite
        with Workspace.open({str(root)!r}).lock():
            print("locked", flush=True)
            time.sleep({seconds})
        """
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    process.stdout.close()
    return process


def add_code_span_error(path: Path) -> None:
    """Make the catalog's first entry machine output (provenance intact) with a QA error:
    a code span its source does not have."""
    from translatio.catalog.provenance import read_provenance, text_hash, with_provenance

    catalog = read_po(path)
    bad = next(entry for entry in catalog if entry.msgid)
    bad.msgstr += " `code`"
    provenance = read_provenance(bad.tcomment)
    assert provenance is not None
    bad.tcomment = with_provenance(
        bad.tcomment,
        type(provenance)(
            provenance.engine, provenance.model, provenance.score, text_hash(bad.msgstr)
        ),
    )
    path.write_bytes(catalog.__unicode__().encode("utf-8"))


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless Chromium driven by Selenium (Debian's chromium and chromium-driver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if binary is None or driver is None:
        pytest.fail("chromium and chromedriver not found: apt-get install chromium chromium-driver")
    options = Options()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()


@contextmanager
def desk_process(root: Path) -> Iterator[tuple[str, list[str]]]:
    """``translatio serve`` for ``root`` in its own process on a free port, once it answers:
    its address, and a list that holds what it printed once it is stopped at the end."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "translatio", "serve", "--project", str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    address = f"http://127.0.0.1:{port}"
    printed: list[str] = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(address + "/", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"translatio serve exited: {server.communicate()[1]}")
                time.sleep(0.1)
        yield address, printed
    finally:
        server.terminate()
        printed.append(server.communicate(timeout=10)[0])
