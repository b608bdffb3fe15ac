"""Whether a translation is written in its language: script, identity and language checks.

Three findings, each about an entry as a whole (they need to know who wrote it):

* ``wrong-script``: a sentence with several translatable words and not one letter of
  the language's scripts (English left in a Russian catalog, Latin in an Arabic one);
* ``same-as-source``: the translation is the source text unchanged, and it has several
  translatable words;
* ``wrong-language``: the text is in a neighbour of the language that shares its script
  (Russian in a Ukrainian catalog, Spanish in a Portuguese one, English left by a pivot
  in a French one), as ``langid`` reads it.

The letters counted are the text's prose (``prose.prose``: code spans, link targets,
HTML, URLs and e-mail addresses set aside) without the glossary's required forms (a
keep-term such as a product name is legitimate in any script) and without words the
source quotes in a third script (a Chinese name in an English text stays Chinese in
Russian). A translatable word has two letters or more and, in a script with capitals,
starts with a small letter: names, commands written as names and acronyms never make a
sentence foreign on their own (``Откройте Visual Studio Code`` passes, ``Run the
installer`` in a Russian catalog does not); each Han or kana character is a word.

Who wrote the text decides the severity: untouched machine output (a preview included)
and a memory fill nobody accepted yet are errors, as the text was never read; a
person's text is a warning, as a quotation or a name may be meant.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from typing import TYPE_CHECKING

import polib

from translatio.catalog.provenance import (
    MEMORY_COMMENT,
    is_untouched_machine_output,
    logical_lines,
)
from translatio.catalog.states import is_preview
from translatio.languages import Language
from translatio.qa.findings import Severity
from translatio.qa.language import (
    CASED_SCRIPTS,
    IDEOGRAPHIC_SCRIPTS,
    LATIN,
    NAMES,
    NEIGHBOURS,
    SAME_LANGUAGE,
    expected_scripts,
    script_of,
)
from translatio.qa.prose import ENGLISH, prose
from translatio.text.glossary import EMPTY, Glossary
from translatio.text.sentences import split_sentences

if TYPE_CHECKING:
    from langid.langid import LanguageIdentifier

__all__ = [
    "CONFIDENT",
    "IDENTICAL_WORDS",
    "LONG_ENOUGH",
    "READABLE",
    "SAME_AS_SOURCE",
    "SEVERAL_WORDS",
    "WRONG_LANGUAGE",
    "WRONG_SCRIPT",
    "identify",
    "machine_written",
    "script_checks",
    "translatable_text",
]

SEVERAL_WORDS = 2
"""Translatable words that make a sentence without a letter of the language's scripts
foreign (``Run the installer`` has two: ``the``, ``installer``)."""
IDENTICAL_WORDS = 4
"""Words of two letters or more in a source that its translation may not copy unchanged
(fewer: a name, a short title, a command)."""
LONG_ENOUGH = 40
"""Letters of the language's scripts (a Han or kana character counts two) from which
``langid`` is reliable: on the measured pairs (``language.NEIGHBOURS``) it finds 88 % of
the neighbours' texts of 40 letters or more, 71 % of those of 20 or more."""
CONFIDENT = 0.99999
"""The least probability, among the candidates, of a language found instead."""
READABLE = -8.0
"""The least mean log-probability of the text's features under the language found: below
it the text is like none of the candidates (pseudo-localised ``Ţĥíš íš``: about −9;
translations score −4.5 to −7.5)."""

Results = list[tuple[str, Severity, str]]
_LETTERS = re.compile(r"[^\W\d_]+")
_REFERENCE_LABEL = re.compile(r"\]\[[^\]]*\]")
_SET_ASIDE = "\ufffc"
_TOKEN_END = "\\s\"'“”«»„"
# A token with a character of code in it (``merge_delete``, ``key=value``, ``--all``,
# ``%s``, ``git-rebase(1)``, ``advice.addIgnoredFile``): an identifier, an option or a
# path written without a code span, not words of prose.
_CODE_TOKEN = re.compile(
    rf"(?<![^{_TOKEN_END}])[^{_TOKEN_END}]*"
    r"(?:[_=/\\{}|%$@#~^+]|\w[.:]\w|\w\(\d*\)|(?<![\w-])--?\w)"
    rf"[^{_TOKEN_END}]*"
)


