"""What every ``translatio`` command shares: options, the error handler, output helpers.

Results go to stdout (``--json`` for scripts), progress, warnings and errors to stderr. A
``TranslatioError`` becomes ``error: <what> (<file>:<line>)`` plus a hint and exit 1; an
``OSError`` naming a file becomes ``error: cannot write <file>: <reason> (<ERRNO>)``; no
traceback is shown for anything a user or the machine can cause (a bug still shows one).
Library warnings (the ``translatio`` logger) become ``warning: …`` lines. Every message is
printed as plain text: user values are never read as rich markup or emoji codes, and
control characters in them are shown escaped. A reader that stops reading
(``translatio status | head -1``) ends the command quietly with status 141, as it ends
``cat`` or ``git log`` (128 + SIGPIPE). Progress is a bar on a terminal, one plain line
every few seconds anywhere else (a log), nothing with ``--quiet``.
"""

from __future__ import annotations

import errno
import functools
import json
import logging
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from translatio.config import Device, ExecutorKind
from translatio.errors import TranslatioError
from translatio.progress import NullProgress, PlainProgress, Progress

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
    typer.Option(
        "--language",
        "-l",
        metavar="LANG",
        help="Target language (repeatable); default: all configured.",
    ),
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


DeviceOption = Annotated[
    Device | None,
    typer.Option(
        "--device", help="Where models run: auto (GPU if CTranslate2 sees one), cpu or cuda."
    ),
]
ExecutorOption = Annotated[
    ExecutorKind | None,
    typer.Option(
        "--executor",
        help="Where Argos decodes: local (this process, the default) or ray (Ray actors; "
        "pip install 'translatio[ray]').",
    ),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        metavar="ADDR",
        help="Ray cluster to join with --executor ray (host:port of `ray start --head`, "
        "or ray://host:10001); without it a local Ray instance runs for the command.",
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
    """A rich console on stderr that prints strings as they are: no markup, emoji or colours."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(text: str) -> str:
    """``text`` safe for a terminal: control and bidi-override characters shown escaped.

    >>> plain("bad\\x1b[31m name\\r")
    'bad\\\\x1b[31m name\\\\r'
    """
    return "".join(
        repr(char)[1:-1]
        if (unicodedata.category(char) == "Cc" and char not in "\n\t") or char in _BIDI_CONTROLS
        else char
        for char in text
    )


def print_labelled(label: str, style: str, message: str, *, hint: str | None = None) -> None:
    """``label message`` (and ``  hint: …``) on stderr; only the label is styled."""
    from rich.text import Text

    console = stderr()
    console.print(Text.assemble((label, style), " ", plain(message)))
    if hint:
        console.print(Text(f"  hint: {plain(hint)}"))


class _WarningLines(logging.Handler):
    """Shows the library's warnings (the ``translatio`` logger) as ``warning: …`` lines,
    and its errors as ``error: …`` lines: one file's problem that let the rest go on,
    which still makes the command's exit status 1."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.levelno >= logging.ERROR:
                self.failed = True
                print_labelled("error:", "bold red", record.getMessage())
            else:
                print_labelled("warning:", "yellow", record.getMessage())
        except Exception:  # a logging handler must never raise
            self.handleError(record)


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}
_OS_HINTS = {
    errno.ENOSPC: "free some disk space and run the command again; files are replaced "
    "atomically, so each one holds either its old or its new content",
    errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
    errno.EROFS: "the file system is mounted read-only: work on a writable copy",
    errno.EACCES: "check the permissions of the file and of its directory",
    errno.EPERM: "check the permissions of the file and of its directory",
    errno.ENOENT: "check that the path exists",
    errno.ENOTDIR: "a part of the path is a file, not a directory",
    errno.EISDIR: "the path is a directory, not a file",
}


def os_error_message(error: OSError) -> tuple[str, str]:
    """``(message, hint)`` for an operating-system error, naming the file when known."""
    reason = error.strerror or str(error) or type(error).__name__
    number = error.errno or 0
    code = f" ({errno.errorcode[number]})" if number in errno.errorcode else ""
    hint = _OS_HINTS.get(number, "check the path, the disk and the permissions")
    if error.filename is None:
        return f"{reason}{code}", hint
    verb = "write" if number in _WRITE_ERRORS else "access"
    where = _shown_path(error.filename)
    if error.filename2 is not None:
        where = f"{where} → {_shown_path(error.filename2)}"
    return f"cannot {verb} {where}: {reason}{code}", hint


def _shown_path(name: object) -> str:
    """A path relative to the working directory when it lies inside it."""
    text = os.fsdecode(name) if isinstance(name, str | bytes | os.PathLike) else str(name)
    try:
        return str(Path(text).absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return text


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The one place user errors become a message and an exit status."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        logger = logging.getLogger("translatio")
        handler = _WarningLines(logging.WARNING)
        logger.addHandler(handler)
        try:
            result = command(*args, **kwargs)
            if handler.failed:
                raise typer.Exit(1)
            return result
        except BrokenPipeError:  # the reader stopped reading: not an error of anyone's
            _discard_output()
            raise typer.Exit(BROKEN_PIPE_STATUS) from None
        except TranslatioError as error:
            print_labelled("error:", "bold red", str(error), hint=error.hint)
            raise typer.Exit(1) from None
        except OSError as error:  # the disk, not the program: full, read-only, forbidden
            message, hint = os_error_message(error)
            print_labelled("error:", "bold red", message, hint=hint)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            stderr().print("interrupted")
            raise typer.Exit(130) from None
        finally:
            logger.removeHandler(handler)

    return wrapper


BROKEN_PIPE_STATUS = 128 + 13
"""The status of a command whose reader closed its pipe: what a shell reports for a
program SIGPIPE ended (``cat``, ``git log``)."""


def _discard_output() -> None:
    """Send what is left of stdout to ``/dev/null``, so the exit flushes quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's captured stream)
        pass


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
        stderr().print(f"waiting up to {wait:g} s for another translatio process to finish…")

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


def description_column() -> Any:
    """A progress column showing the task description as plain text (it may hold user values)."""
    from rich.progress import TextColumn

    return TextColumn("{task.description}", style="progress.description", markup=False)


QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Show no progress (results and errors still print)."),
]
PROGRESS_INTERVAL = 5.0
"""Seconds between two plain progress lines (no terminal: CI, cron, a pipe); the
environment variable ``TRANSLATIO_PROGRESS_INTERVAL`` sets another."""


def _progress_interval() -> float:
    """``TRANSLATIO_PROGRESS_INTERVAL`` when it is a number of seconds, else the default."""
    given = os.environ.get("TRANSLATIO_PROGRESS_INTERVAL", "")
    try:
        seconds = float(given)
    except ValueError:
        return PROGRESS_INTERVAL
    return seconds if seconds >= 0 else PROGRESS_INTERVAL


def _stderr_line(line: str) -> None:
    """Write one progress line on stderr; a closed stderr ends the lines, not the work."""
    try:
        sys.stderr.write(plain(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


@contextmanager
def progress_bar(*, quiet: bool = False) -> Iterator[Progress]:
    """Where long steps report: a bar on a terminal, plain lines in a log, or nowhere."""
    if quiet:
        yield NullProgress()
        return
    console = stderr()
    if not console.is_terminal:
        lines = PlainProgress(_stderr_line, interval=_progress_interval())
        try:
            yield lines
        finally:
            lines.close()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        description_column(),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield RichProgress(progress)
