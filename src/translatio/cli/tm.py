"""``translatio tm``: the translation memory of reviewed text: import, export, stats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translatio.cli.common import (
    JsonOption,
    LanguagesOption,
    ProjectOption,
    WaitOption,
    emit_json,
    open_project,
    reports_errors,
)

tm_app = typer.Typer(
    help="The translation memory of reviewed text: import, export, stats.\n\n"
    "Every reviewed (non-fuzzy) translation of every catalog is in it, plus the memories "
    "imported into locales/memory/. translate fills empty entries from it before the "
    "engine runs: exact and close matches, marked fuzzy with a 'translation memory:' comment.",
    no_args_is_help=True,
)


@tm_app.command("import")
@reports_errors
def tm_import(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A compendium .po file or a TMX (.tmx) file."),
    ],
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            "-l",
            metavar="LANG",
            help="The target language to take (a PO file: default its Language header; "
            "a TMX file: default every configured language it has).",
        ),
    ] = None,
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Import reviewed translations from a compendium PO file or a TMX 1.4 file.

    Only reviewed units are taken (a PO file's fuzzy entries are not); units whose
    translation carries the preview mark ⟦…⟧ (pseudo-localised text) are refused and
    counted. They are kept in
    the project as locales/memory/<lang>/<file>.po, each with its origin (file and line),
    so the memory never depends on the cache; importing the same file again replaces it.

    Example: translatio tm import old-site.tmx -l zh_CN
    """
    report = open_project(project, wait=wait).tm_import(file, language)
    if as_json:
        emit_json(
            {
                "file": report.file,
                "stored": [
                    {"language": code, "path": path, "units": units}
                    for code, path, units in report.stored
                ],
                "skipped": report.skipped,
                "previews": report.previews,
            }
        )
        return
    for code, path, units in report.stored:
        typer.echo(f"{code}: {units} units from {report.file} kept in {path}")
    if report.skipped:
        typer.echo(f"{report.skipped} entries left out (fuzzy, untranslated or plural)")
    if report.previews:
        typer.echo(
            f"{report.previews} units refused: preview text marked ⟦…⟧ "
            "(the pseudo engine's), not translations"
        )


@tm_app.command("export")
@reports_errors
def tm_export(
    tmx: Annotated[
        Path,
        typer.Option("--tmx", metavar="FILE", help="The TMX file to write."),
    ],
    language: LanguagesOption = None,
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Write the memory's reviewed paragraphs to a TMX 1.4b file (OmegaT, Trados, pot2po --tm).

    Each unit carries its origin (x-origin property) and reviewer (changeid).

    Example: translatio tm export --tmx memory.tmx -l zh_CN
    """
    report = open_project(project, wait=wait).tm_export(tmx, language)
    if as_json:
        emit_json(
            {
                "path": report.path,
                "units": report.units,
                "skipped": report.skipped,
                "written": report.written,
            }
        )
        return
    state = "written" if report.written else "unchanged"
    typer.echo(f"{report.path}: {state} ({report.units} units)")
    if report.skipped:
        typer.echo(f"{report.skipped} units left out: they hold characters XML cannot carry")


@tm_app.command("stats")
@reports_errors
def tm_stats(
    language: LanguagesOption = None,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Show what the translation memory holds per language.

    Paragraphs from the catalogs, from imports and in the history (every reviewed
    translation seen, earlier versions included), distinct sources, and the sentences
    reusable one by one.

    Example: translatio tm stats --json
    """
    stats = open_project(project).tm_stats(language)
    if as_json:
        emit_json([item.as_dict() for item in stats])
        return
    headers = ["language", "paragraphs", "imported", "history", "sources", "sentences"]
    rows = [
        [
            item.language,
            str(item.paragraphs),
            str(item.imported),
            str(item.history),
            str(item.sources),
            str(item.sentences),
        ]
        for item in stats
    ]
    widths = [max(len(row[index]) for row in [headers, *rows]) for index in range(len(headers))]
    for row in [headers, *rows]:
        cells = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        typer.echo("  ".join(cells).rstrip())
    if stats:
        typer.echo(f"index: {stats[0].index}")
