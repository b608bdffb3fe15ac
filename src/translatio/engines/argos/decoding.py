"""Decoding: Argos packages' models run through an executor, answered first by the cache.

For each model the driver takes the distinct sentences, drops those the sentence cache
already holds, cuts the rest into pieces of at most ``max_input_tokens`` tokens and the
pieces into token-budget batches (``batching``). An executor decodes the batches: in this
process (``LocalExecutor``) or on Ray actors. Results come back batch by batch; each
sentence whose pieces are all decoded is stored in the cache at once, so a killed run
resumes where it stopped. Only the driver tokenises, detokenises and writes.

With ``alternatives`` set, the beam's other hypotheses come back too (CTranslate2
``num_hypotheses``; the best one is the same as without them): up to that many per
sentence, near-duplicates of the output and of each other (``distinct_alternatives``)
removed, kept in the cache beside the output. A sentence the cache holds without them is
decoded again once when they are asked for.

With ``word_alignment`` set, each sentence decoded as one piece also keeps its word
alignment (``WordAlignment``: which source word each output word attends to most, from
CTranslate2's attention; ``worker.word_links``), in the cache beside it, for the review
page only: markup placement does not use it. A sentence cached without one is not decoded
again for it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translatio.engines.argos.executors import Executor, ModelWork
from translatio.engines.argos.executors.batching import Batch, Piece, cut_batches
from translatio.engines.argos.executors.local import LocalExecutor
from translatio.engines.argos.executors.worker import Decoded, ModelSpec, word_groups
from translatio.engines.argos.packages.installed import ModelPackage, model_checksum
from translatio.engines.argos.packages.loading import brief_error
from translatio.engines.argos.sentence_cache import SentenceCache, WordAlignment
from translatio.errors import ModelError

__all__ = [
    "Answer",
    "Decoder",
    "DecodingSettings",
    "EngineStats",
    "Request",
    "distinct_alternatives",
    "model_key",
]

Request = tuple[ModelPackage, Sequence[str], Callable[[int], None] | None]
"""One model's sentences, and whom to tell as they are done."""
Answer = tuple[str, float, tuple[str, ...]]
"""One sentence's translation, its score and its alternatives (best first)."""


@dataclass(frozen=True, slots=True)
class DecodingSettings:
    """How CTranslate2 is driven; the defaults match Argos Translate's output."""

    beam_size: int = 4
    """Beam width (Argos uses 4)."""
    length_penalty: float = 0.2
    """Length penalty of the beam search (Argos uses 0.2)."""
    batch_tokens: int = 256
    """Padded tokens per batch (see ``benchmarks/bench_mt.py --batch-tokens``)."""
    max_input_tokens: int = 256
    """Longer sentences are cut at word boundaries into pieces of at most this many tokens."""
    length_ratio: float = 2.0
    """Output may be at most this many times the input tokens (plus ``length_margin``)."""
    length_margin: int = 8
    """Extra output tokens allowed beyond the ratio, for very short inputs."""
    compute_type: str = "int8"
    """CTranslate2 compute type (falls back to ``default`` where the device lacks int8)."""
    alternatives: int = 3
    """Alternatives kept per sentence for the reviewer (0: none); the beam returns up to
    ``beam_size`` hypotheses. Not in the signature: the output is the same either way
    (``benchmarks/bench_mt.py`` measures what they cost)."""
    word_alignment: bool = True
    """Keep each sentence's word alignment (from the attention) for the review page. Not in
    the signature: the output is the same either way (``bench_mt.py`` measures the cost)."""

    @property
    def hypotheses(self) -> int:
        """CTranslate2 ``num_hypotheses``: the output and the candidates for alternatives."""
        return min(self.beam_size, self.alternatives + 1) if self.alternatives > 0 else 1

    @property
    def signature(self) -> str:
        """Everything here that changes output, as one provenance value."""
        return (
            f"beam{self.beam_size}-lp{self.length_penalty}-len{self.length_ratio}x"
            f"+{self.length_margin}-cut{self.max_input_tokens}-batch{self.batch_tokens}"
            f"-{self.compute_type}"
        )


@dataclass
class EngineStats:
    """Counters the tests and benchmarks read."""

    model_loads: int = 0
    """How many CTranslate2 models were loaded (by the local executor)."""
    ctranslate2_calls: int = 0
    """How many batches were decoded."""
    sentences_translated: int = 0
    """Sentences decoded by a model (cache hits excluded)."""
    cache_hits: int = 0
    """Sentences answered by the sentence cache."""
    target_tokens: int = 0
    """Tokens produced by the models."""


def model_key(package: ModelPackage) -> str:
    """A package's name and weight checksum: its provenance and its cache key."""
    return f"{package.name}@{model_checksum(package)}"


@dataclass
class _Plan:
    """One model's sentences on their way through the batches."""

    package: ModelPackage
    key: str
    on_progress: Callable[[int], None] | None
    results: dict[str, Answer]
    owners: dict[Piece, dict[str, None]] = field(default_factory=dict)
    pieces: dict[str, list[Piece]] = field(default_factory=dict)
    outputs: dict[Piece, tuple[Piece, float, tuple[Piece, ...], tuple[int, ...] | None]] = field(
        default_factory=dict
    )
    remaining: dict[str, int] = field(default_factory=dict)


