"""A model worker: token batches in, output tokens and scores out; nothing else.

With ``ModelSpec.attention`` it also says which source word each output word attends to
most (``word_links``, from CTranslate2's ``return_attention``): a review aid, computed
here so that a few integers travel back instead of the attention matrices.

A worker knows no paths of the driver and writes nothing: it gets the model's files as
bytes (from the driver's memory, or from Ray's object store on another machine), checks
their SHA-256 against the checksum the driver computed, and loads CTranslate2 from memory.
The local executor runs one worker per model in-process; the Ray executor one per actor.
Both decode each batch as one unit with one OpenMP thread per translation, so a batch
gives the same bytes whichever worker decodes it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translatio.engines.argos.executors.batching import Batch, Piece
from translatio.errors import ModelError

__all__ = [
    "Decoded",
    "ModelSpec",
    "ModelWorker",
    "files_checksum",
    "read_model_files",
    "word_groups",
    "word_links",
]

Decoded = list[tuple[Piece, float, tuple[Piece, ...], tuple[int, ...] | None]]
"""One batch's output: each piece's output tokens, mean log-probability, the other
hypotheses of the beam, best first (empty unless ``ModelSpec.hypotheses`` asks for them),
and for each output word the source word it attends to most (``None`` unless
``ModelSpec.attention`` asks for it; words as ``word_groups`` cuts them)."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Everything that changes a model's output, pinned by the driver."""

    key: str
    """The model's key (names it in the memory and in provenance)."""
    target_prefix: str | None
    """Token forced at the start of the output (multilingual packages), if any."""
    device: str
    """``cpu``, ``cuda`` or ``auto``."""
    compute_type: str
    """CTranslate2 compute type (``int8`` when the device has it, else ``default``)."""
    beam_size: int
    """Beam width."""
    length_penalty: float
    """Length penalty of the beam search."""
    length_ratio: float
    """Output may be at most this many times the input tokens (plus ``length_margin``)."""
    length_margin: int
    """Extra output tokens allowed beyond the ratio."""
    hypotheses: int = 1
    """Hypotheses returned per piece (CTranslate2 ``num_hypotheses``); the first is the
    output, the others are alternatives for the reviewer."""
    attention: bool = False
    """Whether each output word's most attended source word comes back (``word_links``)."""

    def output_bound(self, input_tokens: int) -> int:
        """At most this many output tokens for an input of ``input_tokens``."""
        return int(input_tokens * self.length_ratio) + self.length_margin


def read_model_files(model_dir: Path) -> dict[str, bytes]:
    """The CTranslate2 model directory's files, by name (what a worker loads from)."""
    return {path.name: path.read_bytes() for path in sorted(model_dir.iterdir()) if path.is_file()}


