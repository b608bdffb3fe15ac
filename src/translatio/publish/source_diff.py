"""The change to a source paragraph, word by word, for the reviewer of its translation.

When a paragraph is corrected, its translation comes back fuzzy with the old wording
(``#|``); the review page shows old and new wording with the changed words marked
(``<del>``, ``<ins>``) next to the old translation, so the reviewer edits it rather than
translating again. Words are compared as units (Han and kana one character each, as
they carry no spaces); a paragraph too long to compare quickly is shown whole, old then
new, unmarked.
"""

from __future__ import annotations

import html
import re

__all__ = ["source_diff"]

_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]")
_LIMIT = 20_000
"""Tokens per side above which the paragraphs are shown whole (the comparison's cost
grows with the product of the two lengths)."""


def source_diff(old: str, new: str) -> str:
    """HTML of the change from ``old`` to ``new``: common words plain, the rest marked."""
    from rapidfuzz.distance import Indel

    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    if "".join(before) != old or "".join(after) != new or max(len(before), len(after)) > _LIMIT:
        return f"<del>{html.escape(old)}</del> <ins>{html.escape(new)}</ins>"
    pieces: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def changed() -> None:  # a run of changes: what went, then what came
        if removed:
            pieces.append(f"<del>{html.escape(''.join(removed))}</del>")
        if added:
            pieces.append(f"<ins>{html.escape(''.join(added))}</ins>")
        removed.clear()
        added.clear()

    for operation in Indel.opcodes(before, after):
        if operation.tag == "equal":
            changed()
            pieces.append(html.escape("".join(before[operation.src_start : operation.src_end])))
        else:
            removed += before[operation.src_start : operation.src_end]
            added += after[operation.dest_start : operation.dest_end]
    changed()
    return "".join(pieces)
