"""The Apertium engine: Debian's rule-based MT (``apertium`` plus pair packages).

Real offline translation for the pairs Apertium has (``apertium-eng-spa``,
``apertium-eng-cat``, …); it also gives the test suite real MT output. Sentences go to
one ``apertium`` process per call, one per line. Apertium marks words it could not
handle (``*unknown``, ``#generation``, ``@transfer``); the marks are removed and the
words reported, so the entry's comment tells the reviewer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from translatio.engines.base import Translation
from translatio.errors import EngineError
from translatio.languages import Language

__all__ = ["ApertiumEngine"]

# ISO 639-1 (gettext) → ISO 639-3 names Apertium uses for its modes.
_THREE_LETTER = {
    "en": "eng",
    "es": "spa",
    "ca": "cat",
    "fr": "fra",
    "pt": "por",
    "it": "ita",
    "gl": "glg",
    "eu": "eus",
    "eo": "epo",
    "ro": "ron",
    "oc": "oci",
    "an": "arg",
    "nb": "nob",
    "nn": "nno",
    "da": "dan",
    "sv": "swe",
    "is": "isl",
    "af": "afr",
    "nl": "nld",
    "ru": "rus",
    "uk": "ukr",
    "be": "bel",
    "mk": "mkd",
    "bg": "bul",
}
_MARK = re.compile(r"(?<![\w*#@])[*#@](?=\w)")
_MARKED_WORD = re.compile(r"(?<![\w*#@])[*#@](\w[\w'-]*)")
_MODE_DIRS = (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes"))


class ApertiumEngine:
    """Rule-based translation through the ``apertium`` command."""

    name = "apertium"

    def __init__(self, *, executable: str | None = None, timeout: float = 600.0) -> None:
        self.executable = executable or shutil.which("apertium")
        self.timeout = timeout
        self.unknown_words: dict[str, tuple[str, ...]] = {}
        """Words Apertium marked as unknown, per output text of the last call."""

    def mode(self, source: Language, target: Language) -> str:
        """The Apertium mode for a pair (``eng-spa``); ``EngineError`` when not installed."""
        if self.executable is None:
            raise EngineError(
                "apertium is not installed",
                hint="apt-get install apertium apertium-eng-spa (one package per pair)",
            )
        pair = f"{_code(source)}-{_code(target)}"
        if pair not in installed_modes():
            raise EngineError(
                f"no Apertium pair {pair} ({source.code} → {target.code})",
                hint=f"apt-get install apertium-{pair}; installed pairs: "
                + (", ".join(sorted(installed_modes())) or "none"),
            )
        return pair

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Translate plain sentences, one per line through one ``apertium`` run."""
        mode = self.mode(source, target)
        model = f"apertium-{mode}-{_package_version(mode)}"
        lines = [" ".join(text.split()) for text in texts]
        outputs = self._run(mode, lines)
        if len(outputs) != len(lines):  # a line break got lost: fall back to one call each
            outputs = [self._run(mode, [line])[0] for line in lines]
        results = []
        for output in outputs:
            unknown = tuple(dict.fromkeys(_MARKED_WORD.findall(output)))
            text = " ".join(_MARK.sub("", output).split())
            if unknown:
                self.unknown_words[text] = unknown
            results.append(Translation(text, 0.0, model, unknown))
        if on_progress is not None:
            on_progress(len(texts))
        return results

    def _run(self, mode: str, lines: list[str]) -> list[str]:
        assert self.executable is not None
        try:
            completed = subprocess.run(
                [self.executable, "-f", "txt", mode],
                input="\n".join(lines) + "\n",
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineError(f"apertium failed: {error}") from None
        if completed.returncode != 0:
            raise EngineError(
                f"apertium {mode} failed: {completed.stderr.strip()[:200]}",
                hint="check the pair with: echo test | apertium " + mode,
            )
        output = completed.stdout
        if output.endswith("\n"):
            output = output[:-1]
        return output.split("\n")


def _code(language: Language) -> str:
    return _THREE_LETTER.get(language.primary, language.primary)


@cache
def installed_modes() -> frozenset[str]:
    """Apertium modes installed on this machine (``eng-spa``, ``eng-cat``, …)."""
    return frozenset(
        path.stem
        for directory in _MODE_DIRS
        if directory.is_dir()
        for path in directory.glob("*.mode")
    )


@cache
def _package_version(mode: str) -> str:
    """The Debian package version of a pair, for provenance (``unknown`` elsewhere)."""
    try:
        completed = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", f"apertium-{mode}"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return completed.stdout.strip() or "unknown"
