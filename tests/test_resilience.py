"""Nothing a user types or a machine does crashes the CLI, and the cache is disposable.

Error and warning lines are plain text (no rich markup, emoji codes or raw control
characters from user values); a damaged, missing or unwritable sentence cache is a
warning and the run goes on (catalogs are written); operating-system errors are one line
naming the file; a programming error still shows its traceback.

What the library does (raise, name the file, log a warning) is tested through
``translatio.Project``; what the CLI prints of it through the shared runner.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import Result

from translatio import ConfigError, Project
from translatio.cli.common import description_column, os_error_message, reports_errors
from translatio.engines.argos.packages.archive import install_from_file
from translatio.engines.argos.sentence_cache import SentenceCache, default_cache_path

from .argos_fixture import build_package
from .conftest import RUNNER, MakeProject, cli, read_po, translatio

TRICKY = ["[/x]", "[bold]", ":x:", "\x1b[31m", "[red]x[/red]"]


def _plain_failure(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "\x1b" not in result.stderr
    return str(result.stderr)


# -- 1. error output is plain text ---------------------------------------------------------


@pytest.mark.parametrize("value", TRICKY)
def test_a_language_value_that_is_no_code_is_a_config_error(
    make_project: MakeProject, value: str
) -> None:
    project = Project.open(make_project())
    with pytest.raises(ConfigError) as raised:
        project.status([value])
    assert raised.value.message == f"{value!r} is not a language code"
    assert raised.value.hint


@pytest.mark.parametrize("value", TRICKY)
def test_a_language_value_is_printed_as_typed(make_project: MakeProject, value: str) -> None:
    root = make_project()
    result = cli(root, "status", "-l", value)
    stderr = _plain_failure(result)
    shown = value.replace("\x1b", "\\x1b")
    assert f"{shown!r}" in stderr or shown in stderr
    assert "❌" not in stderr
    assert stderr.startswith("error: ")


def _failing_app(error: BaseException) -> typer.Typer:
    command_app = typer.Typer()

    @command_app.command()
    @reports_errors
    def fail() -> None:
        raise error

    return command_app


@pytest.mark.parametrize("value", TRICKY)
def test_message_and_hint_are_never_read_as_markup(value: str) -> None:
    error = ConfigError(f"bad {value} here", path=f"dir{value}/x.toml", hint=f"try {value}")
    result = RUNNER.invoke(_failing_app(error), [])
    stderr = _plain_failure(result)
    shown = value.replace("\x1b", "\\x1b")
    assert stderr.splitlines() == [
        f"error: bad {shown} here (dir{shown}/x.toml)",
        f"  hint: try {shown}",
    ]


def test_control_and_bidi_characters_are_shown_escaped() -> None:
    error = ConfigError("name\rforged\x07\u202eevil\x00", hint="a\x1b]0;title\x07")
    stderr = _plain_failure(RUNNER.invoke(_failing_app(error), []))
    assert stderr.splitlines() == [
        "error: name\\rforged\\x07\\u202eevil\\x00",
        "  hint: a\\x1b]0;title\\x07",
    ]


def test_models_install_with_markup_in_the_codes(make_project: MakeProject) -> None:
    stderr = _plain_failure(translatio("models", "install", "[/x]", ":x:"))
    assert "'[/x]' is not a language code" in stderr


def test_progress_descriptions_are_plain_text() -> None:
    from rich.console import Console
    from rich.progress import Progress

    output = io.StringIO()
    console = Console(file=output, force_terminal=True, width=80, color_system=None)
    with Progress(description_column(), console=console) as progress:
        progress.add_task("translating [/x] :x: [bold]", total=1)
    assert "translating [/x] :x: [bold]" in output.getvalue()


@pytest.mark.parametrize("command", ["status", "translate", "extract", "build", "run", "check"])
def test_language_option_metavar_in_help(command: str) -> None:
    result = translatio(command, "--help")
    assert result.exit_code == 0
    assert "-l, --language LANG" in result.output
    assert "<list[str]>" not in result.output


# -- 3. operating-system errors ------------------------------------------------------------


def _failing_replace(number: int) -> Callable[[pytest.MonkeyPatch], None]:
    """``os.replace`` onto a catalog fails with ``number`` (and names the catalog)."""

    def fail(monkeypatch: pytest.MonkeyPatch) -> None:
        real_replace = os.replace

        def failing(source: Any, target: Any, **options: Any) -> None:
            if str(target).endswith(".po"):
                raise OSError(number, os.strerror(number), str(target))
            real_replace(source, target, **options)

        monkeypatch.setattr(os, "replace", failing)

    return fail


def _full_disk_at_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """``fsync`` of a catalog's temporary file fails: an ``OSError`` without a filename."""
    real_fsync = os.fsync

    def full(descriptor: int) -> None:
        if ".translatio-tmp-article.po." in os.readlink(f"/proc/self/fd/{descriptor}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", full)


