"""The engine interface: a batch of texts in, a batch of translations out.

An engine is anything with a ``name``, a ``prepare`` method (called once per run, before
any text, with every target that has work) and a ``translate`` method. Work units are
plain values (a language pair and a list of sentences), so a remote or distributed
engine can sit behind the same interface.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeGuard, runtime_checkable

from translatio.languages import Language

if TYPE_CHECKING:  # translatio.reports imports translate, which imports this module
    from translatio.engines.argos.executors import Executor
    from translatio.reports import Progress

__all__ = ["BatchEngine", "Engine", "Translation", "runs_on_executor", "translate_all"]


@dataclass(frozen=True, slots=True)
class Translation:
    """One engine output."""

    text: str
    """The translated text, inline markup kept."""
    score: float
    """Mean log-probability per token (0.0 is certain; engines without scores give 0.0)."""
    model: str
    """The model or package that produced it, with its version (``pseudo-1``)."""
    unknown_words: tuple[str, ...] = ()
    """Words the engine could not translate and passed through (for the reviewer)."""
    decoding: str = ""
    """What else changes the model's output (beam, lengths, batches), for provenance."""


class Engine(Protocol):
    """A machine translation engine."""

    name: str
    """Short name used on the command line and in provenance (``argos``, ``pseudo``)."""

    def prepare(self, source: Language, targets: Sequence[Language], progress: Progress) -> None:
        """Make sure every pair ``source`` → target can be translated.

        Install or load what is missing, reporting to ``progress``; raise ``EngineError``
        or ``ModelError`` naming what cannot be had (and how to get it).
        """
        ...

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Translate every text; the result has one ``Translation`` per input, in order.

        Texts are plain sentences: markup has been taken out by the caller. The engine
        calls ``on_progress(n)`` as ``n`` more texts are done, if it is given.
        """
        ...


@runtime_checkable
class BatchEngine(Protocol):
    """An engine that plans a whole corpus and decodes it on an executor (Argos)."""

    name: str
    """Short name used on the command line and in provenance."""

    def run_on(self, executor: Executor) -> None:
        """Decode on ``executor`` from now on (``local`` in-process, ``ray`` on actors)."""
        ...

    def translate_many(
        self,
        source: Language,
        requests: Mapping[Language, Sequence[str]],
        on_progress: Callable[[int], None] | None = None,
    ) -> dict[Language, list[Translation]]:
        """Every target's texts at once, so that work shared between targets is done once."""
        ...


def runs_on_executor(engine: object) -> TypeGuard[BatchEngine]:
    """Whether ``engine`` decodes on an executor (and so can run on Ray)."""
    return isinstance(engine, BatchEngine)


def translate_all(
    engine: Engine,
    source: Language,
    requests: Mapping[Language, Sequence[str]],
    on_progress: Callable[[int], None] | None = None,
) -> dict[Language, list[Translation]]:
    """Every target's texts: in one plan where the engine can, else target by target."""
    if isinstance(engine, BatchEngine):
        return engine.translate_many(source, requests, on_progress)
    return {
        target: engine.translate(texts, source=source, target=target, on_progress=on_progress)
        for target, texts in requests.items()
    }
