"""Glossaries: terms that must not be translated, and terms with a required translation.

A glossary is a UTF-8 file of tab-separated lines, ``term<TAB>translation``; a line with
no translation (or ``=``) marks a term that stays as it is, such as a person's name.
``locales/glossary.tsv`` applies to every language and ``locales/<lang>/glossary.tsv``
to one (it wins). Lines starting with ``#`` are comments.

During machine translation a term is protected like markup: it is not sent to the engine,
and its required translation (or the term itself) is put in its place. QA reports
translations that lack a term's required form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from translatio.errors import ConfigError

__all__ = ["Glossary", "parse_glossary"]


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
