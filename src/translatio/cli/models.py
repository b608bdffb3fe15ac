"""``translatio models``: list, find, install and remove Argos Translate packages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translatio.cli.common import (
    JsonOption,
    description_column,
    emit_json,
    reports_errors,
    stderr,
)

models_app = typer.Typer(
    help="Argos Translate packages: list, available, install, remove.\n\n"
    "Packages live where Argos keeps them (ARGOS_PACKAGES_DIR is honoured), so packages "
    "installed with argospm are used too.",
    no_args_is_help=True,
)


@models_app.command("list")
@reports_errors
def models_list(as_json: JsonOption = False) -> None:
    """Show installed packages: language pair, version, size and path.

    Example: translatio models list --json
    """
    from translatio.engines.argos.packages.installed import installed_packages, packages_dir

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
        emit_json(rows)
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
    from translatio.engines.argos.packages.index import available_packages

    offers = available_packages()
    if as_json:
        emit_json([{"from": o.from_code, "to": o.to_code, "version": o.version} for o in offers])
        return
    for offer in offers:
        typer.echo(f"{offer.from_code}→{offer.to_code}  {offer.version}")


@models_app.command("install")
@reports_errors
def models_install(
    what: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE | FROM TO", help="A .argosmodel file, or two language codes (from to)."
        ),
    ],
) -> None:
    """Install a package from a file or download one from the Argos index.

    The archive is checked completely before anything is written; a broken one leaves
    the installed packages untouched.

    Example: translatio models install en zh
    Example: translatio models install translate-en_zh-1_9.argosmodel
    """
    from translatio.engines.argos.packages.archive import install_from_file
    from translatio.engines.argos.packages.index import download_and_install

    if len(what) == 1:
        package = install_from_file(Path(what[0]))
    elif len(what) == 2:
        from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

        with Progress(
            description_column(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=stderr(),
            transient=True,
            disable=not stderr().is_terminal,
        ) as bar:
            task = bar.add_task(f"downloading {what[0]}→{what[1]}", total=None)

            def report(received: int, total: int) -> None:
                bar.update(task, completed=received, total=total or None)

            source, target = (_argos_code(code) for code in what)
            package = download_and_install(source, target, progress=report)
    else:
        raise typer.BadParameter("give a .argosmodel file or two language codes", param_hint="WHAT")
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
    from translatio.engines.argos.packages.installed import remove_package

    package = remove_package(_argos_code(from_code), _argos_code(to_code))
    typer.echo(f"removed {package.from_code}→{package.to_code} {package.version}")


def _argos_code(code: str) -> str:
    """Argos's code for a language as a user may write it (zh_TW → zt, pt-BR → pb)."""
    from translatio.languages import parse_language

    return parse_language(code).argos_codes[0]
