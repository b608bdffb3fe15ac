"""Script, identity, language and acronym checks, from a table of defects and near misses.

``fixtures/qa/script-cases.json`` holds groups; each row is ``[who, source language,
target language, msgid, msgstr, {code: severity}]``, the findings being all that
``check_entry`` reports. Who wrote the text decides some severities: ``machine`` is an
engine's untouched output, ``preview`` the pseudo engine's, ``memory`` a memory fill
nobody accepted (fuzzy), ``accepted`` one a person accepted, ``edited`` machine output a
person changed, ``person`` a text with no comment at all. Every group has a defect and
the near misses that must pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
import pytest

from translatio.catalog.provenance import Provenance, text_hash, with_provenance
from translatio.languages import Language
from translatio.qa.checks import Severity, check_entry
from translatio.text.glossary import Glossary

from .conftest import FIXTURES, MakeProject
from .prepared import machine_translated

GROUPS: dict[str, Any] = json.loads((FIXTURES / "qa" / "script-cases.json").read_text("utf-8"))
MEMORY = "translation memory: 100% doc.md:3 (person, reviewed by Ada Lovelace)"


def _entry(who: str, msgid: str, msgstr: str) -> polib.POEntry:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("source/a.md", "3")])
    if who in ("machine", "preview", "edited"):
        engine = "pseudo" if who == "preview" else "argos"
        written = "what the engine wrote" if who == "edited" else msgstr
        provenance = Provenance(engine, f"{engine}-1", -0.5, text_hash(written))
        entry.tcomment = with_provenance("", provenance)
        entry.flags = ["fuzzy"]
    elif who in ("memory", "accepted"):
        entry.tcomment = MEMORY
        entry.flags = ["fuzzy"] if who == "memory" else []
    else:
        assert who == "person", who
    return entry


@pytest.mark.parametrize("name", list(GROUPS))
def test_script_table(name: str) -> None:
    group = GROUPS[name]
    glossary = Glossary(group.get("glossary", {}))
    wrong = []
    for who, source, language, msgid, msgstr, expected in group["rows"]:
        findings = check_entry(
            _entry(who, msgid, msgstr),
            Language(language),
            source=Language(source),
            glossary=glossary,
        )
        found = {finding.code: finding.severity.value for finding in findings}
        if found != expected:
            wrong.append(f"{who} {language} {msgstr!r}: {found}, expected {expected}")
        assert all(finding.message for finding in findings)
    assert not wrong, "\n".join(wrong)


def test_the_messages_name_the_script_and_the_language_found() -> None:
    latin = _entry(
        "machine", "Install the package. Then restart.", "Установите пакет. Then restart it."
    )
    [script] = check_entry(latin, Language("ru"))
    assert script.message == "1 of 2 sentences are written in Latin letters, not Cyrillic"
    japanese = _entry("machine", "Install the package.", "Install the package.")
    [script] = check_entry(japanese, Language("ja"))
    assert script.message.endswith("not Han, Hiragana or Katakana")
    russian = _entry(
        "machine",
        "We must deal with these issues without delay.",
        "Мы должны немедленно заняться этими вопросами и привлечь режим к ответственности.",
    )
    [language] = check_entry(russian, Language("uk"))
    assert language.message.startswith("the text reads as Russian, not Ukrainian (langid: ")
    assert language.severity is Severity.WARNING
    acronym = _entry("machine", "Call the IT department.", "Llame al departamento de LO.")
    [word] = check_entry(acronym, Language("es"))
    assert word.message == "acronym 'IT' was translated as a word: 'LO' in capitals"


def test_an_all_latin_arabic_catalog_fails_check(make_project: MakeProject) -> None:
    """The stand-in engine writes accented Latin: for Arabic, every entry is an error."""
    findings = machine_translated(make_project, "ar").check()
    assert len(findings) == 6
    assert {(finding.code, finding.severity) for finding in findings} == {
        ("wrong-script", Severity.ERROR)
    }
    assert all(finding.message.endswith("not Arabic") for finding in findings)


def test_a_memory_fill_is_known_by_the_comment_the_recall_step_writes() -> None:
    from translatio.catalog.provenance import MEMORY_COMMENT
    from translatio.tm import recall

    assert MEMORY.startswith(MEMORY_COMMENT)
    assert recall.MEMORY_COMMENT is MEMORY_COMMENT  # one definition, written and read


def test_langid_is_loaded_only_when_a_check_needs_it() -> None:
    code = (
        "import sys, polib\n"
        "from translatio.languages import Language\n"
        "from translatio.qa.checks import check_entry\n"
        "short = polib.POEntry(msgid='Run it.', msgstr='Lancez-le.')\n"
        "check_entry(short, Language('fr'))\n"
        "print('langid' in sys.modules)\n"
        "text = 'Nous devons nous occuper de ces questions sans délai et sans faiblesse.'\n"
        "check_entry(polib.POEntry(msgid='We must.', msgstr=text), Language('fr'))\n"
        "print('langid' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    assert result.stdout.split() == ["False", "True"]
