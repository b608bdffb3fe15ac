"""Which Apertium mode translates a language pair, and which Debian package has it if none does.

Apertium names a mode ``SOURCE-TARGET`` with ISO 639 codes of two or three letters and an
optional variant after ``_`` (``eng-spa``, ``en-gl``, ``eng-cat_valencia``,
``eng-hbs_SR``, ``spa-eng_US``); a pair package installs one ``.mode`` file per mode,
under whatever name its authors chose. So a mode is found among the modes actually
installed, by what its name says of its two languages, never by building one name:
Debian's ``apertium-en-gl`` installs ``en-gl``, its ``apertium-eng-cat`` installs
``eng-cat`` and ``eng-cat_valencia``.

A language's variant picks the mode variant: a gettext modifier (``ca@valencia``) only
the mode of that variety, a country (``en_US``) its own mode where there is one and the
plain one otherwise. Serbian, Croatian and Bosnian are Apertium's Serbo-Croatian
(``hbs``) with the country as variant; its output is in Latin script, so it serves
``sr@latin``, ``hr`` and ``bs``, and not ``sr`` (Cyrillic).

When no mode fits, the hint names Debian's package for the two languages if Debian has
one (``DEBIAN_PAIRS``), and otherwise says that it has none.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from translatio.languages import Language

__all__ = [
    "DEBIAN_PAIRS",
    "MODE_DIRS",
    "debian_package",
    "find_mode",
    "installed_modes",
    "modes_from",
    "package_version",
]

MODE_DIRS = (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes"))
"""Where pair packages install their modes (Debian's, then a local build's)."""

DEBIAN_PAIRS = (
    "afr-nld", "arg-cat", "bel-rus", "br-fr", "cat-ita", "cat-srd", "dan-nor", "en-gl",
    "eng-cat", "eng-spa", "eo-ca", "eo-en", "eo-es", "eo-fr", "es-gl", "es-pt", "es-ro",
    "eu-en", "eu-es", "fr-es", "fra-cat", "fra-frp", "hbs-eng", "hbs-mkd", "hbs-slv",
    "ind-zlm", "isl-eng", "isl-swe", "mkd-bul", "mkd-eng", "nno-nob", "oc-ca", "oc-es",
    "oci-fra", "pol-szl", "por-cat", "pt-gl", "rus-ukr", "spa-arg", "spa-ast", "spa-cat",
    "spa-ita", "srd-ita", "swe-dan", "swe-nor", "urd-hin",
)  # fmt: skip
"""Debian's Apertium pair packages, ``apertium-`` + each (Debian 12, ``apt-cache search
apertium``; transitional packages left out). A package may hold one direction or both."""

# ISO 639-1 (gettext) → the ISO 639-3 code Apertium uses for the language.
_THREE_LETTER = {
    "af": "afr", "an": "arg", "ast": "ast", "be": "bel", "bg": "bul", "br": "bre",
    "ca": "cat", "da": "dan", "en": "eng", "eo": "epo", "es": "spa", "eu": "eus",
    "fr": "fra", "gl": "glg", "hi": "hin", "id": "ind", "is": "isl", "it": "ita",
    "mk": "mkd", "ms": "zlm", "nb": "nob", "nl": "nld", "nn": "nno", "no": "nor",
    "oc": "oci", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sc": "srd",
    "sl": "slv", "sv": "swe", "uk": "ukr", "ur": "urd",
    "sr": "hbs", "hr": "hbs", "bs": "hbs",
}  # fmt: skip
_NORWEGIAN = frozenset({"nob", "nno"})
"""Written Norwegian: Debian's ``*-nor`` packages hold Bokmål and Nynorsk modes."""
_SERBO_CROATIAN = {"sr": "SR", "hr": "HR", "bs": "BS"}
"""Apertium's ``hbs`` variant for each standard, written in Latin script."""
_MODE_NAME = re.compile(r"^([a-z]{2,3})(?:_([A-Za-z0-9_]+))?-([a-z]{2,3})(?:_([A-Za-z0-9_]+))?$")
"""``eng-cat_valencia``: two languages, each with an optional variant (not ``en-eo-j``)."""


