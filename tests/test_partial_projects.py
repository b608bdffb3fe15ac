"""A project half extracted is normal: the commands that only read go on and say so.

The reproduction of issue 20: every language extracted, then a new document extracted
in ``es`` only. ``status``, ``review``, ``tm stats`` and ``tm export`` name what is not
extracted and do their work for the rest; ``check`` names it as an error (a CI gate)
unless ``--allow-missing``; the steps that write from catalogs still refuse.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translatio.errors import CatalogError
from translatio.project import Project

from .conftest import MakeProject, cli, read_po

NOT_EXTRACTED = "warning: zh_CN: 1 document not extracted (new): run `translatio extract -l zh_CN`"


@pytest.fixture
def half_extracted(make_project: MakeProject) -> Path:
    """Both languages extracted, ``es`` translated and approved; then ``new`` extracted in
    ``es`` only."""
    root = make_project({"old.md": "# Old\n\nThe old text.\n"}, languages=("es", "zh_CN"))
    project = Project.open(root)
    project.extract()
    project.translate(["es"])
    project.approve("es", all_passing=True, reviewer="Ana")
    (root / "source" / "new.md").write_text("# New\n\nA new text.\n", "utf-8")
    project.extract(["es"])
    assert not (root / "locales" / "zh_CN" / "LC_MESSAGES" / "new.po").exists()
    return root


def test_status_counts_what_is_extracted_and_names_the_rest(half_extracted: Path) -> None:
    result = cli(half_extracted, "status")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [NOT_EXTRACTED]
    rows = [line.split()[:2] for line in result.stdout.splitlines()[1:]]
    assert rows == [["new", "es"], ["new", "zh_CN"], ["old", "es"], ["old", "zh_CN"]]
    [missing] = [line for line in result.stdout.splitlines() if line.split()[:2] == rows[1]]
    assert missing.endswith("not extracted") and " 0 " not in missing, "no made-up counts"


def test_status_json_lists_every_catalog_and_says_which_are_extracted(half_extracted: Path) -> None:
    result = cli(half_extracted, "status", "--json")
    assert result.exit_code == 0, result.output
    listed = [
        (item["document"], item["language"], item["extracted"])
        for item in json.loads(result.stdout)
    ]
    assert listed == [
        ("new", "es", True),
        ("new", "zh_CN", False),
        ("old", "es", True),
        ("old", "zh_CN", True),
    ]


def test_check_fails_for_a_missing_catalog_unless_allowed(half_extracted: Path) -> None:
    failed = cli(half_extracted, "check")
    assert failed.exit_code == 1, failed.output
    assert failed.stdout.splitlines() == [
        "locales/zh_CN/LC_MESSAGES/new.po: error[not-extracted] new is not extracted in "
        "zh_CN: run `translatio extract -l zh_CN` (source/new.md)"
    ]
    assert "Traceback" not in failed.output

    allowed = cli(half_extracted, "check", "--allow-missing", "--json")
    assert allowed.exit_code == 0, allowed.output
    [finding] = json.loads(allowed.stdout)
    assert (finding["code"], finding["severity"], finding["path"]) == (
        "not-extracted",
        "warning",
        "locales/zh_CN/LC_MESSAGES/new.po",
    )


def test_check_still_checks_the_catalogs_there_are(half_extracted: Path) -> None:
    path = half_extracted / "locales" / "es" / "LC_MESSAGES" / "old.po"
    catalog = read_po(path)
    entry = next(entry for entry in catalog if entry.msgid == "The old text.")
    entry.msgstr = "El texto `viejo`."  # a code span its source does not have
    catalog.save(str(path))
    findings = Project.open(half_extracted).check(allow_missing=True)
    assert {finding.code for finding in findings} >= {"not-extracted", "code-span"}


def test_review_writes_the_pages_it_can(half_extracted: Path) -> None:
    result = cli(half_extracted, "review", "-l", "zh_CN")
    assert result.exit_code == 0, result.output
    assert NOT_EXTRACTED in result.stderr.splitlines()
    assert result.stdout.splitlines() == ["review/zh_CN/old.review.html: written"]


def test_memory_statistics_and_export_go_on(half_extracted: Path) -> None:
    stats = cli(half_extracted, "tm", "stats")
    assert stats.exit_code == 0, stats.output
    assert NOT_EXTRACTED in stats.stderr.splitlines()
    es = next(line for line in stats.stdout.splitlines() if line.startswith("es "))
    assert es.split()[1] == "2"  # the two approved paragraphs of old.md

    tmx = half_extracted / "memory.tmx"
    export = cli(half_extracted, "tm", "export", "--tmx", str(tmx))
    assert export.exit_code == 0, export.output
    assert NOT_EXTRACTED in export.stderr.splitlines()
    assert "<seg>The old text.</seg>" in tmx.read_text("utf-8")


def test_nothing_extracted_yet_is_reported_not_refused(make_project: MakeProject) -> None:
    root = make_project({"a.md": "A.\n", "b.md": "B.\n"}, languages=("fr",))
    result = cli(root, "status")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: fr: 2 documents not extracted (a, b): run `translatio extract -l fr`"
    ]
    assert not (root / "locales").exists()


def test_many_missing_documents_are_counted_not_all_named(make_project: MakeProject) -> None:
    root = make_project({f"d{n}.md": f"Text {n}.\n" for n in range(8)}, languages=("fr",))
    result = cli(root, "status")
    assert result.stderr.splitlines() == [
        "warning: fr: 8 documents not extracted (d0, d1, d2, d3, d4 and 3 more): "
        "run `translatio extract -l fr`"
    ]


def test_the_steps_that_write_still_need_every_catalog(half_extracted: Path) -> None:
    with pytest.raises(CatalogError, match="no zh_CN catalog for new"):
        Project.open(half_extracted).translate(["zh_CN"])
