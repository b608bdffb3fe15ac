"""Decoding: Argos packages' models run through CTranslate2, answered first by the memory.

Each package's model is loaded once per ``Decoder``. All sentences for one package go to
one ``translate_batch`` call (CTranslate2 sorts them by length and batches them by a
token budget, one batch per worker thread); the translation memory answers sentences
seen before with the same model, so a rerun with nothing new loads no model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translatio.errors import ModelError
from translatio.memory import TranslationMemory
from translatio.models import ModelPackage, model_checksum

__all__ = ["Decoder", "DecodingSettings", "EngineStats", "model_key"]


@dataclass(frozen=True, slots=True)
class DecodingSettings:
    """How CTranslate2 is driven; the defaults match Argos Translate's output."""

    beam_size: int = 4
    """Beam width (Argos uses 4)."""
    length_penalty: float = 0.2
    """Length penalty of the beam search (Argos uses 0.2)."""
    batch_tokens: int = 2048
    """Tokens per batch (CTranslate2 sorts by length and cuts batches to this budget)."""
    max_input_tokens: int = 256
    """Longer sentences are cut at word boundaries into pieces of at most this many tokens."""
    length_ratio: float = 2.0
    """Output may be at most this many times the input tokens (plus ``length_margin``)."""
    length_margin: int = 8
    """Extra output tokens allowed beyond the ratio, for very short inputs."""


@dataclass
class EngineStats:
    """Counters the tests and benchmarks read."""

    model_loads: int = 0
    """How many CTranslate2 models were loaded."""
    ctranslate2_calls: int = 0
    """How many ``translate_batch`` calls were made."""
    sentences_translated: int = 0
    """Sentences decoded by a model (memory hits excluded)."""
    memory_hits: int = 0
    """Sentences answered by the translation memory."""
    target_tokens: int = 0
    """Tokens produced by the models."""


@dataclass
class _Loaded:
    package: ModelPackage
    checksum: str
    translator: Any
    tokenizer: Any


def model_key(package: ModelPackage) -> str:
    """A package's name and weight checksum: its provenance and its memory key."""
    return f"{package.name}@{model_checksum(package)}"


