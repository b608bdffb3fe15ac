"""Every command, found from the Typer app itself, has help with an example and is in the README."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from typer.main import get_command

from translatio.cli import app

from .conftest import translatio

README = (Path(__file__).parents[1] / "README.md").read_text("utf-8")


def _commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf command of the click group behind the Typer app, as argument tuples."""
    found = []
    for name, command in sorted(getattr(group, "commands", {}).items()):
        if getattr(command, "commands", None):
            found.extend(_commands(command, (*prefix, name)))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(get_command(app))


def test_the_app_has_the_commands_we_expect() -> None:
    names = {" ".join(command) for command in COMMANDS}
    assert {"extract", "translate", "status", "check", "approve", "review", "build", "run"} <= names
    assert {"models list", "models install", "models remove", "models available"} <= names
    assert {"tm import", "tm export", "tm stats"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = translatio(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example: translatio " + " ".join(command) in " ".join(result.output.split())


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    if command[0] == "models":
        assert f"translatio models {command[1]}" in README or f"|{command[1]}" in README
    else:
        assert f"`translatio {' '.join(command)}" in README


def test_the_console_script_runs_this_app(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    [script] = entry_points(group="console_scripts", name="translatio")
    monkeypatch.setattr(sys, "argv", ["translatio", "--help"])
    with pytest.raises(SystemExit) as exited:
        script.load()()
    assert exited.value.code == 0
    listed = capsys.readouterr().out
    for name in sorted({command[0] for command in COMMANDS}):
        assert f" {name} " in listed, f"{name} is missing from the console script's help"
