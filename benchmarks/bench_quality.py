"""Translation quality on a real human translation: the Debian Reference, en → es, Apertium.

The Debian Reference (Debian packages ``debian-reference-en`` and ``debian-reference-es``,
HTML in ``/usr/share/debian-reference/``) is translated with po4a, which keeps the
DocBook structure: the N-th block of a chapter in one language is the N-th in the other.
Each aligned paragraph is translated three ways and scored against the human Spanish with
sacrebleu (``corpus_chrf`` and ``corpus_bleu`` at their defaults: chrF character order 6,
β 2; BLEU 13a tokenization), one reference:

(a) raw Apertium: ``echo TEXT | apertium -f txt eng-spa``, one process per paragraph, on
    the paragraph's plain text (links and emphasis removed, their text kept). Code spans
    stay verbatim here too (an engine must not translate a command): each is replaced by
    a placeholder word, ``zqxa``, ``zqxb``, … (letters only, so Apertium's tokenizer keeps
    it whole; it is unknown to the dictionaries, so Apertium copies it), and each
    placeholder found exactly once in the output is replaced by its code span again (one
    lost or doubled counts as a code span not kept). Apertium's unknown-word marks (``*``,
    ``#``, ``@`` before a word) are removed, as translatio removes them. Outputs are
    cached in ``$XDG_CACHE_HOME/translatio-bench/`` under a key made of the Debian
    versions of ``apertium`` and ``apertium-eng-spa`` and the mode file (``--fresh``
    ignores the cache): the first full run costs about 4.5 minutes on 2 cores, the
    following ones seconds. The same texts also go through ``ApertiumEngine``'s one
    null-flush batch, and the texts whose output differs from the command's are reported
    with the batch's chrF (a check on the engine, not a row).
(b) translatio on the plain text: a temporary project (``translatio.toml`` with
    ``languages = ["es"]``, ``engine = "apertium"``; ``source/<chapter>.md`` holding the
    chapter's paragraphs as Markdown, one line each, separated by blank lines) whose
    paragraphs carry their code spans only; ``Project.extract()``,
    ``Project.translate(engine="apertium", memory=False)``, then each paragraph's msgstr
    read from ``locales/es/LC_MESSAGES/<chapter>.po`` with polib (msgid = the paragraph).
(c) translatio on the paragraphs with their real inline markup as Markdown (code spans,
    links, emphasis, strong), in another fresh project.

(b) and (c) each run with a fresh, empty ``TRANSLATIO_CACHE_DIR``. Before scoring, the
outputs and the reference are read the same way: Markdown parsed with markdown-it as
translatio parses it (CommonMark, tables), then code spans become their content, links
their text, emphasis markers go, whitespace is collapsed.

Alignment and conversion. The blocks are the ``<p>`` elements (not ``<p class="title">``)
and the cells (``<td>``) of DocBook tables (``<table class="table">``; admonition and
navigation tables are not those, the ``<p>`` inside admonitions are blocks). A chapter
whose en and es block sequences differ (count or kind) would be dropped whole (none is
in 2.100). Inline HTML becomes Markdown: ``<code class="literal">`` → a code span (markup
inside it kept as text), ``<a class="ulink|xref" href>`` → ``[text](href)``,
``<span class="emphasis"><em>`` or a lone ``<em>`` → ``*text*``,
``<span class="strong"><strong>`` or a lone ``<strong>`` → ``**text**``; footnote
markers (``<a class="footnote|para">``) are removed; other tags are dropped, their text
kept. Whitespace (no-break spaces too) is collapsed, also inside code; spaces at the
inner edge of a link or emphasis move outside it. Markdown-special characters of the
text are backslash-escaped only in paragraphs that would not parse back to the same
nodes otherwise (16 in 2.100). A pair is dropped, and counted by reason, when (checked
in this order): the en block has no text; it has fewer than 4 words outside code; the
es text equals the en text (po4a's fallback for an untranslated paragraph, or nothing to
translate); en and es do not have the same code spans (as multisets: es translated a
placeholder such as ``/path/to`` or mistyped one); they do not have the same number of
links, or their targets differ beyond their language (``ch03.es.html`` for
``ch03.en.html``, ``social_contract.es.html`` for ``social_contract`` and any Wikipedia
article for another count as the same); the Markdown does not parse back to the same
nodes; the text holds the placeholder prefix ``zqx``.

Metrics, on all kept paragraphs and on the subset whose English carries emphasis or a
link ("with markup"):

- chrF, BLEU: as above.
- code spans kept: per paragraph, the source's code spans (a multiset) found with the
  same content among the output's code spans; summed.
- link targets kept (c): per paragraph, the source's link destinations (a multiset)
  found among the output's link destinations (both as markdown-it normalises them).
- markup placement (c): for each kind (emphasis, strong, link) and each paragraph where
  the English and the reference have the same number of spans of that kind, each English
  span holding a word outside code is paired with a reference span (the same rank among
  its kind; links: the same rank among the links to the same target, up to language) and
  with an output span (emphasis: the same rank, if the output has as many spans of that
  kind as the source, else none; links: the same rank among the output's links to the
  same target). Its score is the token-level F1 of the output span's words against the
  reference span's words (lowercased ``\\w+`` runs, as multisets; 0 when there is no
  output span). Reported: the mean over those spans, and their number. The engine's
  wording counts too: a span on the right words translated differently scores low.
- capitals after markup: in a paragraph, the letters that are the first non-space
  character after one or more markup boundaries (the end of a code span; the start and
  end of a link, emphasis or strong emphasis) and are uppercase; a row reports the sum
  over paragraphs of max(0, output's count − source's count), the source read with the
  markup the row translated (code spans only for (a) and (b)).

Goal (the issue "Quality measured on real human translation"): (c) within 0.5 chrF of
(a), and every link target and code span kept.

Run:  uv run python benchmarks/bench_quality.py [--limit N] [--chapters ch01 ch02 …]
      [--json] [--show N] [--fresh] [--keep DIR] [--install]

``--limit N`` measures N pairs spread evenly over the kept ones; the default is all of
them (2,927 in 2.100; about 15 s once row (a) is cached). Exit status 2 when a package
is missing (the apt command is printed; ``--install`` runs it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

DOC_DIR = Path("/usr/share/debian-reference")
DEFAULT_CHAPTERS = ("pr01", *(f"ch{number:02d}" for number in range(1, 13)), "apa")
"""The preface, the twelve chapters and the appendix (``index`` is a table of contents)."""
SOURCE_LANGUAGE = "en"
MIN_WORDS = 4
"""Pairs whose English has fewer words outside code are dropped."""
PLACEHOLDER = "zqx"
"""Prefix of the words that stand for code spans in the raw engine's input."""
T = TypeVar("T")
GOAL_CHRF = 0.5
"""Row (c) may be at most this many chrF points under row (a)."""

