"""The command line as an adapter: options reach the library, reports become lines and JSON.

The rules behind the numbers are tested through the API (``test_steps.py``); here each
command's words, ``--json`` shape and exit status are. How errors are printed is
``test_user_errors.py``'s; that every command has help is ``test_docs.py``'s.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translatio import Project, __version__
from translatio.cli import app
from translatio.engines.pseudo import pseudo_preview

from .conftest import (
    RUNNER,
    SHORT_DOC,
    MakeProject,
    add_code_span_error,
    cli,
    hold_project,
    read_po,
)

ZH = "locales/zh_CN/LC_MESSAGES/article.po"
FR = "locales/fr/LC_MESSAGES/article.po"


def _lines(root: Path, *args: str, exit_code: int = 0) -> list[str]:
    result = cli(root, *args)
    assert result.exit_code == exit_code, result.output
    return result.stdout.splitlines()


def _machine_translated(make_project: MakeProject, language: str = "fr") -> Path:
    root = make_project(languages=(language,))
    Project.open(root).run()
    return root


def test_version() -> None:
    result = RUNNER.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"translatio {__version__}\n")


def test_each_step_prints_one_line_per_catalog_or_edition(make_project: MakeProject) -> None:
    root = make_project()
    assert _lines(root, "extract") == [
        f"{ZH}: updated (0 kept, 0 fuzzy, 6 new, 0 obsoleted, 0 resurrected)",
        f"{FR}: updated (0 kept, 0 fuzzy, 6 new, 0 obsoleted, 0 resurrected)",
    ]
    assert _lines(root, "extract", "-l", "fr") == [
        f"{FR}: unchanged (6 kept, 0 fuzzy, 0 new, 0 obsoleted, 0 resurrected)"
    ]
    assert _lines(root, "translate", "--engine", "machine", "-l", "zh_CN") == [
        f"{ZH}: 6 filled by the engine, 0 from memory, 0 refreshed, 0 human translations left alone"
    ]
    assert _lines(root, "build", "-l", "zh_CN") == [
        "zh_CN/article: skipped: 0.0% reviewed is below --keep 80%; --draft includes machine output"
    ]
    assert _lines(root, "build", "-l", "zh_CN", "--draft") == [
        "zh_CN/article: written (0% of source words reviewed) drafts/zh_CN/article.txt "
        "drafts/zh_CN/article.html"
    ]


def test_keep_is_printed_as_given_not_rounded(make_project: MakeProject) -> None:
    root = _machine_translated(make_project)
    assert _lines(root, "build", "--keep", "0.5") == [
        "fr/article: skipped: 0.0% reviewed is below --keep 0.5%; --draft includes machine output"
    ]


def test_status_prints_a_table_and_marks_stale_catalogs(make_project: MakeProject) -> None:
    root = _machine_translated(make_project)
    header, row = _lines(root, "status")
    assert header.split() == [
        "document",
        "language",
        "translated",
        "machine",
        "preview",
        "needs",
        "update",
        "untranslated",
        "obsolete",
        "words",
        "reviewed",
        "qa",
    ]
    cells = row.split()
    assert (cells[:8], cells[-2:]) == (["article", "fr", "0", "6", "0", "0", "0", "0"], ["0%", "-"])
    source = root / "source" / "article.txt"
    source.write_text(source.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    lines = _lines(root, "status")
    assert lines[1].split()[1] == "fr*"
    assert lines[2] == "* the catalog does not match the source yet: run translatio extract"


JSON_SHAPES = [
    (["extract"], ["document", "language", "path", "written", "kept", "fuzzy", "new"]),
    (["translate"], ["document", "language", "path", "written", "filled", "refreshed"]),
    (["status"], ["document", "language", "entries", "words", "total_entries", "total_words"]),
    (["build", "--draft"], ["document", "language", "state", "completeness", "paths", "reason"]),
    (["run"], ["document", "language", "state", "completeness", "paths", "reason"]),
]


@pytest.mark.parametrize(("args", "keys"), JSON_SHAPES, ids=[" ".join(a) for a, _ in JSON_SHAPES])
def test_json_is_a_list_of_one_object_per_catalog(
    make_project: MakeProject, args: list[str], keys: list[str]
) -> None:
    root = _machine_translated(make_project)
    [row] = json.loads(cli(root, *args, "--json").stdout)
    assert set(keys) <= set(row)
    assert (row["document"], row["language"]) == ("article", "fr")


def test_status_json_spells_states_and_counts(make_project: MakeProject) -> None:
    root = _machine_translated(make_project)
    [row] = json.loads(cli(root, "status", "--json").stdout)
    assert row["entries"] == {
        "translated": 0,
        "machine": 6,
        "preview": 0,
        "needs update": 0,
        "untranslated": 0,
        "obsolete": 0,
    }
    assert (row["translated_percent"], row["qa"], row["stale"]) == (
        0,
        {"errors": 0, "warnings": 0},
        False,
    )


def test_a_skipped_edition_says_why_in_json(make_project: MakeProject) -> None:
    root = _machine_translated(make_project)
    [row] = json.loads(cli(root, "build", "--keep", "50", "--json").stdout)
    assert (row["state"], row["paths"], row["completeness"]) == ("skipped", [], 0.0)
    assert row["reason"] == "0.0% reviewed is below --keep 50%; --draft includes machine output"


@pytest.mark.parametrize(
    ("options", "suffixes"),
    [
        ([], [".txt", ".html"]),
        (["--no-html"], [".txt"]),
        (["--bilingual"], [".txt", ".html", ".bilingual.html"]),
    ],
)
def test_build_options_choose_the_files(
    make_project: MakeProject, options: list[str], suffixes: list[str]
) -> None:
    root = _machine_translated(make_project)
    [row] = json.loads(cli(root, "build", "--draft", *options, "--json").stdout)
    assert row["paths"] == [f"drafts/fr/article{suffix}" for suffix in suffixes]
    assert all((root / path).is_file() for path in row["paths"])


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--keep", "101"],
        ["build", "--keep", "-1"],
        ["extract", "--wait", "-1"],
        ["translate", "--device", "tpu"],
        ["approve", "--all-passing"],
    ],
    ids=" ".join,
)
def test_bad_options_are_usage_errors(make_project: MakeProject, args: list[str]) -> None:
    root = make_project()
    result = cli(root, *args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "locales").exists()


def test_run_says_how_much_it_translated(make_project: MakeProject) -> None:
    root = make_project({"doc.md": SHORT_DOC}, languages=("es",), engine="pseudo")
    assert _lines(root, "run", "--draft", "--keep", "0")[0] == (
        "machine-translated 3 entries in 1 catalogs"
    )
    path = root / "locales" / "es" / "LC_MESSAGES" / "doc.po"
    person = pseudo_preview("The second paragraph is here.")
    text = path.read_text("utf-8")
    path.write_text(text.replace(f'msgstr "{person}"', 'msgstr "El segundo, de una persona."'))
    lines = _lines(root, "run", "--engine", "apertium", "--draft", "--keep", "0")
    assert lines[0] == "machine-translated 2 entries in 1 catalogs"


def test_translate_explains_why_another_engines_output_is_left_alone(
    make_project: MakeProject,
) -> None:
    root = make_project({"doc.md": SHORT_DOC}, languages=("es",))
    Project.open(root).run(policy="draft", keep=0)
    assert _lines(root, "translate", "--engine", "apertium") == [
        "locales/es/LC_MESSAGES/doc.po: 0 filled by the engine, 0 from memory, "
        "0 refreshed, 0 human translations left alone",
        "3 entries hold another engine's unreviewed output and were left alone; "
        "--refresh replaces them",
    ]
    assert _lines(root, "translate", "--engine", "apertium", "--refresh") == [
        "locales/es/LC_MESSAGES/doc.po: 0 filled by the engine, 0 from memory, "
        "3 refreshed, 0 human translations left alone"
    ]


# -- check, approve, review ------------------------------------------------------------------


def test_check_prints_findings_and_fails_on_errors(make_project: MakeProject) -> None:
    root = _machine_translated(make_project, "zh_CN")
    result = cli(root, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 6
    assert lines[0].startswith(f"{ZH}:") and " error[wrong-script] " in lines[0]
    assert lines[0].endswith("(source/article.txt:1)")
    assert result.stderr == "6 errors, 0 warnings\n"


def test_check_json_and_a_clean_pass(make_project: MakeProject) -> None:
    root = _machine_translated(make_project)
    clean = cli(root, "check", "--json")
    assert (clean.exit_code, json.loads(clean.stdout)) == (0, [])
    po = root / FR
    catalog = read_po(po)
    entry = next(e for e in catalog if e.msgid)
    entry.msgstr = "# " + entry.msgstr
    po.write_bytes(catalog.__unicode__().encode("utf-8"))
    result = cli(root, "check", "--json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert (finding["code"], finding["severity"], finding["path"]) == ("block-marker", "error", FR)
    assert finding["reference"] == "source/article.txt:1"
    assert finding["line"] == read_po(po).find(entry.msgid).linenum


def test_approve_names_what_it_approved_refused_and_could_not_find(
    make_project: MakeProject,
) -> None:
    root = _machine_translated(make_project)
    args = ["approve", "-l", "fr", "--reviewer", "Ada L"]
    assert _lines(root, *args, "--entry", "source/article.txt:3") == ["fr: approved 1 entries"]
    assert "reviewed: Ada L" in "".join(e.tcomment for e in read_po(root / FR))
    assert _lines(root, *args, "--entry", "source/article.txt:2", exit_code=1) == [
        "fr: approved 0 entries",
        "  source/article.txt:2: no machine-translated entry there",
    ]
    add_code_span_error(root / FR)
    assert _lines(root, *args, "--all-passing", exit_code=1) == [
        "fr: approved 4 entries",
        "  refused source/article.txt:1: QA errors code-span (use --force)",
    ]
    assert _lines(root, *args, "--all-passing", "--force") == ["fr: approved 1 entries"]


def test_approve_json(make_project: MakeProject) -> None:
    root = _machine_translated(make_project)
    result = cli(root, "approve", "-l", "fr", "--all-passing", "--reviewer", "R", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["language"], len(report["approved"])) == ("fr", 6)
    assert (report["refused"], report["unmatched"]) == ([], [])


def test_approve_names_the_way_out_of_a_preview(make_project: MakeProject) -> None:
    root = make_project({"doc.md": SHORT_DOC}, languages=("es",), engine="pseudo")
    Project.open(root).run(policy="draft", keep=0)
    for extra in ([], ["--force"]):
        lines = _lines(root, "approve", "-l", "es", "--all-passing", *extra, exit_code=1)
        assert lines[0] == "es: approved 0 entries"
        assert lines[1] == (
            "  refused source/doc.md:1: pseudo-localised preview, not a translation "
            "(translate it with a real engine: translatio translate --engine argos)"
        )
        assert len(lines) == 4


def test_the_reviewer_defaults_to_the_environment(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATIO_REVIEWER", "Grace H")
    root = _machine_translated(make_project)
    _lines(root, "approve", "-l", "fr", "--entry", "source/article.txt:3")
    assert "reviewed: Grace H 2026-01-01" in "".join(e.tcomment for e in read_po(root / FR))


def test_review_prints_each_page_and_whether_it_changed(make_project: MakeProject) -> None:
    root = _machine_translated(make_project)
    assert _lines(root, "review", "-l", "fr") == ["review/fr/article.review.html: written"]
    assert _lines(root, "review", "-l", "fr") == ["review/fr/article.review.html: unchanged"]


def test_wait_says_that_it_waits(make_project: MakeProject) -> None:
    root = make_project()
    holder = hold_project(root, 1.0)
    result = cli(root, "extract", "--wait", "30")
    holder.wait()
    assert result.exit_code == 0, result.stderr
    assert "waiting up to 30 s for another translatio process to finish" in result.stderr
