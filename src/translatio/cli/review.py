"""``translatio check`` and ``translatio approve``: QA findings and accepting machine output."""

from __future__ import annotations

import getpass
import os
import subprocess
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
from translatio.errors import CatalogError


def register(app: typer.Typer) -> None:
    """Add the review commands to ``app``."""
    app.command()(check)
    app.command()(approve)
    app.command("review")(review_page)


MeaningOption = Annotated[
    bool,
    typer.Option(
        "--meaning",
        help="Also flag translations that may not say what their source says, with a "
        "multilingual sentence encoder (pip install 'translatio[qe]').",
    ),
]


@reports_errors
def check(
    language: LanguagesOption = None,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
    meaning: MeaningOption = False,
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--allow-missing",
            help="Report documents not extracted in a language as warnings, not errors.",
        ),
    ] = False,
) -> None:
    """Check translations against their source: markup, links, code, numbers, script, typography.

    Each finding has a severity, a stable code, the entry's file:line in the catalog and
    where the paragraph is in the source. Exits with status 1 when there are errors,
    so it can guard a CI job; a document not extracted in a language is such an error
    ("not-extracted"), a warning with --allow-missing. --meaning adds the warning
    "meaning" for a translation whose meaning score is under the threshold (a flag for a
    gross mismatch, not a quality score); entries it cannot judge are counted once on
    stderr.

    Example: translatio check -l zh_CN --json
    Example: translatio check -l es --meaning
    """
    from translatio.qa.checks import Severity
    from translatio.steps.check import NOT_EXTRACTED

    findings = open_project(project).check(language, meaning=meaning, allow_missing=allow_missing)
    if as_json:
        emit_json([finding.as_dict() for finding in findings])
    else:
        for finding in findings:
            where = finding.path if finding.code == NOT_EXTRACTED else finding.where
            typer.echo(
                f"{where}: {finding.severity.value}[{finding.code}] {finding.message}"
                f" ({finding.reference})"
            )
        errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
        typer.echo(f"{errors} errors, {len(findings) - errors} warnings", err=True)
    if any(finding.severity is Severity.ERROR for finding in findings):
        raise typer.Exit(1)


@reports_errors
def approve(
    language: Annotated[
        str, typer.Option("--language", "-l", metavar="LANG", help="The catalogs' language.")
    ],
    entry: Annotated[
        list[str] | None,
        typer.Option(
            "--entry",
            metavar="SOURCE:LINE",
            help="Approve the entry of this source reference (repeatable).",
        ),
    ] = None,
    all_passing: Annotated[
        bool,
        typer.Option("--all-passing", help="Approve all machine output without QA errors."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Approve even entries with QA errors.")
    ] = False,
    reviewer: Annotated[
        str | None,
        typer.Option(
            "--reviewer",
            help="Name recorded with the approval (default: TRANSLATIO_REVIEWER, git user).",
        ),
    ] = None,
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Mark machine translation as reviewed: clears fuzzy, records reviewer and date.

    The same as clearing the fuzzy flag in Poedit, Weblate or Lokalize, from the
    command line. Entries with QA errors are refused unless --force.

    Example: translatio approve -l zh_CN --entry source/article.txt:3
    Example: translatio approve -l zh_CN --all-passing
    """
    if not entry and not all_passing:
        raise CatalogError(
            "nothing to approve",
            hint="name entries with --entry source/<doc>:LINE, or use --all-passing",
        )
    if entry and all_passing:
        raise CatalogError(
            "--entry and --all-passing exclude each other",
            hint="name entries with --entry, or approve everything that passes with --all-passing",
        )
    report = open_project(project, wait=wait).approve(
        language,
        references=entry or (),
        all_passing=all_passing,
        force=force,
        reviewer=reviewer or _default_reviewer(),
    )
    if as_json:
        emit_json(
            {
                "language": report.language,
                "approved": list(report.approved),
                "refused": [{"entry": ref, "errors": list(codes)} for ref, codes in report.refused],
                "unmatched": list(report.unmatched),
            }
        )
    else:
        typer.echo(f"{report.language}: approved {len(report.approved)} entries")
        from translatio.steps.approve import PREVIEW

        for ref, codes in report.refused:
            if codes == (PREVIEW,):
                typer.echo(
                    f"  refused {ref}: pseudo-localised preview, not a translation "
                    "(translate it with a real engine: translatio translate --engine argos)"
                )
            else:
                typer.echo(f"  refused {ref}: QA errors {', '.join(codes)} (use --force)")
        for ref in report.unmatched:
            typer.echo(f"  {ref}: no machine-translated entry there")
    if report.refused or report.unmatched:
        raise typer.Exit(1)


@reports_errors
def review_page(
    language: Annotated[
        str, typer.Option("--language", "-l", metavar="LANG", help="The catalogs' language.")
    ],
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    align_with: Annotated[
        str | None,
        typer.Option(
            "--align-with",
            metavar="ENGINE",
            help="Translate the source sentences of text a person wrote with this engine, "
            "so each of their sentences is linked to its source on the page.",
        ),
    ] = None,
    meaning: MeaningOption = False,
    alternatives: Annotated[
        bool,
        typer.Option(
            "--alternatives/--no-alternatives",
            help="Show the other translations the engine considered (Argos; kept in the "
            "sentence cache), each with a copy button.",
        ),
    ] = True,
    back_translate: Annotated[
        str | None,
        typer.Option(
            "--back-translate",
            metavar="ENGINE",
            help="Show each translation put back into the source language by this engine, "
            "as a reading aid; refused for the engine family that translated.",
        ),
    ] = None,
) -> None:
    """Write a self-contained review page per document: source and translation side by side.

    Each row shows the entry's state, QA findings, machine-translation score and where
    it is (catalog file:line and source file:line), worst first. Sentences are linked:
    hover or focus one (Tab, then the arrow keys) and its counterpart lights up. Machine
    output is linked as the engine translated it; a person's sentences are linked with
    --align-with, where the sentence aligner is sure. It works offline and needs no PO
    editor: review/<lang>/<doc>.review.html (never among the editions). With --meaning,
    translations the meaning check flags come first, with the reason. Under Argos output
    the page lists up to three other translations the engine considered, each with a
    copy button. With
    --back-translate ENGINE, each translation is shown back in the source language, a
    reading aid for editors who do not read the target language (an engine of the
    family that translated is refused: it would undo its own mistakes).

    Example: translatio review -l es --align-with apertium
    Example: translatio review -l es --back-translate apertium
    """
    opened = open_project(project, wait=wait)
    from translatio.workspace.partial import report_missing

    report_missing(opened.workspace, opened.languages([language]))  # pages for the others
    reviewed = opened.review_pages(
        language,
        align_with=align_with,
        meaning=meaning,
        alternatives=alternatives,
        back_translate=back_translate,
    )
    for path, written in reviewed:
        typer.echo(f"{path}: {'written' if written else 'unchanged'}")


def _default_reviewer() -> str:
    configured = os.environ.get("TRANSLATIO_REVIEWER")
    if configured:
        return configured
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        name = ""
    return name or getpass.getuser()