# ---------------------------------------------------------------------------------------
# Inline nodes


@dataclass(frozen=True, slots=True)
class Text:
    """Running text."""

    text: str
    """The characters, HTML entities decoded, Markdown escapes resolved."""


@dataclass(frozen=True, slots=True)
class Code:
    """A code span: never translated."""

    text: str
    """Its content."""


@dataclass(frozen=True, slots=True)
class Span:
    """A link or an emphasis around other nodes."""

    kind: str
    """``link``, ``em`` or ``strong``."""
    children: tuple[Node, ...]
    """What it holds."""
    target: str = ""
    """The link destination (empty for emphasis)."""


Node = Text | Code | Span


def normalise(nodes: Sequence[Node]) -> tuple[Node, ...]:
    """Whitespace collapsed, adjacent texts merged, edge spaces moved out of spans.

    Code content has its whitespace collapsed and stripped, as a browser shows it; empty
    code spans, texts and spans are removed; the result has no space at either end.
    """
    out: list[Node] = []

    def add_text(text: str) -> None:
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + text)
        else:
            out.append(Text(text))

    for node in nodes:
        if isinstance(node, Span):
            inner = normalise(node.children)
            if _leading_space(node.children):
                add_text(" ")
            if inner:
                out.append(Span(node.kind, inner, node.target))
            if _trailing_space(node.children):
                add_text(" ")
        elif isinstance(node, Code):
            content = " ".join(node.text.split())
            if content:
                out.append(Code(content))
        else:
            add_text(node.text)
    result = [
        Text(re.sub(r"\s+", " ", node.text)) if isinstance(node, Text) else node for node in out
    ]
    if result and isinstance(result[0], Text):
        result[0] = Text(result[0].text.lstrip())
    if result and isinstance(result[-1], Text):
        result[-1] = Text(result[-1].text.rstrip())
    return tuple(node for node in result if not (isinstance(node, Text) and not node.text))


def _leading_space(nodes: Sequence[Node]) -> bool:
    for node in nodes:
        if isinstance(node, Text):
            if node.text.strip():
                return node.text[0].isspace()
            if node.text:
                return True
        elif isinstance(node, Span):
            return _leading_space(node.children)
        else:
            return False
    return False


def _trailing_space(nodes: Sequence[Node]) -> bool:
    for node in reversed(nodes):
        if isinstance(node, Text):
            if node.text.strip():
                return node.text[-1].isspace()
            if node.text:
                return True
        elif isinstance(node, Span):
            return _trailing_space(node.children)
        else:
            return False
    return False


def plain(nodes: Sequence[Node]) -> str:
    """The text as scored: code content kept, link text kept, markers gone."""
    return " ".join(_plain(nodes).split())


def _plain(nodes: Sequence[Node]) -> str:
    return "".join(_plain(node.children) if isinstance(node, Span) else node.text for node in nodes)


def strip_spans(nodes: Sequence[Node]) -> tuple[Node, ...]:
    """The nodes with links and emphasis removed (their content kept): code spans only."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Span):
            out.extend(strip_spans(node.children))
        else:
            out.append(node)
    return normalise(out)


def codes(nodes: Sequence[Node]) -> list[str]:
    """The code spans' contents, in order (inside links and emphasis too)."""
    found: list[str] = []
    for node in nodes:
        if isinstance(node, Code):
            found.append(node.text)
        elif isinstance(node, Span):
            found.extend(codes(node.children))
    return found


def spans(nodes: Sequence[Node]) -> list[Span]:
    """Every link and emphasis, outermost first, in document order."""
    found: list[Span] = []
    for node in nodes:
        if isinstance(node, Span):
            found.append(node)
            found.extend(spans(node.children))
    return found


def prose_words(nodes: Sequence[Node]) -> list[str]:
    """Words outside code spans (lowercased ``\\w+`` runs holding a letter)."""
    text = prose_text(nodes).lower()
    return [word for word in re.findall(r"\w+", text) if any(char.isalpha() for char in word)]


def prose_text(nodes: Sequence[Node]) -> str:
    """The text without code spans (each replaced by a space)."""
    return "".join(
        " "
        if isinstance(node, Code)
        else prose_text(node.children)
        if isinstance(node, Span)
        else node.text
        for node in nodes
    )


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


# ---------------------------------------------------------------------------------------
# HTML → blocks of inline nodes


