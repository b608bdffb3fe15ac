"""Provenance of machine output: the translator comment that marks an entry as untouched MT.

Machine output is written ``fuzzy`` with a translator comment line::

    # machine translation: engine=pseudo model=pseudo-1 score=0.0000 hash=5d41402abc4b2a76

When the run asks for them (``translate --alternatives-comment``), each alternative the
engine considered gets a line of its own, for translators in a PO editor::

    # machine translation alternative (sentence 2): «Los domingos está cerrada.»

Translator comments survive ``msgmerge`` and every PO editor (custom flags do not), so the
hash tells later runs whether the text is still exactly what the engine wrote. Only such
untouched entries are ever refreshed; an edited text or a cleared fuzzy flag means a
person took it over.

PO writers wrap long comments: Babel and polib give the provenance line back as two or
three lines, polib even breaking inside a hyphenated model name
(``translate-en_es-1.9+opencc-`` / ``zh_TW``). Every reader here first joins a line of
ours with the continuation lines a writer made of it (``logical_lines``), so a re-save by
any editor changes no entry's state. translatio itself always writes each line whole.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import polib

__all__ = [
    "MEMORY_COMMENT",
    "Provenance",
    "carried_comment",
    "is_untouched_machine_output",
    "logical_lines",
    "read_provenance",
    "read_unknown_words",
    "text_hash",
    "with_provenance",
    "with_review",
]

MEMORY_COMMENT = "translation memory:"
"""How the translator comment of a memory fill starts (``tm.recall`` writes it)."""
_PREFIX = "machine translation:"
_UNKNOWN = "machine translation left untranslated:"
_REVIEW = "reviewed:"
_ALTERNATIVE = "machine translation alternative"
_FIELD = re.compile(r"(\w+)=(\S+)")
_FIELD_START = re.compile(r"\w+=")
_REVIEW_END = re.compile(r"(?:\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}|in an editor)$")
_MAX_CONTINUATIONS = 8  # a comment wrapped at 30 columns still joins


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
    decoding: str = ""
    """How the model was driven (beam, lengths, batch budget, compute type), if it says."""
    markup: str = ""
    """``unsure`` when inline markup was put back by the safe placement (QA flags it)."""

    def comment_line(self) -> str:
        """The translator comment line recording this provenance."""
        decoding = f"decoding={self.decoding} " if self.decoding else ""
        markup = f"markup={self.markup} " if self.markup else ""
        return (
            f"{_PREFIX} engine={self.engine} model={self.model} {decoding}{markup}"
            f"score={self.score:.4f} hash={self.digest}"
        )


def text_hash(text: str) -> str:
    """A short, stable fingerprint of a translation (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def logical_lines(tcomment: str) -> list[str]:
    """The comment's lines, each line of ours joined again with a writer's continuations.

    A line of ours (provenance, untranslated words, review) that is incomplete on its
    own takes the fewest following lines that complete it; a translator's own lines
    are left as they are.
    """
    lines = tcomment.splitlines()
    result = []
    index = 0
    while index < len(lines):
        line = lines[index]
        start, split = line.strip(), 0
        # a very narrow wrap even splits "machine translation left" / "untranslated: …"
        while _UNKNOWN.startswith(start + " ") and index + split + 1 < len(lines):
            split += 1
            start = f"{start} {lines[index + split].strip()}"
        if not start.startswith(_UNKNOWN):
            start, split = line.strip(), 0
        joined, used = _join_continuations(start, lines[index + split + 1 :])
        result.append(joined if used or split else line)
        index += 1 + split + used
    return result


def _join_continuations(line: str, following: list[str]) -> tuple[str, int]:
    """``line`` completed from ``following``, and how many of them it took (0: none)."""
    kinds = (_PREFIX, _UNKNOWN, _REVIEW, _ALTERNATIVE)
    kind = next((prefix for prefix in kinds if line.startswith(prefix)), "")
    if not kind or _complete(kind, line):
        return line, 0
    joined = line
    for count, continuation in enumerate(following[:_MAX_CONTINUATIONS], start=1):
        part = continuation.strip()
        if not part:
            break
        joined = _join(kind, joined, part)
        if _complete(kind, joined):
            return joined, count
    return line, 0


def _join(kind: str, line: str, continuation: str) -> str:
    """Two wrapped pieces: polib breaks after a hyphen inside a word, everyone at spaces."""
    inside_word = line.endswith("-") and line[-2:-1].isalnum()
    if inside_word and not (kind == _PREFIX and _FIELD_START.match(continuation)):
        return line + continuation
    return f"{line} {continuation}"


def _complete(kind: str, line: str) -> bool:
    if kind == _PREFIX:
        return "hash" in dict(_FIELD.findall(line[len(_PREFIX) :]))
    if kind == _UNKNOWN:
        return not line.endswith((",", "-"))
    if kind == _ALTERNATIVE:
        return line.endswith("»")
    return _REVIEW_END.search(line) is not None


def read_provenance(tcomment: str) -> Provenance | None:
    """The provenance recorded in a translator comment, or ``None``."""
    for line in logical_lines(tcomment):
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
                decoding=fields.get("decoding", ""),
                markup=fields.get("markup", ""),
            )
        except (KeyError, ValueError):
            return None
    return None


