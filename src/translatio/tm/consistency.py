"""One source, different reviewed translations: the ``inconsistent-translation`` warning.

Across the catalogs of one language, reviewed entries whose sources are the same (after
whitespace is normalised) should agree. Each entry of such a group whose translation
differs from another one's gets a warning naming the other place (catalog ``file:line``
and source reference), so both are named: the finding's own place and the other one.
"""

from __future__ import annotations

from collections.abc import Iterable

import polib

from translatio.qa.findings import Finding, Severity
from translatio.tm.units import normalise, reviewed

__all__ = ["INCONSISTENT", "inconsistencies"]

INCONSISTENT = "inconsistent-translation"
"""The finding's code."""
_SHOWN = 60
"""Characters of the other translation quoted in the message."""


def inconsistencies(catalogs: Iterable[tuple[str, polib.POFile]]) -> dict[str, list[Finding]]:
    """``catalog path → findings`` for catalogs of one language, given as (path, catalog)."""
    groups: dict[str, list[tuple[str, polib.POEntry]]] = {}
    for path, catalog in catalogs:
        for entry in catalog:
            if reviewed(entry) and not entry.obsolete:
                groups.setdefault(normalise(entry.msgid), []).append((path, entry))
    found: dict[str, list[Finding]] = {}
    for places in groups.values():
        if len({normalise(entry.msgstr) for _, entry in places}) < 2:
            continue
        for path, entry in places:
            other_path, other = next(
                (p, e) for p, e in places if normalise(e.msgstr) != normalise(entry.msgstr)
            )
            text = other.msgstr if len(other.msgstr) <= _SHOWN else other.msgstr[:_SHOWN] + "…"
            found.setdefault(path, []).append(
                Finding(
                    INCONSISTENT,
                    Severity.WARNING,
                    f"the same source is translated differently at {other_path}:"
                    f"{other.linenum or 0}{_reference(other, ' (', ')')}: {text!r}",
                    path,
                    entry.linenum or 0,
                    _reference(entry),
                )
            )
    for findings in found.values():
        findings.sort(key=lambda finding: finding.line)
    return found


def _reference(entry: polib.POEntry, before: str = "", after: str = "") -> str:
    if not entry.occurrences:
        return ""
    source, line = entry.occurrences[0]
    return f"{before}{source}:{line}{after}"
