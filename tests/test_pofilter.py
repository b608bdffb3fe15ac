"""translatio's QA against translate-toolkit's ``pofilter`` on the same catalogs.

Every pofilter check is either matched by translatio codes (``MATCHED``) or left out for a
stated reason (``LEFT_OUT``). Where a matched pofilter check fails an entry, translatio
must report one of the matching codes on that entry, unless the difference is a language
convention that translatio accepts on purpose (``CONVENTIONS``: each is a predicate over
the entry, so a new disagreement fails the test instead of being waved through).

Catalogs: every case of ``fixtures/qa/cases.json`` (defects and their near-misses), and
Apertium's real en→es output for the article and the Markdown fixtures.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from translatio import Project
from translatio.languages import Language
from translatio.qa.checks import Severity, check_catalog

from .conftest import ARTICLE, FIXTURES, MakeProject

CASES = json.loads((FIXTURES / "qa" / "cases.json").read_text("utf-8"))

MATCHED: dict[str, set[str]] = {
    "acronyms": {"acronym"},
    "numbers": {"number"},
    "brackets": {"bracket"},
    "doublequoting": {"quotes"},
    "puncspacing": {"punctuation-spacing", "half-width-punctuation"},
    "endpunc": {"end-punctuation", "punctuation-spacing"},
    "doublewords": {"repeated-word"},
    "sentencecount": {"sentence-count"},
    "unchanged": {"same-as-source"},
    "urls": {"url", "autolink", "link-target"},
    "emails": {"email", "autolink"},
    "blank": {"blank"},
    "short": {"length-ratio", "blank"},
    "long": {"length-ratio"},
    "xmltags": {"html-tag", "autolink"},
    "notranslatewords": {"glossary"},
    "musttranslatewords": {"glossary"},
    "newlines": {"hard-break", "paragraph-break", "block-marker", "link-definition"},
}
"""pofilter check → the translatio codes that report the same defect."""

LEFT_OUT: dict[str, str] = {
    "untranslated": "an extraction filter: `translatio status` counts untranslated entries",
    "escapes": "C-style escapes; Markdown backslash escapes are checked as the markup they "
    "protect (emphasis, hard-break)",
    "tabs": "a tab in prose is insignificant whitespace (code keeps its tabs in code spans)",
    "singlequoting": "' and ’ are apostrophes in English, French, Italian (l’homme, Let’s), "
    "so counting them reports elisions",
    "doublespacing": "Markdown and HTML collapse spaces; two spaces before a line end are a "
    "hard break (hard-break)",
    "startwhitespace": "the segmenter strips paragraphs; msgfmt --check covers edge newlines",
    "endwhitespace": "as startwhitespace",
    "startpunc": "inverted ¿ ¡ in Spanish, « in French, a dialogue dash: differences are "
    "conventions; balance is checked by bracket and quotes",
    "startcaps": "capitalisation conventions differ (German nouns, English Title Case "
    "headings, no case in CJK)",
    "simplecaps": "as startcaps; it flags every English Title Case heading",
    "printf": "format strings do not occur in prose (and no entry has a format flag)",
    "pythonbraceformat": "as printf",
    "variables": "program variables do not occur in prose; code spans are checked (code-span)",
    "functions": "as variables",
    "accelerators": "menu accelerators (&File, _File) are not prose; _ and * are emphasis",
    "options": "command-line options belong in code spans (code-span)",
    "filepaths": "paths belong in code spans (code-span); pofilter flags any word starting with /",
    "purepunc": "the segmenter extracts no entry that is only punctuation",
    "simpleplurals": "software strings' 'file(s)'; catalogs of prose have no plurals",
    "validchars": "needs a per-project character list; wrong-script, "
    "simplified-in-traditional and invisible-character cover scripts",
    "spellcheck": "needs pyenchant and dictionaries; off in pofilter without them",
    "kdecomments": "KDE's _: comments only",
    "credits": "KDE/GNOME translator-credit strings only",
    "compendiumconflicts": "an extraction filter for msgcat compendia",
    "isfuzzy": "a state, not a defect: translatio reports states in status",
    "isreview": "as isfuzzy",
    "hassuggestion": "XLIFF alternatives; PO has none",
    "nplurals": "catalogs of prose have no plural entries",
}
"""pofilter check → why translatio has no matching check."""

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def _roman(number: int) -> str:
    text = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


def _digits(text: str) -> Counter[str]:
    return Counter(re.sub(r"\D", "", n) for n in re.findall(r"\d[\d.,\s\u202f]*", text))


def _numbers_by_convention(language: Language, source: str, target: str) -> bool:
    """Locale separators (1.000,5; 1 000,5), an ordinal century as a Roman numeral.

    An added number is reported by the markup check that owns it (``[1]: …``), not as a
    number: translatio reports numbers the translation lost.
    """
    for ordinal in re.findall(r"\b(\d+)(?:st|nd|rd|th)\b", source):
        if re.search(rf"\b{_roman(int(ordinal))}(?:e|er|ème)?\b", target):
            source = re.sub(rf"\b{ordinal}(?:st|nd|rd|th)\b", "", source, count=1)
    return not _digits(source) - _digits(target)


def _acronym_stands_in(language: Language, source: str, target: str) -> bool:
    """UN → ONU, USA → EE. UU.; Chinese and Japanese write acronyms in their own script."""
    acronyms = set(re.findall(r"\b[A-Z]{2,}\b", source))
    mangled = any(re.search(rf"\b{a}\b", target, re.IGNORECASE) for a in acronyms)
    if mangled:
        return False
    return language.primary in ("zh", "ja") or bool(
        set(re.findall(r"\b[A-Z]{2,}\b|\b(?:[A-Z]{1,2}\. ?){2,}", target)) - acronyms
    )


_FULL_WIDTH = str.maketrans("（）［］｛｝【】", "()[]{}[]")


def _full_width_brackets(language: Language, source: str, target: str) -> bool:
    """Chinese and Japanese write （…） for (…)."""
    return all(source.count(b) == target.translate(_FULL_WIDTH).count(b) for b in "()[]{}")


_QUOTES = re.compile('["“”„«»「」『』]')


def _quotes_of_the_language(language: Language, source: str, target: str) -> bool:
    """German „…“ and Japanese 「…」 are quotation marks too."""
    return len(_QUOTES.findall(source)) == len(_QUOTES.findall(target))


_MARK = str.maketrans("。！？：", ".!?:")


def _end_mark_of_the_language(language: Language, source: str, target: str) -> bool:
    """French spaces (narrow no-break or no-break) before ! ? : ; and 。 for . in CJK."""
    return source.rstrip()[-1:] == target.rstrip().translate(_MARK)[-1:]


_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St)\.|\b(?:[A-Z]{1,2}\. ?){2,}")


def _no_end_mark_lost(language: Language, source: str, target: str) -> bool:
    """A sentence split in two, or an abbreviation (Dr., EE. UU.) pofilter reads as an end."""
    source, target = _ABBREVIATION.sub("", source), _ABBREVIATION.sub("", target)
    return len(re.findall(r"[.!?。！？]", target)) >= len(re.findall(r"[.!?]", source))


def _moved_with_the_words(language: Language, source: str, target: str) -> bool:
    """Word order put a mark at the end or before markup; no mark runs into a word.

    Chinese and Japanese full-width marks take no space (half-width ones are reported as
    half-width-punctuation).
    """
    glued = re.compile(r"[,;!?](?=[^\W\d_])|[.:](?=[^\W\d_]{2})")
    return language.primary in ("zh", "ja") or len(glued.findall(target)) <= len(
        glued.findall(source)
    )


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _same_addresses(language: Language, source: str, target: str) -> bool:
    """The address is unchanged; pofilter reads the full stop after it as part of it."""
    return Counter(_EMAIL.findall(source)) == Counter(_EMAIL.findall(target))


def _line_ending_style(language: Language, source: str, target: str) -> bool:
    """CR, LF and CRLF are each one line ending (CommonMark); pofilter counts \\r and \\n."""
    ending = re.compile(r"\r\n|\r|\n")
    return len(ending.findall(source)) == len(ending.findall(target))


def _a_name_or_title(language: Language, source: str, target: str) -> bool:
    """Names, short titles and code spans stay as they are (fewer than four words)."""
    return len(re.findall(r"[^\W\d_]{2,}", source)) < 4


def _grammatical_repeat(language: Language, source: str, target: str) -> bool:
    """'Nous nous sommes tus', 'that that': repeats the grammar allows."""
    return bool(re.search(r"\b(nous|vous|that|had|is)\s+\1\b", target, re.IGNORECASE))


Convention = Callable[[Language, str, str], bool]
CONVENTIONS: dict[str, Convention] = {
    "numbers": _numbers_by_convention,
    "acronyms": _acronym_stands_in,
    "brackets": _full_width_brackets,
    "doublequoting": _quotes_of_the_language,
    "endpunc": _end_mark_of_the_language,
    "sentencecount": _no_end_mark_lost,
    "unchanged": _a_name_or_title,
    "doublewords": _grammatical_repeat,
    "puncspacing": _moved_with_the_words,
    "emails": _same_addresses,
    "newlines": _line_ending_style,
}
"""pofilter check → when its finding is a language convention translatio accepts."""

PROSE_CODES = {"acronym", "bracket", "quotes", "punctuation-spacing", "end-punctuation"}
PROSE_CODES |= {"sentence-count"}
"""Warnings translatio holds back on an entry that already has an error."""


def _pofilter(po: Path, language: str) -> dict[str, set[str]]:
    """pofilter's failing checks per msgctxt, from the real command."""
    command = Path(sys.executable).parent / "pofilter"
    executable = str(command) if command.exists() else shutil.which("pofilter")
    assert executable, "pofilter not found: uv sync installs translate-toolkit (a dev dependency)"
    out = po.with_suffix(".pofilter.po")
    subprocess.run(
        [executable, "--progress=none", f"--language={language}", str(po), str(out)],
        check=True,
        capture_output=True,
    )
    failures: dict[str, set[str]] = defaultdict(set)
    if out.exists():
        for entry in polib.pofile(str(out), wrapwidth=0):
            key = entry.msgctxt or entry.msgid
            failures[key] |= set(re.findall(r"\(pofilter\) (\w+):", entry.tcomment))
    return failures


