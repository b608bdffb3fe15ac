"""What every ``translatio`` command shares: options, the error handler, output helpers.

Results go to stdout (``--json`` for scripts), progress and errors to stderr. A
``TranslatioError`` becomes ``error: <what> (<file>:<line>)`` plus a hint and exit 1;
no traceback is shown for anything a user can cause.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from translatio.errors import TranslatioError

if TYPE_CHECKING:
    from translatio.project import Project

P = ParamSpec("P")
R = TypeVar("R")

ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        "-C",
        metavar="DIR",
        help="Project directory (holds pyproject.toml or translatio.toml).",
    ),
]
LanguagesOption = Annotated[
    list[str] | None,
    typer.Option("--language", "-l", help="Target language (repeatable); default: all configured."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print results as JSON for scripts.")]
EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        "-e",
        metavar="NAME",
        help="Engine: argos, apertium or pseudo (default: the configured engine).",
    ),
]


class Device(StrEnum):
    """Where models run."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


DeviceOption = Annotated[
    Device | None,
    typer.Option(
        "--device", help="Where models run: auto (GPU if CTranslate2 sees one), cpu or cuda."
    ),
]
DraftOption = Annotated[
    bool,
    typer.Option("--draft", help="Include unreviewed machine output, under a visible notice."),
]
KeepOption = Annotated[
    float | None,
    typer.Option(
        "--keep",
        metavar="PCT",
        min=0,
        max=100,
        help="Skip editions less than this percent translated (default: setting keep, 80).",
    ),
]


def stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The one place user errors become a message and an exit status."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except TranslatioError as error:
            console = stderr()
            console.print(f"[bold red]error:[/] {error}", markup=True, highlight=False)
            if error.hint:
                console.print(f"  hint: {error.hint}", markup=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            stderr().print("interrupted", markup=False)
            raise typer.Exit(130) from None

    return wrapper


WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        min=0,
        help="If another translatio process holds the project, wait this long for it.",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Merge even when most translations would become obsolete (they are kept).",
    ),
]


def open_project(project: Path, *, wait: float = 0.0) -> Project:
    from translatio.project import Project

    def waiting() -> None:
        stderr().print(
            f"waiting up to {wait:g} s for another translatio process to finish…", markup=False
        )

    return Project.open(project, wait=wait, on_wait=waiting)


def emit_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


class RichProgress:
    """A progress bar on stderr, shown only on a terminal and for real work."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._task: Any = None

    def start(self, description: str, total: int) -> None:
        self._task = self._progress.add_task(description, total=total)

    def advance(self, amount: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)


@contextmanager
def progress_bar() -> Iterator[RichProgress]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = stderr()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        yield RichProgress(progress)