DISK_FAILURES = {
    "replace ENOSPC": (_failing_replace(errno.ENOSPC), errno.ENOSPC),
    "replace EROFS": (_failing_replace(errno.EROFS), errno.EROFS),
    "replace EACCES": (_failing_replace(errno.EACCES), errno.EACCES),
    "fsync ENOSPC": (_full_disk_at_fsync, errno.ENOSPC),
}
"""A way the disk fails while ``extract`` writes the French catalog → its errno."""


@pytest.mark.parametrize("failure", DISK_FAILURES)
def test_a_failed_catalog_write_raises_an_os_error_naming_the_catalog(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """write and fsync raise an OSError without a filename; the error still names it."""
    root = make_project(languages=("fr",))
    fail, number = DISK_FAILURES[failure]
    fail(monkeypatch)
    with pytest.raises(OSError) as raised:
        Project.open(root).extract()
    assert raised.value.errno == number
    assert Path(raised.value.filename) == root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
    assert not (root / "locales" / "fr" / "LC_MESSAGES" / "article.po").exists()
    assert not [p for p in (root / "locales").rglob("*") if ".translatio-tmp-" in p.name]


@pytest.mark.parametrize(
    ("failure", "expected", "hint"),
    [
        ("replace ENOSPC", "cannot write {}: No space left on device (ENOSPC)", "free some disk"),
        ("replace EROFS", "cannot write {}: Read-only file system (EROFS)", "the file system is"),
        ("replace EACCES", "cannot access {}: Permission denied (EACCES)", "check the permissions"),
        ("fsync ENOSPC", "cannot write {}: No space left on device (ENOSPC)", "free some disk"),
    ],
)
def test_a_failed_catalog_write_is_one_line_naming_the_file(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
    expected: str,
    hint: str,
) -> None:
    """The file is shown relative to the working directory."""
    root = make_project(languages=("fr",))
    DISK_FAILURES[failure][0](monkeypatch)
    monkeypatch.chdir(root)
    stderr = _plain_failure(translatio("extract"))
    [message, hint_line] = stderr.splitlines()
    assert message == "error: " + expected.format("locales/fr/LC_MESSAGES/article.po")
    assert hint_line.startswith(f"  hint: {hint}")


@pytest.mark.parametrize(
    ("error", "expected", "hint"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "No space left on device (ENOSPC)",
            "free some disk space",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "/nowhere/x.po"),
            "cannot access /nowhere/x.po: Permission denied (EACCES)",
            "check the permissions",
        ),
        (
            OSError(errno.EXDEV, "Invalid cross-device link", "/a/[b]", None, "/c/:x:"),
            "cannot access /a/[b] → /c/:x:: Invalid cross-device link (EXDEV)",
            "check the path, the disk and the permissions",
        ),
        (
            OSError(errno.EROFS, "Read-only file system", "/ro/x.po"),
            "cannot write /ro/x.po: Read-only file system (EROFS)",
            "the file system is mounted read-only",
        ),
        (OSError("no errno at all"), "no errno at all", "check the path"),
    ],
)
def test_os_error_message(error: OSError, expected: str, hint: str) -> None:
    message, given = os_error_message(error)
    assert message == expected
    assert given.startswith(hint)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device (ENOSPC)"),
        (
            PermissionError(errno.EACCES, "Permission denied", "/nowhere/x.po"),
            "cannot access /nowhere/x.po: Permission denied (EACCES)",
        ),
        (
            OSError(errno.EXDEV, "Invalid cross-device link", "/a/[b]", None, "/c/:x:"),
            "cannot access /a/[b] → /c/:x:: Invalid cross-device link (EXDEV)",
        ),
    ],
)
def test_os_errors_become_one_error_line(error: OSError, expected: str) -> None:
    stderr = _plain_failure(RUNNER.invoke(_failing_app(error), []))
    [message, hint] = stderr.splitlines()
    assert message == f"error: {expected}"
    assert hint.startswith("  hint: ")


