"""Source and translation sentences linked on the review page: which answers which.

Each entry's source and translation are cut into sentences as machine translation cuts
them (``catalog.plan``), and paired:

* untouched machine output: the engine translated each source sentence and translatio
  joined the answers in order, so when the translation still cuts into as many
  sentences, the pairing is the one the engine made, not a guess;
* anything else (a person's text, a rewrite, a memory fill): the sentence aligner
  (``text.align``) with the engine's translation of each source sentence, when the
  review step was given one (``translatio review --align-with ENGINE``); its unsure
  pairs, and every sentence when there is no gloss, are shown unpaired, never paired by
  position.

``sentence_cells`` writes a cell's text with each sentence in a ``<span>`` that names its
counterpart: hovering or focusing one highlights both (``ALIGN_SCRIPT``, a few lines of
plain script in the page, no framework, works from ``file://``), the arrow keys move
between counterparts (left, right) and along a column (up, down), and
``aria-describedby`` makes a screen reader read the counterpart with the sentence. Text
is escaped; the attributes are made from numbers only.

Where the engine's word alignment of a pair is known (``word_alignments``: Argos output,
from the attention, kept in the sentence cache), its words are linked too: hovering a
word, or focusing it (Enter in a sentence, then the left and right arrow keys; Escape
goes back), highlights the words it is aligned with on the other side, which
``aria-describedby`` reads out. Only where the translation's sentence is still the
engine's exact output (its text, spacing aside, is the aligned words'): otherwise the
pair's words stay unlinked, as a person's text always does.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translatio.catalog.plan import plan_text
from translatio.languages import Language
from translatio.text.align import Pair, align

if TYPE_CHECKING:
    from translatio.engines.argos.sentence_cache import WordAlignment

__all__ = [
    "ALIGN_CODE",
    "ALIGN_SCRIPT",
    "ALIGN_STYLE",
    "Alignment",
    "sentence_alignment",
    "sentence_cells",
]

ALIGN_STYLE = """
.s[data-pair]{cursor:pointer;border-radius:.2em}.s[data-pair]:focus{outline:2px solid #0b57d0}
.s.hl{background:#ffe082}.s.unpaired{color:inherit}
.w[data-words]{border-bottom:1px dotted #8a6d00}.w[data-words]:focus{outline:2px solid #0b57d0}
.w.wl{background:#f9a825;color:#000}"""
ALIGN_CODE = """(function () {
  function pair(el) { return document.getElementById(el.getAttribute("data-pair")); }
  function mates(el) {
    return el.getAttribute("data-words").split(" ").map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
  }
  function word(event) {
    var el = event.target;
    return el && el.classList && el.classList.contains("w") && el.hasAttribute("data-words")
      ? el : null;
  }
  function mark(el, on) {
    var other = pair(el);
    el.classList.toggle("hl", on);
    if (other) { other.classList.toggle("hl", on); }
  }
  function sentence(event) {
    var el = event.target;
    return el && el.closest ? el.closest(".s[data-pair]") : null;
  }
  function listen(types, on) {
    types.forEach(function (type) {
      document.addEventListener(type, function (e) {
        var s = sentence(e), w = word(e);
        if (s) { mark(s, on); }
        if (w) {
          w.classList.toggle("wl", on);
          mates(w).forEach(function (m) { m.classList.toggle("wl", on); });
        }
      });
    });
  }
  listen(["mouseover", "focusin"], true);
  listen(["mouseout", "focusout"], false);
  document.addEventListener("keydown", function (e) {
    var s = sentence(e), w = word(e), next = null;
    if (w) {
      var words = Array.prototype.slice.call(s.querySelectorAll(".w[data-words]"));
      var step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (getComputedStyle(w).direction === "rtl") { step = -step; }
      next = step ? words[words.indexOf(w) + step] : e.key === "Escape" ? s : null;
      if (step || e.key === "Escape") { e.preventDefault(); }
      if (next) { next.focus(); }
      return;
    }
    if (!s) { return; }
    if (e.key === "Enter") { next = s.querySelector(".w[data-words]"); }
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") { next = pair(s); }
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      var all = Array.prototype.slice.call(s.closest("td").querySelectorAll(".s[data-pair]"));
      next = all[all.indexOf(s) + (e.key === "ArrowDown" ? 1 : -1)] || null;
    }
    if (next) { next.focus(); e.preventDefault(); }
  });
})();
"""
"""The script itself (the review desk serves it as a file: its pages allow no inline script)."""
ALIGN_SCRIPT = f"<script>\n{ALIGN_CODE}</script>\n"
"""The script as the review page holds it."""


@dataclass(frozen=True, slots=True)
class Alignment:
    """One entry's sentences (as spans of its texts) and which pairs are sure."""

    sources: tuple[tuple[int, int], ...]
    """Where each source sentence is in the msgid."""
    targets: tuple[tuple[int, int], ...]
    """Where each translation sentence is in the msgstr."""
    pairs: tuple[Pair, ...]
    """Sure pairs, by index."""
    by_engine: bool
    """Whether the engine's own sentence-by-sentence output gave the pairs."""


def _spans(text: str, language: Language) -> tuple[list[str], list[tuple[int, int]]]:
    sentences = [s for piece in plan_text(text, source=language) for s in piece.sentences]
    spans = []
    position = 0
    for sentence in sentences:
        start = text.find(sentence, position)
        if start < 0:
            return [], []
        spans.append((start, start + len(sentence)))
        position = start + len(sentence)
    return sentences, spans


def sentence_alignment(
    msgid: str,
    msgstr: str,
    *,
    source: Language,
    target: Language,
    machine: bool,
    glosses: Mapping[str, str],
) -> Alignment | None:
    """The entry's sentence pairs (``None`` when there is nothing to pair).

    ``machine``: the text is the engine's untouched output; ``glosses``: the engine's
    translation of source sentences, for the aligner.
    """
    if not msgstr:
        return None
    sources, source_spans = _spans(msgid, source)
    targets, target_spans = _spans(msgstr, target)
    if not sources or not targets:
        return None
    if machine and len(sources) == len(targets):
        pairs = tuple(Pair(i, i) for i in range(len(sources)))
        return Alignment(tuple(source_spans), tuple(target_spans), pairs, True)
    if all(sentence in glosses for sentence in sources):
        found = align(sources, targets, [glosses[sentence] for sentence in sources])
        return Alignment(tuple(source_spans), tuple(target_spans), tuple(found), False)
    return Alignment(tuple(source_spans), tuple(target_spans), (), False)


def sentence_cells(
    alignment: Alignment,
    msgid: str,
    msgstr: str,
    row: int | str,
    *,
    word_alignments: Sequence[WordAlignment | None] = (),
) -> tuple[str, str]:
    """The source and translation cells' HTML, each sentence a linked ``<span>``.

    ``row`` makes the ids unique on the page: a number, or a hex fingerprint.
    ``word_alignments[n]``: the engine's word alignment of source sentence ``n``, if known
    (used only for the engine's own pairs).
    """
    to_target = {pair.source: pair.target for pair in alignment.pairs}
    to_source = {pair.target: pair.source for pair in alignment.pairs}
    source_words: dict[int, _Words] = {}
    target_words: dict[int, _Words] = {}
    for pair in alignment.pairs if alignment.by_engine else ():
        found = word_alignments[pair.source] if pair.source < len(word_alignments) else None
        if found is not None:
            start, end = alignment.sources[pair.source]
            first, last = alignment.targets[pair.target]
            words = _word_links(found, msgid[start:end], msgstr[first:last])
            own, other = f"r{row}s{pair.source}w", f"r{row}t{pair.target}w"
            source_words[pair.source] = {
                s: (span, own, other, to) for s, (span, to) in words[0].items()
            }
            target_words[pair.target] = {
                t: (span, other, own, to) for t, (span, to) in words[1].items()
            }
    return (
        _cell(msgid, alignment.sources, to_target, f"r{row}s", f"r{row}t", source_words),
        _cell(msgstr, alignment.targets, to_source, f"r{row}t", f"r{row}s", target_words),
    )


_Words = dict[int, tuple[tuple[int, int], str, str, list[int]]]
"""A sentence's linked words: by word index, its span in the sentence, the id prefixes of
its side and of the other, and the indexes of the words it is linked with."""
_Located = dict[int, tuple[tuple[int, int], list[int]]]


def _located(words: Sequence[str], text: str) -> dict[int, tuple[int, int]]:
    """Where each word is in ``text``, searched in order; words not found are left out."""
    found = {}
    position = 0
    for index, word in enumerate(words):
        start = text.find(word, position) if word else -1
        if start >= 0:
            found[index] = (start, start + len(word))
            position = start + len(word)
    return found


def _word_links(alignment: WordAlignment, source: str, target: str) -> tuple[_Located, _Located]:
    """The words of a pair of sentences that can be linked; none where the translation is
    not the aligned output (compared without spacing, which polishing may change)."""
    if "".join(target.split()) != "".join("".join(alignment.target_words).split()):
        return {}, {}
    in_source = _located(alignment.source_words, source)
    in_target = _located(alignment.target_words, target)
    links = [(s, t) for t, s in enumerate(alignment.links) if s in in_source and t in in_target]
    sources: _Located = {}
    targets: _Located = {}
    for s, t in links:
        sources.setdefault(s, (in_source[s], []))[1].append(t)
        targets.setdefault(t, (in_target[t], []))[1].append(s)
    return sources, targets


def _cell(
    text: str,
    spans: tuple[tuple[int, int], ...],
    pairs: Mapping[int, int],
    own: str,
    other: str,
    words: Mapping[int, _Words],
) -> str:
    parts = []
    position = 0
    for index, (start, end) in enumerate(spans):
        parts.append(html.escape(text[position:start]))
        sentence = _sentence(text[start:end], words.get(index, {}))
        if index in pairs:
            mate = f"{other}{pairs[index]}"
            keys = ' aria-keyshortcuts="Enter"' if words.get(index) else ""
            parts.append(
                f'<span class="s" id="{own}{index}" data-pair="{mate}" tabindex="0" '
                f'aria-describedby="{mate}"{keys}>{sentence}</span>'
            )
        else:
            parts.append(f'<span class="s unpaired" id="{own}{index}">{sentence}</span>')
        position = end
    parts.append(html.escape(text[position:]))
    return f'<span class="text">{"".join(parts)}</span>'


def _sentence(text: str, words: _Words) -> str:
    """A sentence's escaped text, its linked words each in a ``<span>`` naming the others."""
    parts = []
    position = 0
    for index, ((start, end), own, other, linked) in sorted(words.items(), key=lambda w: w[1][0]):
        mates = " ".join(f"{other}{to}" for to in linked)
        parts.append(html.escape(text[position:start]))
        parts.append(
            f'<span class="w" id="{own}{index}" data-words="{mates}" tabindex="-1" '
            f'aria-describedby="{mates}">{html.escape(text[start:end])}</span>'
        )
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)
