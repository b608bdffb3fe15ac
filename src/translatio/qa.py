"""Quality checks: each msgid compared with its msgstr, findings a translator understands.

Every finding has a stable code, a severity, the catalog's ``file:line`` of the entry, the
source reference, and a message. Errors mean the translation would break the edition or
lose information (a link target, a code span, an added heading marker); warnings point
at likely mistakes (numbers, repetition, punctuation, length).
"""

from __future__ import annotations

import html
import operator
import re
from collections import Counter
from collections.abc import Iterable

import polib

from translatio.glossary import EMPTY, Glossary
from translatio.languages import Language
from translatio.markup import HTML_TAG, HtmlPattern
from translatio.qa_findings import Check, Finding, Severity
from translatio.qa_prose import CODE_SPAN, EMAIL, ENGLISH, PROSE_CHECKS, URL, prose_checks

__all__ = ["CHECKS", "Finding", "Severity", "check_catalog", "check_entry"]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""A line ending as CommonMark reads one: LF, CR or CRLF."""
_LINK_TARGET = re.compile(
    r"""\]\((<[^<>\r\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"""
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*\)"""
)
_LINK_LABEL = re.compile(r"\]\[([^\[\]]*)\]")
_LINK_DEFINITION = re.compile(
    r"(?:^|\r\n|\r|\n)[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*(\[(?:[^\[\]\\]|\\.)*\]:)",
    re.DOTALL,
)
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*>"
)
_LINK_ATTRIBUTE = re.compile(
    r"""(?i)(?<![\w:-])(?:href|src|srcset|action|formaction|poster|xlink:href)\s*=\s*"""
    r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
)
_UNSAFE_SCHEME = re.compile(
    r"(?i)(?<![\w.+-])(?:javascript|vbscript|livescript)\s*:"
    r"|(?<![\w.+-])data\s*:\s*[\w.+-]+/[\w.+-]+[;,]"
)
_STRONG = re.compile(r"\*\*|__")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?![*\s])|(?<![\w_])_(?![_\s])")
# The lookbehind starts a run of spaces only at its first space: no rescan per space.
_HARD_BREAK = re.compile(r"(?:\\|(?<! ) {2,})(?:\r\n|\r|\n)")
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r|\n)")
_BLOCK_MARKER = re.compile(r"^(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|```|~~~)")
# Groups of three digits may be joined by a space (``1 000,5``, ``3\u202f000``) as well as by
# ``.`` or ``,``; a spaced group starts at the beginning of its run of digits.
_NUMBER = re.compile(
    r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)*"
)
_DIGIT = re.compile(r"\d")
_NUMBER_SEPARATOR = re.compile(r"[.,\s]")
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
# A word, then the same word (in any case): it starts only where a word starts.
_REPEATED_WORD = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
# Words that legitimately follow themselves ("vous vous trompez", "that that", "had had").
_MAY_REPEAT = frozenset({"nous", "vous", "that", "had", "is"})
_LOOP = re.compile(r"(.{2,30}?)\1{3,}", re.DOTALL)
"""A chunk four times or more in a row."""
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HALF_WIDTH_IN_HAN = re.compile(r"[\u4e00-\u9fff][,.!?:;](?!\d)|[,!?:;][\u4e00-\u9fff]")
_SPACE_BETWEEN_HAN = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
# Characters that exist only in Simplified Chinese (their Traditional forms differ).
_SIMPLIFIED_ONLY = frozenset(
    "们这个说国时会对发经过还进么为学问长开关门车东马见话语书买卖间来实现当头体"
    "与专业丝两严丧丰临举义乐习乡书亲产亿仅从仑仓仪价众优伤伦伟传伪体侠侣侧侨"
    "债倾偿储儿党兰关兴养兽冈册军农冯冲决况冻净凉减凤凭击凿刘则刚创删别刹"
    "剂剑剧劝办务动励劳势勋区医华协单卖卢卫却厂厅历压厌县参双变叙叶号叹吗吴"
    "员听启呜响哑哟唤园围图圆圣场坏块坚坛坟垄垒垦执报壮声处备复够头夹夺奋奖"
    "妇妈娄娱婴孙宁宝实宠审宪宫宽宾对寻导寿将尔尘层届属岁岂岗岛峡币师帐带帮"
    "广庄庆库应庙废开异弃张弥弯归录彻径忆忧怀态怜总恋恒恳恶悦惊惧惨惯愤"
    "愿戏战户扑执扩扫扬扰抚抛抢护报担拟拢拥择挂挡挣挤挥损换据掷揽摄摆摇撑敌"
    "数斋断无旧时旷昙显晋晓晕暂术机杀杂权条来杨极构枪标样档桥梦检楼横欢欧"
    "毁毕气汇汉污汤沟没沦泪泽洁浅浇测济浑浓涂涛涝润涨渊渐渔温湾湿满滚滞滤灭"
    "灯灵灾炉点炼烂烟烦烧热爱爷牵犹狮独狱猎献环现玛珑琐电画畅疗疟疮疯痒痴"
    "盏盐监盖盘眯着矫矿码砖础确碍礼祸离种积称窃窍竞笔笼筑签简粮紧纠红约级纪"
    "纯纲纳纵纷纸纹线练组细织终经结绕绘给络绝统继绩续维综绿缓编缘缩缴网罗罚"
    "罢职联聪肃肠肤肿胀胁胜脉脏脑脚脱艰艺节芦苏苹荐荣药莱获营萧虏虑虚虽"
    "蚀蛮补装见观规视览觉触誉计订认讨让训议讯记讲讳许论设访证评识诉词译试诗"
    "诚话诞询该详语误说请诸读课谁调谈谋谓谢谣谦谨谱贝贞负贡财责贤败货质贩贫"
    "贯贴贵费贸资赏赔赖赚赛赞赠赢赵赶趋跃践踪轨轮软轰轻载较辆辈辉辑输辞边达迁"
    "过迈运还这进远违连迟适选递逻遗邮邻郑酱释钟钢钥钱铁铜银铺链销锁锅错键镇镜"
    "长门闪闭问闯闲间闹闻阀阁阅队阳阴阵阶际陆陈降险随隐隶难雾静韩页顶项顺须"
    "顾顿预领频颗题额风飞饭饮饰饱馆马驱驳驾验骑骗骚鱼鲁鲜鸟鸡鸣鹅麦黄齐齿龙"
)


