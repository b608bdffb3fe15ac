"""``run`` reads each source and each catalog once and hands values from step to step."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from translatio.project import Project
from translatio.workspace import workspace as workspace_module

from .conftest import MakeProject


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> tuple[Counter[str], Counter[str]]:
    segmented: Counter[str] = Counter()
    parsed: Counter[str] = Counter()
    segment, parse_po = workspace_module.segment, workspace_module.parse_po

    def counting_segment(text: str, **options: Any) -> Any:
        segmented[options["path"]] += 1
        return segment(text, **options)

    def counting_parse(data: bytes, **options: Any) -> Any:
        parsed[str(options["path"])] += 1
        return parse_po(data, **options)

    monkeypatch.setattr(workspace_module, "segment", counting_segment)
    monkeypatch.setattr(workspace_module, "parse_po", counting_parse)
    return segmented, parsed


def _project(make_project: MakeProject) -> Path:
    return make_project(
        {"one.md": "# One\n\nFirst text.\n", "two.txt": "Second text.\n\nThird text.\n"},
        languages=("fr", "de"),
    )


def test_run_reads_each_source_and_catalog_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(make_project)
    Project.open(root).run(policy="draft", keep=0)  # catalogs exist from here on
    (root / "source" / "one.md").write_text("# One\n\nFirst text, edited.\n", "utf-8")
    segmented, parsed = _count_reads(monkeypatch)

    extracted, translated, built = Project.open(root).run(policy="draft", keep=0)

    assert segmented == {"source/one.md": 1, "source/two.txt": 1}
    catalogs = {
        f"locales/{language}/LC_MESSAGES/{document}.po"
        for language in ("fr", "de")
        for document in ("one", "two")
    }
    templates = {"locales/one.pot", "locales/two.pot"}
    assert parsed == dict.fromkeys(catalogs | templates, 1)
    assert sum(update.written for update in extracted) == 2  # one.md changed, in 2 languages
    assert sum(update.report.refreshed for update in translated) == 2  # the stale MT
    assert all(edition.completeness == 100 for edition in built)


def test_separate_steps_read_again(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside one run nothing is kept: a file edited between two calls is read anew."""
    root = _project(make_project)
    project = Project.open(root)
    project.extract()
    segmented, parsed = _count_reads(monkeypatch)
    project.extract()
    project.extract()
    assert segmented == {"source/one.md": 2, "source/two.txt": 2}
    assert parsed["locales/fr/LC_MESSAGES/one.po"] == 2