def _translatio(po: Path, language: str) -> dict[str, list[tuple[str, Severity]]]:
    catalog = polib.pofile(str(po), wrapwidth=0)
    lines = {entry.linenum: entry.msgctxt or entry.msgid for entry in catalog}
    found: dict[str, list[tuple[str, Severity]]] = defaultdict(list)
    for finding in check_catalog(catalog, Language(language)):
        found[lines[finding.line]].append((finding.code, finding.severity))
    return found


def _disagreements(po: Path, language: str) -> tuple[list[str], Counter[str], Counter[str]]:
    """What pofilter reports on a matched check and translatio does not, unexplained."""
    theirs, ours = _pofilter(po, language), _translatio(po, language)
    entries = {entry.msgctxt or entry.msgid: entry for entry in polib.pofile(str(po))}
    unexplained = []
    for key, checks in theirs.items():
        entry = entries[key]
        codes = {code for code, _ in ours.get(key, [])}
        has_error = any(severity is Severity.ERROR for _, severity in ours.get(key, []))
        for check in sorted(checks & MATCHED.keys()):
            if codes & MATCHED[check]:
                continue
            convention = CONVENTIONS.get(check)
            if convention and convention(Language(language), entry.msgid, entry.msgstr):
                continue
            if has_error and MATCHED[check] <= PROSE_CODES:
                continue  # held back until the error is fixed
            unexplained.append(f"{check}: {entry.msgid!r} → {entry.msgstr!r} (ours: {codes})")
    their_counts = Counter(check for checks in theirs.values() for check in checks)
    our_counts = Counter(code for found in ours.values() for code, _ in found)
    return unexplained, their_counts, our_counts


