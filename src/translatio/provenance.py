"""Provenance of machine output: the translator comment that marks an entry as untouched MT.

Machine output is written ``fuzzy`` with a translator comment line::

    # machine translation: engine=pseudo model=pseudo-1 score=0.0000 hash=5d41402abc4b2a76

Translator comments survive ``msgmerge`` and every PO editor (custom flags do not), so the
hash tells later runs whether the text is still exactly what the engine wrote. Only such
untouched entries are ever refreshed; an edited text or a cleared fuzzy flag means a
person took it over.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import polib

__all__ = [
    "Provenance",
    "is_untouched_machine_output",
    "read_provenance",
    "text_hash",
    "with_provenance",
    "with_review",
]

_PREFIX = "machine translation:"
_UNKNOWN = "machine translation left untranslated:"
_FIELD = re.compile(r"(\w+)=(\S+)")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Which engine wrote an entry's text, and a fingerprint of that text."""

    engine: str
    """Engine name (``argos``, ``apertium``, ``pseudo``)."""
    model: str
    """Model or package with its version (``translate-en_de-1.9``)."""
    score: float
    """Mean log-probability of the output; 0.0 for engines without one."""
    digest: str
    """``text_hash`` of the msgstr the engine wrote."""

    def comment_line(self) -> str:
        """The translator comment line recording this provenance."""
        return (
            f"{_PREFIX} engine={self.engine} model={self.model} "
            f"score={self.score:.4f} hash={self.digest}"
        )


def text_hash(text: str) -> str:
    """A short, stable fingerprint of a translation (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_provenance(tcomment: str) -> Provenance | None:
    """The provenance recorded in a translator comment, or ``None``."""
    for line in tcomment.splitlines():
        stripped = line.strip()
        if not stripped.startswith(_PREFIX):
            continue
        fields = dict(_FIELD.findall(stripped[len(_PREFIX) :]))
        try:
            return Provenance(
                engine=fields["engine"],
                model=fields["model"],
                score=float(fields["score"]),
                digest=fields["hash"],
            )
        except (KeyError, ValueError):
            return None
    return None


def with_provenance(
    tcomment: str, provenance: Provenance, *, unknown_words: tuple[str, ...] = ()
) -> str:
    """``tcomment`` with its provenance lines replaced (a translator's own lines kept).

    Words the engine could not translate get a line of their own for the reviewer.
    """
    ours = (_PREFIX, _UNKNOWN)
    lines = [line for line in tcomment.splitlines() if not line.strip().startswith(ours)]
    lines.append(provenance.comment_line())
    if unknown_words:
        lines.append(f"{_UNKNOWN} {', '.join(unknown_words)}")
    return "\n".join(lines)


def is_untouched_machine_output(entry: polib.POEntry) -> bool:
    """Fuzzy, with provenance, never accepted, and still exactly what the engine wrote."""
    if "fuzzy" not in entry.flags or not entry.msgstr:
        return False
    if was_reviewed(entry.tcomment or ""):
        return False
    provenance = read_provenance(entry.tcomment or "")
    return provenance is not None and provenance.digest == text_hash(entry.msgstr)


_REVIEW = "reviewed:"


def was_reviewed(tcomment: str) -> bool:
    """Whether a person accepted this text at some point (``approve`` or an editor)."""
    return any(line.strip().startswith(_REVIEW) for line in tcomment.splitlines())


def mark_accepted(tcomment: str) -> str:
    """Record that machine output was accepted in an editor (its fuzzy flag cleared).

    Merges call this before the entry can become fuzzy again, so that a later source
    change never makes an accepted text look like untouched machine output.
    """
    if was_reviewed(tcomment) or read_provenance(tcomment) is None:
        return tcomment
    return "\n".join([*tcomment.splitlines(), f"{_REVIEW} fuzzy flag cleared in an editor"])


def with_review(tcomment: str, reviewer: str, date: str) -> str:
    """``tcomment`` with a line recording who accepted the machine output, and when."""
    lines = [line for line in tcomment.splitlines() if not line.strip().startswith(_REVIEW)]
    return "\n".join([*lines, f"{_REVIEW} {' '.join(reviewer.split()) or 'unknown'} {date}"])