class Decoder:
    """Sentences through one package's model, each model loaded once."""

    def __init__(
        self,
        *,
        device: str,
        memory: TranslationMemory | None,
        settings: DecodingSettings,
        threads: int,
    ) -> None:
        self.device = device
        """``auto``, ``cpu`` or ``cuda``."""
        self.memory = memory
        """Where sentences seen before are looked up and new ones stored (``None``: nowhere)."""
        self.settings = settings
        """How CTranslate2 is driven."""
        self.threads = threads
        """CPU worker threads."""
        self.stats = EngineStats()
        """What was loaded, decoded and answered from memory."""
        self._loaded: dict[Path, _Loaded] = {}

    def translate(
        self,
        package: ModelPackage,
        sentences: list[str],
        on_progress: Callable[[int], None] | None,
    ) -> list[tuple[str, float]]:
        """Each sentence's translation and score; the memory answers what it knows."""
        key = model_key(package)
        unique = list(dict.fromkeys(sentence for sentence in sentences if sentence.strip()))
        known = self.memory.lookup(key, unique) if self.memory is not None else {}
        self.stats.memory_hits += len(known)
        missing = [sentence for sentence in unique if sentence not in known]
        if on_progress is not None:
            on_progress(len(sentences) - len(missing))
        if missing:
            fresh = self.decode(package, missing, on_progress)
            known.update(fresh)
            if self.memory is not None:
                self.memory.store(key, ((s, t, score) for s, (t, score) in fresh.items()))
        return [known.get(sentence, (sentence, 0.0)) for sentence in sentences]

    def decode(
        self,
        package: ModelPackage,
        sentences: list[str],
        on_progress: Callable[[int], None] | None,
    ) -> dict[str, tuple[str, float]]:
        """One batched CTranslate2 call for all ``sentences``: token-budget batches.

        CTranslate2 sorts by length and batches internally; the call is asynchronous only
        so that progress can be reported as results arrive. Output longer than
        ``length_ratio`` × its own input (a runaway repetition) is cut there.
        """
        loaded = self.load(package)
        settings = self.settings
        pieces: list[list[str]] = []
        owners: list[int] = []
        for index, tokens in enumerate(loaded.tokenizer.encode(sentences, out_type=str)):
            for piece in _cut(tokens, settings.max_input_tokens):
                pieces.append(piece)
                owners.append(index)
        prefix = [package.target_prefix] if package.target_prefix else None
        pending = loaded.translator.translate_batch(
            pieces,
            target_prefix=[prefix] * len(pieces) if prefix else None,
            **self.decoding_options(max(len(piece) for piece in pieces)),
            asynchronous=True,
        )
        self.stats.ctranslate2_calls += 1
        remaining = [0] * len(sentences)
        for owner in owners:
            remaining[owner] += 1
        outputs: list[list[str]] = []
        scores: list[float] = []
        for position, future in enumerate(pending):
            result = future.result()
            hypothesis = list(result.hypotheses[0])
            if prefix and hypothesis[:1] == prefix:
                hypothesis = hypothesis[1:]
            bound = self.output_bound(len(pieces[position]))
            hypothesis = hypothesis[:bound]
            outputs.append(hypothesis)
            raw = result.scores[0] if result.scores else 0.0
            scores.append(_mean_log_probability(raw, len(hypothesis), settings))
            self.stats.target_tokens += len(hypothesis)
            remaining[owners[position]] -= 1
            if on_progress is not None and remaining[owners[position]] == 0:
                on_progress(1)
        self.stats.sentences_translated += len(sentences)
        parts: list[list[int]] = [[] for _ in sentences]
        for position, owner in enumerate(owners):
            parts[owner].append(position)
        fresh = {}
        for index, sentence in enumerate(sentences):
            texts = [loaded.tokenizer.decode_pieces(outputs[p]).strip() for p in parts[index]]
            score = sum(scores[p] for p in parts[index]) / max(1, len(parts[index]))
            fresh[sentence] = (" ".join(text for text in texts if text), score)
        return fresh

    def decoding_options(self, longest_input: int) -> dict[str, Any]:
        """The ``translate_batch`` options translatio uses (the benchmark reuses them)."""
        settings = self.settings
        return {
            "max_batch_size": settings.batch_tokens,
            "batch_type": "tokens",
            "beam_size": settings.beam_size,
            "length_penalty": settings.length_penalty,
            "max_decoding_length": self.output_bound(longest_input),
            "return_scores": True,
            "replace_unknowns": True,
        }

    def output_bound(self, input_tokens: int) -> int:
        """At most this many output tokens for an input of ``input_tokens``."""
        return int(input_tokens * self.settings.length_ratio) + self.settings.length_margin

    def load(self, package: ModelPackage) -> _Loaded:
        """The package's translator and tokenizer, loaded on first use."""
        loaded = self._loaded.get(package.path)
        if loaded is not None:
            return loaded
        import ctranslate2
        import sentencepiece

        if package.tokenizer.name != "sentencepiece.model":
            raise ModelError(
                "BPE-tokenised Argos packages are not supported yet",
                path=package.path,
                hint="use a SentencePiece package for this pair",
            )
        device = self.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        compute_types = ctranslate2.get_supported_compute_types(device)
        compute_type = "int8" if "int8" in compute_types else "default"
        try:
            translator = ctranslate2.Translator(
                str(package.model_dir),
                device=device,
                compute_type=compute_type,
                inter_threads=self.threads if device == "cpu" else 1,
                intra_threads=1 if device == "cpu" else 0,
            )
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"cannot load the model: {error}", path=package.model_dir) from None
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer))
        loaded = _Loaded(package, model_checksum(package), translator, tokenizer)
        self._loaded[package.path] = loaded
        self.stats.model_loads += 1
        return loaded


def _cut(tokens: list[str], limit: int) -> list[list[str]]:
    """Split a token list into pieces of at most ``limit`` tokens, at word starts if possible."""
    if len(tokens) <= limit:
        return [tokens]
    pieces = []
    while len(tokens) > limit:
        cut = max((i for i in range(1, limit + 1) if tokens[i].startswith("▁")), default=limit)
        pieces.append(tokens[:cut])
        tokens = tokens[cut:]
    if tokens:
        pieces.append(tokens)
    return pieces


def _mean_log_probability(score: float, length: int, settings: DecodingSettings) -> float:
    """CTranslate2 divides the log-probability by ``length ** length_penalty``; undo that."""
    if not math.isfinite(score):
        return -99.0
    if length == 0:
        return score
    return float(score * (length**settings.length_penalty) / length)