def test_every_pofilter_check_is_matched_or_left_out_with_a_reason() -> None:
    from translate.filters import checks

    checker = checks.TeeChecker(
        checkerclasses=[checks.StandardChecker, checks.StandardUnitChecker],
        checkerconfig=checks.CheckerConfig(targetlanguage="es"),
    )
    names = set(checker.getfilters())
    assert names <= MATCHED.keys() | LEFT_OUT.keys(), names - MATCHED.keys() - LEFT_OUT.keys()
    assert not MATCHED.keys() & LEFT_OUT.keys()


def _case_catalogs(tmp_path: Path) -> dict[str, Path]:
    by_language: dict[str, polib.POFile] = {}
    for index, (language, msgid, msgstr, _) in enumerate(CASES):
        catalog = by_language.setdefault(language, polib.POFile(wrapwidth=0))
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
        catalog.append(polib.POEntry(msgctxt=f"case {index}", msgid=msgid, msgstr=msgstr))
    paths = {}
    for language, catalog in by_language.items():
        paths[language] = tmp_path / f"{language}.po"
        catalog.save(str(paths[language]))
    return paths


def test_translatio_reports_what_pofilter_reports_on_the_qa_cases(tmp_path: Path) -> None:
    unexplained = []
    for language, po in _case_catalogs(tmp_path).items():
        unexplained += _disagreements(po, language)[0]
    assert not unexplained, "\n".join(unexplained)


def test_every_convention_is_one_pofilter_reports_and_translatio_accepts(tmp_path: Path) -> None:
    """Each convention is exercised: pofilter fails a case that translatio passes."""
    exercised = set()
    for language, po in _case_catalogs(tmp_path).items():
        theirs, ours = _pofilter(po, language), _translatio(po, language)
        for key, failed in theirs.items():
            index = int(key.removeprefix("case "))
            for check in failed & CONVENTIONS.keys():
                if not CASES[index][3] and not ours.get(key):
                    exercised.add(check)
    assert exercised == CONVENTIONS.keys(), CONVENTIONS.keys() - exercised


def test_translatio_reports_what_pofilter_reports_on_apertium_output(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-spa (.ci/run does)")
    sources = {"article.txt": ARTICLE.read_text("utf-8")}
    for path in sorted((FIXTURES / "markdown").glob("*.md")):
        if not path.name.endswith(".expect.md"):
            sources[path.name] = path.read_text("utf-8")
    root = make_project(sources, languages=("es",), engine="apertium")
    extracted, translated, _ = Project.open(root).run(["es"], policy="draft")
    assert len(extracted) == len(translated) == len(sources)
    assert all(update.report.filled for update in translated)
    unexplained, theirs, ours = [], Counter[str](), Counter[str]()
    for po in sorted((root / "locales" / "es" / "LC_MESSAGES").glob("*.po")):
        found, their_counts, our_counts = _disagreements(po, "es")
        unexplained += found
        theirs += their_counts
        ours += our_counts
    with capsys.disabled():  # the counts go into the README's comparison
        print(f"\npofilter on Apertium en→es: {dict(sorted(theirs.items()))}")
        print(f"translatio on Apertium en→es: {dict(sorted(ours.items()))}")
    assert not unexplained, "\n".join(unexplained)