class Decoder:
    """Sentences through packages' models, batched by the driver, decoded by an executor."""

    def __init__(
        self,
        *,
        device: str,
        cache: SentenceCache | None,
        settings: DecodingSettings,
        threads: int,
        executor: Executor | None = None,
    ) -> None:
        self.device = device
        """``auto``, ``cpu`` or ``cuda``."""
        self.cache = cache
        """Where sentences seen before are looked up and new ones stored (``None``: nowhere)."""
        self.settings = settings
        """How CTranslate2 is driven."""
        self.executor = executor or LocalExecutor(threads)
        """Who decodes the batches."""
        self.stats = EngineStats()
        """What was loaded, decoded and answered from the cache."""
        self._tokenizers: dict[Path, Any] = {}

    def translate(
        self,
        package: ModelPackage,
        sentences: list[str],
        on_progress: Callable[[int], None] | None,
    ) -> list[Answer]:
        """Each sentence's translation, score and alternatives; the cache answers what it knows."""
        [result] = self.translate_many([(package, sentences, on_progress)])
        return result

    def translate_many(self, requests: Sequence[Request]) -> list[list[Answer]]:
        """Several models' sentences, decoded together (one plan, one executor run)."""
        plans = [self._plan(package, sentences, report) for package, sentences, report in requests]
        work = {}
        for plan in plans:
            if plan.owners:
                batches = cut_batches(plan.key, plan.owners, self.settings.batch_tokens)
                work[plan.key] = ModelWork(
                    self._spec(plan.package), plan.package.model_dir, batches
                )
        by_key = {plan.key: plan for plan in plans}
        loads = self.executor.stats.model_loads
        if work:
            self.executor.decode(
                work, lambda batch, decoded: self._arrived(by_key[batch.model], batch, decoded)
            )
        self.stats.model_loads += self.executor.stats.model_loads - loads
        return [
            [plan.results.get(sentence, (sentence, 0.0, ())) for sentence in sentences]
            for plan, (_, sentences, _) in zip(plans, requests, strict=True)
        ]

    def _plan(
        self,
        package: ModelPackage,
        sentences: Sequence[str],
        on_progress: Callable[[int], None] | None,
    ) -> _Plan:
        key = model_key(package) + "#" + self.settings.signature
        unique = list(dict.fromkeys(sentence for sentence in sentences if sentence.strip()))
        known = self._remembered(key, unique)
        self.stats.cache_hits += len(known)
        plan = _Plan(package, key, on_progress, known)
        missing = [sentence for sentence in unique if sentence not in known]
        if on_progress is not None:
            on_progress(len(sentences) - len(missing))
        if not missing:
            return plan
        tokenizer = self.tokenizer(package)
        limit = self.settings.max_input_tokens
        for sentence, tokens in zip(missing, tokenizer.encode(missing, out_type=str), strict=True):
            pieces = _cut(tokens, limit)
            plan.pieces[sentence] = pieces
            plan.remaining[sentence] = len(pieces)
            for piece in pieces:
                plan.owners.setdefault(piece, {})[sentence] = None
        return plan

    def _arrived(self, plan: _Plan, batch: Batch, decoded: Decoded) -> None:
        """A batch's output: store every sentence it completes, in the cache too."""
        self.stats.ctranslate2_calls += 1
        done = []
        for piece, output in zip(batch.pieces, decoded, strict=True):
            plan.outputs[piece] = output
            self.stats.target_tokens += len(output[0])
            for sentence in plan.owners[piece]:
                plan.remaining[sentence] -= plan.pieces[sentence].count(piece)
                if plan.remaining[sentence] == 0:
                    done.append(sentence)
        if not done:
            return
        tokenizer = self.tokenizer(plan.package)
        fresh: dict[str, Answer] = {}
        words: dict[str, WordAlignment] = {}
        for sentence in done:
            outputs = [plan.outputs[piece] for piece in plan.pieces[sentence]]
            texts = [tokenizer.decode_pieces(list(tokens)).strip() for tokens, *_ in outputs]
            score = sum(output[1] for output in outputs) / len(outputs)
            text = " ".join(text for text in texts if text)
            others: tuple[str, ...] = ()
            if len(outputs) == 1:  # a sentence cut into pieces has no whole alternatives
                candidates = [tokenizer.decode_pieces(list(h)).strip() for h in outputs[0][2]]
                others = distinct_alternatives(text, candidates, self.settings.alternatives)
                links = outputs[0][3]
                if links is not None:
                    words[sentence] = _word_alignment(
                        tokenizer, plan.pieces[sentence][0], outputs[0][0], links
                    )
            fresh[sentence] = (text, score, others)
        plan.results.update(fresh)
        self.stats.sentences_translated += len(fresh)
        if self.cache is not None:
            self.cache.store(
                plan.key,
                ((s, t, score) for s, (t, score, _) in fresh.items()),
                alternatives=(
                    {s: others for s, (_, _, others) in fresh.items()}
                    if self.settings.alternatives
                    else None
                ),
                word_alignments=words,
            )
        if plan.on_progress is not None:
            plan.on_progress(len(fresh))

    def _remembered(self, key: str, unique: list[str]) -> dict[str, Answer]:
        """What the cache holds; with alternatives asked for, only sentences stored with them."""
        if self.cache is None:
            return {}
        known = self.cache.lookup(key, unique)
        if not self.settings.alternatives:
            return {source: (text, score, ()) for source, (text, score) in known.items()}
        others = self.cache.lookup_alternatives(key, list(known))
        return {
            source: (text, score, others[source][: self.settings.alternatives])
            for source, (text, score) in known.items()
            if source in others
        }

    def _spec(self, package: ModelPackage) -> ModelSpec:
        settings = self.settings
        return ModelSpec(
            key=model_key(package) + "#" + settings.signature,
            target_prefix=package.target_prefix or None,
            device=self.device,
            compute_type=settings.compute_type,
            beam_size=settings.beam_size,
            length_penalty=settings.length_penalty,
            length_ratio=settings.length_ratio,
            length_margin=settings.length_margin,
            hypotheses=settings.hypotheses,
            attention=settings.word_alignment,
        )

    def decoding_options(self, longest_input: int) -> dict[str, Any]:
        """The ``translate_batch`` options of a batch whose longest piece has this many tokens."""
        settings = self.settings
        return {
            "beam_size": settings.beam_size,
            "length_penalty": settings.length_penalty,
            "max_decoding_length": self.output_bound(longest_input),
            "return_scores": True,
            "replace_unknowns": True,
            "num_hypotheses": settings.hypotheses,
        }

    def output_bound(self, input_tokens: int) -> int:
        """At most this many output tokens for an input of ``input_tokens``."""
        return int(input_tokens * self.settings.length_ratio) + self.settings.length_margin

    def tokenizer(self, package: ModelPackage) -> Any:
        """The package's SentencePiece model (the driver tokenises; workers never do)."""
        tokenizer = self._tokenizers.get(package.path)
        if tokenizer is not None:
            return tokenizer
        import sentencepiece

        if package.tokenizer.name != "sentencepiece.model":
            raise ModelError(
                "BPE-tokenised Argos packages are not supported yet",
                path=package.path,
                hint="use a SentencePiece package for this pair",
            )
        try:
            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer))
        except (RuntimeError, OSError, ValueError) as error:  # damaged after it was installed
            raise ModelError(
                f"the tokenizer of the {package.from_code}→{package.to_code} package does not "
                f"load ({brief_error(error, package.path)})",
                path=package.tokenizer,
                hint=f"install the package again: translatio models install "
                f"{package.from_code} {package.to_code}",
            ) from None
        self._tokenizers[package.path] = tokenizer
        return tokenizer