@dataclass(frozen=True, slots=True)
class _Word:
    """A run of letters of one script."""

    text: str
    """The letters."""
    script: str | None
    """Their script (``None``: letters of no script, such as ``ª``)."""

    @property
    def translatable(self) -> bool:
        """A word a translation would change: not a name, an acronym or a lone letter."""
        if self.script in IDEOGRAPHIC_SCRIPTS:
            return True
        if len(self.text) < 2 or self.script is None:
            return False
        return self.script not in CASED_SCRIPTS or self.text[0].islower()


def _words(text: str) -> Iterator[_Word]:
    """The words of ``text``: a run of letters is cut where its script changes, and each
    Han or kana character is a word of its own."""
    for run in _LETTERS.findall(text):
        for script, group in groupby(run, script_of):
            letters = "".join(group)
            if script in IDEOGRAPHIC_SCRIPTS:
                yield from (_Word(char, script) for char in letters)
            else:
                yield _Word(letters, script)


def machine_written(entry: polib.POEntry) -> bool:
    """Whether nobody has read the entry's text yet: an engine's untouched output (a
    preview included), or a memory fill still fuzzy (nobody accepted it)."""
    if is_untouched_machine_output(entry) or is_preview(entry):
        return True
    return "fuzzy" in entry.flags and any(
        line.strip().startswith(MEMORY_COMMENT) for line in logical_lines(entry.tcomment or "")
    )


def _severity(entry: polib.POEntry) -> Severity:
    return Severity.ERROR if machine_written(entry) else Severity.WARNING


def translatable_text(text: str, source: str, glossary: Glossary = EMPTY) -> str:
    """``text``'s prose without tokens of code and the glossary's required forms for the
    terms of ``source``; each piece set aside leaves U+FFFC."""
    text = _CODE_TOKEN.sub(_SET_ASIDE, prose(text))
    if "][" in text:
        text = _REFERENCE_LABEL.sub("]", text)
    for term in dict.fromkeys(match.group(0) for match in glossary.find(source)):
        required = re.escape(glossary.terms[term])
        text = re.sub(rf"(?<![\w-]){required}(?![\w-])", _SET_ASIDE, text)
    return text


# -- identity --------------------------------------------------------------------------------

SAME_AS_SOURCE = "same-as-source"


def _same_as_source(entry: polib.POEntry, glossary: Glossary) -> Results:
    source = translatable_text(entry.msgid, entry.msgid, glossary)
    if sum(len(word) >= 2 for word in _LETTERS.findall(source)) < IDENTICAL_WORDS:
        return []  # a name, a short title, a command
    return [(SAME_AS_SOURCE, _severity(entry), "the translation is the source text unchanged")]


# -- script ----------------------------------------------------------------------------------

WRONG_SCRIPT = "wrong-script"


def _listed(names: Sequence[str]) -> str:
    return " or ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} or {names[-1]}"


def _wrong_script(
    entry: polib.POEntry, text: str, words: list[_Word], language: Language, source: Language
) -> Results:
    expected = expected_scripts(language)
    foreign = [word for word in words if word.script not in expected and word.translatable]
    if not expected or len(foreign) < SEVERAL_WORDS:
        return []  # the usual case: no need to look at sentences
    # Words the source quotes in a third script stay in it (a Chinese name in Russian).
    kept = expected | expected_scripts(source)
    quoted = {word.text for word in _words(entry.msgid) if word.script not in kept}
    foreign = [word for word in foreign if word.text not in quoted]
    if len(foreign) < SEVERAL_WORDS:
        return []
    sentences = [
        sentence for sentence in split_sentences(text, language) if _LETTERS.search(sentence)
    ]
    found = 0
    for sentence in sentences:
        in_sentence = list(_words(sentence))
        if not any(word.script in expected for word in in_sentence):
            translatable = [w for w in in_sentence if w.translatable and w.text not in quoted]
            found += len(translatable) >= SEVERAL_WORDS
    if not found:
        return []
    script = Counter(word.script for word in foreign).most_common(1)[0][0]
    where = (
        "the translation is"
        if found == len(sentences)
        else f"{found} of {len(sentences)} sentences are"
    )
    message = f"{where} written in {script} letters, not {_listed(sorted(expected))}"
    return [(WRONG_SCRIPT, _severity(entry), message)]


