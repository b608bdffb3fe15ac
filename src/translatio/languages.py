"""Language codes at every edge: gettext names on disk, BCP 47 in HTML, Argos codes in engines.

A ``Language`` is created from whatever a user types (``zh-Hans``, ``zh_CN``, ``pt-BR``,
``sr_Latn``, ``ca-valencia``) and always carries the gettext name used for directories
and PO headers: ``ll``, ``ll_CC``, with a gettext modifier where the language has one
(``sr@latin``, ``ca@valencia``, ``uz@cyrillic``, as GNU gettext, GNOME, KDE and Debian
name them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translatio.errors import ConfigError

__all__ = ["Language", "parse_language"]

_GETTEXT_PATTERN = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?(?:@[a-z][a-z0-9]{1,15})?$")
_SUBTAG = re.compile(
    r"^(?:(?P<script>[A-Za-z]{4})|(?P<region>[A-Za-z]{2})|(?P<variant>[A-Za-z0-9]{5,8}))$"
)
"""One subtag after the language in ``sr_Latn``, ``pt-BR`` or ``ca-ES-valencia``."""

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

# ISO 15924 scripts and the gettext modifiers that name them (sr@latin is Serbian in Latin).
_SCRIPT_MODIFIERS = {
    "Latn": "latin",
    "Cyrl": "cyrillic",
    "Deva": "devanagari",
    "Arab": "arabic",
    "Shaw": "shaw",
}
_MODIFIER_SCRIPTS = {modifier: script for script, modifier in _SCRIPT_MODIFIERS.items()}
# The script a language is written in when its name says none; any other: Latin.
_DEFAULT_SCRIPTS = {
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug", "sd", "ks"), "Arab"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg", "tt"), "Cyrl"),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), "Deva"),
    **dict.fromkeys(("he", "yi"), "Hebr"),
    "el": "Grek", "hy": "Armn", "ka": "Geor", "bn": "Beng", "pa": "Guru", "gu": "Gujr",
    "ta": "Taml", "te": "Telu", "kn": "Knda", "ml": "Mlym", "si": "Sinh", "th": "Thai",
    "lo": "Laoo", "km": "Khmr", "my": "Mymr", "am": "Ethi", "ja": "Jpan", "ko": "Kore",
}  # fmt: skip
# BCP 47 variant subtags and the gettext modifiers that name the same variety.
_VARIANT_MODIFIERS = {"valencia": "valencia", "tarask": "tarask", "ijekavsk": "ijekavian"}
_MODIFIER_VARIANTS = {modifier: variant for variant, modifier in _VARIANT_MODIFIERS.items()}

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
    """One language, named the gettext way (``zh_CN``, ``pt_BR``, ``de``, ``sr@latin``)."""

    code: str
    """The gettext name: directory names under ``locales/`` and the PO ``Language`` header."""

    def __str__(self) -> str:
        return self.code

    @property
    def primary(self) -> str:
        """The language subtag alone (``zh`` for ``zh_TW``, ``sr`` for ``sr@latin``)."""
        return re.split(r"[_@]", self.code, maxsplit=1)[0]

    @property
    def territory(self) -> str | None:
        """The country of ``ll_CC`` (``BR`` for ``pt_BR``), if the name has one."""
        match = re.search(r"_([A-Z]{2})", self.code)
        return match.group(1) if match else None

    @property
    def modifier(self) -> str | None:
        """The gettext modifier (``latin`` for ``sr@latin``, ``valencia`` for ``ca@valencia``)."""
        return self.code.partition("@")[2] or None

    @property
    def script(self) -> str | None:
        """The ISO 15924 script a modifier names (``Latn`` for ``sr@latin``), else ``None``."""
        return _MODIFIER_SCRIPTS.get(self.modifier or "")

    @property
    def bcp47(self) -> str:
        """The tag for HTML ``lang`` attributes (``zh-Hans``, ``pt-BR``, ``sr-Latn``).

        >>> [Language(code).bcp47 for code in ("sr@latin", "ca@valencia", "sr_RS@latin")]
        ['sr-Latn', 'ca-valencia', 'sr-Latn-RS']
        """
        if self.code in _BCP47:
            return _BCP47[self.code]
        modifier = self.modifier
        variant = None
        if modifier is not None and self.script is None:
            variant = _MODIFIER_VARIANTS.get(modifier, modifier)
            if not 5 <= len(variant) <= 8:  # not a variant subtag: private use
                variant = f"x-{modifier[:8]}"
        parts = (self.primary, self.script, self.territory, variant)
        return "-".join(part for part in parts if part)

    @property
    def argos_codes(self) -> tuple[str, ...]:
        """Argos Translate codes to try, best first (``pt_BR`` → ``pb``, then ``pt``).

        A language with a modifier is another script or variety than Argos's models of
        its primary language write, so it is asked for by its BCP 47 tag, which no Argos
        package has: the run reports it instead of filling ``sr@latin`` with Cyrillic.
        """
        if self.modifier is not None:
            return (self.bcp47,)
        return _ARGOS.get(self.code, (self.primary,))

    @property
    def plural_forms(self) -> str:
        """The ``Plural-Forms`` header value (CLDR / gettext manual)."""
        return _PLURAL_FORMS.get(self.code) or _PLURAL_FORMS.get(self.primary, _TWO_FORMS)

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``, for the HTML ``dir`` attribute."""
        return "rtl" if self.primary in _RIGHT_TO_LEFT and self.script is None else "ltr"

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
    >>> [parse_language(name).code for name in ("sr_Latn", "ca-valencia", "uz@cyrillic")]
    ['sr@latin', 'ca@valencia', 'uz@cyrillic']

    A script subtag becomes the gettext modifier that names it (``sr_Latn`` →
    ``sr@latin``), or nothing where it is the language's usual script (``sr_Cyrl`` →
    ``sr``); a BCP 47 variant becomes a modifier (``ca-ES-valencia`` →
    ``ca_ES@valencia``). Raises ``ConfigError`` (naming ``setting`` when given) for
    anything else: codes end up in directory names, so nothing else is let through.
    """
    cleaned = text.strip()
    alias = _ALIASES.get(cleaned.lower())
    if alias is not None:
        return Language(alias)
    code = _gettext_name(cleaned)
    if code is None or not _GETTEXT_PATTERN.match(code):
        where = f" in {setting}" if setting else ""
        raise ConfigError(
            f"{text!r}{where} is not a language code",
            hint="use a gettext code such as de, zh_CN, pt_BR or sr@latin "
            "(or a BCP 47 tag such as sr-Latn)",
        )
    return Language(code)


def _gettext_name(text: str) -> str | None:
    """``ll[_CC][@modifier]`` for a gettext name or a BCP 47 tag; ``None`` if it is neither."""
    base, _, modifier = text.partition("@")
    language, *subtags = re.split(r"[-_]", base)
    script = region = variant = None
    for subtag in subtags:
        match = _SUBTAG.match(subtag)
        if match is None or variant is not None:
            return None
        if match["script"] and script is None and region is None:
            script = subtag.title()
        elif match["region"] and region is None:
            region = subtag.upper()
        elif match["variant"] and not modifier:
            variant = modifier = _VARIANT_MODIFIERS.get(subtag.lower(), subtag.lower())
        else:
            return None
    language, modifier = language.lower(), modifier.lower()
    if script is not None:
        if language == "zh":  # Chinese scripts are told apart by country on disk
            return f"zh_{region}" if region else _ALIASES[f"zh-{script.lower()}"]
        if script != _DEFAULT_SCRIPTS.get(language, "Latn"):
            if script not in _SCRIPT_MODIFIERS or modifier:
                return None
            modifier = _SCRIPT_MODIFIERS[script]
    name = language + (f"_{region}" if region else "") + (f"@{modifier}" if modifier else "")
    return _ALIASES.get(name.lower().replace("_", "-"), name)
