"""A folder of articles: ``source/`` read recursively, one catalog and edition per path.

A document's id is its path below ``source/`` without the suffix (``blog/2026/op-ed``);
its template, catalogs and editions sit at the same relative path under ``locales/``,
``locales/<lang>/LC_MESSAGES/`` and ``editions/<lang>/``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from translatio import Project
from translatio.errors import SourceError

from .conftest import SHORT_DOC, MakeProject, cli, msgfmt_check

CORPUS = {
    "index.md": SHORT_DOC,
    "blog/2026/op-ed.md": "# An op-ed\n\nThe opinion is here.\n\nThe second paragraph is here.\n",
    "blog/2026/notes.txt": "Plain notes.\n\nThe opinion is here.\n",
    "news/brief.markdown": "# Brief\n\nA short brief.\n",
}


def corpus_project(make_project: MakeProject, files: dict[str, str] = CORPUS) -> Path:
    """A project whose ``source/`` holds ``files`` (paths may name subfolders)."""
    root = make_project({})
    (root / "source" / "article.txt").unlink()
    for name, text in files.items():
        path = root / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_document_ids_are_source_paths_without_suffix(make_project: MakeProject) -> None:
    root = corpus_project(make_project)
    names = [document.name for document in Project.open(root).documents()]
    assert names == ["blog/2026/notes", "blog/2026/op-ed", "index", "news/brief"]


def test_run_writes_catalogs_and_editions_at_the_documents_paths(
    make_project: MakeProject,
) -> None:
    root = corpus_project(make_project)
    extracted, translated, built = Project.open(root).run(policy="draft")
    paths = sorted(update.path for update in extracted if update.language == "fr")
    assert paths == [
        "locales/fr/LC_MESSAGES/blog/2026/notes.po",
        "locales/fr/LC_MESSAGES/blog/2026/op-ed.po",
        "locales/fr/LC_MESSAGES/index.po",
        "locales/fr/LC_MESSAGES/news/brief.po",
    ]
    assert (root / "locales" / "blog" / "2026" / "op-ed.pot").is_file()
    for path in paths:
        msgfmt_check(root / path)
    assert all(update.report.filled for update in translated)
    assert (root / "drafts" / "zh_CN" / "blog" / "2026" / "op-ed.md").is_file()
    assert (root / "drafts" / "fr" / "news" / "brief.html").is_file()
    assert {report.document for report in built} == {
        "blog/2026/notes",
        "blog/2026/op-ed",
        "index",
        "news/brief",
    }
    assert "msgid" in (root / "locales/zh_CN/LC_MESSAGES/blog/2026/notes.po").read_text("utf-8")


def test_status_and_json_name_each_document_by_its_id(make_project: MakeProject) -> None:
    root = corpus_project(make_project)
    Project.open(root).extract()
    rows = Project.open(root).status(["fr"])
    assert [row.document for row in rows] == [
        "blog/2026/notes",
        "blog/2026/op-ed",
        "index",
        "news/brief",
    ]
    result = cli(root, "status", "--json", "-l", "fr")
    assert result.exit_code == 0, result.output
    assert '"document": "blog/2026/op-ed"' in result.output


def test_unknown_suffixes_are_reported_once_per_run(
    make_project: MakeProject, caplog: pytest.LogCaptureFixture
) -> None:
    root = corpus_project(make_project, {**CORPUS, "blog/photo.jpg": "", "notes/todo.rtf": ""})
    (root / "source" / ".git").mkdir()
    (root / "source" / ".git" / "HEAD").write_text("ref\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="translatio"):
        Project.open(root).run(policy="draft")
    warnings = [record.getMessage() for record in caplog.records]
    assert warnings == [
        "source/blog/photo.jpg is ignored: translatio reads .md, .markdown and .txt sources",
        "source/notes/todo.rtf is ignored: translatio reads .md, .markdown and .txt sources",
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"blog/a.md": "A.\n", "blog/a.txt": "B.\n"},
            "two sources share the document id 'blog/a': source/blog/a.md and source/blog/a.txt",
        ),
        ({"blog/a.review.md": "A.\n"}, "'a.review.md' would overwrite the review or bilingual"),
    ],
)
def test_paths_that_cannot_name_a_catalog_are_refused(
    make_project: MakeProject, files: dict[str, str], message: str
) -> None:
    root = corpus_project(make_project, files)
    with pytest.raises(SourceError) as raised:
        Project.open(root).extract()
    assert message in str(raised.value)


def test_a_rerun_of_a_corpus_writes_nothing(make_project: MakeProject) -> None:
    root = corpus_project(make_project)
    Project.open(root).run(policy="draft")
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    extracted, translated, _ = Project.open(root).run(policy="draft")
    assert not any(update.written for update in [*extracted, *translated])
    after = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    assert after == before
