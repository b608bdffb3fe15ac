"""Every command, found from the Typer app itself, has help with an example and is in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from translatio.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
runner = CliRunner()


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


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: translatio " + " ".join(command) in " ".join(result.output.split())


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    if command[0] == "models":
        assert f"translatio models {command[1]}" in README or f"|{command[1]}" in README
    else:
        assert f"`translatio {' '.join(command)}" in README


def test_the_typer_app_is_what_the_console_script_runs() -> None:
    from translatio import cli

    assert isinstance(cli.app, typer.Typer)