class _Blocks(HTMLParser):
    """The text blocks of a DocBook HTML page, each as inline nodes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, tuple[Node, ...]]] = []
        """(``p`` or ``td``, the block's nodes), in document order."""
        self._block: str | None = None  # "p" or "td" while inside a block
        self._frames: list[tuple[str, list[Node], str]] = []  # (kind, children, target)
        self._ends: list[str] = []  # per open tag inside the block: what its end does
        self._skip = 0  # inside a footnote marker
        self._code = 0  # inside a code span
        self._tables: list[bool] = []  # open tables: is it a DocBook data table?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        if tag == "table":
            self._tables.append("table" in classes)
        if self._block is None:
            if tag == "p" and "title" not in classes:
                self._open_block("p")
            elif tag == "td" and self._tables and self._tables[-1]:
                self._open_block("td")
            return
        if tag == "p" and self._block == "td":  # a cell holding paragraphs: use those
            self._open_block("p")
            return
        if tag in {"br", "img", "col", "hr", "meta", "link"}:
            if tag == "br":
                self._add(Text(" "))
            return
        self._ends.append(self._start(tag, attributes, classes))

    def _start(self, tag: str, attributes: dict[str, str], classes: list[str]) -> str:
        if self._skip:
            self._skip += 1
            return "skip"
        if tag == "a" and ("footnote" in classes or "para" in classes):
            self._skip = 1
            return "skip"
        if self._code:
            return "none"
        if tag == "code":
            self._code += 1
            self._frames.append(("code", [], ""))
            return "frame"
        if tag == "a" and "href" in attributes and ({"ulink", "xref"} & set(classes)):
            self._frames.append(("link", [], attributes["href"]))
            return "frame"
        kind = None
        if (tag == "span" and "emphasis" in classes) or tag == "em":
            kind = "em"
        elif (tag == "span" and "strong" in classes) or tag == "strong":
            kind = "strong"
        if kind is not None:
            # DocBook writes <span class="emphasis"><em>…</em></span>: one emphasis.
            if self._frames and self._frames[-1][0] == kind and not self._frames[-1][1]:
                return "none"
            self._frames.append((kind, [], ""))
            return "frame"
        return "none"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._block is not None and tag == "br":
            self._add(Text(" "))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._tables:
            self._tables.pop()
        if self._block is None:
            return
        if tag == self._block:
            self._close_block()
            return
        if tag in {"br", "img", "col", "hr", "meta", "link"} or not self._ends:
            return
        action = self._ends.pop()
        if action == "skip":
            self._skip -= 1
        elif action == "frame":
            kind, children, target = self._frames.pop()
            if kind == "code":
                self._code -= 1
                self._add(Code(_plain(children)))
            else:
                self._add(Span(kind, tuple(children), target))

    def handle_data(self, data: str) -> None:
        if self._block is not None and not self._skip:
            self._add(Text(data))

    def _add(self, node: Node) -> None:
        self._frames[-1][1].append(node)

    def _open_block(self, kind: str) -> None:
        self._block = kind
        self._frames = [("block", [], "")]
        self._ends = []
        self._skip = 0
        self._code = 0

    def _close_block(self) -> None:
        while len(self._frames) > 1:  # unclosed inline tags: close them
            kind, children, target = self._frames.pop()
            node: Node = (
                Code(_plain(children)) if kind == "code" else Span(kind, tuple(children), target)
            )
            self._add(node)
        self.blocks.append((self._block, normalise(self._frames[0][1])))
        self._block = None


def read_blocks(path: Path) -> list[tuple[str, tuple[Node, ...]]]:
    parser = _Blocks()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser.blocks


# ---------------------------------------------------------------------------------------
# Markdown


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # translatio's settings (text/segment.py).
    return MarkdownIt("commonmark", {"maxNesting": 100}).enable("table").use(front_matter_plugin)


_SPECIAL = re.compile(r"[\\`*_\[\]<>&!|~]")


def to_markdown(nodes: Sequence[Node], *, escape: bool = False) -> str:
    """The nodes as one line of inline Markdown."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(_SPECIAL.sub(r"\\\g<0>", node.text) if escape else node.text)
        elif isinstance(node, Code):
            out.append(code_span(node.text))
        elif node.kind == "link":
            target = node.target
            if re.search(r"[\s()<>]", target):
                target = "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
            out.append(f"[{to_markdown(node.children, escape=escape)}]({target})")
        else:
            marker = "**" if node.kind == "strong" else "*"
            out.append(marker + to_markdown(node.children, escape=escape) + marker)
    text = "".join(out)
    if escape:  # block syntax at the start of the line
        text = re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", text)
        text = re.sub(r"^([-+=#>])", r"\\\1", text)
    return text


def code_span(content: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or content.startswith(" ") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def parse_markdown(text: str) -> tuple[Node, ...] | None:
    """The inline nodes of a one-paragraph Markdown text; ``None`` if it is not one paragraph."""
    tokens = _markdown().parse(text)
    if [token.type for token in tokens] != ["paragraph_open", "inline", "paragraph_close"]:
        return None
    return _inline_nodes(tokens[1].children or [])


def inline_nodes(text: str) -> tuple[Node, ...]:
    """The inline nodes of any Markdown text (its paragraphs joined by a space)."""
    nodes: list[Node] = []
    for token in _markdown().parse(text):
        if token.type == "inline":
            if nodes:
                nodes.append(Text(" "))
            nodes.extend(_inline_nodes(token.children or []))
    return normalise(nodes)


def _inline_nodes(tokens: Sequence[Any]) -> tuple[Node, ...]:
    frames: list[tuple[str, list[Node], str]] = [("root", [], "")]
    for token in tokens:
        if token.type in {"text", "html_inline"}:
            frames[-1][1].append(Text(token.content))
        elif token.type in {"softbreak", "hardbreak"}:
            frames[-1][1].append(Text(" "))
        elif token.type == "code_inline":
            frames[-1][1].append(Code(token.content))
        elif token.type == "image":
            frames[-1][1].append(Text(token.content))
        elif token.type.endswith("_open"):
            kind = {"link_open": "link", "em_open": "em", "strong_open": "strong"}.get(
                token.type, "other"
            )
            frames.append((kind, [], str(token.attrGet("href") or "")))
        elif token.type.endswith("_close") and len(frames) > 1:
            kind, children, target = frames.pop()
            if kind == "other":
                frames[-1][1].extend(children)
            else:
                frames[-1][1].append(Span(kind, tuple(children), target))
    while len(frames) > 1:
        kind, children, target = frames.pop()
        frames[-1][1].extend(children)
    return normalise(frames[0][1])


def normalise_link(target: str) -> str:
    """A destination as markdown-it stores it."""
    return str(_markdown().normalizeLink(target))


def with_normalised_links(nodes: Sequence[Node]) -> tuple[Node, ...]:
    return tuple(
        Span(node.kind, with_normalised_links(node.children), normalise_link(node.target))
        if isinstance(node, Span) and node.kind == "link"
        else Span(node.kind, with_normalised_links(node.children), node.target)
        if isinstance(node, Span)
        else node
        for node in nodes
    )


def markdown_for(nodes: tuple[Node, ...]) -> str | None:
    """Markdown that parses back to ``nodes``: unescaped if that works, else escaped."""
    expected = with_normalised_links(nodes)
    for escape in (False, True):
        text = to_markdown(nodes, escape=escape)
        if parse_markdown(text) == expected:
            return text
    return None


# ---------------------------------------------------------------------------------------
# Alignment


@dataclass(frozen=True, slots=True)
class Pair:
    """One aligned paragraph."""

    chapter: str
    """The chapter file's stem (``ch02``)."""
    index: int
    """The block's rank in the chapter."""
    kind: str
    """``p`` (a paragraph) or ``td`` (a table cell)."""
    source: tuple[Node, ...]
    """The English nodes, links as markdown-it normalises them."""
    reference: tuple[Node, ...]
    """The human translation's nodes, links as markdown-it normalises them."""
    markdown: str
    """The English with all inline markup, one line of Markdown."""
    plain_markdown: str
    """The English with code spans only, one line of Markdown."""

    @property
    def has_markup(self) -> bool:
        return bool(spans(self.source))


@dataclass(slots=True)
class Alignment:
    """The kept pairs and why the others were dropped."""

    pairs: list[Pair] = field(default_factory=list)
    """The kept pairs, in chapter and block order."""
    blocks: Counter[str] = field(default_factory=Counter)
    """English blocks read, per kind (``p``, ``td``)."""
    kept: Counter[str] = field(default_factory=Counter)
    """Pairs kept, per kind."""
    dropped: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Pairs dropped, per (reason, kind)."""
    chapters_dropped: list[str] = field(default_factory=list)
    """Chapters whose en and es blocks do not line up, with their counts."""


def align(chapters: Sequence[str], language: str) -> Alignment:
    result = Alignment()
    for chapter in chapters:
        english = read_blocks(DOC_DIR / f"{chapter}.{SOURCE_LANGUAGE}.html")
        translated = read_blocks(DOC_DIR / f"{chapter}.{language}.html")
        for kind, _ in english:
            result.blocks[kind] += 1
        if [kind for kind, _ in english] != [kind for kind, _ in translated]:
            result.chapters_dropped.append(
                f"{chapter}: {len(english)} blocks in en, {len(translated)} in {language}"
            )
            for kind, _ in english:
                result.dropped["chapter whose blocks do not line up", kind] += 1
            continue
        for index, ((kind, source), (_, reference)) in enumerate(
            zip(english, translated, strict=True)
        ):
            reason = _drop_reason(source, reference)
            markdown = plain_markdown = None
            if reason is None:
                markdown = markdown_for(source)
                plain_markdown = markdown_for(strip_spans(source))
                if markdown is None or plain_markdown is None:
                    reason = "Markdown does not parse back to the same nodes"
            if reason is not None or markdown is None or plain_markdown is None:
                result.dropped[reason or "", kind] += 1
                continue
            result.kept[kind] += 1
            result.pairs.append(
                Pair(
                    chapter,
                    index,
                    kind,
                    with_normalised_links(source),
                    with_normalised_links(reference),
                    markdown,
                    plain_markdown,
                )
            )
    return result


def _drop_reason(source: tuple[Node, ...], reference: tuple[Node, ...]) -> str | None:
    if not plain(source):
        return "empty"
    if len(prose_words(source)) < MIN_WORDS:
        return f"fewer than {MIN_WORDS} words outside code"
    if plain(source) == plain(reference):
        return "the translation equals the English (po4a's fallback: not translated)"
    if Counter(codes(source)) != Counter(codes(reference)):
        return "code spans differ between en and es (translated or mistyped in es)"
    source_links = [span.target for span in spans(source) if span.kind == "link"]
    reference_links = [span.target for span in spans(reference) if span.kind == "link"]
    if len(source_links) != len(reference_links):
        return "number of links differs between en and es"
    if Counter(map(neutral_target, source_links)) != Counter(map(neutral_target, reference_links)):
        return "link targets differ between en and es beyond their language"
    if PLACEHOLDER in plain(source).lower():
        return f"text holds the placeholder prefix {PLACEHOLDER!r}"
    return None


def neutral_target(url: str) -> str:
    """A link target without its language: what en and es must share.

    po4a translators may point a link at their language's page: ``ch03.es.html#x`` for
    ``ch03.en.html#x``, ``social_contract.es.html`` for ``social_contract``, or the
    Spanish Wikipedia article (whose title differs) for the English one.
    """
    if re.match(r"https?://[a-z-]+\.wikipedia\.org/", url):
        return "wikipedia"
    address, _, anchor = url.partition("#")
    address = re.sub(r"(?:(?<=/)index)?(?:\.[a-z]{2}(?:-[a-z]{2})?)?\.html$", "", address)
    address = re.sub(r"(?<=/)index$", "", address)
    return address + "#" + anchor if anchor else address


def sample(items: Sequence[T], limit: int | None) -> list[T]:
    """``limit`` items spread evenly over the whole sequence (all when ``None``)."""
    if limit is None or limit >= len(items):
        return list(items)
    step = len(items) / limit
    return [items[int(rank * step)] for rank in range(limit)]


# ---------------------------------------------------------------------------------------
# Rows


@dataclass(frozen=True, slots=True)
class Output:
    """One row's translation of one paragraph."""

    nodes: tuple[Node, ...]
    """The output as inline nodes."""
    empty: bool = False
    """The row gave no translation."""


def placeholder(rank: int) -> str:
    """``zqxa``, ``zqxb``, …, ``zqxz``, ``zqxba``, …: letters only."""
    letters = ""
    while True:
        letters = chr(ord("a") + rank % 26) + letters
        rank //= 26
        if not rank:
            break
    return PLACEHOLDER + letters


def raw_input(pair: Pair) -> tuple[str, list[str]]:
    """The plain text with each code span replaced by a placeholder, and the code spans."""
    parts: list[str] = []
    found: list[str] = []
    for node in strip_spans(pair.source):
        if isinstance(node, Code):
            parts.append(placeholder(len(found)))
            found.append(node.text)
        else:
            parts.append(node.text)  # type: ignore[union-attr]
    return " ".join("".join(parts).split()), found


def restore(output: str, found: Sequence[str]) -> tuple[Node, ...]:
    """Apertium's output as nodes: each placeholder seen exactly once becomes its code."""
    names = {placeholder(rank): code for rank, code in enumerate(found)}
    counts = Counter(re.findall(rf"\b{PLACEHOLDER}[a-z]+\b", output))
    nodes: list[Node] = []
    position = 0
    for match in re.finditer(rf"\b{PLACEHOLDER}[a-z]+\b", output):
        name = match.group()
        if name in names and counts[name] == 1:
            nodes.append(Text(output[position : match.start()]))
            nodes.append(Code(names[name]))
            position = match.end()
    nodes.append(Text(output[position:]))
    return normalise(nodes)


_MARK = re.compile(r"(?<![\w*#@])[*#@](?=\w)")


def apertium_plain(text: str, mode: str) -> str:
    """``echo TEXT | apertium -f txt MODE``, its unknown-word marks removed."""
    completed = subprocess.run(
        ["apertium", "-f", "txt", mode],
        input=text + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(_MARK.sub("", completed.stdout).split())


def run_raw(
    pairs: Sequence[Pair], language: str, *, fresh: bool
) -> tuple[list[Output], dict[str, Any]]:
    """Row (a): each paragraph through its own ``apertium -f txt`` (cached by version).

    The same texts also go through ``ApertiumEngine``'s one null-flush batch; the texts
    whose output differs from the command's are reported (the engine claims none).
    """
    from translatio.engines.apertium import ApertiumEngine
    from translatio.languages import parse_language

    mode = f"eng-{_three_letter(language)}"
    inputs = [raw_input(pair) for pair in pairs]
    texts = [text for text, _ in inputs]
    cache_path = raw_cache_path(mode)
    known: dict[str, str] = {}
    if not fresh and cache_path.is_file():
        known = json.loads(cache_path.read_text("utf-8"))
    todo = sorted(set(texts) - known.keys())
    if todo:
        print(
            f"row (a): {len(todo)} texts through `apertium -f txt {mode}`, one process each "
            f"(about {len(todo) / 11:.0f} s on 2 cores; cached for the next runs)",
            file=sys.stderr,
        )
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        known.update(
            zip(todo, pool.map(lambda text: apertium_plain(text, mode), todo), strict=True)
        )
    if todo:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        scratch = cache_path.with_suffix(".tmp")
        scratch.write_text(json.dumps(known, ensure_ascii=False, sort_keys=True), "utf-8")
        scratch.replace(cache_path)
    outputs = [known[text] for text in texts]
    batch = ApertiumEngine().translate(
        texts, source=parse_language(SOURCE_LANGUAGE), target=parse_language(language)
    )
    differ = [
        {"input": text, "apertium": alone, "engine batch": together.text}
        for text, alone, together in zip(texts, outputs, batch, strict=True)
        if alone != together.text
    ]
    results = [
        Output(restore(output, found), empty=not output.strip())
        for output, (_, found) in zip(outputs, inputs, strict=True)
    ]
    batch_outputs = [
        Output(restore(together.text, found))
        for together, (_, found) in zip(batch, inputs, strict=True)
    ]
    notes = {
        "engine batch chrF": score(pairs, batch_outputs, row="a")["chrf"] if pairs else None,
        "apertium runs": len(todo),
        "cached": len(set(texts)) - len(todo),
        "cache": str(cache_path),
        "engine batch differs from apertium -f txt": differ,
    }
    return results, notes


def raw_cache_path(mode: str) -> Path:
    """Where row (a)'s outputs are kept: per Apertium and pair version, and mode file."""
    versions = []
    for package in ("apertium", f"apertium-{mode}"):
        completed = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        versions.append(completed.stdout.strip() or "unknown")
    mode_file = Path(f"/usr/share/apertium/modes/{mode}.mode")
    script = mode_file.read_text("utf-8") if mode_file.is_file() else ""
    digest = hashlib.sha256("\0".join([*versions, script, PLACEHOLDER]).encode()).hexdigest()
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "translatio-bench" / f"quality-raw-{mode}-{digest[:16]}.json"


def _three_letter(language: str) -> str:
    return {"es": "spa", "fr": "fra", "ca": "cat", "pt": "por", "it": "ita"}.get(language, language)


def run_translatio(
    pairs: Sequence[Pair], language: str, *, markup: bool, keep: Path | None
) -> tuple[list[Output], dict[str, Any]]:
    """Rows (b) and (c): a fresh project and cache; each paragraph's msgstr."""
    import polib

    from translatio import Project

    with tempfile.TemporaryDirectory(prefix="bench-quality-") as scratch:
        root = Path(scratch) / "project"
        (root / "source").mkdir(parents=True)
        (root / "translatio.toml").write_text(
            f'source_language = "{SOURCE_LANGUAGE}"\nlanguages = ["{language}"]\n'
            'engine = "apertium"\n',
            "utf-8",
        )
        by_chapter: dict[str, list[str]] = {}
        for pair in pairs:
            text = pair.markdown if markup else pair.plain_markdown
            by_chapter.setdefault(pair.chapter, []).append(text)
        for chapter, paragraphs in by_chapter.items():
            (root / "source" / f"{chapter}.md").write_text("\n\n".join(paragraphs) + "\n", "utf-8")
        previous = os.environ.get("TRANSLATIO_CACHE_DIR")
        os.environ["TRANSLATIO_CACHE_DIR"] = str(Path(scratch) / "cache")
        try:
            project = Project.open(root)
            project.extract()
            project.translate(engine="apertium", memory=False)
        finally:
            if previous is None:
                del os.environ["TRANSLATIO_CACHE_DIR"]
            else:
                os.environ["TRANSLATIO_CACHE_DIR"] = previous
        translations: dict[tuple[str, str], str] = {}
        for chapter in by_chapter:
            catalog = root / "locales" / language / "LC_MESSAGES" / f"{chapter}.po"
            for entry in polib.pofile(str(catalog), wrapwidth=0):
                translations[chapter, entry.msgid] = entry.msgstr
        if keep is not None:
            shutil.copytree(root, keep, dirs_exist_ok=True)
    outputs: list[Output] = []
    missing = 0
    for pair in pairs:
        text = pair.markdown if markup else pair.plain_markdown
        msgstr = translations.get((pair.chapter, text))
        if msgstr is None:
            missing += 1
        outputs.append(Output(inline_nodes(msgstr or ""), empty=not msgstr))
    return outputs, {"msgid not found": missing}


# ---------------------------------------------------------------------------------------
# Metrics


def _multiset_kept(source: Sequence[str], output: Sequence[str]) -> int:
    return sum((Counter(source) & Counter(output)).values())


def boundary_capitals(nodes: Sequence[Node]) -> int:
    """Uppercase letters that are the first non-space character after a markup boundary."""
    items: list[tuple[str, str]] = []  # ("text"|"code"|"boundary", characters)

    def walk(sequence: Sequence[Node]) -> None:
        for node in sequence:
            if isinstance(node, Text):
                items.append(("text", node.text))
            elif isinstance(node, Code):
                items.append(("code", node.text))
                items.append(("boundary", ""))
            else:
                items.append(("boundary", ""))
                walk(node.children)
                items.append(("boundary", ""))

    walk(nodes)
    count = 0
    after_boundary = False
    for kind, characters in items:
        if kind == "boundary":
            after_boundary = True
            continue
        if not after_boundary:
            continue
        if kind == "code":
            after_boundary = False
            continue
        stripped = characters.lstrip()
        if not stripped:
            continue  # only spaces: the next item decides
        count += stripped[0].isupper()
        after_boundary = False
    return count


def placement(pair: Pair, output: tuple[Node, ...]) -> Iterator[tuple[str, float]]:
    """(kind, F1) for each source span with prose whose kind has as many spans in the reference."""
    source_spans = spans(pair.source)
    reference_spans = spans(pair.reference)
    output_spans = spans(output)
    for kind in ("em", "strong", "link"):
        source_kind = [span for span in source_spans if span.kind == kind]
        reference_kind = [span for span in reference_spans if span.kind == kind]
        output_kind = [span for span in output_spans if span.kind == kind]
        if not source_kind or len(source_kind) != len(reference_kind):
            continue
        for rank, span in enumerate(source_kind):
            if not prose_words(span.children):
                continue
            if kind == "link":
                # The reference may point at its language's page (``neutral_target``).
                reference_span = _by_target(
                    reference_kind, span.target, rank, source_kind, key=neutral_target
                )
                output_span = _by_target(output_kind, span.target, rank, source_kind, key=str)
            else:
                reference_span = reference_kind[rank]
                output_span = output_kind[rank] if len(output_kind) == len(source_kind) else None
            if reference_span is None:
                continue
            if output_span is None:
                yield kind, 0.0
                continue
            expected = words(plain(reference_span.children))
            got = words(plain(output_span.children))
            overlap = sum((expected & got).values())
            total = sum(expected.values()) + sum(got.values())
            yield kind, (2 * overlap / total if total else 1.0)


def _by_target(
    candidates: Sequence[Span],
    target: str,
    rank: int,
    source_kind: Sequence[Span],
    *,
    key: Callable[[str], str],
) -> Span | None:
    """The candidate whose target has ``target``'s key, of the same rank among those."""
    wanted = key(target)
    same = [span for span in candidates if key(span.target) == wanted]
    nth = sum(1 for span in source_kind[:rank] if key(span.target) == wanted)
    return same[nth] if nth < len(same) else None


def score(pairs: Sequence[Pair], outputs: Sequence[Output], *, row: str) -> dict[str, Any]:
    """One row's metrics on these pairs (links and placement only for row (c))."""
    import sacrebleu

    hypotheses = [plain(output.nodes) for output in outputs]
    references = [plain(pair.reference) for pair in pairs]
    chrf = sacrebleu.corpus_chrf(hypotheses, [references]).score if pairs else 0.0
    bleu = sacrebleu.corpus_bleu(hypotheses, [references]).score if pairs else 0.0
    code_total = sum(len(codes(pair.source)) for pair in pairs)
    code_kept = sum(
        _multiset_kept(codes(pair.source), codes(output.nodes))
        for pair, output in zip(pairs, outputs, strict=True)
    )
    link_total = sum(1 for pair in pairs for span in spans(pair.source) if span.kind == "link")
    link_kept = sum(
        _multiset_kept(
            [span.target for span in spans(pair.source) if span.kind == "link"],
            [span.target for span in spans(output.nodes) if span.kind == "link"],
        )
        for pair, output in zip(pairs, outputs, strict=True)
    )
    capitals = sum(
        max(
            0,
            boundary_capitals(output.nodes)
            - boundary_capitals(pair.source if row == "c" else strip_spans(pair.source)),
        )
        for pair, output in zip(pairs, outputs, strict=True)
    )
    by_kind: dict[str, list[float]] = {"em": [], "strong": [], "link": []}
    for pair, output in zip(pairs, outputs, strict=True):
        for kind, f1 in placement(pair, output.nodes):
            by_kind[kind].append(f1)
    placed = [f1 for scores in by_kind.values() for f1 in scores]
    return {
        "paragraphs": len(pairs),
        "chrf": round(chrf, 2),
        "bleu": round(bleu, 2),
        "code_spans_kept": code_kept,
        "code_spans": code_total,
        "link_targets_kept": link_kept if row == "c" else None,
        "link_targets": link_total,
        "placement_f1": round(sum(placed) / len(placed), 3) if placed and row == "c" else None,
        "placement_spans": len(placed),
        "placement_by_kind": {
            kind: {"f1": round(sum(scores) / len(scores), 3), "spans": len(scores)}
            for kind, scores in by_kind.items()
            if scores and row == "c"
        },
        "capitals_after_markup": capitals,
        "empty_outputs": sum(output.empty for output in outputs),
    }


# ---------------------------------------------------------------------------------------
# Command line


ROWS = (
    ("a", "raw Apertium, plain text"),
    ("b", "translatio, plain text (code spans)"),
    ("c", "translatio, inline markup, removed for scoring"),
)


def missing_requirements(language: str) -> list[str]:
    """apt packages to install for the data and the engine."""
    packages = []
    for code in (SOURCE_LANGUAGE, language):
        if not (DOC_DIR / f"index.{code}.html").is_file():
            packages.append(f"debian-reference-{code}")
    if shutil.which("apertium") is None:
        packages.append("apertium")
    mode = f"eng-{_three_letter(language)}"
    if not any(
        (directory / f"{mode}.mode").is_file()
        for directory in (
            Path("/usr/share/apertium/modes"),
            Path("/usr/local/share/apertium/modes"),
        )
    ):
        packages.append(f"apertium-{mode}")
    return packages


def install(packages: Sequence[str]) -> int:
    command = ["apt-get", "install", "-y", *packages]
    if os.geteuid() != 0 and shutil.which("sudo"):
        command.insert(0, "sudo")
    print("$ " + shlex.join(command), file=sys.stderr)
    return subprocess.run(command, check=False).returncode


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Quality on the Debian Reference: raw Apertium vs translatio, sacrebleu."
    )
    parser.add_argument(
        "--limit", type=_positive, default=None, help="measure N pairs, spread evenly (all)"
    )
    parser.add_argument("--chapters", nargs="+", default=list(DEFAULT_CHAPTERS))
    parser.add_argument("--language", default="es", help="target language (Apertium pair)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--fresh", action="store_true", help="rerun apertium for row (a), ignoring its cache"
    )
    parser.add_argument("--install", action="store_true", help="apt-get install what is missing")
    parser.add_argument("--keep", type=Path, help="copy the two projects here (b/, c/)")
    parser.add_argument("--show", type=int, default=0, help="print N sample paragraphs")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    command = "uv run python benchmarks/bench_quality.py" + (
        " " + shlex.join(sys.argv[1:] if argv is None else argv)
        if (sys.argv[1:] if argv is None else argv)
        else ""
    )
    missing = missing_requirements(arguments.language)
    if missing and arguments.install:
        if install(missing) != 0:
            return 2
        missing = missing_requirements(arguments.language)
    if missing:
        print(
            "missing: "
            + ", ".join(missing)
            + "\ninstall with: apt-get install -y "
            + " ".join(missing)
            + "\n(as root, after apt-get update; or rerun with --install)",
            file=sys.stderr,
        )
        return 2

    unknown = [
        chapter
        for chapter in arguments.chapters
        for code in (SOURCE_LANGUAGE, arguments.language)
        if not (DOC_DIR / f"{chapter}.{code}.html").is_file()
    ]
    if unknown:
        known = sorted({path.name.split(".")[0] for path in DOC_DIR.glob("*.en.html")})
        print(
            f"no such chapter: {', '.join(dict.fromkeys(unknown))} (chapters: {' '.join(known)})",
            file=sys.stderr,
        )
        return 2

    started = time.perf_counter()
    alignment = align(arguments.chapters, arguments.language)
    pairs = sample(alignment.pairs, arguments.limit)
    timings = {"align": time.perf_counter() - started}

    outputs: dict[str, list[Output]] = {}
    notes: dict[str, dict[str, Any]] = {}
    clock = time.perf_counter()
    outputs["a"], notes["a"] = run_raw(pairs, arguments.language, fresh=arguments.fresh)
    timings["a"] = time.perf_counter() - clock
    for row, markup in (("b", False), ("c", True)):
        clock = time.perf_counter()
        keep = arguments.keep / row if arguments.keep else None
        outputs[row], notes[row] = run_translatio(
            pairs, arguments.language, markup=markup, keep=keep
        )
        timings[row] = time.perf_counter() - clock

    subsets = {
        "all": list(range(len(pairs))),
        "with markup": [rank for rank, pair in enumerate(pairs) if pair.has_markup],
    }
    results: list[dict[str, Any]] = []
    for subset, ranks in subsets.items():
        chosen = [pairs[rank] for rank in ranks]
        for row, label in ROWS:
            chosen_outputs = [outputs[row][rank] for rank in ranks]
            results.append(
                {"subset": subset, "row": row, "variant": label}
                | score(chosen, chosen_outputs, row=row)
            )
    timings["total"] = time.perf_counter() - started

    report = {
        "command": command,
        "engine": "apertium",
        "language": arguments.language,
        "chapters": arguments.chapters,
        "blocks": dict(alignment.blocks),
        "kept": dict(alignment.kept),
        "measured": len(pairs),
        "with_markup": len(subsets["with markup"]),
        "dropped": dropped_by_reason(alignment),
        "chapters_dropped": alignment.chapters_dropped,
        "notes": notes,
        "rows": results,
        "goal": goal(results),
        "seconds": {name: round(value, 1) for name, value in timings.items()},
    }
    if arguments.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report)
        for rank in sample(range(len(pairs)), arguments.show) if arguments.show else []:
            print_sample(pairs[rank], {row: outputs[row][rank] for row, _ in ROWS})
    return 0


