"""The Apertium engine: Debian's rule-based MT (``apertium`` plus pair packages).

Real offline translation for the pairs Apertium has (``apertium-eng-spa``,
``apertium-eng-cat``, …); it also gives the test suite real MT output.

Each text is translated on its own. Apertium's tagger and transfer rules work across
line breaks, so one text per line lets words move between texts; instead every text of a
call goes through one long-lived pipeline in null-flush mode (the pair's mode with
``-z`` on every stage, as ``apertium-wblank-mode -z`` writes it), ended by a NUL, and
its output is read up to the NUL that stage flushes. The ``apertium`` wrapper script is
not used for that: its ``gawk`` filters read ahead past a NUL, so it answers one text
late. The wrapper's plain-text deformatter and reformatter (``apertium-destxt``,
``apertium-retxt``) are reproduced here for one line of text, so a text comes out
exactly as ``echo TEXT | apertium -f txt PAIR`` gives it.

Apertium marks words it could not handle (``*unknown``, ``#generation``,
``@transfer``); the marks are removed. A word marked unknown (``*``: not in the source
dictionary) or untransferable (``@``: not in the bilingual one) is passed through
untranslated and reported, so the entry's comment tells the reviewer; so is a
capitalised word the pair read as a name and copied unchanged (``La reunión es en
April``), unless it opens the sentence. A generation mark (``#``) is not reported: that
word was translated, only its inflection could not be generated.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from functools import cache
from typing import IO

from translatio.engines.apertium_pairs import (
    debian_package,
    find_mode,
    installed_modes,
    modes_from,
    package_version,
)
from translatio.engines.base import Capabilities
from translatio.errors import EngineError
from translatio.languages import Language
from translatio.progress import Progress
from translatio.reports import Translation
from translatio.text.inline import is_markup
from translatio.text.markup import split_runs

__all__ = ["ApertiumEngine", "deformat", "read_marks", "reformat"]

_MARK = re.compile(r"(?<![\w*#@])[*#@](?=\w)")
_MARKED_WORD = re.compile(r"(?<![\w*#@])[*@](\w[\w'-]*)")
"""A word passed through untranslated: unknown (``*``) or untransferable (``@``)."""
_WORD = re.compile(r"(?<![\w*#@'-])[^\W\d_][\w'-]*")
# apertium-destxt: these are escaped with a backslash; runs of blanks that hold a "~" or
# are more than one space become a superblank "[…]"; the end of input gets ".[]".
_STREAM_SPECIAL = frozenset("\\[]^$/@<>{}")
_BLANKS = re.compile(r"[ ~]+")
# apertium-retxt: "\c" is c, ".[]" is the period destxt added, "[…]" is a superblank.
_STREAM_TOKEN = re.compile(r"\\(.)|\.\[\]|\[((?:\\.|[^\]\\])*)\]", re.DOTALL)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_SUPERBLANK = re.compile(r"\[((?:\\.|[^\]\\])+)\]", re.DOTALL)
"""A non-empty superblank (``.[]``, the end destxt adds, is empty)."""


class ApertiumEngine:
    """Rule-based translation through Apertium's pipeline for a pair."""

    name = "apertium"
    capabilities = Capabilities(scored=False, markup=True)

    def __init__(self, *, executable: str | None = None, timeout: float = 60.0) -> None:
        self.executable = executable or shutil.which("apertium")
        self.timeout = timeout
        """Seconds to wait for one text's output before the pipeline counts as hung."""
        self.unknown_words: dict[str, tuple[str, ...]] = {}
        """Words Apertium marked as unknown, per output text of the last call."""

    def mode(self, source: Language, target: Language) -> str:
        """The installed Apertium mode for a pair (``eng-spa``, ``en-gl``); else ``EngineError``.

        The error's hint names Debian's package for the two languages, or says that
        Debian has none (``apertium_pairs``).
        """
        if self.executable is None:
            raise EngineError(
                "apertium is not installed",
                hint="apt-get install apertium apertium-eng-spa (one package per pair)",
            )
        mode = find_mode(source, target, installed_modes())
        if mode is None:
            package = debian_package(source, target)
            get = (
                f"apt-get install {package} (if it has this direction)"
                if package
                else f"Debian has no Apertium package for {source.code} and {target.code}: "
                f'choose another engine for it, engines = {{ "{target.code}" = "argos" }}'
            )
            raise EngineError(
                f"no Apertium pair for {source.code} → {target.code}",
                hint=f"{get}; installed from {source.code}: "
                + (", ".join(modes_from(source, installed_modes())) or "none"),
            )
        return mode

    def prepare(self, source: Language, targets: Sequence[Language], progress: Progress) -> None:
        """Check that ``apertium`` and every pair's mode and pipeline are installed.

        Apertium installs nothing by itself: a missing pair is an ``EngineError`` naming
        the Debian package that provides it.
        """
        for target in dict.fromkeys(targets):
            _null_flush_script(self.mode(source, target))

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Translate sentences, each on its own, through one null-flush pipeline.

        A sentence's inline Markdown goes through as Apertium blanks (``deformat_markdown``),
        so the whole sentence is translated at once and its markup comes back in place.
        """
        mode = self.mode(source, target)
        model = f"apertium-{mode}-{package_version(mode)}"
        outputs = self._run(mode, [deformat_markdown(text) for text in texts], on_progress)
        results = []
        for source_text, output in zip(texts, outputs, strict=True):
            text, unknown = read_output(output)
            unknown = tuple(dict.fromkeys((*unknown, *passed_through(source_text, text))))
            if unknown:
                self.unknown_words[text] = unknown
            results.append(Translation(text, 0.0, model, unknown))
        return results

    def close(self) -> None:
        """Nothing to release: each call's pipeline ends with it."""

    def _run(
        self, mode: str, lines: list[str], on_progress: Callable[[int], None] | None
    ) -> list[str]:
        """Each stream line's output stream, in order; a hung or dead pipeline raises."""
        if not lines:
            return []
        script = _null_flush_script(mode)
        with tempfile.TemporaryFile() as errors:
            try:
                process = subprocess.Popen(
                    ["bash", "-c", script, "apertium", "-g", ""],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    start_new_session=True,
                )
            except OSError as error:
                raise EngineError(f"apertium {mode} could not start: {error}") from None
            assert process.stdin is not None and process.stdout is not None
            payload = b"".join((line + "\0").encode("utf-8") for line in lines)
            # A writer thread, so a long batch never blocks on a full pipe.
            writer = threading.Thread(target=_feed, args=(process.stdin, payload), daemon=True)
            writer.start()
            try:
                raw = _read_blocks(process, len(lines), self.timeout, on_progress)
            except EngineError as error:
                _stop(process, kill=True)
                writer.join(timeout=10)
                errors.seek(0)
                stderr = errors.read().decode("utf-8", "replace").strip()
                detail = f": {stderr[:200]}" if stderr else ""
                raise EngineError(
                    f"apertium {mode} failed: {error.message}{detail}",
                    hint="check the pair with: echo test | apertium " + mode,
                ) from None
            writer.join(timeout=10)
            _stop(process, kill=writer.is_alive())
        return raw