def _comparable(text: str) -> str:
    """``text`` without case, punctuation and spacing: what a near-duplicate shares."""
    return "".join(
        character
        for character in unicodedata.normalize("NFKC", text).casefold()
        if not unicodedata.category(character).startswith(("P", "Z", "C"))
    )


def distinct_alternatives(output: str, candidates: Sequence[str], limit: int) -> tuple[str, ...]:
    """Up to ``limit`` candidates, in order, that differ from ``output`` and from each
    other in more than punctuation, case or spacing (and are not empty)."""
    seen = {_comparable(output)}
    kept: list[str] = []
    for candidate in candidates:
        key = _comparable(candidate)
        if not key or key in seen or len(kept) >= limit:
            continue
        seen.add(key)
        kept.append(candidate)
    return tuple(kept)


def _word_alignment(
    tokenizer: Any, source: Piece, target: Piece, links: Sequence[int]
) -> WordAlignment:
    """The worker's links with the words they join, as text; words that decode to nothing
    (a lone ``▁``) are left out and the links renumbered."""

    def words(tokens: Piece) -> list[str]:
        return [
            tokenizer.decode_pieces([tokens[i] for i in group]).strip()
            for group in word_groups(tokens)
        ]

    source_words, target_words = words(source), words(target)
    kept = [i for i, word in enumerate(source_words) if word]
    renumbered = {old: new for new, old in enumerate(kept)}
    pairs = [
        (word, renumbered[link])
        for word, link in zip(target_words, links, strict=False)
        if word and link in renumbered
    ]
    return WordAlignment(
        tuple(source_words[i] for i in kept),
        tuple(word for word, _ in pairs),
        tuple(link for _, link in pairs),
    )


def _cut(tokens: list[str], limit: int) -> list[Piece]:
    """Split a token list into pieces of at most ``limit`` tokens, at word starts if possible."""
    if len(tokens) <= limit:
        return [tuple(tokens)]
    pieces = []
    while len(tokens) > limit:
        cut = max((i for i in range(1, limit + 1) if tokens[i].startswith("▁")), default=limit)
        pieces.append(tuple(tokens[:cut]))
        tokens = tokens[cut:]
    if tokens:
        pieces.append(tuple(tokens))
    return pieces
