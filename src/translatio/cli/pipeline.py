"""The pipeline commands: extract, translate, status, build, run (thin layers over Project)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from translatio import __version__
from translatio.cli.common import (
    DeviceOption,
    DraftOption,
    EngineOption,
    ExecutorOption,
    ForceOption,
    JsonOption,
    KeepOption,
    LanguagesOption,
    ProjectOption,
    QuietOption,
    RayAddressOption,
    WaitOption,
    emit_json,
    open_project,
    print_labelled,
    progress_bar,
    reports_errors,
)

RefreshOption = Annotated[
    bool,
    typer.Option(
        "--refresh",
        help="Re-translate machine output nobody has touched (a new model, another engine).",
    ),
]


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
    force: ForceOption = False,
    minor: Annotated[
        bool,
        typer.Option(
            "--minor",
            help="Record the source changes of this run as minor (typos, punctuation): "
            "published editions keep their reviewed text without a correction notice.",
        ),
    ] = False,
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Segment source/* into locales/<doc>.pot and merge it into every language catalog.

    Translations are never lost: an edited paragraph keeps its old translation as fuzzy
    (with the previous text in #|), a removed one becomes obsolete (#~) and comes back if
    the paragraph does. Each new wording is recorded in locales/<doc>.revisions with the
    time it was first seen: published editions say when their original was corrected.

    Example: translatio extract -l zh_CN -l zh_TW
    """
    updates = open_project(project, wait=wait).extract(language, force=force, minor=minor)
    if as_json:
        emit_json([_merge_json(update) for update in updates])
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
    refresh: RefreshOption = False,
    device: DeviceOption = None,
    executor: ExecutorOption = None,
    ray_address: RayAddressOption = None,
    wait: WaitOption = 0.0,
    quiet: QuietOption = False,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Fill untranslated entries with machine translation, marked fuzzy for review.

    Only empty entries are filled, and pseudo-localised previews are replaced by a real
    engine. Machine output carries a translator comment (engine, model, score, hash);
    entries a person edited or approved are never touched again. Reviewed text the
    translation memory knows comes first, marked fuzzy (see translatio tm). Each language
    uses --engine if given, else its own in the engines setting, else engine; a language
    its engine cannot serve is named with a hint, the others are translated, and the
    command exits 1.

    Example: translatio translate --engine pseudo -l zh_CN
    """
    opened = open_project(project, wait=wait)
    recalled: list[Any] = []
    with progress_bar(quiet=quiet) as progress:
        updates = opened.translate(
            language,
            engine=engine,
            refresh=refresh,
            device=device.value if device else None,
            progress=progress,
            executor=executor.value if executor else None,
            ray_address=ray_address,
            on_recall=recalled.extend,
        )
    by_path = {recall.path: recall for recall in recalled}
    if as_json:
        emit_json(
            [
                {
                    "document": update.document,
                    "language": update.language,
                    "path": update.path,
                    "written": update.written or _recall_written(by_path.get(update.path)),
                    **_counts(update, by_path.get(update.path)),
                    "other_engine": update.report.other_engine,
                    "unserved": update.unserved.message if update.unserved else None,
                }
                for update in updates
            ]
        )
        _report_unserved(updates)
        return
    for update in updates:
        counts = _counts(update, by_path.get(update.path))
        typer.echo(
            f"{update.path}: {counts['filled']} filled by the engine, {counts['memory']} from "
            f"memory, {counts['refreshed']} refreshed, "
            f"{counts['protected']} human translations left alone"
        )
    exact, close = (sum(getattr(u.report, kind) for u in recalled) for kind in ("exact", "close"))
    if exact or close:
        typer.echo(f"translation memory: {exact} exact and {close} close matches filled, fuzzy")
    _explain_other_engine(updates)
    _report_unserved(updates)


def _counts(update: Any, recall: Any) -> dict[str, int]:
    """What ``translate`` did to one catalog, each number on its own: engine fills, memory
    fills (recall's paragraphs and the step's sentences), refreshes, human work kept."""
    report = update.report
    recalled = recall.report.exact + recall.report.close if recall is not None else 0
    accepted = recall.report.accepted if recall is not None else 0
    return {
        "filled": report.filled,
        "memory": report.memory + recalled,
        "refreshed": report.refreshed,
        "protected": max(0, report.protected - accepted),  # accepted memory fills are new
    }


def _recall_written(recall: Any) -> bool:
    return bool(recall is not None and recall.written)


def _report_unserved(updates: list[Any]) -> None:
    """Name each language its engine could not serve, with the hint; then exit 1."""
    unserved = {update.language: update.unserved for update in updates if update.unserved}
    for language, why in unserved.items():
        message = f"{language} ({why.engine}): {why.message}"
        print_labelled("error:", "bold red", message, hint=why.hint)
    if unserved:
        raise typer.Exit(1)


def _explain_other_engine(updates: list[Any]) -> None:
    """Say why nothing was translated when entries hold another engine's output."""
    kept = sum(update.report.other_engine for update in updates)
    if kept:
        typer.echo(
            f"{kept} entries hold another engine's unreviewed output and were left alone; "
            "--refresh replaces them"
        )


