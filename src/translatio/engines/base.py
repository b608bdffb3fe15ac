"""The engine interface: a batch of sentences in, one ``Translation`` record per sentence out.

An engine is anything with a ``name``, its ``capabilities``, a ``prepare`` method (called
once per run, before any text, with every target that has work), a ``translate`` method
and a ``close`` method. Work units are plain values (a language pair and a list of
sentences), so a remote or distributed engine can sit behind the same interface. What an
engine can say about a sentence grows in the ``Translation`` record (word alignment,
alternatives), never in this protocol.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeGuard, runtime_checkable

from translatio.config import ExecutorKind
from translatio.languages import Language
from translatio.progress import Progress
from translatio.reports import Translation

__all__ = [
    "BatchEngine",
    "Capabilities",
    "Engine",
    "EngineOptions",
    "engine_family",
    "translate_all",
]


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What an engine is, as the catalogs, the review page and the step must know it."""

    preview: bool = False
    """Its output is a layout preview, never a translation (``pseudo``): it is never
    approved or published, and any real engine replaces it without ``--refresh``."""
    scored: bool = True
    """Its scores are model log-probabilities worth showing a reviewer; a rule-based or
    preview engine gives 0.0 for every sentence, so its score is not shown."""
    markup: bool = False
    """It translates a sentence with its inline Markdown and carries the markup itself
    (Apertium's deformatter keeps it as blanks, the pseudo engine leaves it alone);
    other engines get the plain sentence and the markup is placed on their output."""
    batch: bool = False
    """It plans every target of a run at once (``translate_many``) and decodes on an
    executor (``local`` in-process or ``ray``); other engines run in this process."""
    family: str = ""
    """The engine family its errors share ("" means its own name): a back-translation
    by the family that wrote a text undoes that family's mistakes, so it is refused
    (two Argos models of one pair are one family)."""


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """How the run wants its engine made: resolved once, by the translate step."""

    device: str = "auto"
    """``auto``, ``cpu`` or ``cuda``: matters to engines that run models."""
    executor: ExecutorKind = ExecutorKind.LOCAL
    """Where a batch engine decodes: in this process or on Ray actors."""
    ray_address: str | None = None
    """The Ray cluster to join (``None``: start a local Ray instance)."""
    threads: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Decoding threads for the local executor."""


class Engine(Protocol):
    """A machine translation engine."""

    name: str
    """Short name used on the command line and in provenance (``argos``, ``pseudo``)."""
    capabilities: Capabilities
    """Preview or translation, scored or not, batch or not."""

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

    def close(self) -> None:
        """Release what the engine holds (workers, a Ray instance it started)."""
        ...


@runtime_checkable
class BatchEngine(Protocol):
    """An engine that plans a whole corpus across targets (``capabilities.batch``)."""

    name: str
    """Short name used on the command line and in provenance."""

    def translate_many(
        self,
        source: Language,
        requests: Mapping[Language, Sequence[str]],
        on_progress: Callable[[int], None] | None = None,
    ) -> dict[Language, list[Translation]]:
        """Every target's texts at once, so that work shared between targets is done once."""
        ...


def engine_family(name: str, capabilities: Capabilities) -> str:
    """The family of the engine called ``name`` (``Capabilities.family``, else its name)."""
    return capabilities.family or name


def _plans_corpus(engine: Engine) -> TypeGuard[BatchEngine]:
    return engine.capabilities.batch and isinstance(engine, BatchEngine)


def translate_all(
    engine: Engine,
    source: Language,
    requests: Mapping[Language, Sequence[str]],
    on_progress: Callable[[int], None] | None = None,
) -> dict[Language, list[Translation]]:
    """Every target's texts: in one plan where the engine can, else target by target."""
    if _plans_corpus(engine):
        return engine.translate_many(source, requests, on_progress)
    return {
        target: engine.translate(texts, source=source, target=target, on_progress=on_progress)
        for target, texts in requests.items()
    }
