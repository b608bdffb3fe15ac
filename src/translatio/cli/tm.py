"""``translatio tm``: the translation memory of reviewed text: import, export, stats."""

from __future__ import annotations

import json
import sys
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

_DEFAULT_MIB = 256
"""``steps.tm.MAX_IMPORT_SIZE`` in MiB, written out so that --help imports no step."""

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
    max_size: Annotated[
        int,
        typer.Option(
            "--max-size",
            metavar="MIB",
            min=1,
            help="The largest file or pipe to read, in MiB; a larger one is refused.",
        ),
    ] = _DEFAULT_MIB,
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Import reviewed translations from a compendium PO file or a TMX 1.4 file.

    Only reviewed units are taken (a PO file's fuzzy entries are not); units whose
    translation carries the preview mark ⟦…⟧ (pseudo-localised text) are refused and
    counted, as are TMX units holding an entity neither XML nor HTML defines (HTML's,
    such as &nbsp;, are read as their characters). They are kept in the project as
    locales/memory/<lang>/<file>-<hash>.po (the hash of the file's path), each with its
    origin (file and line), so the memory never depends on the cache; importing the same
    file again replaces what it brought, a file of the same name elsewhere does not.
    FILE is a regular file or a pipe, read before the project is locked.

    Example: translatio tm import <(xz -dc old-site.tmx.xz) -l zh_CN
    """
    report = open_project(project, wait=wait).tm_import(
        file, language, max_size=max_size * 1024 * 1024
    )
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
                "unreadable": report.unreadable,
                "first_unreadable": report.first_unreadable or None,
                "broken_plurals": report.broken_plurals,
                "first_broken_plural": report.first_broken_plural or None,
                "languages": [
                    {"language": tag, "taken_as": role or None} for tag, role in report.languages
                ],
            }
        )
        return
    if report.languages:
        typer.echo(f"languages in {report.file}: {_languages_seen(report.languages)}")
    for code, path, units in report.stored:
        typer.echo(f"{code}: {units} units from {report.file} kept in {path}")
    if report.skipped:
        typer.echo(f"{report.skipped} entries left out (fuzzy, untranslated or plural)")
    if report.previews:
        typer.echo(
            f"{report.previews} units refused: preview text marked ⟦…⟧ "
            "(the pseudo engine's), not translations"
        )
    if report.unreadable:
        typer.echo(
            f"{report.unreadable} units refused: unreadable (an entity neither XML nor HTML "
            f"defines), the first at line {report.first_unreadable}"
        )
    if report.broken_plurals:
        typer.echo(
            f"{report.broken_plurals} entries left out: more plural forms than the "
            f"header's Plural-Forms allows, the first at line {report.first_broken_plural}"
        )


def _languages_seen(languages: tuple[tuple[str, str], ...]) -> str:
    """``en-US (source), fr-FR (as fr), ja (left out: not a configured language)``."""
    words = {"source": "source", "": "left out: not a configured language, or not -l"}
    return ", ".join(
        f"{tag or '(none)'} ({words.get(role, f'as {role}')})" for tag, role in languages
    )


@tm_app.command("export")
@reports_errors
def tm_export(
    tmx: Annotated[
        Path,
        typer.Option("--tmx", metavar="FILE", help="The TMX file to write; - for standard output."),
    ],
    language: LanguagesOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace FILE even when it is not a TMX file translatio wrote."
        ),
    ] = False,
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Write the memory's reviewed paragraphs to a TMX 1.4b file (OmegaT, Trados, pot2po --tm).

    Each unit carries its origin (x-origin property) and reviewer (changeid). The file is
    written to a temporary file and renamed into place; an existing file is replaced
    only when it is empty or a TMX file translatio wrote, unless --force. With --tmx -
    the TMX goes to standard output and the summary to standard error.

    Example: translatio tm export --tmx - -l zh_CN | xz > memory.tmx.xz
    """
    opened = open_project(project, wait=wait)
    to_stdout = str(tmx) == "-"
    if to_stdout:
        report = opened.tm_export(sys.stdout.buffer, language, force=force)
    else:
        report = opened.tm_export(tmx, language, force=force)
    if as_json:
        data = {
            "path": report.path,
            "units": report.units,
            "skipped": report.skipped,
            "written": report.written,
        }
        if to_stdout:  # standard output holds the TMX
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2), err=True)
        else:
            emit_json(data)
        return
    state = "written" if report.written else "unchanged"
    shown = "standard output" if to_stdout else report.path
    typer.echo(f"{shown}: {state} ({report.units} units)", err=to_stdout)
    if report.skipped:
        typer.echo(
            f"{report.skipped} units left out: they hold characters XML cannot carry",
            err=to_stdout,
        )


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