def deformat(text: str) -> str:
    """One line of text as Apertium's stream format (what ``apertium-destxt`` writes)."""
    parts = []
    position = 0
    for blanks in _BLANKS.finditer(text):
        parts.append(_escape(text[position : blanks.start()]))
        run = blanks.group()
        parts.append(run if run == " " else f"[{run}]")
        position = blanks.end()
    parts.append(_escape(text[position:]))
    return "".join(parts) + ".[]"


def deformat_markdown(text: str) -> str:
    """A sentence with inline Markdown as Apertium's stream: its markup as superblanks.

    What ``apertium -f html`` does with tags, done for Markdown: the engine sees the whole
    sentence, and each piece of markup (emphasis markers, link brackets and targets, code
    spans, URLs) stays between the same words, byte for byte. Whitespace in the text
    between markup is collapsed to single spaces, as before.
    """
    parts = []
    for run in split_runs(text):
        if run.translatable or not is_markup(run.text):
            chunk = re.sub(r"\s+", " ", run.text)
            parts.append(deformat(chunk)[: -len(".[]")])
        else:
            parts.append(f"[{_escape(run.text)}]")
    return "".join(parts).strip(" ") + ".[]"


def read_output(stream: str) -> tuple[str, tuple[str, ...]]:
    """The text of an output stream and the words Apertium marked unknown.

    Unknown-word marks are read outside superblanks only (an emphasis ``*`` is markup);
    superblanks come back verbatim, and whitespace between words is single spaces.
    """
    parts = []
    unknown: list[str] = []
    position = 0
    for blank in _SUPERBLANK.finditer(stream):
        parts.append(_unmarked(reformat(stream[position : blank.start()]), unknown))
        parts.append(_ESCAPED.sub(r"\1", blank.group(1)))
        position = blank.end()
    parts.append(_unmarked(reformat(stream[position:]), unknown))
    joined = "".join(parts)
    return re.sub(r" {2,}", " ", joined).strip(), tuple(dict.fromkeys(unknown))