def test_a_programming_error_still_shows_its_traceback() -> None:
    result = RUNNER.invoke(_failing_app(ValueError("a bug")), [])
    assert result.exit_code == 1
    assert isinstance(result.exception, ValueError)
    assert "error:" not in result.stderr


# -- 2. the sentence cache is disposable ---------------------------------------------------


@pytest.fixture(scope="module")
def en_zh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("archives"), "en", "zh", seed=1)


def _garbage(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x89 this is no database \x00" * 200)


def _truncated(path: Path) -> None:
    cache = SentenceCache(path)
    cache.store("m", [(f"sentence {n} " * 5, "t" * 50, -1.0) for n in range(2000)])
    cache.close()
    data = path.read_bytes()
    assert len(data) > 20_000
    path.write_bytes(data[: len(data) // 2])


def _wrong_schema(path: Path) -> None:
    path.parent.mkdir(parents=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE sentences (id INTEGER PRIMARY KEY, text TEXT)")
    connection.commit()
    connection.close()


def _directory(path: Path) -> None:
    path.mkdir(parents=True)


def _unusable_cache_directory(path: Path) -> None:
    path.parent.parent.mkdir(parents=True, exist_ok=True)
    path.parent.write_text("a file where the cache directory should be\n", "utf-8")


class _FailingWrites:
    """A real connection whose writes fail as a full disk or a read-only file make them."""

    def __init__(self, connection: sqlite3.Connection, message: str) -> None:
        self._connection = connection
        self._message = message

    def _check(self, sql: str) -> None:
        if sql.lstrip().upper().startswith(("INSERT", "CREATE")):
            raise sqlite3.OperationalError(self._message)

    def execute(self, sql: str, *parameters: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self._connection.execute(sql, *parameters)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self._connection.executemany(sql, rows)

    def __enter__(self) -> _FailingWrites:
        self._connection.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._connection.__exit__(*exc)  # type: ignore[arg-type]

    def close(self) -> None:
        self._connection.close()


class _FailingReads:
    """A real connection on a file that breaks while it is open."""

    def __init__(self, connection: Any, error: Exception) -> None:
        self._connection = connection
        self._error = error

    def execute(self, sql: str, *parameters: Any) -> sqlite3.Cursor:
        raise self._error

    def close(self) -> None:
        self._connection.close()


def _failing_writes(message: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def damage(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        cache = SentenceCache(path)
        assert cache.lookup("m", ["x"]) == {}  # the cache exists and has its table
        cache.close()
        real_connect = sqlite3.connect
        monkeypatch.setattr(
            sqlite3,
            "connect",
            lambda *args, **options: _FailingWrites(real_connect(*args, **options), message),
        )

    return damage


RECOVERED = {"garbage": _garbage, "truncated": _truncated, "wrong schema": _wrong_schema}
DONE_WITHOUT = {"directory": _directory, "unusable directory": _unusable_cache_directory}
NOT_WRITTEN = {
    "read-only": _failing_writes("attempt to write a readonly database"),
    "disk full": _failing_writes("database or disk is full"),
}


def _run_argos(root: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Run the project through the library: catalogs are written; the warnings it logged."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="translatio"):
        _, [translated], _ = Project.open(root).run()
    assert translated.written and translated.report.filled == 6
    po = read_po(root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po")
    assert all(entry.msgstr and entry.fuzzy for entry in po if entry.msgid)
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _argos_root(en_zh: Path, make_project: MakeProject) -> Path:
    install_from_file(en_zh)
    return make_project(languages=("zh_CN",), engine="argos", extra='device = "cpu"\n')


def _remembered(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM sentences").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.parametrize("damage", RECOVERED.values(), ids=RECOVERED.keys())
def test_a_damaged_cache_is_moved_aside_and_recreated(
    en_zh: Path,
    make_project: MakeProject,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None],
) -> None:
    root = _argos_root(en_zh, make_project)
    path = default_cache_path()
    damage(path)
    before = path.read_bytes()
    [warning] = _run_argos(root, caplog)
    assert "sentence cache" in warning and "moved it to sentences.sqlite3.damaged" in warning
    assert path.with_name("sentences.sqlite3.damaged").read_bytes() == before
    assert _remembered(path) > 0
    (root / "locales" / "zh_CN" / "LC_MESSAGES" / "article.po").unlink()
    assert _run_argos(root, caplog) == []  # the new cache serves the next run


@pytest.mark.parametrize("damage", DONE_WITHOUT.values(), ids=DONE_WITHOUT.keys())
def test_an_unopenable_cache_is_done_without(
    en_zh: Path,
    make_project: MakeProject,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None],
) -> None:
    root = _argos_root(en_zh, make_project)
    path = default_cache_path()
    damage(path)
    [warning] = _run_argos(root, caplog)
    assert f"cannot open the sentence cache {path}" in warning
    assert "going on without it" in warning
    assert not path.with_name("sentences.sqlite3.damaged").exists()


@pytest.mark.parametrize("damage", NOT_WRITTEN.values(), ids=NOT_WRITTEN.keys())
def test_an_unwritable_cache_does_not_lose_the_catalogs(
    en_zh: Path,
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path, pytest.MonkeyPatch], None],
) -> None:
    root = _argos_root(en_zh, make_project)
    path = default_cache_path()
    damage(path, monkeypatch)
    [warning] = _run_argos(root, caplog)
    assert f"cannot write the sentence cache {path}" in warning
    assert _remembered(path) == 0


def test_a_memory_warning_is_a_warning_line_and_the_run_succeeds(
    en_zh: Path, make_project: MakeProject
) -> None:
    root = _argos_root(en_zh, make_project)
    _garbage(default_cache_path())
    result = cli(root, "run")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    path = default_cache_path()
    [warning] = [line for line in result.stderr.splitlines() if "sentence cache" in line]
    assert warning.startswith(f"warning: the sentence cache {path} was damaged (")
    assert warning.endswith("; moved it to sentences.sqlite3.damaged and started a new one")


def test_memory_failures_are_logged_not_printed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sentences.sqlite3"
    path.write_bytes(b"garbage" * 100)
    cache = SentenceCache(path)
    with caplog.at_level(logging.WARNING, logger="translatio"):
        assert cache.lookup("m", ["a"]) == {}
        cache.store("m", [("a", "b", -0.5)])
        assert cache.lookup("m", ["a"]) == {"a": ("b", -0.5)}
    cache.close()
    [record] = caplog.records
    assert record.name.startswith("translatio") and record.levelno == logging.WARNING
    assert cache.warnings == [record.getMessage()]
    assert capsys.readouterr() == ("", "")


def test_a_cache_failing_in_the_middle_of_a_run_is_recreated(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "sentences.sqlite3"
    cache = SentenceCache(path)
    cache.store("m", [("a", "b", -0.5)])
    corrupt = sqlite3.DatabaseError("database disk image is malformed")
    corrupt.sqlite_errorname = "SQLITE_CORRUPT"  # type: ignore[attr-defined]
    cache._connection = _FailingReads(cache._connection, corrupt)  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING, logger="translatio"):
        assert cache.lookup("m", ["a"]) == {}
        cache.store("m", [("c", "d", -0.1)])
    assert cache.lookup("m", ["a", "c"]) == {"c": ("d", -0.1)}
    assert len(cache.warnings) == 1 and "moved it to" in cache.warnings[0]
    assert path.with_name("sentences.sqlite3.damaged").is_file()
    cache.close()