# -- language --------------------------------------------------------------------------------

WRONG_LANGUAGE = "wrong-language"


@lru_cache(maxsize=1)
def _full_identifier() -> LanguageIdentifier:
    # langid unpacks its model (about 1.5 s): only when a check first needs it.
    from langid.langid import LanguageIdentifier, model

    return LanguageIdentifier.from_modelstring(model, norm_probs=False)


@lru_cache(maxsize=64)
def _identifier(candidates: tuple[str, ...]) -> LanguageIdentifier:
    """A private identifier that chooses among ``candidates`` only."""
    identifier = copy.copy(_full_identifier())
    identifier.set_languages(list(candidates))
    return identifier


def _candidates(language: Language, source: Language) -> tuple[str, ...]:
    """The target, its neighbours, the source language and (Latin) English; () when the
    target has none of them to be told from."""
    primary, scripts = language.primary, expected_scripts(language)
    same = {primary, *SAME_LANGUAGE.get(primary, ())}
    candidates = same | set(NEIGHBOURS.get(primary, ()))
    if LATIN in scripts:
        candidates.add("en")  # the pivot of most engines
    if expected_scripts(source) & scripts:
        candidates.add(source.primary)
    return tuple(sorted(candidates)) if candidates - same else ()


def identify(text: str, candidates: tuple[str, ...]) -> tuple[str, float, float]:
    """The language ``text`` reads as among ``candidates`` (``langid`` codes), its
    probability among them, and how well the text fits it (the mean log-probability of
    its features: −9 or less for text like none of them).

    >>> identify("Мы должны немедленно заняться этими вопросами.", ("ru", "uk"))[0]
    'ru'
    """
    import numpy as np

    identifier = _identifier(candidates)
    features = identifier.instance2fv(text)
    scores = identifier.nb_classprobs(features)
    best = int(np.argmax(scores))
    probability = float(1 / np.exp(scores - scores[best]).sum())
    fit = float(scores[best]) / max(1, int(features.sum()))
    return str(identifier.nb_classes[best]), probability, fit


def _wrong_language(text: str, words: list[_Word], language: Language, source: Language) -> Results:
    candidates = _candidates(language, source)
    if not candidates:
        return []
    expected = expected_scripts(language)
    length = sum(
        2 if word.script in IDEOGRAPHIC_SCRIPTS else len(word.text)
        for word in words
        if word.script in expected
    )
    if length < LONG_ENOUGH:
        return []
    found, probability, fit = identify(text.replace(_SET_ASIDE, " "), candidates)
    same = {language.primary, *SAME_LANGUAGE.get(language.primary, ())}
    if found in same or probability < CONFIDENT or fit < READABLE:
        return []
    message = (
        f"the text reads as {NAMES.get(found, found)}, not "
        f"{NAMES.get(language.primary, language.primary)} (langid: {probability:.3%} among "
        f"{', '.join(candidates)})"
    )
    return [(WRONG_LANGUAGE, Severity.WARNING, message)]


def script_checks(
    entry: polib.POEntry,
    language: Language,
    *,
    source: Language = ENGLISH,
    glossary: Glossary = EMPTY,
) -> Results:
    """The script, identity and language findings of one translated entry (``source``:
    the msgid's language; ``glossary``: its terms' required forms are legitimate)."""
    if not entry.msgstr or not entry.msgid:
        return []
    if entry.msgstr.strip().casefold() == entry.msgid.strip().casefold():
        same = _same_as_source(entry, glossary)
        if same:
            return same  # in a language of another script, also its wrong script: one finding
    text = translatable_text(entry.msgstr, entry.msgid, glossary)
    words = list(_words(text))
    return _wrong_script(entry, text, words, language, source) or _wrong_language(
        text, words, language, source
    )
