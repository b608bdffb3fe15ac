"""The ``translatio`` command: thin Typer commands over ``Project``, one error handler.

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
from typing import Annotated, Any, ParamSpec, TypeVar

import click
import typer

from translatio import __version__
from translatio.errors import TranslatioError

__all__ = ["app", "main"]

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="translatio",
    help=(
        "Offline translation of long-form text through gettext catalogs.\n\n"
        "Articles in source/ become locales/<doc>.pot and one PO catalog per language, "
        "machine translation fills them as fuzzy drafts for review, and editions are "
        "built from what is translated.\n\n"
        "Typical session:\n\n"
        "  translatio extract\n\n"
        "  translatio translate --engine pseudo -l zh_CN\n\n"
        "  translatio status\n\n"
        "  translatio build -l zh_CN --draft\n\n"
        "or all at once: translatio run"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

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
        help="Engine: argos or pseudo (default: the configured engine).",
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


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The one place user errors become a message and an exit status."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except TranslatioError as error:
            console = _stderr()
            console.print(f"[bold red]error:[/] {error}", markup=True, highlight=False)
            if error.hint:
                console.print(f"  hint: {error.hint}", markup=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            _stderr().print("interrupted", markup=False)
            raise typer.Exit(130) from None

    return wrapper


def _open(project: Path) -> Any:
    from translatio.project import Project

    return Project.open(project)


def _emit_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


class _RichProgress:
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
def _progress() -> Iterator[_RichProgress]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_stderr(),
        transient=True,
    ) as progress:
        yield _RichProgress(progress)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"translatio {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Offline translation of long-form text through gettext catalogs."""