def read_unknown_words(tcomment: str) -> tuple[str, ...]:
    """The words the engine recorded as left untranslated, in order."""
    for line in logical_lines(tcomment):
        stripped = line.strip()
        if stripped.startswith(_UNKNOWN):
            words = stripped[len(_UNKNOWN) :].split(",")
            return tuple(word.strip() for word in words if word.strip())
    return ()


def with_provenance(
    tcomment: str,
    provenance: Provenance,
    *,
    unknown_words: tuple[str, ...] = (),
    alternatives: tuple[tuple[str, ...], ...] = (),
) -> str:
    """``tcomment`` with its provenance lines replaced (a translator's own lines kept).

    Words the engine could not translate get a line of their own for the reviewer; so
    does each of ``alternatives`` (by sentence: the other translations the engine
    considered), when given.
    """
    ours = (_PREFIX, _UNKNOWN, _ALTERNATIVE)
    lines = [line for line in logical_lines(tcomment) if not line.strip().startswith(ours)]
    lines.append(provenance.comment_line())
    if unknown_words:
        lines.append(f"{_UNKNOWN} {', '.join(unknown_words)}")
    several = len(alternatives) > 1
    for sentence, found in enumerate(alternatives, start=1):
        where = f" (sentence {sentence})" if several else ""
        lines.extend(f"{_ALTERNATIVE}{where}: «{' '.join(text.split())}»" for text in found)
    return "\n".join(lines)


def is_untouched_machine_output(entry: polib.POEntry) -> bool:
    """Fuzzy, with provenance, never accepted, and still exactly what the engine wrote."""
    if "fuzzy" not in entry.flags or not entry.msgstr:
        return False
    if was_reviewed(entry.tcomment or ""):
        return False
    provenance = read_provenance(entry.tcomment or "")
    return provenance is not None and provenance.digest == text_hash(entry.msgstr)


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


def carried_comment(tcomment: str, msgstr: str, *, accepted: bool) -> str:
    """The translator comment an entry keeps through a merge.

    Accepted machine output is recorded as reviewed (``mark_accepted``). Once a person
    rewrote the text, the engine's list of words it left untranslated describes a text
    that is gone, so that line is dropped; everything else is kept as it was.
    """
    comment = mark_accepted(tcomment) if accepted else tcomment
    provenance = read_provenance(comment)
    if (
        provenance is None
        or provenance.digest == text_hash(msgstr)
        or not read_unknown_words(comment)
    ):
        return comment
    return "\n".join(
        line for line in logical_lines(comment) if not line.strip().startswith(_UNKNOWN)
    )


def with_review(tcomment: str, reviewer: str, date: str) -> str:
    """``tcomment`` with a line recording who accepted the machine output, and when."""
    lines = [line for line in logical_lines(tcomment) if not line.strip().startswith(_REVIEW)]
    return "\n".join([*lines, f"{_REVIEW} {' '.join(reviewer.split()) or 'unknown'} {date}"])