def _multiset(pattern: re.Pattern[str] | HtmlPattern, text: str, group: int = 0) -> Counter[str]:
    return Counter(match.group(group) for match in pattern.finditer(text))


def _difference(source: Counter[str], target: Counter[str]) -> str:
    missing = sorted((source - target).elements())
    extra = sorted((target - source).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(repr(item) for item in missing[:3]))
    if extra:
        parts.append("added " + ", ".join(repr(item) for item in extra[:3]))
    return "; ".join(parts)


def _same_multiset(
    code: str,
    pattern: re.Pattern[str] | HtmlPattern,
    what: str,
    severity: Severity,
    group: int = 0,
    *,
    triggers: tuple[str, ...],
) -> Check:
    """A check that ``pattern`` matches the same strings in both texts; it cannot match
    a text that holds none of ``triggers`` (most texts, so most entries skip the scan)."""

    def check(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
        if not any(trigger in source or trigger in target for trigger in triggers):
            return
        expected, found = _multiset(pattern, source, group), _multiset(pattern, target, group)
        if expected != found:
            yield code, severity, f"{what} differ from the source: {_difference(expected, found)}"

    return check


def _counts(code: str, pattern: re.Pattern[str], what: str, *, triggers: tuple[str, ...]) -> Check:
    """A check that ``pattern`` matches as often in both texts (never without ``triggers``)."""

    def check(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
        if not any(trigger in source or trigger in target for trigger in triggers):
            return
        expected, found = len(pattern.findall(source)), len(pattern.findall(target))
        if expected != found:
            yield code, Severity.WARNING, f"{what}: {expected} in the source, {found} here"

    return check


def _block_marker(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    allowed: set[str] | None = None  # the source's markers, found when first needed
    for line in _LINE_BREAK.split(target):
        marker = _BLOCK_MARKER.match(line.lstrip())
        if marker and allowed is None:
            allowed = {
                opener.group(0)
                for source_line in _LINE_BREAK.split(source)
                if (opener := _BLOCK_MARKER.match(source_line.lstrip()))
            }
        if marker and allowed is not None and marker.group(0) not in allowed:
            yield (
                "block-marker",
                Severity.ERROR,
                f"the translation starts a line with {marker.group(0).strip()!r}, which would "
                "turn it into a heading, list, quote or code block",
            )
            return
    if (
        ("\n" in target or "\r" in target)
        and _BLANK_LINE.search(target)
        and not _BLANK_LINE.search(source)
    ):
        yield (
            "paragraph-break",
            Severity.ERROR,
            "the translation has a blank line, which would split the paragraph in two",
        )


def _unsafe_link(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    # Browsers ignore tabs and line breaks in a URL and entities are decoded before it is used.
    if ":" not in target and "&" not in target:
        return  # no scheme, and no entity to decode into a colon

    def schemes(text: str) -> Counter[str]:
        plain = re.sub(r"[\t\r\n]", "", html.unescape(text))
        return Counter(
            re.sub(r"\s", "", m.group(0)).lower() for m in _UNSAFE_SCHEME.finditer(plain)
        )

    added = schemes(target) - schemes(source)
    if added:
        yield (
            "unsafe-link",
            Severity.ERROR,
            f"the translation adds a {', '.join(sorted(added))} link, which could run code",
        )


_ROMAN_NUMERALS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def _roman(number: int) -> str:
    roman = ""
    for value, letters in _ROMAN_NUMERALS:
        count, number = divmod(number, value)
        roman += letters * count
    return roman


def _numbers(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if not _DIGIT.search(source):
        return  # nothing to lose

    def normalise(text: str) -> list[str]:
        return [
            number if number.isdigit() else _NUMBER_SEPARATOR.sub("", number)
            for number in _NUMBER.findall(text)
        ]

    ordinals = _ORDINAL.findall(source)
    expected_numbers = normalise(_ORDINAL.sub("", source) if ordinals else source)
    found_numbers = normalise(target)
    if not ordinals and expected_numbers == found_numbers:
        return  # the usual case: the same numbers in the same order
    expected, found = Counter(expected_numbers), Counter(found_numbers)
    missing = expected - found
    spare = found - expected
    # "21st century" is "siglo XXI" or "XXIe siècle"; "first" to "tenth" may become words.
    for ordinal in ordinals:
        if spare[ordinal]:
            spare[ordinal] -= 1
        elif int(ordinal) > 10 and not (
            0 < int(ordinal) < 4000
            and re.search(rf"(?<![^\W\d_]){_roman(int(ordinal))}(?![A-Z])", target)
        ):
            missing[ordinal] += 1
    if missing:
        shown = ", ".join(sorted(missing.elements())[:3])
        yield "number", Severity.WARNING, f"numbers missing from the translation: {shown}"


def _blank(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if not target.strip():
        yield "blank", Severity.ERROR, "the translation is only whitespace"


def _untranslated(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    # Names and short titles stay as they are; a whole untouched sentence is suspicious.
    if (
        target.strip().casefold() == source.strip().casefold()
        and len(re.findall(r"[^\W\d_]{2,}", source)) >= 4
    ):
        yield "same-as-source", Severity.WARNING, "the translation is the source text unchanged"


def _loop(text: str) -> re.Match[str] | None:
    """The first chunk of 2 to 30 characters repeated four times or more in a row."""
    # Four copies start with the same two characters: a text without a pair of characters
    # four times over has no loop, and the pattern is slow (it tries 29 lengths everywhere).
    if len(text) < 8 or max(Counter(map(operator.add, text, text[1:])).values()) < 4:
        return None
    return _LOOP.search(text)


def _repetition(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    in_source = {match.group(1).casefold() for match in _REPEATED_WORD.finditer(source)}
    repeated = next(
        (
            match
            for match in _REPEATED_WORD.finditer(target)
            if match.group(1).casefold() not in _MAY_REPEAT | in_source
        ),
        None,
    )
    if repeated:
        yield "repeated-word", Severity.WARNING, f"repeated word {repeated.group(0)!r}"
    # a machine-translation loop: the same chunk many times in a row
    loop = _loop(target)
    if loop and not _loop(source):
        yield (
            "degenerate-repetition",
            Severity.ERROR,
            f"{loop.group(1)!r} repeats {len(loop.group(0)) // len(loop.group(1))} times "
            "(a machine-translation loop?)",
        )


def _script(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if not language.is_chinese:
        return
    letters = re.sub(r"`[^`]*`|\]\([^()]*\)|https?://\S+|<[^<>]+>", "", target)
    if re.search(r"[^\W\d_]{3}", letters) and not _HAN.search(letters):
        yield "wrong-script", Severity.ERROR, "a Chinese translation without Chinese characters"
    if language.code == "zh_TW":
        simplified = sorted({char for char in target if char in _SIMPLIFIED_ONLY})
        if simplified:
            yield (
                "simplified-in-traditional",
                Severity.WARNING,
                f"Simplified characters in a Traditional Chinese text: {''.join(simplified[:8])}",
            )


def _chinese_punctuation(
    source: str, target: str, language: Language
) -> Iterable[tuple[str, Severity, str]]:
    if not language.is_chinese:
        return
    plain = re.sub(r"`[^`]*`|\]\([^()]*\)|https?://\S+", "", target)
    if _HALF_WIDTH_IN_HAN.search(plain):
        yield (
            "half-width-punctuation",
            Severity.WARNING,
            "half-width punctuation in Chinese text (use ，。！？：；)",
        )
    if _SPACE_BETWEEN_HAN.search(plain):
        yield "space-between-han", Severity.WARNING, "spaces between Chinese characters"


def _invisible(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if not _INVISIBLE.search(target):
        return
    added = Counter(_INVISIBLE.findall(target)) - Counter(_INVISIBLE.findall(source))
    if added:
        names = ", ".join(f"U+{ord(char):04X}" for char in sorted(added))
        yield (
            "invisible-character",
            Severity.ERROR,
            f"invisible or bidi control characters: {names}",
        )


_EXPECTED_LENGTH = {"zh": (0.15, 1.0), "ja": (0.2, 1.2), "ko": (0.2, 1.3)}


def _length(source: str, target: str, language: Language) -> Iterable[tuple[str, Severity, str]]:
    if len(source) < 40:
        return
    low, high = _EXPECTED_LENGTH.get(language.primary, (0.5, 2.2))
    ratio = len(target) / len(source)
    if not low <= ratio <= high:
        yield (
            "length-ratio",
            Severity.WARNING,
            f"the translation is {ratio:.2f}× the source length (expected {low}–{high}×)",
        )


_CORE_CHECKS: tuple[Check, ...] = (
    _same_multiset(
        "link-target", _LINK_TARGET, "link or image targets", Severity.ERROR, 1, triggers=("](",)
    ),
    _same_multiset("code-span", CODE_SPAN, "code spans", Severity.ERROR, triggers=("`",)),
    _same_multiset("html-tag", HTML_TAG, "HTML tags or comments", Severity.ERROR, triggers=("<",)),
    _same_multiset(
        "link-label", _LINK_LABEL, "link reference labels", Severity.ERROR, 1, triggers=("][",)
    ),
    _same_multiset(
        "link-definition",
        _LINK_DEFINITION,
        "link reference definitions",
        Severity.ERROR,
        1,
        triggers=("]:",),
    ),
    _same_multiset("autolink", _AUTOLINK, "autolinks", Severity.ERROR, triggers=("<",)),
    _same_multiset(
        "link-attribute", _LINK_ATTRIBUTE, "HTML link attributes", Severity.ERROR, triggers=("=",)
    ),
    _unsafe_link,
    _same_multiset("url", URL, "URLs", Severity.ERROR, triggers=("//", "www.")),
    _same_multiset("email", EMAIL, "e-mail addresses", Severity.ERROR, triggers=("@",)),
    _counts("strong", _STRONG, "bold markers", triggers=("**", "__")),
    _counts("emphasis", _EMPHASIS, "emphasis markers", triggers=("*", "_")),
    _counts("hard-break", _HARD_BREAK, "hard line breaks", triggers=("\n", "\r")),
    _block_marker,
    _blank,
    _numbers,
    _untranslated,
    _repetition,
    _script,
    _chinese_punctuation,
    _invisible,
    _length,
)
CHECKS: tuple[Check, ...] = (*_CORE_CHECKS, *PROSE_CHECKS)
"""Every check; each takes (msgid, msgstr, language) and yields (code, severity, message)."""


def _glossary(source: str, target: str, glossary: Glossary) -> Iterable[tuple[str, Severity, str]]:
    for term in dict.fromkeys(match.group(0) for match in glossary.find(source)):
        required = glossary.terms[term]
        if required not in target:
            wanted = "stay as it is" if required == term else f"be {required!r}"
            yield "glossary", Severity.WARNING, f"glossary: {term!r} should {wanted}"


def check_entry(
    entry: polib.POEntry,
    language: Language,
    *,
    source: Language = ENGLISH,
    path: str = "",
    glossary: Glossary = EMPTY,
) -> list[Finding]:
    """Findings for one translated entry (an untranslated entry has none).

    ``language`` is the translation's, ``source`` the msgid's (it splits sentences).
    """
    if not entry.msgstr or entry.obsolete or not entry.msgid:
        return []
    reference = f"{entry.occurrences[0][0]}:{entry.occurrences[0][1]}" if entry.occurrences else ""
    results = [
        result for check in _CORE_CHECKS for result in check(entry.msgid, entry.msgstr, language)
    ]
    # An entry with an error is rewritten anyway, and broken markup (a lost link, an added
    # heading) would come back as spurious bracket or punctuation warnings.
    if all(severity is not Severity.ERROR for _, severity, _ in results):
        results.extend(
            result
            for check in prose_checks(source)
            for result in check(entry.msgid, entry.msgstr, language)
        )
    results.extend(_glossary(entry.msgid, entry.msgstr, glossary))
    return [
        Finding(code, severity, message, path, entry.linenum or 0, reference)
        for code, severity, message in results
    ]


def check_catalog(
    catalog: polib.POFile,
    language: Language,
    *,
    source: Language = ENGLISH,
    path: str = "",
    glossary: Glossary = EMPTY,
) -> list[Finding]:
    """Findings for every translated entry, in catalog order (``source``: the msgids')."""
    return [
        finding
        for entry in catalog
        for finding in check_entry(entry, language, source=source, path=path, glossary=glossary)
    ]