def files_checksum(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the files' names and contents, in name order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{len(files[name])}\0".encode())
        digest.update(files[name])
    return digest.hexdigest()


class ModelWorker:
    """One model loaded from bytes; decodes the driver's batches."""

    def __init__(
        self,
        spec: ModelSpec,
        model: Path | tuple[Mapping[str, bytes], str],
        *,
        threads: int = 1,
    ) -> None:
        """Load ``model``: a directory, or (files, their checksum) received from the driver."""
        files = None
        if not isinstance(model, Path):
            files, checksum = model
            if files_checksum(files) != checksum:
                raise ModelError(
                    f"the model files of {spec.key} arrived damaged (checksum mismatch)",
                    hint="run the command again; if it persists, reinstall the package",
                )
        import ctranslate2

        device = spec.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        self.spec = spec
        """What this worker decodes with."""
        compute_type = spec.compute_type
        if compute_type not in ctranslate2.get_supported_compute_types(device):
            compute_type = "default"
        try:
            self._translator: Any = ctranslate2.Translator(
                spec.key if files is not None else str(model),
                device=device,
                compute_type=compute_type,
                inter_threads=threads if device == "cpu" else 1,
                intra_threads=1 if device == "cpu" else 0,
                files=dict(files) if files is not None else None,
            )
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"cannot load the model {spec.key}: {error}") from None

    def decode(self, batches: Sequence[Batch]) -> list[Decoded]:
        """Each batch decoded as one unit (several in parallel when the worker has threads)."""
        pending = [self.submit(batch) for batch in batches]
        return [
            self.collect(batch, futures) for batch, futures in zip(batches, pending, strict=True)
        ]

    def submit(self, batch: Batch) -> Any:
        """Start decoding ``batch`` as one unit; ``collect`` waits for it."""
        spec = self.spec
        prefix = [spec.target_prefix] if spec.target_prefix else None
        return self._translator.translate_batch(
            [list(piece) for piece in batch.pieces],
            target_prefix=[prefix] * len(batch.pieces) if prefix else None,
            max_batch_size=len(batch.pieces),
            batch_type="examples",
            beam_size=spec.beam_size,
            length_penalty=spec.length_penalty,
            max_decoding_length=spec.output_bound(batch.longest),
            return_scores=True,
            replace_unknowns=True,
            num_hypotheses=spec.hypotheses,
            return_attention=spec.attention,
            asynchronous=True,
        )

    def collect(self, batch: Batch, futures: Any) -> Decoded:
        """The output of a submitted batch: each piece's tokens and mean log-probability,
        and its other hypotheses when the spec asks for several."""
        spec = self.spec
        outputs: Decoded = []
        for piece, future in zip(batch.pieces, futures, strict=True):
            result = future.result()
            bound = spec.output_bound(len(piece))
            hypotheses = [self._trimmed(tokens, bound) for tokens in result.hypotheses]
            raw = result.scores[0] if result.scores else 0.0
            best = hypotheses[0]
            score = _mean_log_probability(raw, len(best), spec)
            links = None
            if spec.attention and result.attention:
                rows = result.attention[0]
                if spec.target_prefix and result.hypotheses[0][:1] == [spec.target_prefix]:
                    rows = rows[1:]  # the forced prefix's row: not an output word's
                links = word_links(piece, best, rows[: len(best)])
            outputs.append((best, score, tuple(hypotheses[1:]), links))
        return outputs

    def _trimmed(self, tokens: Sequence[str], bound: int) -> Piece:
        """A hypothesis without the forced target prefix, cut at the output bound."""
        hypothesis = list(tokens)
        prefix = self.spec.target_prefix
        if prefix and hypothesis[:1] == [prefix]:
            hypothesis = hypothesis[1:]
        return tuple(hypothesis[:bound])


_UNSPACED = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""Thai, kana and Han: scripts written without spaces between words."""


def word_groups(tokens: Sequence[str]) -> list[list[int]]:
    """Token indexes grouped into words: SentencePiece marks a word's first piece with ``▁``
    (a piece before any marked one joins the first word). In scripts written without
    spaces (Chinese, Japanese, Thai) each piece is a word of its own, since ``▁`` would
    make a whole clause one word."""
    groups: list[list[int]] = []
    for index, token in enumerate(tokens):
        unspaced = _UNSPACED.search(token) or (index and _UNSPACED.search(tokens[index - 1]))
        if token.startswith("▁") or not groups or unspaced:
            groups.append([index])
        else:
            groups[-1].append(index)
    return groups


def word_links(
    source: Sequence[str], target: Sequence[str], attention: Sequence[Sequence[float]]
) -> tuple[int, ...]:
    """For each target word (``word_groups``), the source word with the highest attention
    summed over both words' pieces; ``attention[t][s]`` is target token ``t``'s weight on
    source token ``s`` (CTranslate2's ``return_attention``). Ties go to the earlier word;
    a target token without a row (cut off) adds nothing."""
    source_words = word_groups(source)
    links = []
    for group in word_groups(target):
        rows = [attention[t] for t in group if t < len(attention)]
        sums = [sum(row[s] for row in rows for s in word if s < len(row)) for word in source_words]
        links.append(max(range(len(sums)), key=lambda w: (sums[w], -w)) if sums else 0)
    return tuple(links)


def _mean_log_probability(score: float, length: int, spec: ModelSpec) -> float:
    """CTranslate2 divides the log-probability by ``length ** length_penalty``; undo that."""
    if not math.isfinite(score):
        return -99.0
    if length == 0:
        return score
    return float(score * (length**spec.length_penalty) / length)