@app.command()
@reports_errors
def status(
    language: LanguagesOption = None,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Show each document × language: translated, machine, needs update, untranslated.

    Counts are entries; "reviewed" is the catalog's completeness, by words: the share
    of source words (every occurrence) whose translation a person wrote or accepted,
    the figure build and the review page give too.

    Example: translatio status --json
    """
    from translatio.catalog.states import State

    statuses = open_project(project).status(language)
    if as_json:
        emit_json([item.as_dict() for item in statuses])
        return
    headers = ["document", "language", *(state.value for state in State), "words", "reviewed", "qa"]
    rows = [
        [
            item.document,
            item.language + ("*" if item.stale else ""),
            *(str(item.entries[state]) for state in State),
            str(item.total_words),
            f"{item.completeness:.0f}%",
            f"{item.qa_errors}E {item.qa_warnings}W" if item.qa_errors or item.qa_warnings else "-",
        ]
        if item.extracted
        else [item.document, item.language, *("-" for _ in State), "-", "-", "not extracted"]
        for item in statuses
    ]
    widths = [max(len(row[index]) for row in [headers, *rows]) for index in range(len(headers))]
    for row in [headers, *rows]:
        cells = [
            cell.ljust(width) if index < 2 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        typer.echo("  ".join(cells).rstrip())
    if any(item.stale for item in statuses):
        typer.echo("* the catalog does not match the source yet: run translatio extract")


@app.command()
@reports_errors
def build(
    language: LanguagesOption = None,
    draft: DraftOption = False,
    keep: KeepOption = None,
    html: Annotated[bool, typer.Option("--html/--no-html", help="Also write HTML.")] = True,
    bilingual: Annotated[
        bool,
        typer.Option(
            "--bilingual",
            help="Also write <doc>.bilingual.html: source and translation side by side.",
        ),
    ] = False,
    wait: WaitOption = 0.0,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Build editions/<lang>/<doc>.md (or .txt) and .html from the catalogs: the site.

    By default only reviewed translations are used and everything else stays in the
    source language; --draft writes drafts/ instead, with machine output under a notice.
    Editions below --keep percent are skipped with the reason, and what an earlier build
    wrote for them is removed (never a file translatio did not write). A paragraph
    corrected in the source since review shows its earlier reviewed translation under a
    notice until it is reviewed again (setting outdated); with site_url, the sitemap.

    Example: translatio build -l zh_CN --draft --keep 0
    """
    policy = "draft" if draft else "reviewed"
    reports = open_project(project, wait=wait).build(
        language, policy=policy, keep=keep, html=html, bilingual=bilingual
    )
    _print_editions(reports, as_json=as_json)


def _skip_reason(report: Any) -> str:
    """Why an edition was skipped, in the words of the command line ("" if it was not)."""
    if report.keep is None:
        return ""
    hint = "; --draft includes machine output" if report.policy == "reviewed" else ""
    if report.preview:
        hint += f"; {report.preview:.1f}% is preview text, which counts as untranslated"
    return f"{report.completeness:.1f}% {report.policy} is below --keep {report.keep:g}%{hint}"


def _print_editions(
    reports: list[Any], *, as_json: bool, unserved: dict[str, str] | None = None
) -> None:
    """The build's lines, or its JSON; with ``unserved`` (``run``), each edition's entry
    says why its language was not machine-translated (``null`` when it was)."""
    if as_json:
        emit_json(
            [
                {
                    **({"unserved": unserved.get(report.language)} if unserved is not None else {}),
                    "document": report.document,
                    "language": report.language,
                    "state": report.state.value,
                    "completeness": round(report.reviewed, 1),
                    "completeness_basis": "source words with a reviewed translation",
                    "translated_under_policy": round(report.completeness, 1),
                    "paths": list(report.paths),
                    "reason": _skip_reason(report),
                }
                for report in reports
            ]
        )
        return
    for report in reports:
        if report.keep is not None:
            typer.echo(f"{report.language}/{report.document}: skipped: {_skip_reason(report)}")
        else:
            typer.echo(
                f"{report.language}/{report.document}: {report.state.value} "
                f"({report.reviewed:.0f}% of source words reviewed) {' '.join(report.paths)}"
            )


@app.command()
@reports_errors
def run(
    language: LanguagesOption = None,
    engine: EngineOption = None,
    refresh: RefreshOption = False,
    draft: DraftOption = False,
    keep: KeepOption = None,
    device: DeviceOption = None,
    executor: ExecutorOption = None,
    ray_address: RayAddressOption = None,
    force: ForceOption = False,
    wait: WaitOption = 0.0,
    quiet: QuietOption = False,
    project: ProjectOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Extract, machine-translate and build, for every document and configured language.

    With the argos engine, missing language packages are downloaded from the Argos
    index first; offline, the error names each missing pair and how to install it.

    Example: translatio run --draft
    """
    opened = open_project(project, wait=wait)
    with progress_bar(quiet=quiet) as progress:
        _, translated, built = opened.run(
            language,
            engine=engine,
            refresh=refresh,
            policy="draft" if draft else "reviewed",
            keep=keep,
            device=device.value if device else None,
            force=force,
            progress=progress,
            executor=executor.value if executor else None,
            ray_address=ray_address,
        )
    served = [update for update in translated if not update.unserved]
    if not as_json:
        filled = sum(update.report.filled + update.report.refreshed for update in served)
        typer.echo(f"machine-translated {filled} entries in {len(served)} catalogs")
        _explain_other_engine(translated)
    unserved = {
        update.language: f"{update.unserved.engine}: {update.unserved.message}"
        for update in translated
        if update.unserved
    }
    _print_editions(built, as_json=as_json, unserved=unserved)
    _report_unserved(translated)
