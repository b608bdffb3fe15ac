"""The Argos engine: installed Argos Translate packages run through CTranslate2 directly.

``argostranslate.translate`` is never imported (it pulls in stanza, spaCy and torch).
Each package's model is loaded once per engine. All sentences handed to ``translate``
for a language pair go to one ``translate_batch`` call (CTranslate2 sorts them by length
and batches them by a token budget, one batch per worker thread); the
translation memory answers sentences seen before with the same model, so a rerun with
nothing new loads no model. Pairs without a direct package pivot through English.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from translatio.engines.base import Translation
from translatio.errors import ModelError
from translatio.languages import Language
from translatio.memory import TranslationMemory
from translatio.models import (
    BrokenPackage,
    ModelPackage,
    model_checksum,
    scan_packages,
    warn_damaged,
)

__all__ = ["ArgosEngine", "DecodingSettings", "DownloadProgress"]


class DownloadProgress(Protocol):
    """Where download progress goes (``translatio.reports.Progress`` fits)."""

    def start(self, description: str, total: int) -> None:
        """A download of ``total`` bytes begins."""

    def advance(self, amount: int) -> None:
        """``amount`` more bytes arrived."""


PIVOT = "en"
SIMPLIFIED = Language("zh_CN")
DERIVED_MARK = "opencc-s2twp"
"""Appended to the model name of zh_TW text derived from zh_CN output."""


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


class ArgosEngine:
    """Machine translation with installed Argos Translate packages."""

    name = "argos"

    def __init__(
        self,
        *,
        packages: Path | None = None,
        device: str = "auto",
        memory: TranslationMemory | None = None,
        settings: DecodingSettings | None = None,
        threads: int | None = None,
    ) -> None:
        self.packages_dir = packages
        self.device = device
        self.memory = memory
        self.settings = settings or DecodingSettings()
        self.threads = threads or os.cpu_count() or 1
        self.stats = EngineStats()
        self._loaded: dict[Path, _Loaded] = {}
        self._installed: list[ModelPackage] | None = None
        self._broken: list[BrokenPackage] = []

    # -- routing ---------------------------------------------------------------------------

    def derives_traditional(self, source: Language, target: Language) -> bool:
        """True when zh_TW must come from zh_CN through OpenCC (no Traditional package)."""
        if target.code != "zh_TW":
            return False
        try:
            self.route(source, target)
        except ModelError:
            try:
                self.route(source, SIMPLIFIED)
            except ModelError:
                return False
            return True
        return False

    def route(self, source: Language, target: Language) -> list[ModelPackage]:
        """The packages that take ``source`` to ``target``: one direct, or two via English."""
        if self._installed is None:
            self._installed, self._broken = scan_packages(self.packages_dir)
            warn_damaged(self._broken)
        by_pair = {(p.from_code, p.to_code): p for p in self._installed}
        for from_code in source.argos_codes:
            for to_code in target.argos_codes:
                if (from_code, to_code) in by_pair:
                    return [by_pair[(from_code, to_code)]]
        for from_code in source.argos_codes:
            for to_code in target.argos_codes:
                first, second = by_pair.get((from_code, PIVOT)), by_pair.get((PIVOT, to_code))
                if first is not None and second is not None:
                    return [first, second]
        wanted = f"{source.argos_codes[0]}→{target.argos_codes[0]}"
        install = (
            f"translatio models install {source.argos_codes[0]} {target.argos_codes[0]}  "
            "(offline: translatio models install FILE.argosmodel)"
        )
        legs = {(a, b) for a in (*source.argos_codes, PIVOT) for b in (*target.argos_codes, PIVOT)}
        if damaged := [p for p in self._broken if p.pair_from_name in legs]:
            raise ModelError(
                f"no usable Argos package for {wanted} ({source.code} → {target.code}): "
                + "; ".join(package.summary for package in damaged),
                hint=f"delete the damaged directory, then reinstall it: {install}",
            )
        raise ModelError(
            f"no Argos package for {wanted} ({source.code} → {target.code})",
            hint=f"install one: {install}",
        )

    def missing_pairs(self, source: Language, targets: Sequence[Language]) -> list[tuple[str, str]]:
        """Argos pairs to install so that every target can be reached (direct packages)."""
        missing = []
        for target in targets:
            if self.derives_traditional(source, target):
                continue
            try:
                self.route(source, target)
            except ModelError:
                missing.append((source.argos_codes[0], target.argos_codes[0]))
        return missing

    def install_missing(
        self, source: Language, targets: Sequence[Language], progress: DownloadProgress
    ) -> None:
        """Download missing packages from the index; offline, name each and how to get it."""
        missing = self.missing_pairs(source, list(dict.fromkeys(targets)))
        if not missing:
            return
        from translatio.package_index import download_and_install

        try:
            for from_code, to_code in missing:
                received = 0

                def report(done: int, total: int, pair: str = f"{from_code}→{to_code}") -> None:
                    nonlocal received
                    if received == 0:
                        progress.start(f"downloading {pair}", total)
                    progress.advance(done - received)
                    received = done

                download_and_install(from_code, to_code, self.packages_dir, progress=report)
        except ModelError as error:
            commands = "; ".join(
                f"translatio models install translate-{a}_{b}.argosmodel" for a, b in missing
            )
            pairs = ", ".join(f"{a}→{b}" for a, b in missing)
            damaged = "".join(f"; {p.summary}" for p in self._broken if p.pair_from_name in missing)
            raise ModelError(
                f"missing Argos packages: {pairs} ({error.message}{damaged})",
                hint=f"download them where there is network, then: {commands}",
            ) from None
        self._installed = None  # look at the packages directory again

    def model_name(self, source: Language, target: Language) -> str:
        """Provenance of a pair: package names and weight checksums, pivot joined by ``+``."""
        return "+".join(
            f"{package.name}@{model_checksum(package)}" for package in self.route(source, target)
        )

    # -- translation -----------------------------------------------------------------------

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Translate sentences (plain text, no markup) from ``source`` to ``target``.

        Without a Traditional Chinese package, zh_TW is derived from the zh_CN output
        with OpenCC (``s2twp``: Taiwan characters and phrases); the model name says so.
        """
        derived = self.derives_traditional(source, target)
        if derived:
            simplified = self.translate(
                texts, source=source, target=SIMPLIFIED, on_progress=on_progress
            )
            converter = _opencc()
            return [
                Translation(
                    converter.convert(item.text), item.score, f"{item.model}+{DERIVED_MARK}"
                )
                for item in simplified
            ]
        route = self.route(source, target)
        model = self.model_name(source, target)
        current = list(texts)
        scores = [0.0] * len(current)
        for hop, package in enumerate(route):
            report = on_progress if hop == len(route) - 1 else None
            outputs = self._translate_with(package, current, report)
            current = [text for text, _ in outputs]
            scores = [total + score for total, (_, score) in zip(scores, outputs, strict=True)]
        return [
            Translation(text, score / len(route), model)
            for text, score in zip(current, scores, strict=True)
        ]

    def _translate_with(
        self,
        package: ModelPackage,
        sentences: list[str],
        on_progress: Callable[[int], None] | None,
    ) -> list[tuple[str, float]]:
        key = f"{package.name}@{model_checksum(package)}"
        unique = list(dict.fromkeys(sentence for sentence in sentences if sentence.strip()))
        known = self.memory.lookup(key, unique) if self.memory is not None else {}
        self.stats.memory_hits += len(known)
        missing = [sentence for sentence in unique if sentence not in known]
        if on_progress is not None:
            on_progress(len(sentences) - len(missing))
        if missing:
            fresh = self._decode(package, missing, on_progress)
            known.update(fresh)
            if self.memory is not None:
                self.memory.store(key, ((s, t, score) for s, (t, score) in fresh.items()))
        return [known.get(sentence, (sentence, 0.0)) for sentence in sentences]

    def _decode(
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
        loaded = self._load(package)
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

    def _load(self, package: ModelPackage) -> _Loaded:
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


@functools.cache
def _opencc() -> Any:
    import opencc

    return opencc.OpenCC("s2twp")


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
