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
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from translatio.catalog.plan import plan_text
from translatio.languages import Language
from translatio.text.align import Pair, align

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
.s.hl{background:#ffe082}.s.unpaired{color:inherit}"""
ALIGN_CODE = """(function () {
  function pair(el) { return document.getElementById(el.getAttribute("data-pair")); }
  function mark(el, on) {
    var other = pair(el);
    el.classList.toggle("hl", on);
    if (other) { other.classList.toggle("hl", on); }
  }
  function sentence(event) {
    var el = event.target;
    return el && el.classList && el.classList.contains("s") && el.hasAttribute("data-pair")
      ? el : null;
  }
  function listen(types, on) {
    types.forEach(function (type) {
      document.addEventListener(type, function (e) {
        var s = sentence(e);
        if (s) { mark(s, on); }
      });
    });
  }
  listen(["mouseover", "focusin"], true);
  listen(["mouseout", "focusout"], false);
  document.addEventListener("keydown", function (e) {
    var s = sentence(e), next = null;
    if (!s) { return; }
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
    alignment: Alignment, msgid: str, msgstr: str, row: int | str
) -> tuple[str, str]:
    """The source and translation cells' HTML, each sentence a linked ``<span>``.

    ``row`` makes the ids unique on the page: a number, or a hex fingerprint.
    """
    to_target = {pair.source: pair.target for pair in alignment.pairs}
    to_source = {pair.target: pair.source for pair in alignment.pairs}
    return (
        _cell(msgid, alignment.sources, to_target, f"r{row}s", f"r{row}t"),
        _cell(msgstr, alignment.targets, to_source, f"r{row}t", f"r{row}s"),
    )


def _cell(
    text: str, spans: tuple[tuple[int, int], ...], pairs: Mapping[int, int], own: str, other: str
) -> str:
    parts = []
    position = 0
    for index, (start, end) in enumerate(spans):
        parts.append(html.escape(text[position:start]))
        sentence = html.escape(text[start:end])
        if index in pairs:
            mate = f"{other}{pairs[index]}"
            parts.append(
                f'<span class="s" id="{own}{index}" data-pair="{mate}" tabindex="0" '
                f'aria-describedby="{mate}">{sentence}</span>'
            )
        else:
            parts.append(f'<span class="s unpaired" id="{own}{index}">{sentence}</span>')
        position = end
    parts.append(html.escape(text[position:]))
    return f'<span class="text">{"".join(parts)}</span>'
