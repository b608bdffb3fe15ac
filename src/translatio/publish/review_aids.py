"""Aids under a translation on the review page: the engine's alternatives, a back-translation.

* **Alternatives**: for each sentence an engine with n-best output translated (Argos;
  the sentence cache keeps them), up to three other translations it considered, each
  with a copy button (``COPY_CODE``, a few lines of plain script in the page: the
  clipboard where the browser allows it, else a selected hidden text area, so it works
  from ``file://``). They are for the reviewer to paste in a PO editor; translatio never
  writes them into ``msgstr``.
* **Back-translation**: the translation put back into the source language by an engine
  of another family, for an editor who does not read the target language. Labelled as a
  machine reading aid, never as the source or as a check.

What the sentence cache remembers of untouched machine output comes as one ``Remembered``
value: the alternatives, and beside them the word alignments that link the words of a
pair of sentences (``aligned``).

The labels are in English and say so with ``lang``, as the page's QA findings do. Text is
escaped; ids and attributes are made from numbers only.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from translatio.languages import Language

if TYPE_CHECKING:
    from translatio.engines.argos.sentence_cache import WordAlignment

__all__ = [
    "AIDS_STYLE",
    "COPY_CODE",
    "COPY_SCRIPT",
    "Remembered",
    "alternatives_block",
    "back_block",
    "remembered_words",
]

WordAlignments = Mapping[tuple[str, str], Sequence["WordAlignment | None"]]
"""By (msgid, msgstr): each source sentence's word alignment, or ``None``."""


class Remembered(dict[tuple[str, str], list[tuple[str, ...]]]):
    """By (msgid, msgstr) of untouched machine output: each source sentence's alternatives
    (the mapping itself, as ``alternatives_block`` takes them), and in ``words`` each
    source sentence's word alignment (``None`` where the cache holds none)."""

    def __init__(
        self,
        alternatives: Mapping[tuple[str, str], list[tuple[str, ...]]],
        words: dict[tuple[str, str], list[WordAlignment | None]],
    ) -> None:
        super().__init__(alternatives)
        self.words = words
        """Each source sentence's word alignment, by (msgid, msgstr)."""


def remembered_words(alternatives: object) -> WordAlignments:
    """The word alignments that came with ``alternatives``, if it is ``Remembered``."""
    return alternatives.words if isinstance(alternatives, Remembered) else {}


AIDS_STYLE = """
.aids{margin-top:.5em;font-size:.9em;border-top:1px dashed #bbb;padding-top:.3em}
.aids ol{margin:0 0 .2em;padding-inline-start:1.6em}.aids li{margin:.15em 0}
.aid-label{display:block;color:#555;font-size:.85em}
.hidden-status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}.copy{font-size:.8em;margin-inline-start:.4em}
.back-text{font-style:italic}"""
COPY_CODE = """(function () {
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }
  function done(button, copied) {
    button.textContent = copied ? "Copied" : "Select it and copy";
    button.setAttribute("data-copied", copied ? "yes" : "no");
    var status = document.getElementById("copy-status");
    if (status) { status.textContent = copied ? "Copied to the clipboard" : "Not copied"; }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) { return; }
    var from = document.getElementById(button.getAttribute("data-copy"));
    if (!from) { return; }
    var text = from.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(button, true); },
        function () { done(button, fallback(text)); });
    } else {
      done(button, fallback(text));
    }
  });
})();
"""
"""The copy buttons' script (the review desk serves it as a file: no inline script there)."""
COPY_SCRIPT = (
    '<p id="copy-status" class="hidden-status" role="status" aria-live="polite" lang="en"></p>\n'
    f"<script>\n{COPY_CODE}</script>\n"
)
"""The live region the script speaks through, and the script, as the review page holds them."""


def alternatives_block(
    row: int | str, alternatives: Sequence[Sequence[str]], target: Language, *, engine: str
) -> str:
    """The alternatives of an entry's sentences, in order, each with a copy button.

    ``alternatives[n]`` are the engine's other translations of source sentence ``n``
    (empty: none); ``""`` when no sentence has any. An entry of several sentences
    has a list per sentence, named by its rank.
    """
    if not any(alternatives):
        return ""
    several = len(alternatives) > 1
    lists = []
    for sentence, found in enumerate(alternatives):
        if not found:
            continue
        where = f"sentence {sentence + 1}" if several else ""
        items = []
        for rank, text in enumerate(found):
            own = f"r{row}a{sentence}-{rank}"
            items.append(
                f'<li><span class="alt" id="{own}">{html.escape(text)}</span>'
                f'<button type="button" class="copy" data-copy="{own}" lang="en" '
                f'aria-label="copy alternative {rank + 1}{", " + where if where else ""}">'
                "Copy</button></li>"
            )
        name = f'<span class="aid-label" lang="en" dir="ltr">{where.capitalize()}:</span>'
        lists.append(f"{name if several else ''}<ol>{''.join(items)}</ol>")
    return (  # the lists in the translation's language and direction, the labels in English
        f'<div class="aids alternatives" lang="{target.bcp47}" dir="{target.direction}">'
        f'<span class="aid-label" lang="en" dir="ltr">Other translations {html.escape(engine)} '
        f"considered (machine; copy one to use it):</span>{''.join(lists)}</div>"
    )


def back_block(text: str, source: Language, *, engine: str) -> str:
    """An entry's back-translation into ``source``, labelled as a machine reading aid."""
    return (
        f'<div class="aids back-translation" lang="en" dir="ltr">'
        f'<span class="aid-label">Back-translation into {html.escape(source.code)} by '
        f"{html.escape(engine)} (machine, a reading aid for who does not read the "
        "translation; not the source, not a check):</span> "
        f'<span class="back-text" lang="{source.bcp47}" dir="{source.direction}">'
        f"{html.escape(text)}</span></div>"
    )
