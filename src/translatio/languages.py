"""Language codes at every edge: gettext names on disk, BCP 47 in HTML, Argos codes in engines.

A ``Language`` is created from whatever a user types (``zh-Hans``, ``zh_CN``, ``pt-BR``)
and always carries the gettext name used for directories and PO headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translatio.errors import ConfigError

__all__ = ["Language", "parse_language"]

_GETTEXT_PATTERN = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")

# Spellings users type, mapped to the gettext name translatio keeps on disk.
_ALIASES: dict[str, str] = {
    "zh": "zh_CN",
    "zh-cn": "zh_CN",
    "zh_hans": "zh_CN",
    "zh-hans": "zh_CN",
    "zh-sg": "zh_CN",
    "zt": "zh_TW",
    "zh-tw": "zh_TW",
    "zh_hant": "zh_TW",
    "zh-hant": "zh_TW",
    "zh-hk": "zh_TW",
    "pb": "pt_BR",
    "pt-br": "pt_BR",
    "pt-pt": "pt",
    "no": "nb",
    "nb-no": "nb",
    "iw": "he",
    "in": "id",
}

_BCP47: dict[str, str] = {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant", "pt": "pt-PT"}
_ARGOS: dict[str, tuple[str, ...]] = {"zh_CN": ("zh",), "zh_TW": ("zt",), "pt_BR": ("pb", "pt")}
_RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv"})

_ONE_FORM = "nplurals=1; plural=0;"
_TWO_FORMS = "nplurals=2; plural=(n != 1);"
_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
_PLURAL_FORMS: dict[str, str] = {
    **dict.fromkeys(("zh", "ja", "ko", "id", "ms", "th", "vi", "tr", "fa"), _ONE_FORM),
    **dict.fromkeys(("fr", "pt_BR"), "nplurals=2; plural=(n > 1);"),
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr", "bs"), _SLAVIC),
    **dict.fromkeys(("cs", "sk"), "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "pl": (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    ),
    "ga": "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4);",
    "lt": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
}


@dataclass(frozen=True, slots=True, order=True)
class Language:
    """One language, named the gettext way (``zh_CN``, ``pt_BR``, ``de``)."""

    code: str
    """The gettext name: directory names under ``locales/`` and the PO ``Language`` header."""

    def __str__(self) -> str:
        return self.code

    @property
    def primary(self) -> str:
        """The language subtag alone (``zh`` for ``zh_TW``)."""
        return self.code.split("_", 1)[0]

    @property
    def bcp47(self) -> str:
        """The tag for HTML ``lang`` attributes (``zh-Hans``, ``pt-BR``)."""
        return _BCP47.get(self.code, self.code.replace("_", "-"))

    @property
    def argos_codes(self) -> tuple[str, ...]:
        """Argos Translate codes to try, best first (``pt_BR`` → ``pb``, then ``pt``)."""
        return _ARGOS.get(self.code, (self.primary,))

    @property
    def plural_forms(self) -> str:
        """The ``Plural-Forms`` header value (CLDR / gettext manual)."""
        return _PLURAL_FORMS.get(self.code) or _PLURAL_FORMS.get(self.primary, _TWO_FORMS)

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``, for the HTML ``dir`` attribute."""
        return "rtl" if self.primary in _RIGHT_TO_LEFT else "ltr"

    @property
    def is_chinese(self) -> bool:
        """True for every Chinese variant."""
        return self.primary == "zh"


def parse_language(text: str, *, setting: str | None = None) -> Language:
    """Read a language code as a user may write it and return its gettext form.

    >>> parse_language("zh-Hant").code
    'zh_TW'
    >>> parse_language("pt-BR").bcp47
    'pt-BR'

    Raises ``ConfigError`` (naming ``setting`` when given) for anything that is not a
    plain ``ll`` or ``ll_CC`` code: codes end up in directory names, so nothing else
    is let through.
    """
    cleaned = text.strip()
    alias = _ALIASES.get(cleaned.lower())
    if alias is not None:
        return Language(alias)
    parts = re.split(r"[-_]", cleaned)
    if len(parts) == 2 and len(parts[1]) == 2:
        cleaned = f"{parts[0].lower()}_{parts[1].upper()}"
    elif len(parts) == 1:
        cleaned = cleaned.lower()
    if not _GETTEXT_PATTERN.match(cleaned):
        where = f" in {setting}" if setting else ""
        raise ConfigError(
            f"{text!r}{where} is not a language code",
            hint="use a gettext code such as de, zh_CN, zh_TW or pt_BR",
        )
    return Language(cleaned)
