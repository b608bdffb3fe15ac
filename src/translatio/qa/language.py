"""What the checks know of each language: its scripts, its neighbours, its short words.

Each fact is a table keyed by the language subtag (``Language.primary``), so a language
missing from a table is simply not checked for that fact. Scripts are read from the
Unicode character names (``LATIN SMALL LETTER A``, ``CJK UNIFIED IDEOGRAPH-4E00``), so
every letter Unicode knows has its script without a range table to keep up to date.

>>> script_of("ж"), script_of("ー"), script_of("7")
('Cyrillic', 'Katakana', None)
>>> sorted(expected_scripts(Language("ja")))
['Han', 'Hiragana', 'Katakana']
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from translatio.languages import Language

__all__ = [
    "CASED_SCRIPTS",
    "COMMON_WORDS",
    "EMPHASIS_WORDS",
    "IDEOGRAPHIC_SCRIPTS",
    "LATIN",
    "NAMES",
    "NEIGHBOURS",
    "SAME_LANGUAGE",
    "expected_scripts",
    "is_common_word",
    "script_of",
]

LATIN = "Latin"

_BY_SCRIPT = {
    LATIN: "af az bs ca cs cy da de en eo es et eu fi fil fo fr fy ga gd gl ha hr hu id is it "
    "jv ku lb lt lv mg ms mt nb nl nn no oc pl pt qu ro rw sk sl so sq sv sw tl tr tk vi "
    "wa xh yo zu",
    "Cyrillic": "ba be bg ce cv ky mk mn ru sah tg tt uk",
    "Greek": "el",
    "Arabic": "ar ckb fa ps sd ug ur",
    "Hebrew": "he yi",
    "Han": "zh",
    "Devanagari": "hi mai mr ne sa",
    "Bengali": "as bn",
    "Thai": "th",
    "Lao": "lo",
    "Khmer": "km",
    "Myanmar": "my",
    "Georgian": "ka",
    "Armenian": "hy",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Gujarati": "gu",
    "Gurmukhi": "pa",
    "Oriya": "or",
    "Sinhala": "si",
    "Ethiopic": "am ti",
    "Tibetan": "bo dz",
    "Thaana": "dv",
}
_SCRIPTS: dict[str, frozenset[str]] = {
    language: frozenset({script})
    for script, codes in _BY_SCRIPT.items()
    for language in codes.split()
}
_SCRIPTS |= {
    # Japanese mixes kanji and both kana; Korean may write Hanja; Serbian, Uzbek and
    # Kazakh are written in either alphabet (a catalog may hold both).
    "ja": frozenset({"Han", "Hiragana", "Katakana"}),
    "ko": frozenset({"Hangul", "Han"}),
    "sr": frozenset({"Cyrillic", LATIN}),
    "uz": frozenset({"Cyrillic", LATIN}),
    "kk": frozenset({"Cyrillic", LATIN}),
}
_SCRIPTS_BY_CODE = {"pa_PK": frozenset({"Arabic"})}
"""Where a country writes the language in another script (Shahmukhi Punjabi)."""

IDEOGRAPHIC_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana"})
"""Scripts without spaces between words: each character counts as a word."""
CASED_SCRIPTS = frozenset({LATIN, "Cyrillic", "Greek", "Armenian"})
"""Scripts with capitals: a capitalised word may be a name, a lower-case one is not."""
# The first word(s) of a letter's Unicode name that name its script; a name that starts
# with none of them (``MODIFIER LETTER``, ``FEMININE ORDINAL INDICATOR``) has no script.
_NAME_PREFIXES = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",
    "KATAKANA-HIRAGANA": "Katakana",
    **{
        script.upper(): script
        for script in (
            *_BY_SCRIPT,
            "Hiragana",
            "Katakana",
            "Hangul",
            "Syriac",
            "Mongolian",
        )
        if script != "Han"
    },
}
_WIDTH_PREFIXES = ("FULLWIDTH ", "HALFWIDTH ")


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The script of a letter (``Latin``, ``Han``, …); ``None`` for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith(_WIDTH_PREFIXES):
        name = name.split(" ", 1)[1]
    return _NAME_PREFIXES.get(name.split(" ", 1)[0])


def expected_scripts(language: Language) -> frozenset[str]:
    """The scripts a text in ``language`` is written in; empty for a language not known."""
    found = _SCRIPTS_BY_CODE.get(language.code) or _SCRIPTS.get(language.primary)
    return found or frozenset()


NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "uk": ("ru", "be"),
    "ru": ("uk",),
    "be": ("ru", "uk"),
    "bg": ("ru",),
    "pt": ("es",),
    "es": ("pt", "ca", "it"),
    "ca": ("es", "fr"),
    "it": ("es",),
    "fr": ("ca",),
    "ro": ("it",),
    "sk": ("cs",),
    "pl": ("cs",),
    "da": ("nb", "sv"),
    "nb": ("sv",),
    "sv": ("da", "nb"),
    "nl": ("de", "af"),
    "de": ("nl",),
    "fi": ("et",),
    "tr": ("az",),
    "fa": ("ar",),
    "ar": ("fa",),
    "ur": ("fa",),
    "hi": ("mr", "ne"),
    "zh": ("ja",),
    "ja": ("zh",),
}
"""Languages of the same script that an engine may give instead of this one, and that
``langid`` tells from it. Measured on the human translations of Debian 12's
``/usr/share/locale`` (texts of 40 letters or more, probability 0.99999): the 44 pairs
in Latin, Cyrillic and Devanagari find 34–99 % of the neighbour's texts (85 % or more
for 37 of them; least: Marathi and Nepali in Hindi, Bokmål in Danish and Swedish,
Afrikaans in Dutch) and call at most 0.3 % of the language's own texts the neighbour;
Arabic, Persian and Urdu, Chinese and Japanese tell each other apart in 95–100 % of
texts. Pairs it confuses more are left out: Danish in Norwegian Bokmål (4 % of Bokmål
texts read as Danish), Bulgarian in Russian and Slovak in Czech (0.7 %), Macedonian in
Bulgarian, Galician anywhere; Malay in Indonesian is found in 5 % of texts only.
English, the pivot, is a candidate for every Latin-script language."""

SAME_LANGUAGE: dict[str, frozenset[str]] = {"nb": frozenset({"no"}), "no": frozenset({"nb"})}
"""``langid`` codes that name the language too (its ``no`` is written Bokmål)."""

NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "hi": "Hindi", "it": "Italian", "ja": "Japanese", "mr": "Marathi",
    "nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "zh": "Chinese",
}  # fmt: skip
"""English names of the languages ``wrong-language`` may find (others show their code)."""

_COMMON_WORDS = {
    "en": "a an the it is are was be to of in on at by for and or not no yes we us you he "
    "she they them his her its our who what this that with as so do am",
    "es": "el la lo los las un una uno unos le les se me te nos os mi tu su sus es son era "
    "ser de del al en con por para sin que quien qué y e o u ni no si sí ya yo tú él ella "
    "ello eso esto este esta ese esa más muy como nosotros",
    "pt": "o a os as um uma uns ao aos do da dos das de em no na nos nas se me te lhe eu tu "
    "ele ela nós isso isto esse essa este esta é são era ser que quem e ou não sim por "
    "para com sem mais muito como",
    "fr": "le la les un une des de du au aux il ils elle on nous vous je tu me te se lui "
    "leur ce ça cela qui que quoi et ou où ni ne pas non oui est sont était être en dans "
    "par pour sur sous avec sans plus très comme si",
    "it": "il lo la gli le un uno una di del della dei da dal in nel su sul per con tra fra "
    "è e ed o od non sì si ci ne mi ti vi io tu lui lei noi voi esso essa che chi come più",
    "ca": "el la els les un una uns de del dels al als en amb per i o no sí es és són ho ell "
    "ella nosaltres vosaltres que qui com més",
    "ro": "un o al ai ale cel cea de din la în pe cu și sau nu da se ne vă el ea ei noi voi "
    "eu tu că ce cine este sunt",
    "de": "der die das den dem des ein eine es er sie wir ihr ich du uns und oder nicht "
    "kein ja nein ist sind war mit von zu im in am an auf aus bei für um wer was wie so",
    "nl": "de het een en of niet ja nee is zijn was van in op aan met voor bij om te het "
    "hij zij wij jij ik ons wie wat dat dit zo",
    "sv": "en ett den det de och eller inte ja nej är var av i på till med för om som vi "
    "du han hon oss vem vad så",
    "da": "en et den det de og eller ikke ja nej er var af i på til med for om som vi du "
    "han hun os hvem hvad så",
    "nb": "en et ei den det de og eller ikke ja nei er var av i på til med for om som vi du "
    "han hun oss hvem hva så",
    "pl": "i w z na do od po za o u a ale lub nie tak to ten ta że co kto jest są był my "
    "wy on ona ono oni nas się",
    "cs": "a i v ve z na do od po za o u ale nebo ne ano to ten ta že co kdo je jsou byl my "
    "vy on ona ono oni nás se",
    "sk": "a i v vo z na do od po za o u ale alebo nie áno to ten ta že čo kto je sú bol my "
    "vy on ona ono oni nás sa",
    "tr": "bir ve veya ile bu şu o ne kim da de mi değil evet hayır biz siz onlar ben sen",
    "id": "dan atau di ke dari ini itu ia dia kami kita kamu yang tidak ya siapa apa",
    "fi": "ja tai ei se ne me te hän on oli kuka mikä että kun jos",
    "ru": "и а но или не да нет это то тот та он она оно они мы вы я ты его её их нас вас "
    "в на с со к от до за из о об у что кто как так же бы ли",
    "uk": "і й а але або не так ні це то той та він вона воно вони ми ви я ти його її їх нас "
    "вас в у на з із зі к до від за о об що хто як же би чи",
    "bg": "и а но или не да това то той тя те ние вие аз ти го я ги нас вас в на с к "
    "по от до за из о у че кой как",
    "el": "ο η το οι τα ένα μια και ή δεν μη ναι όχι είναι ήταν σε από με για να θα αυτό "
    "αυτός αυτή εμείς εσείς εγώ εσύ μας σας που ποιος τι",
}
COMMON_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in _COMMON_WORDS.items()
}
"""Everyday words of a language (articles, pronouns, prepositions, conjunctions; lower
case): in capitals where the source has an acronym, they are an engine's translation of
an acronym that is also an English word (IT → ``LO``, US → ``NOUS``), not an acronym."""


def is_common_word(word: str, language: Language) -> bool:
    """Whether ``word`` (found in capitals) is one of ``language``'s everyday words.

    >>> is_common_word("LO", Language("es")), is_common_word("ONU", Language("es"))
    (True, False)
    """
    return word.lower() in COMMON_WORDS.get(language.primary, frozenset())


_EMPHASIS = (
    "not no never none nothing any all every each only must always do and or but with "
    "without very really stop warning caution danger note important"
)
EMPHASIS_WORDS = frozenset(_EMPHASIS.split())
"""English words that a text writes in capitals for emphasis (``Do NOT``, ``WITHOUT ANY
WARRANTY``) or as a label, so that their translation is a word in capitals too. The
acronyms that are also English words (IT, US, WHO) are not among them."""