def _unmarked(text: str, unknown: list[str]) -> str:
    """``text`` without unknown-word marks (added to ``unknown``), whitespace single."""
    unknown.extend(_MARKED_WORD.findall(text))
    return re.sub(r"\s+", " ", _MARK.sub("", text))


def reformat(stream: str) -> str:
    """Apertium's stream format as text (what ``apertium-retxt`` writes)."""

    def token(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(1)
        if match.group(2) is not None:
            return _ESCAPED.sub(r"\1", match.group(2))
        return ""

    return _STREAM_TOKEN.sub(token, stream)


def read_marks(output: str, source: str = "") -> tuple[str, tuple[str, ...]]:
    """Apertium's output without its marks, and the words it passed through untranslated
    (``passed_through`` of ``source`` too, when it is given)."""
    text = " ".join(_MARK.sub("", output).split())
    unknown = (*_MARKED_WORD.findall(output), *passed_through(source, text))
    return text, tuple(dict.fromkeys(unknown))


def passed_through(source: str, output: str) -> tuple[str, ...]:
    """Capitalised words of ``source`` (not its first) that ``output`` holds unchanged.

    Apertium copies a word it reads as a name without a mark (``April`` tagged as a
    person's name); a reviewer needs to see those like the marked ones. Markup, words
    without a lower-case letter (``CLI``, ``NASA``) and words ``output`` holds marked
    are left out.
    """
    words = [
        word
        for run in split_runs(source)
        if run.translatable or not is_markup(run.text)
        for word in _WORD.findall(run.text)
    ]
    return tuple(
        dict.fromkeys(
            word
            for word in words[1:]
            if word[0].isupper()
            and any(char.islower() for char in word[1:])
            and re.search(rf"(?<![\w*#@'-]){re.escape(word)}(?![\w'-])", output)
        )
    )


def _escape(text: str) -> str:
    return "".join(f"\\{char}" if char in _STREAM_SPECIAL else char for char in text)


def _feed(stdin: IO[bytes], payload: bytes) -> None:
    try:
        stdin.write(payload)
        stdin.close()
    except (OSError, ValueError):  # the pipeline died; the reader reports it
        pass


def _read_blocks(
    process: subprocess.Popen[bytes],
    count: int,
    timeout: float,
    on_progress: Callable[[int], None] | None,
) -> list[str]:
    """``count`` NUL-terminated blocks from the pipeline's output, each within ``timeout``."""
    assert process.stdout is not None
    descriptor = process.stdout.fileno()
    blocks: list[str] = []
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while len(blocks) < count:
            if b"\0" in buffer:
                block, buffer = buffer.split(b"\0", 1)
                blocks.append(block.decode("utf-8", "replace"))
                deadline = time.monotonic() + timeout
                if on_progress is not None:
                    on_progress(1)
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise EngineError(f"no output for text {len(blocks) + 1} in {timeout:g} s")
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                code = process.poll()
                raise EngineError(
                    f"the pipeline ended after {len(blocks)} of {count} texts"
                    + (f" (exit status {code})" if code is not None else "")
                )
            buffer += chunk
    return blocks


def _stop(process: subprocess.Popen[bytes], *, kill: bool) -> None:
    """End the pipeline: it ends by itself once its input is closed; a hung one is killed."""
    if kill:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()


@cache
def _null_flush_script(mode: str) -> str:
    """The pair's pipeline with null flush on every stage, as a bash command line."""
    mode_file = installed_modes().get(mode)
    generator = shutil.which("apertium-wblank-mode")
    if mode_file is None or generator is None:
        raise EngineError(
            f"cannot build the Apertium pipeline for {mode}",
            hint="apertium 3.8 or later provides apertium-wblank-mode; apt-get install apertium",
        )
    try:
        completed = subprocess.run(
            [generator, "-z", str(mode_file)],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise EngineError(f"apertium-wblank-mode failed: {error}") from None
    if completed.returncode != 0 or not completed.stdout.strip():
        raise EngineError(
            f"apertium-wblank-mode failed for {mode}: {completed.stderr.strip()[:200]}",
            hint="check the pair with: echo test | apertium " + mode,
        )
    return completed.stdout.strip()
