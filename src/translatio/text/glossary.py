"""Glossaries: terms that must not be translated, and terms with a required translation.

A glossary is a UTF-8 file of tab-separated lines, ``term<TAB>translation``; a line with
no translation (or ``=``) marks a term that stays as it is, such as a person's name.
``locales/glossary.tsv`` applies to every language and ``locales/<lang>/glossary.tsv``
to one (it wins). Lines starting with ``#`` are comments.

During machine translation a term is held like markup, inside its whole sentence: the
sentence goes to the engine with the term's required translation (or the term itself) in
its place as a placeholder (``held``: an atom between two private-use characters), which
an engine that carries markup keeps as a blank and another engine sees as plain words;
the placeholder is put back on the output as any atom is, and the delimiters are taken
off (``release``). QA reports translations that lack a term's required form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from translatio.errors import ConfigError

__all__ = ["HELD_CLOSE", "HELD_OPEN", "Glossary", "held", "parse_glossary", "release"]

HELD_OPEN = "\ue000"
"""Opens a held glossary term in the text an engine is given (a private-use character)."""
HELD_CLOSE = "\ue001"
"""Closes a held glossary term."""


def held(translation: str) -> str:
    """A glossary term's required translation as the placeholder an engine is given."""
    return f"{HELD_OPEN}{translation}{HELD_CLOSE}"


def release(text: str) -> str:
    """``text`` with the delimiters of held terms taken off (the terms stay)."""
    return text.replace(HELD_OPEN, "").replace(HELD_CLOSE, "")


@dataclass(frozen=True)
class Glossary:
    """Terms and what they must become in one language."""

    terms: dict[str, str]
    """term → required translation (the term itself when it must not be translated)."""

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Matches any term as a whole word, longest first."""
        if not self.terms:
            return None
        alternatives = sorted(self.terms, key=len, reverse=True)
        return re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(term) for term in alternatives) + r")(?![\w-])"
        )

    def find(self, text: str) -> list[re.Match[str]]:
        """Every term occurrence in ``text``, left to right, not overlapping."""
        return list(self.pattern.finditer(text)) if self.pattern else []

    def merged(self, other: Glossary) -> Glossary:
        """This glossary with ``other``'s entries taking precedence."""
        return Glossary({**self.terms, **other.terms})


EMPTY = Glossary({})


def parse_glossary(text: str, *, path: str) -> Glossary:
    """Read a glossary file; ``ConfigError`` names the line of a malformed entry."""
    terms: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        term, _, translation = line.partition("\t")
        term, translation = term.strip(), translation.strip()
        if not term or "\t" in translation:
            raise ConfigError(
                "a glossary line must be: term, a tab, then the translation (or nothing)",
                path=path,
                line=number,
                hint="separate the term and its translation with one tab character",
            )
        terms[term] = term if translation in {"", "="} else translation
    return Glossary(terms)
