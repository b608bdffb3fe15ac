"""The scripted engine: a stand-in that answers from a script and keeps what it was asked.

As httpx ships ``MockTransport(handler)`` so that no test needs the network, translatio
ships the engine its own tests and benchmarks use: no model, no subprocess, the same
output for the same input. Its script is a function of the text or a mapping of texts
to outputs (any other text comes back unchanged); it counts every ``prepare``,
``translate`` and ``close`` call, can fail where a real engine would, and calls a hook
during each ``translate``, when a test needs something to happen while the engine works.
Registered with ``register_engine``, it stands for an engine a project names:

    >>> from translatio.languages import Language
    >>> engine = ScriptedEngine({"Hello.": "Bonjour."}, name="machine")
    >>> [t.text for t in engine.translate(
    ...     ["Hello.", "Bye."], source=Language("en"), target=Language("fr"))]
    ['Bonjour.', 'Bye.']
    >>> engine.requests
    [Request(source=Language(code='en'), target=Language(code='fr'), texts=('Hello.', 'Bye.'))]
    >>> engine.translate(["Hello."], source=Language("en"), target=Language("fr"))[0].model
    'machine-1'
    >>> engine.asked(Language("fr"))
    ['Hello.', 'Bye.', 'Hello.']
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from translatio.engines.base import Capabilities
from translatio.errors import EngineError, TranslatioError
from translatio.languages import Language
from translatio.progress import Progress
from translatio.reports import Translation

__all__ = ["Preparation", "Request", "ScriptedEngine"]

Script = Callable[[str], str] | Mapping[str, str]
"""What the engine answers: a function of the text, or outputs by text (others unchanged)."""


@dataclass(frozen=True, slots=True)
class Request:
    """One ``translate`` call, as the engine was asked it."""

    source: Language
    """The language of the texts."""
    target: Language
    """The language asked for."""
    texts: tuple[str, ...]
    """The texts, in the order given."""


@dataclass(frozen=True, slots=True)
class Preparation:
    """One ``prepare`` call, as the engine was asked it."""

    source: Language
    """The language of the run's texts."""
    targets: tuple[Language, ...]
    """The targets that have work, in the order given."""


def _unchanged(text: str) -> str:
    return text


class ScriptedEngine:
    """An engine that answers from ``script`` and records every call made to it."""

    def __init__(
        self,
        script: Script = _unchanged,
        *,
        name: str = "scripted",
        capabilities: Capabilities = Capabilities(),  # noqa: B008 (a frozen value)
        model: str | None = None,
        score: float = 0.0,
        prepare_error: TranslatioError | None = None,
        failing_texts: Collection[str] = (),
        on_translate: Callable[[Sequence[str], Language], None] | None = None,
        alignments: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    ) -> None:
        self.name = name
        """The engine's name, in provenance and for ``register_engine``."""
        self.capabilities = capabilities
        """What the engine says it is (a real, scored one unless told)."""
        self.model = model if model is not None else f"{name}-1"
        """The model every answer names (``NAME-1`` unless told)."""
        self.score = score
        """The score every answer has."""
        self.prepare_error = prepare_error
        """Raised by every ``prepare`` call once it is counted (a pair the engine lacks)."""
        self.failing_texts = frozenset(failing_texts)
        """Texts the engine cannot translate: a call asking for one raises ``EngineError``."""
        self.on_translate = on_translate
        """Called with each call's texts and target once it is counted, before any answer;
        what it raises, the call raises."""
        self.alignments = {text: tuple(pairs) for text, pairs in (alignments or {}).items()}
        """Word alignments by source text ((source word, target word) pairs), as a neural
        engine's attention would give them; texts without one get none."""
        self.prepared: list[Preparation] = []
        """Every ``prepare`` call, in order."""
        self.requests: list[Request] = []
        """Every ``translate`` call, in order (failed ones included)."""
        self.closed = 0
        """How many times ``close`` was called."""
        self._answer = _from_mapping(script) if isinstance(script, Mapping) else script

    def asked(self, target: Language | None = None) -> list[str]:
        """Every text asked for, in order: for every target, or for ``target`` only."""
        return [
            text
            for request in self.requests
            if target is None or request.target == target
            for text in request.texts
        ]

    def prepare(self, source: Language, targets: Sequence[Language], progress: Progress) -> None:
        """Count the call; raise ``prepare_error`` if there is one."""
        self.prepared.append(Preparation(source, tuple(targets)))
        if self.prepare_error is not None:
            raise self.prepare_error

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Count the call, call the hook, then answer every text from the script."""
        self.requests.append(Request(source, target, tuple(texts)))
        if self.on_translate is not None:
            self.on_translate(texts, target)
        failing = [text for text in texts if text in self.failing_texts]
        if failing:
            raise EngineError(
                f"the {self.name} engine cannot translate {failing[0]!r} ({source} → {target})"
            )
        translations = [
            Translation(
                self._answer(text), self.score, self.model, alignment=self.alignments.get(text, ())
            )
            for text in texts
        ]
        if on_progress is not None:
            on_progress(len(texts))
        return translations

    def close(self) -> None:
        """Count the call."""
        self.closed += 1


def _from_mapping(outputs: Mapping[str, str]) -> Callable[[str], str]:
    table = dict(outputs)  # the script as it was when the engine was made
    return lambda text: table.get(text, text)
