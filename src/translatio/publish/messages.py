"""translatio's own words on the pages it writes, in the reader's language.

The draft notices, the machine-translation and preview labels, the headings of the bilingual, review
and index pages and the language switcher's label are messages of a gettext domain,
``translatio``, shipped in the package: ``locale/translatio.pot`` and one
``locale/<lang>/LC_MESSAGES/translatio.po`` per language, written by hand. Any other
language falls back to English (the msgids).

The catalogs are read from their ``.po`` files with translatio's own strict reader rather
than from compiled ``.mo`` files: the ``.po`` is the one copy there is (no binary to keep
in step with it), hatchling ships it like any file under ``src/translatio``, and about
forty short messages parse in well under a millisecond. The test suite runs GNU
``msgfmt --check`` on every catalog, so they stay valid gettext all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from translatio.languages import Language

__all__ = ["MESSAGES", "Translator", "translator"]

DOMAIN = "translatio"
"""The gettext domain of translatio's own messages."""

DRAFT_NOTICE = "Draft: this edition contains machine translation that has not been reviewed."
MACHINE_LABEL = "(machine translation)"
LANGUAGES = "Languages"
ALL_EDITIONS = "All editions"
EDITIONS = "Editions"
LANGUAGE = "Language"
EDITION = "Edition"
TRANSLATED = "Translated"
REVIEWED = "Reviewed"
STATE = "State"
ORIGINAL = "original"
REVIEWED_EDITION = "reviewed"
DRAFT_EDITION = "draft"
NOT_PUBLISHED = "not published"
BILINGUAL_TITLE = "{title}: original and translation"
ORIGINAL_IN = "Original ({language})"
TRANSLATION_IN = "Translation ({language})"
REVIEW_TITLE = "Review: {document} ({language})"
REVIEW_ORDER = (
    "Worst first: entries with QA errors, then warnings, then outdated and machine "
    "translations by score."
)
REVIEW_ORDER_MEANING = (
    "Worst first: translations the meaning check flagged, then entries with QA errors, then "
    "warnings, then outdated and machine translations by score."
)
WHERE = "Where"
CHECKS = "Checks"
STATE_TRANSLATED = "translated"
STATE_MACHINE = "machine"
STATE_PREVIEW = "preview"
STATE_NEEDS_UPDATE = "needs update"
STATE_UNTRANSLATED = "untranslated"
PREVIEW_NOTICE = "Draft: this edition shows layout previews in place of translations."
PREVIEW_LABEL = "(preview, not a translation)"
OUTDATED_NOTICE = (
    "The original was updated on {updated}; this translation follows the version of {version}."
)
EARLIER_LABEL = "(translation of an earlier version of this paragraph)"
CORRECTIONS = "Corrections"
CORRECTION = (
    "{date}: paragraph {number} was corrected in the original; this translation follows it."
)

MESSAGES = (
    DRAFT_NOTICE,
    MACHINE_LABEL,
    LANGUAGES,
    ALL_EDITIONS,
    EDITIONS,
    LANGUAGE,
    EDITION,
    TRANSLATED,
    REVIEWED,
    STATE,
    ORIGINAL,
    REVIEWED_EDITION,
    DRAFT_EDITION,
    NOT_PUBLISHED,
    BILINGUAL_TITLE,
    ORIGINAL_IN,
    TRANSLATION_IN,
    REVIEW_TITLE,
    REVIEW_ORDER,
    REVIEW_ORDER_MEANING,
    WHERE,
    CHECKS,
    STATE_TRANSLATED,
    STATE_MACHINE,
    STATE_PREVIEW,
    STATE_NEEDS_UPDATE,
    STATE_UNTRANSLATED,
    PREVIEW_NOTICE,
    PREVIEW_LABEL,
    OUTDATED_NOTICE,
    EARLIER_LABEL,
    CORRECTIONS,
    CORRECTION,
)
"""Every msgid of the domain, in the template's order (a test compares it with the POT)."""


@dataclass(frozen=True, slots=True)
class Translator:
    """translatio's messages in one language, and the language a message comes out in."""

    language: Language
    """The language asked for."""
    found: Language | None
    """The catalog that answers (``pt`` for ``pt_BR`` if only ``pt`` exists), or ``None``."""
    translations: tuple[tuple[str, str], ...]
    """msgid → msgstr pairs of that catalog (translated entries only)."""

    def __call__(self, message: str, **values: str) -> str:
        """``message`` translated (else English), with ``{name}`` placeholders filled."""
        text = dict(self.translations).get(message, message)
        return text.format(**values) if values else text

    def language_of(self, message: str) -> Language:
        """The language ``message`` comes out in: English where it falls back."""
        if self.found is not None and any(msgid == message for msgid, _ in self.translations):
            return self.language
        return Language("en")


@cache
def translator(language: Language) -> Translator:
    """translatio's messages in ``language``: its own catalog, else its primary language's."""
    for code in dict.fromkeys((language.code, language.primary)):
        translations = _catalog(code)
        if translations is not None:
            return Translator(language, Language(code), translations)
    return Translator(language, None, ())


def _catalog(code: str) -> tuple[tuple[str, str], ...] | None:
    """The translated entries of ``locale/<code>/LC_MESSAGES/translatio.po``, if shipped."""
    from translatio.catalog.po import parse_po

    resource = resources.files("translatio.publish").joinpath(
        "locale", code, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    if not resource.is_file():
        return None
    catalog = parse_po(resource.read_bytes(), path=f"translatio/publish/locale/{code}/{DOMAIN}.po")
    return tuple(
        (entry.msgid, entry.msgstr)
        for entry in catalog
        if entry.msgid and entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
    )
