"""Lookups in the memory (exact and close, against a brute-force oracle), the consistency
warning of ``check``, and the memory settings."""

from __future__ import annotations

import math

import pytest
from rapidfuzz import fuzz

from translatio import ConfigError, Project, Severity
from translatio.tm.lookup import Matcher, _tokens
from translatio.tm.units import MemoryUnit, normalise

from .conftest import MakeProject
from .tm_helpers import FIRST_FR, SECOND, catalog_of, reviewed_first, translate_by_hand

READERS = "Our readers asked for longer opening hours at the library."


def unit(source: str, target: str = "t", origin: str = "doc:1") -> MemoryUnit:
    return MemoryUnit(source, target, origin, "doc")


def test_exact_lookup_ignores_whitespace_runs_but_not_markup() -> None:
    matcher = Matcher.of([unit("Hello  big\nworld.", "Bonjour.")])
    assert [u.target for u in matcher.exact(" Hello big world. ")] == ["Bonjour."]
    assert matcher.exact("Hello *big* world.") == []
    assert normalise("a \t\n b") == "a b"
    assert normalise("a\u00a0b") == "a\u00a0b"  # a no-break space is content


def test_close_lookup_gives_the_best_key_and_its_score_rounded_down() -> None:
    keys = [READERS, "Our readers asked for shorter queues at the town hall.", "Unrelated."]
    matcher = Matcher.of(unit(key) for key in keys)
    query = "Our readers asked for longer opening hours at the new library."
    found = matcher.close(query, threshold=80)
    assert found == (READERS, math.floor(fuzz.ratio(query, READERS)))
    assert matcher.close(query, threshold=found[1] + 1) is None
    assert matcher.close(READERS, threshold=50) != (READERS, 100)  # never itself


def test_chinese_sources_are_indexed_by_character_pairs() -> None:
    assert _tokens("我们的读者") == {"我们", "们的", "的读", "读者"}
    matcher = Matcher.of([unit("我们的读者要求图书馆延长开放时间。")])
    found = matcher.close("我们的读者要求图书馆延长开放的时间。", threshold=80)
    assert found is not None and found[0] == "我们的读者要求图书馆延长开放时间。"


# The close lookup against a brute force of its documented rule (a share of the query's
# words and of their weight by rarity): test_hardening_bounds.py, on random memories.


# -- consistency -------------------------------------------------------------------------


def test_check_warns_when_one_source_has_two_reviewed_translations(
    make_project: MakeProject,
) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    translate_by_hand(catalog_of(root, "second"), {READERS: "Une autre traduction."})
    findings = [f for f in project.check() if f.code == "inconsistent-translation"]
    assert [(f.path, f.reference, f.severity) for f in findings] == [
        ("locales/fr/LC_MESSAGES/first.po", "source/first.md:5", Severity.WARNING),
        ("locales/fr/LC_MESSAGES/second.po", "source/second.md:3", Severity.WARNING),
    ]
    first, second = findings
    assert f"at {second.where} (source/second.md:3): 'Une autre traduction.'" in first.message
    shown = FIRST_FR[READERS][:60] + "…"  # a long translation is cut in the message
    assert f"at {first.where} (source/first.md:5): {shown!r}" in second.message
    warnings = {  # status counts them with the other warnings of each catalog
        path: sum(1 for f in project.check() if f.path == path and f.severity is Severity.WARNING)
        for path in (first.path, second.path)
    }
    assert {f"locales/fr/LC_MESSAGES/{s.document}.po": s.qa_warnings for s in project.status()} == (
        warnings
    )
    assert all(count >= 1 for count in warnings.values())


def test_the_review_page_shows_the_inconsistency(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    translate_by_hand(catalog_of(root, "second"), {READERS: "Une autre traduction."})
    project.review_pages("fr")
    page = (root / "review" / "fr" / "first.review.html").read_text("utf-8")
    assert "[inconsistent-translation]" in page
    assert "locales/fr/LC_MESSAGES/second.po:" in page and "Une autre traduction." in page
    other = (root / "review" / "fr" / "second.review.html").read_text("utf-8")
    assert "[inconsistent-translation]" in other and "locales/fr/LC_MESSAGES/first.po:" in other


def test_agreeing_and_unreviewed_translations_raise_no_warning(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    translate_by_hand(catalog_of(root, "second"), {READERS: FIRST_FR[READERS]})
    project.translate(engine="machine")  # the close match is filled fuzzy: not reviewed
    assert [f for f in project.check() if f.code == "inconsistent-translation"] == []


# -- settings ----------------------------------------------------------------------------


def test_the_memory_settings_are_read_and_checked(make_project: MakeProject) -> None:
    extra = "memory_threshold = 90\nmemory_accept_same_document = true\n"
    settings = Project.open(make_project({"second.md": SECOND}, extra=extra)).settings
    assert (settings.memory_threshold, settings.memory_accept_same_document) == (90.0, True)


@pytest.mark.parametrize(
    "extra",
    ["memory_threshold = 40\n", "memory_threshold = true\n", 'memory_accept_same_document = "y"\n'],
)
def test_bad_memory_settings_name_the_key(
    make_project: MakeProject, tmp_path: object, extra: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        Project.open(make_project({"second.md": SECOND}, extra=extra))
    key = extra.split(" ", 1)[0]
    assert key in str(raised.value) and raised.value.line == 4
