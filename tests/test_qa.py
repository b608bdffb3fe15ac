"""QA checks, from a table: each check has inputs that trigger it and near-misses that don't."""

from __future__ import annotations

import json

import polib
import pytest

from translatio.languages import Language
from translatio.qa.checks import CHECKS, Severity, check_entry

from .conftest import FIXTURES

CASES = json.loads((FIXTURES / "qa" / "cases.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("code", "msgid", "msgstr", "expected"), CASES, ids=[f"{c[0]}:{c[2][:28]}" for c in CASES]
)
def test_check_table(code: str, msgid: str, msgstr: str, expected: list[str]) -> None:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("source/a.md", "3")])
    entry.linenum = 12
    findings = check_entry(entry, Language(code), path="locales/x.po")
    assert sorted({finding.code for finding in findings}) == sorted(expected)
    for finding in findings:
        assert finding.where == "locales/x.po:12" and finding.reference == "source/a.md:3"
        assert finding.message


def test_every_check_is_triggered_by_some_case() -> None:
    triggered = {code for case in CASES for code in case[3]}
    assert len(triggered) >= len(CHECKS)


def test_errors_and_warnings() -> None:
    entry = polib.POEntry(msgid="Run `x` now, in 2020.", msgstr="Lancez maintenant.")
    severities = {f.code: f.severity for f in check_entry(entry, Language("fr"))}
    assert severities == {"code-span": Severity.ERROR, "number": Severity.WARNING}


def test_untranslated_entries_have_no_findings() -> None:
    assert check_entry(polib.POEntry(msgid="Run `x`.", msgstr=""), Language("fr")) == []


def test_sentences_are_counted_by_the_source_language_rules() -> None:
    # French ends a sentence at "etc." before a capital; English reads it as an abbreviation.
    entry = polib.POEntry(
        msgid="Il y a des pommes, des poires etc. Puis il part.",
        msgstr="There are apples and pears then he leaves.",
    )
    english = check_entry(entry, Language("en"))
    french = check_entry(entry, Language("en"), source=Language("fr"))
    assert [f.code for f in english] == [] and [f.code for f in french] == ["sentence-count"]
