"""Pathological inputs (long runs that once took quadratic time) give the right results.

Correctness only: how long they take is measured by ``benchmarks/bench_text.py``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

import pytest

from translatio.catalog.po import parse_po
from translatio.errors import CatalogError
from translatio.languages import parse_language
from translatio.text.markup import HTML_TAG, HtmlPattern, Run, split_runs
from translatio.text.typography import polish

RUN = 100_000
CHINESE = parse_language("zh_CN", setting="test")
TRADITIONAL = parse_language("zh_TW", setting="test")


def _catalog(msgstr_line: str) -> bytes:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return f'{header}msgid "x"\nmsgstr {msgstr_line}\n'.encode()


def _protected(runs: list[Run]) -> list[str]:
    return [run.text for run in runs if not run.translatable]


def _joined(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


# -- PO strings ----------------------------------------------------------------------------


def test_a_200_kb_run_of_escaped_quotes_round_trips() -> None:
    catalog = parse_po(_catalog('"' + '\\"' * RUN + '"'), path="long.po")
    assert [entry.msgstr for entry in catalog] == ['"' * RUN]


def test_escaped_backslashes_before_the_closing_quote_end_the_string() -> None:
    catalog = parse_po(_catalog('"' + "\\\\" * RUN + '"'), path="long.po")
    assert [entry.msgstr for entry in catalog] == ["\\" * RUN]


def test_a_long_string_whose_last_quote_is_escaped_is_unclosed() -> None:
    with pytest.raises(CatalogError, match="unclosed string") as caught:
        parse_po(_catalog('"' + '\\"' * RUN), path="long.po")
    assert caught.value.line == 6


def test_an_invalid_escape_after_a_long_run_is_named() -> None:
    with pytest.raises(CatalogError, match=r"invalid escape '\\\\q'"):
        parse_po(_catalog('"' + '\\"' * RUN + '\\q"'), path="long.po")


# -- inline Markdown -----------------------------------------------------------------------


@pytest.mark.parametrize("filler", ["a", "a.", ".", "-", "+", "_"])
def test_an_address_after_a_long_run_of_address_characters_is_found(filler: str) -> None:
    text = filler * RUN + " write to someone@example.org today"
    runs = split_runs(text)
    assert _joined(runs) == text
    assert "someone@example.org" in _protected(runs)


def test_an_address_glued_to_a_long_run_takes_the_whole_run() -> None:
    text = "a." * RUN + "x@example.org"
    assert _protected(split_runs(text)) == [text]


def test_an_address_right_after_a_backslash_escape_is_still_protected() -> None:
    runs = split_runs("see \\.name@example.org")
    assert _protected(runs) == ["\\.", "name@example.org"]


def test_a_long_run_of_spaces_is_text_unless_it_ends_a_line() -> None:
    text = "x" + " " * RUN + "y"
    assert _protected(split_runs(text)) == []
    hard_break = "x" + " " * RUN + "\ny"
    assert _protected(split_runs(hard_break)) == [" " * RUN + "\n"]


def test_a_long_run_of_underscores_is_emphasis_only_at_a_word_edge() -> None:
    inside = "a" + "_" * RUN + "b"
    assert _protected(split_runs(inside)) == []
    at_edge = "a" + "_" * RUN + " b"
    assert _protected(split_runs(at_edge)) == ["_" * RUN]


def test_unclosed_backticks_stay_text() -> None:
    text = "`" * RUN + " no code here"
    assert split_runs(text) == [Run(text, True)]


def test_a_code_span_may_open_inside_a_run_of_backticks() -> None:
    # Two backticks find no closing pair; the second alone opens "`a`".
    assert split_runs("``a`b") == [Run("`", False), Run("`a`", False), Run("b", True)]
    text = "`" * RUN + "x" + "`" * 3 + " rest"
    assert split_runs(text) == [
        Run("`" * (RUN - 3), False),  # no letters: kept as it is
        Run("```x```", False),
        Run(" rest", True),
    ]


# -- Chinese typography --------------------------------------------------------------------


def test_an_unclosed_parenthesis_before_long_han_text_is_left_alone() -> None:
    text = "(" + "中文" * RUN
    assert polish(text, CHINESE) == text


def test_parentheses_around_long_han_text_become_full_width() -> None:
    inner = "中文" * RUN
    assert polish("(" + inner + ")", CHINESE) == "（" + inner + "）"


def test_unclosed_full_width_brackets_are_kept() -> None:
    assert polish("（" + "中文" * RUN, CHINESE) == "（" + "中文" * RUN
    assert polish("「" + "中文" * RUN, TRADITIONAL) == "「" + "中文" * RUN


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_before_long_han_text_is_left_alone(quote: str) -> None:
    text = quote + "中" * RUN
    assert polish(text, CHINESE) == text


def test_a_quote_that_closes_nothing_han_opens_the_next_pair() -> None:
    assert polish('"abc"中"', CHINESE) == '"abc“中”'
    assert polish("don't '中'", CHINESE) == "don't‘中’"  # no space before ‘


def test_a_long_run_of_spaces_at_full_width_punctuation_goes() -> None:
    assert polish("中" + " " * RUN + "，好", CHINESE) == "中，好"
    assert polish("好，" + " " * RUN + "中", CHINESE) == "好，中"
    latin = "a" + " " * RUN + "b"
    assert polish(latin, CHINESE) == latin


# -- HTML tags and comments ----------------------------------------------------------------

# What HtmlPattern stands for: one pattern, quadratic on many unclosed "<!--".
_PLAIN_HTML = r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->"
_AUTOLINK = r"<[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*>"
_PIECES = ("<!--", "-->", "<!-->", "<a>", "<a x", ">", "-", "x@y.z>", "](", " ")


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str]]]:
    return [(match.span(), match.groupdict()) for match in matches]


@pytest.mark.parametrize("length", [1, 2, 3, 4])
def test_html_patterns_find_what_the_plain_pattern_finds(length: int) -> None:
    plain = re.compile(_PLAIN_HTML, re.DOTALL)
    foreign = re.compile(rf"(?P<tag>(?s:{_PLAIN_HTML}))|(?P<autolink>{_AUTOLINK})|(?P<link>\]\()")
    linear = HtmlPattern("(?P<tag>", rf")|(?P<autolink>{_AUTOLINK})|(?P<link>\]\()")
    for pieces in itertools.product(_PIECES, repeat=length):
        text = "".join(pieces)
        assert _spans(HTML_TAG.finditer(text)) == _spans(plain.finditer(text)), text
        assert HTML_TAG.sub("_", text) == plain.sub("_", text), text
        assert _spans(linear.finditer(text)) == _spans(foreign.finditer(text)), text
        search = linear.searcher(text)
        for position in range(len(text) + 1):  # the searcher also takes any position
            found, expected = search(position), foreign.search(text, position)
            assert _spans([found] if found else []) == _spans([expected] if expected else [])


def test_many_unclosed_comments_after_a_closed_one() -> None:
    text = "<!-- a --> " + "<!-- b " * (RUN // 7) + "<x@y.z>"
    assert [match.group(0) for match in HTML_TAG.finditer(text)] == ["<!-- a -->"]
    linear = HtmlPattern("(?P<tag>", rf")|(?P<autolink>{_AUTOLINK})")
    assert [match.group(0) for match in linear.finditer(text)] == ["<!-- a -->", "<x@y.z>"]
