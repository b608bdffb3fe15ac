"""How a language names itself on a page (``简体中文``, ``Français``) and its Open Graph locale.

A language switcher lists each edition under the name its readers know it by, whatever
the language of the page it sits on; ``og:locale`` wants ``language_TERRITORY``, so a
language configured without a territory gets CLDR's likely one (``fr`` → ``fr_FR``).
"""

from __future__ import annotations

from translatio.languages import Language

__all__ = ["autonym", "og_locale"]

_AUTONYMS = {
    "ar": "العربية",
    "az": "Azərbaycan",
    "bg": "Български",
    "bn": "বাংলা",
    "ca": "Català",
    "cs": "Čeština",
    "da": "Dansk",
    "de": "Deutsch",
    "el": "Ελληνικά",
    "en": "English",
    "eo": "Esperanto",
    "es": "Español",
    "et": "Eesti",
    "eu": "Euskara",
    "fa": "فارسی",
    "fi": "Suomi",
    "fr": "Français",
    "ga": "Gaeilge",
    "he": "עברית",
    "hi": "हिन्दी",
    "hu": "Magyar",
    "id": "Indonesia",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "lt": "Lietuvių",
    "lv": "Latviešu",
    "ms": "Melayu",
    "nb": "Norsk bokmål",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "pt_BR": "Português (Brasil)",
    "ro": "Română",
    "ru": "Русский",
    "sk": "Slovenčina",
    "sl": "Slovenščina",
    "sq": "Shqip",
    "sv": "Svenska",
    "th": "ไทย",
    "tl": "Tagalog",
    "tr": "Türkçe",
    "uk": "Українська",
    "ur": "اردو",
    "vi": "Tiếng Việt",
    "zh_CN": "简体中文",
    "zh_TW": "繁體中文",
}
"""Names as each language writes itself (CLDR), capitalised as a list of choices is."""

_LIKELY_TERRITORY = {
    "ar": "EG",
    "bg": "BG",
    "ca": "ES",
    "cs": "CZ",
    "da": "DK",
    "de": "DE",
    "el": "GR",
    "en": "US",
    "es": "ES",
    "et": "EE",
    "fa": "IR",
    "fi": "FI",
    "fr": "FR",
    "he": "IL",
    "hi": "IN",
    "hu": "HU",
    "id": "ID",
    "it": "IT",
    "ja": "JP",
    "ko": "KR",
    "nb": "NO",
    "nl": "NL",
    "pl": "PL",
    "pt": "PT",
    "ro": "RO",
    "ru": "RU",
    "sk": "SK",
    "sv": "SE",
    "th": "TH",
    "tr": "TR",
    "uk": "UA",
    "vi": "VN",
}
"""CLDR's likely territory of a bare language (``pt`` is European Portuguese here, as on disk)."""


def autonym(language: Language) -> str:
    """The language's name for itself, or its code when translatio does not know it."""
    return _AUTONYMS.get(language.code) or _AUTONYMS.get(language.primary, language.code)


def og_locale(language: Language) -> str:
    """``og:locale`` for ``language``: ``zh_CN``, ``pt_BR``, ``fr_FR``; bare code if unknown."""
    primary = language.primary  # og:locale has no gettext modifier (sr@latin: sr)
    territory = language.territory or _LIKELY_TERRITORY.get(primary)
    return f"{primary}_{territory}" if territory else primary