def find_mode(source: Language, target: Language, modes: Iterable[str]) -> str | None:
    """The mode among ``modes`` that takes ``source`` to ``target``, best first; else ``None``.

    >>> modes = ["eng-cat", "eng-cat_valencia", "eng-cat_valencia_uni", "en-gl", "spa-eng_US"]
    >>> en = Language("en")
    >>> [find_mode(en, Language(c), modes) for c in ("ca", "ca@valencia", "gl", "de")]
    ['eng-cat', 'eng-cat_valencia', 'en-gl', None]
    >>> find_mode(Language("es"), Language("en_US"), modes)
    'spa-eng_US'
    """
    ranked = []
    for mode in modes:
        match = _MODE_NAME.match(mode)
        if match is None:
            continue
        source_rank = _fit(source, match[1], match[2])
        target_rank = _fit(target, match[3], match[4])
        if source_rank is not None and target_rank is not None:
            ranked.append((source_rank + target_rank, mode))
    return min(ranked)[1] if ranked else None


def _fit(language: Language, code: str, variant: str | None) -> int | None:
    """How well one side of a mode name fits ``language`` (0 best), ``None`` if it does not."""
    if code not in _codes(language):
        return None
    if code == "hbs":
        return {_SERBO_CROATIAN.get(language.primary, ""): 0, None: 1}.get(variant)
    modifier = language.modifier
    if modifier is not None and language.script is None:  # a variety: its mode or none
        return 0 if variant == modifier else None
    if variant is None:
        return 1 if language.territory else 0
    return 0 if variant == language.territory else None


def _codes(language: Language) -> set[str]:
    """The codes a mode or package may name ``language`` by."""
    primary = language.primary
    if primary == "sr" and language.script != "Latn":
        return {primary}  # Apertium writes Serbo-Croatian in Latin; sr is Cyrillic
    three = _THREE_LETTER.get(primary, primary)
    return {primary, three} | ({"nor"} if three in _NORWEGIAN else set())


def modes_from(source: Language, modes: Iterable[str]) -> list[str]:
    """The modes among ``modes`` that translate from ``source``, sorted."""
    return sorted(
        mode
        for mode in modes
        if (match := _MODE_NAME.match(mode)) and _fit(source, match[1], match[2]) is not None
    )


def debian_package(source: Language, target: Language) -> str | None:
    """Debian's package with Apertium data for the two languages (``apertium-eng-cat``)."""
    wanted = (_codes(source), _codes(target))
    for pair in DEBIAN_PAIRS:
        first, second = pair.split("-")
        for one, other in (wanted, wanted[::-1]):
            if first in one and second in other:
                return f"apertium-{pair}"
    return None


@cache
def installed_modes() -> dict[str, Path]:
    """Apertium modes installed on this machine (``eng-spa``, ``en-gl``, …) and their files."""
    found: dict[str, Path] = {}
    for directory in MODE_DIRS:
        if directory.is_dir():
            for path in sorted(directory.glob("*.mode")):
                found.setdefault(path.stem, path)
    return found


@cache
def package_version(mode: str) -> str:
    """The version of the Debian package that installed a mode, for provenance.

    The package is asked of ``dpkg`` by the mode's file (``eng-cat_valencia`` is in
    ``apertium-eng-cat``); ``unknown`` where ``dpkg`` does not know the file.
    """
    path = installed_modes().get(mode)
    owner = _dpkg(["dpkg-query", "-S", str(path)]) if path is not None else ""
    package = owner.split(":", 1)[0].strip()
    return (_dpkg(["dpkg-query", "-W", "-f=${Version}", package]) if package else "") or "unknown"


def _dpkg(command: list[str]) -> str:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return completed.stdout.strip() if completed.returncode == 0 else ""
