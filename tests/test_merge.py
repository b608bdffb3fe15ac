"""Merging against the oracle: translatio's merge and GNU ``msgmerge --previous`` agree.

Each scenario is a sequence of source versions. Version 1 is extracted and every entry
translated by a person; each later version is merged by both tools (each from its own
previous output), and the results must agree after every step: the same active entries
in the same order with the same translations, fuzzy flags and previous msgids, and the
same obsolete entries.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from translatio.catalog.merge import merge_catalog
from translatio.catalog.values import build_template, serialize
from translatio.languages import Language
from translatio.text.segment import segment_markdown

from .conftest import gettext_tool, msgfmt_check, read_po

LONG = " ".join(
    f"Sentence {number} of a long paragraph talks about policy, people and places."
    for number in range(1, 41)
)
LONG_EDITED = LONG.replace("Sentence 17 of", "Sentence seventeen of")

SCENARIOS: dict[str, list[str]] = {
    "unchanged": ["# Title\n\nFirst paragraph.\n", "# Title\n\nFirst paragraph.\n"],
    "small edit": [
        "The quick brown fox jumps over the lazy dog.\n\nOther text here.\n",
        "The quick brown fox jumped over the lazy dog.\n\nOther text here.\n",
    ],
    "long paragraph small edit": [f"{LONG}\n\nTail.\n", f"{LONG_EDITED}\n\nTail.\n"],
    "moved": [
        "Alpha paragraph one.\n\nBeta paragraph two.\n\nGamma paragraph three.\n",
        "Gamma paragraph three.\n\nAlpha paragraph one.\n\nBeta paragraph two.\n",
    ],
    "deleted": [
        "Keep this paragraph.\n\nDelete this other paragraph.\n",
        "Keep this paragraph.\n",
    ],
    "restored": [
        "Keep this paragraph.\n\nA paragraph that leaves and returns.\n",
        "Keep this paragraph.\n",
        "Keep this paragraph.\n\nA paragraph that leaves and returns.\n",
    ],
    "duplicated": [
        "A paragraph said once.\n\nAnother one.\n",
        "A paragraph said once.\n\nAnother one.\n\nA paragraph said once.\n",
    ],
    "split": [
        "The first half is a sentence about the weather today. "
        "The second half says something else entirely, and it is longer.\n",
        "The first half is a sentence about the weather today.\n\n"
        "The second half says something else entirely, and it is longer.\n",
    ],
    "joined": [
        "The first half is a sentence about the weather today.\n\n"
        "The second half says something else entirely, and it is longer.\n",
        "The first half is a sentence about the weather today. "
        "The second half says something else entirely, and it is longer.\n",
    ],
    "short-string near-miss": [
        "# Save\n\n# Print\n\n# abc\n\nYes\n",
        "# Same\n\n# Paint\n\n# abd\n\nYes.\n",
    ],
}


def _template(text: str) -> polib.POFile:
    return build_template(segment_markdown(text, name="doc", path="doc.md"), created="")


def _view(catalog: polib.POFile) -> tuple[list[tuple[object, ...]], set[tuple[str, str]]]:
    active = [
        (e.msgid, e.msgstr, e.fuzzy, e.previous_msgid or None, tuple(e.occurrences))
        for e in catalog
        if not e.obsolete and e.msgid
    ]
    obsolete = {(e.msgid, e.msgstr) for e in catalog if e.obsolete}
    return active, obsolete


def _msgmerge(previous: Path, template: Path, output: Path) -> polib.POFile:
    subprocess.run(
        [
            gettext_tool("msgmerge"),
            "--quiet",
            "--previous",
            "--no-wrap",
            "-o",
            str(output),
            str(previous),
            str(template),
        ],
        check=True,
    )
    return read_po(output)


@pytest.mark.parametrize("name", SCENARIOS)
def test_merge_agrees_with_msgmerge(name: str, tmp_path: Path) -> None:
    versions = SCENARIOS[name]
    language = Language("fr")
    first, _ = merge_catalog(_template(versions[0]), None, language)
    for entry in first:
        if entry.msgid:
            entry.msgstr = f"FR {entry.msgid}"
    ours = first
    theirs_path = tmp_path / "theirs-0.po"
    theirs_path.write_bytes(serialize(first))
    for step, version in enumerate(versions[1:], start=1):
        template = _template(version)
        template_path = tmp_path / f"doc-{step}.pot"
        template_path.write_bytes(serialize(template))
        ours, _ = merge_catalog(template, ours, language)
        ours_path = tmp_path / f"ours-{step}.po"
        ours_path.write_bytes(serialize(ours))
        theirs = _msgmerge(theirs_path, template_path, tmp_path / f"theirs-{step}.po")
        theirs_path = tmp_path / f"theirs-{step}.po"
        assert _view(read_po(ours_path)) == _view(theirs), f"step {step} of {name!r}"
        msgfmt_check(ours_path)


def test_no_translation_is_lost_in_any_scenario() -> None:
    for versions in SCENARIOS.values():
        catalog, _ = merge_catalog(_template(versions[0]), None, Language("de"))
        written = set()
        for entry in catalog:
            if entry.msgid:
                entry.msgstr = f"DE {entry.msgid}"
                written.add(entry.msgstr)
        for version in versions[1:]:
            catalog, _ = merge_catalog(_template(version), catalog, Language("de"))
            assert written <= {entry.msgstr for entry in catalog}


def test_report_counts() -> None:
    old, _ = merge_catalog(_template("Kept text.\n\nGone paragraph here.\n"), None, Language("fr"))
    for entry in old:
        if entry.msgid:
            entry.msgstr = "x"
    _, report = merge_catalog(_template("Kept text.\n\nBrand new words.\n"), old, Language("fr"))
    assert (report.kept, report.fuzzy, report.new, report.obsoleted) == (1, 0, 1, 1)


def test_plural_translations_survive() -> None:
    template = polib.POFile()
    template.append(
        polib.POEntry(msgid="one file", msgid_plural="{n} files", msgstr_plural={0: "", 1: ""})
    )
    old = polib.POFile()
    old.append(
        polib.POEntry(msgid="one file", msgid_plural="{n} files", msgstr_plural={0: "un", 1: "des"})
    )
    merged, _ = merge_catalog(template, old, Language("fr"))
    assert merged[0].msgstr_plural == {0: "un", 1: "des"}
