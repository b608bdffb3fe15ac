"""A model worker: token batches in, output tokens and scores out; nothing else.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translatio.engines.argos.executors.batching import Batch, Piece
from translatio.errors import ModelError

__all__ = ["Decoded", "ModelSpec", "ModelWorker", "files_checksum", "read_model_files"]

Decoded = list[tuple[Piece, float, tuple[Piece, ...]]]
"""One batch's output: each piece's output tokens, mean log-probability, and the other
hypotheses of the beam, best first (empty unless ``ModelSpec.hypotheses`` asks for them)."""


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
            outputs.append((best, score, tuple(hypotheses[1:])))
        return outputs

    def _trimmed(self, tokens: Sequence[str], bound: int) -> Piece:
        """A hypothesis without the forced target prefix, cut at the output bound."""
        hypothesis = list(tokens)
        prefix = self.spec.target_prefix
        if prefix and hypothesis[:1] == [prefix]:
            hypothesis = hypothesis[1:]
        return tuple(hypothesis[:bound])


def _mean_log_probability(score: float, length: int, spec: ModelSpec) -> float:
    """CTranslate2 divides the log-probability by ``length ** length_penalty``; undo that."""
    if not math.isfinite(score):
        return -99.0
    if length == 0:
        return score
    return float(score * (length**spec.length_penalty) / length)