def dropped_by_reason(alignment: Alignment) -> dict[str, dict[str, int]]:
    """{reason: {"p": n, "td": n}}, the most frequent reason first."""
    totals: Counter[str] = Counter()
    for (reason, _), count in alignment.dropped.items():
        totals[reason] += count
    return {
        reason: {
            kind: alignment.dropped[reason, kind]
            for kind in ("p", "td")
            if alignment.dropped[reason, kind]
        }
        for reason, _ in totals.most_common()
    }


def goal(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for subset in ("all", "with markup"):
        rows = {result["row"]: result for result in results if result["subset"] == subset}
        if not rows["a"]["paragraphs"]:
            continue
        gap = round(rows["c"]["chrf"] - rows["a"]["chrf"], 2)
        checks[f"chrF (c) - (a), {subset}"] = gap
        checks[f"within {GOAL_CHRF} chrF, {subset}"] = gap >= -GOAL_CHRF
    c = next(r for r in results if r["subset"] == "all" and r["row"] == "c")
    checks["every link target and code span kept (c)"] = (
        c["link_targets_kept"] == c["link_targets"] and c["code_spans_kept"] == c["code_spans"]
    )
    return checks


def print_report(report: dict[str, Any]) -> None:
    print(f"$ {report['command']}")
    blocks, kept = report["blocks"], report["kept"]

    def kinds(counts: dict[str, int]) -> str:
        return f"{sum(counts.values())} ({counts.get('p', 0)} p + {counts.get('td', 0)} td)"

    print(
        f"Debian Reference en → {report['language']}, Apertium: {kinds(blocks)} blocks, "
        f"{kinds(kept)} pairs kept, {report['measured']} measured "
        f"({report['with_markup']} with emphasis or links)"
    )
    for reason, counts in report["dropped"].items():
        print(f"  dropped {kinds(counts)}: {reason}")
    for line in report["chapters_dropped"]:
        print(f"  chapter dropped: {line}")
    print()
    header = (
        "| subset | row | paragraphs | chrF | BLEU | code spans kept | link targets kept "
        "| placement F1 (spans) | extra capitals after markup |"
    )
    print(header)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in report["rows"]:
        links = f"{row['link_targets_kept']}/{row['link_targets']}" if row["row"] == "c" else "—"
        placed = (
            f"{row['placement_f1']:.3f} ({row['placement_spans']})"
            if row["row"] == "c" and row["placement_f1"] is not None
            else "—"
        )
        print(
            f"| {row['subset']} | ({row['row']}) {row['variant']} | {row['paragraphs']} "
            f"| {row['chrf']:.2f} | {row['bleu']:.2f} "
            f"| {row['code_spans_kept']}/{row['code_spans']} | {links} | {placed} "
            f"| {row['capitals_after_markup']} |"
        )
    print()
    for name, value in report["goal"].items():
        print(f"  {name}: {value}")
    raw = report["notes"]["a"]
    differ = raw["engine batch differs from apertium -f txt"]
    print(
        f"  row (a): {raw['apertium runs']} apertium runs, {raw['cached']} texts from "
        f"{raw['cache']}; ApertiumEngine's batch differs from `apertium -f txt` on "
        f"{len(differ)} of {report['measured']} texts (chrF of the batch: "
        f"{raw['engine batch chrF']})"
    )
    for case in sorted(differ, key=lambda case: len(case["input"]))[:2]:
        alone, together = case["apertium"], case["engine batch"]
        print(f"    {case['input']!r}: {alone!r} alone, {together!r} in the batch")
    for row in ("b", "c"):
        for name, value in report["notes"][row].items():
            if value:
                print(f"  row ({row}): {name}: {value}")
    empty = {r["row"]: r["empty_outputs"] for r in report["rows"] if r["subset"] == "all"}
    if any(empty.values()):
        print(f"  empty outputs: {empty}")
    seconds = report["seconds"]
    print("  seconds: " + ", ".join(f"{name} {value}" for name, value in seconds.items()))


def print_sample(pair: Pair, outputs: dict[str, Output]) -> None:
    print(f"\n--- {pair.chapter} block {pair.index}")
    print(f"source:    {pair.markdown}")
    print(f"reference: {plain(pair.reference)}")
    for row, output in outputs.items():
        print(f"({row})       {plain(output.nodes)}")


if __name__ == "__main__":
    sys.exit(main())