@app.command()
@reports_errors
def extract(
    language: LanguagesOption = None,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Segment source/* into locales/<doc>.pot and merge it into every language catalog.

    Translations are never lost: an edited paragraph keeps its old translation as fuzzy
    (with the previous text in #|), a removed one becomes obsolete (#~) and comes back if
    the paragraph does.

    Example: translatio extract -l zh_CN -l zh_TW
    """
    updates = _open(project).extract(language)
    if as_json:
        _emit_json([_merge_json(update) for update in updates])
        return
    for update in updates:
        merge = update.merge
        state = "updated" if update.written else "unchanged"
        typer.echo(
            f"{update.path}: {state} ({merge.kept} kept, {merge.fuzzy} fuzzy, {merge.new} new, "
            f"{merge.obsoleted} obsoleted, {merge.resurrected} resurrected)"
        )


def _merge_json(update: Any) -> dict[str, object]:
    merge = update.merge
    return {
        "document": update.document,
        "language": update.language,
        "path": update.path,
        "written": update.written,
        "kept": merge.kept,
        "fuzzy": merge.fuzzy,
        "new": merge.new,
        "obsoleted": merge.obsoleted,
        "resurrected": merge.resurrected,
    }


@app.command()
@reports_errors
def translate(
    language: LanguagesOption = None,
    engine: EngineOption = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh", help="Re-translate machine output nobody has touched (new model)."
        ),
    ] = False,
    device: DeviceOption = None,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Fill untranslated entries with machine translation, marked fuzzy for review.

    Only empty entries are filled. Machine output carries a translator comment (engine,
    model, score, hash); entries a person edited or approved are never touched again.

    Example: translatio translate --engine pseudo -l zh_CN
    """
    opened = _open(project)
    with _progress() as progress:
        updates = opened.translate(
            language,
            engine=engine,
            refresh=refresh,
            device=device.value if device else None,
            progress=progress,
        )
    if as_json:
        _emit_json(
            [
                {
                    "document": update.document,
                    "language": update.language,
                    "path": update.path,
                    "written": update.written,
                    "filled": update.report.filled,
                    "refreshed": update.report.refreshed,
                    "protected": update.report.protected,
                }
                for update in updates
            ]
        )
        return
    for update in updates:
        report = update.report
        typer.echo(
            f"{update.path}: {report.filled} filled, {report.refreshed} refreshed, "
            f"{report.protected} human translations left alone"
        )


@app.command()
@reports_errors
def status(
    language: LanguagesOption = None,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Show each document × language: translated, machine, needs update, untranslated.

    Counts are entries; the percentage is of source words translated by a person
    (or accepted from machine output by clearing the fuzzy flag).

    Example: translatio status --json
    """
    from translatio.status import State

    statuses = _open(project).status(language)
    if as_json:
        _emit_json([item.as_dict() for item in statuses])
        return
    headers = ["document", "language", *(state.value for state in State), "words", "done"]
    rows = [
        [
            item.document,
            item.language,
            *(str(item.entries[state]) for state in State),
            str(item.total_words),
            f"{item.percent(State.TRANSLATED):.0f}%",
        ]
        for item in statuses
    ]
    widths = [max(len(row[index]) for row in [headers, *rows]) for index in range(len(headers))]
    for row in [headers, *rows]:
        cells = [
            cell.ljust(width) if index < 2 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        typer.echo("  ".join(cells).rstrip())


@app.command()
@reports_errors
def build(
    language: LanguagesOption = None,
    draft: DraftOption = False,
    keep: KeepOption = None,
    html: Annotated[bool, typer.Option("--html/--no-html", help="Also write HTML.")] = True,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Build editions/<lang>/<doc>.md (or .txt) and .html from the catalogs.

    By default only reviewed translations are used and everything else stays in the
    source language; --draft adds machine output under a notice. Editions below --keep
    percent are skipped with the reason.

    Example: translatio build -l zh_CN --draft --keep 0
    """
    policy = "draft" if draft else "reviewed"
    reports = _open(project).build(language, policy=policy, keep=keep, html=html)
    _print_editions(reports, as_json=as_json)


def _print_editions(reports: list[Any], *, as_json: bool) -> None:
    if as_json:
        _emit_json(
            [
                {
                    "document": report.document,
                    "language": report.language,
                    "state": report.state.value,
                    "completeness": round(report.completeness, 1),
                    "paths": list(report.paths),
                    "reason": report.reason,
                }
                for report in reports
            ]
        )
        return
    for report in reports:
        if report.reason:
            typer.echo(f"{report.language}/{report.document}: skipped: {report.reason}")
        else:
            typer.echo(
                f"{report.language}/{report.document}: {report.state.value} "
                f"({report.completeness:.0f}%) {' '.join(report.paths)}"
            )


@app.command()
@reports_errors
def run(
    language: LanguagesOption = None,
    engine: EngineOption = None,
    draft: DraftOption = False,
    keep: KeepOption = None,
    device: DeviceOption = None,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Extract, machine-translate and build, for every document and configured language.

    With the argos engine, missing language packages are downloaded from the Argos
    index first; offline, the error names each missing pair and how to install it.

    Example: translatio run --draft
    """
    opened = _open(project)
    with _progress() as progress:
        _, translated, built = opened.run(
            language,
            engine=engine,
            policy="draft" if draft else "reviewed",
            keep=keep,
            device=device.value if device else None,
            progress=progress,
        )
    if not as_json:
        filled = sum(update.report.filled + update.report.refreshed for update in translated)
        typer.echo(f"machine-translated {filled} entries in {len(translated)} catalogs")
    _print_editions(built, as_json=as_json)


models_app = typer.Typer(
    help="Argos Translate packages: list, available, install, remove.\n\n"
    "Packages live where Argos keeps them (ARGOS_PACKAGES_DIR is honoured), so packages "
    "installed with argospm are used too.",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")


@models_app.command("list")
@reports_errors
def models_list(as_json: JsonOption = False) -> None:
    """Show installed packages: language pair, version, size and path.

    Example: translatio models list --json
    """
    from translatio.models import installed_packages, packages_dir

    packages = installed_packages()
    rows = [
        {
            "from": package.from_code,
            "to": package.to_code,
            "version": package.version,
            "size": package.size(),
            "path": str(package.path),
        }
        for package in packages
    ]
    if as_json:
        _emit_json(rows)
        return
    if not rows:
        typer.echo(f"no packages in {packages_dir()}")
        typer.echo("install one: translatio models install en zh")
        return
    for row in rows:
        typer.echo(
            f"{row['from']}→{row['to']}  {row['version']:<8} "
            f"{int(row['size']) / 1024**2:7.1f} MB  {row['path']}"  # type: ignore[call-overload]
        )


@models_app.command("available")
@reports_errors
def models_available(as_json: JsonOption = False) -> None:
    """List the packages the Argos index offers (needs network).

    Example: translatio models available
    """
    from translatio.models import available_packages

    offers = available_packages()
    if as_json:
        _emit_json([{"from": o.from_code, "to": o.to_code, "version": o.version} for o in offers])
        return
    for offer in offers:
        typer.echo(f"{offer.from_code}→{offer.to_code}  {offer.version}")


@models_app.command("install")
@reports_errors
def models_install(
    what: Annotated[
        list[str],
        typer.Argument(help="A .argosmodel file, or two language codes (from to)."),
    ],
) -> None:
    """Install a package from a file or download one from the Argos index.

    The archive is checked completely before anything is written; a broken one leaves
    the installed packages untouched.

    Example: translatio models install en zh
    Example: translatio models install translate-en_zh-1_9.argosmodel
    """
    from translatio.models import download_and_install, install_from_file

    if len(what) == 1:
        package = install_from_file(Path(what[0]))
    elif len(what) == 2:
        from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

        with Progress(
            "[progress.description]{task.description}",
            DownloadColumn(),
            TransferSpeedColumn(),
            console=_stderr(),
            transient=True,
        ) as bar:
            task = bar.add_task(f"downloading {what[0]}→{what[1]}", total=None)

            def report(received: int, total: int) -> None:
                bar.update(task, completed=received, total=total or None)

            package = download_and_install(what[0], what[1], progress=report)
    else:
        raise click.UsageError("give a .argosmodel file or two language codes")
    typer.echo(f"installed {package.from_code}→{package.to_code} {package.version}: {package.path}")


@models_app.command("remove")
@reports_errors
def models_remove(
    from_code: Annotated[str, typer.Argument(help="Source language (Argos code).")],
    to_code: Annotated[str, typer.Argument(help="Target language (Argos code).")],
) -> None:
    """Remove an installed package.

    Example: translatio models remove en zh
    """
    from translatio.models import remove_package

    package = remove_package(from_code, to_code)
    typer.echo(f"removed {package.from_code}→{package.to_code} {package.version}")


def main() -> None:
    """Console-script entry point."""
    app()
