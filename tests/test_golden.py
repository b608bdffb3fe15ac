"""mdpo-style golden triplets: ``x.md`` → expected ``x.po`` → expected ``x.expect.md``.

The PO holds hand-checked translations (some fuzzy, some empty, one with a line break,
one smuggling a ``<script>``); the extracted template must match its msgids, references
and types, and the reviewed edition built from it must equal ``x.expect.md`` byte for byte.
A new segmentation bug becomes a new triplet here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from translatio.catalog.merge import merge_catalog
from translatio.catalog.values import build_template, serialize
from translatio.languages import Language
from translatio.publish.edition import Policy, build_edition
from translatio.text.segment import segment_markdown

from .conftest import FIXTURES, msgfmt_check, read_po

TRIPLETS = sorted(
    path
    for path in (FIXTURES / "markdown").glob("*.md")
    if not path.name.endswith(".expect.md") and path.with_suffix(".po").exists()
)


@pytest.mark.parametrize("source", TRIPLETS, ids=lambda path: path.stem)
def test_template_matches_golden_catalog(source: Path) -> None:
    document = segment_markdown(source.read_text("utf-8"), name=source.stem, path=source.name)
    template = build_template(document, created="")
    golden = [entry for entry in read_po(source.with_suffix(".po")) if not entry.obsolete]
    assert [(e.msgid, e.occurrences, e.comment) for e in template] == [
        (e.msgid, e.occurrences, e.comment) for e in golden
    ]


@pytest.mark.parametrize("source", TRIPLETS, ids=lambda path: path.stem)
def test_edition_matches_golden_edition(source: Path) -> None:
    document = segment_markdown(source.read_text("utf-8"), name=source.stem, path=source.name)
    edition = build_edition(document, read_po(source.with_suffix(".po")), policy=Policy.REVIEWED)
    expected = source.with_name(source.stem + ".expect.md").read_text("utf-8")
    assert edition.text == expected


@pytest.mark.parametrize("source", TRIPLETS, ids=lambda path: path.stem)
def test_the_catalog_written_from_the_golden_one_is_valid_gettext(
    source: Path, tmp_path: Path
) -> None:
    """What translatio writes when it merges the source into the golden catalog."""
    document = segment_markdown(source.read_text("utf-8"), name=source.stem, path=source.name)
    golden = read_po(source.with_suffix(".po"))
    merged, report = merge_catalog(build_template(document, created=""), golden, Language("fr"))
    written = tmp_path / "written.po"
    written.write_bytes(serialize(merged))
    msgfmt_check(written)
    kept = {e.msgid: (e.msgstr, e.fuzzy) for e in read_po(written) if not e.obsolete}
    assert kept == {e.msgid: (e.msgstr, e.fuzzy) for e in golden if not e.obsolete}
    assert report.obsoleted == 0
