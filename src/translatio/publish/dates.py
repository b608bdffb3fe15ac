"""Dates as an edition's readers write them: CLDR's long date format, through Babel.

translatio records times in UTC (``2026-12-05T18:40:12Z``); an edition shows the day in
its own language's words and order ("5 décembre 2026", "2026年12月5日"). A language CLDR
does not know falls back to its primary language, then to English.
"""

from __future__ import annotations

import datetime
from functools import cache

from translatio.languages import Language

__all__ = ["long_date"]


def long_date(stamp: str, language: Language) -> str:
    """The day of ``stamp`` (ISO 8601, UTC) in ``language``'s long date format."""
    from babel.dates import format_date

    day = datetime.date.fromisoformat(stamp[:10])
    return format_date(day, format="long", locale=_locale(language))


@cache
def _locale(language: Language) -> str:
    from babel import Locale, UnknownLocaleError

    for name in dict.fromkeys((language.code, language.primary)):
        try:
            return str(Locale.parse(name.replace("@", "_")))
        except (UnknownLocaleError, ValueError):
            continue
    return "en"
