"""Tiny but genuine Argos Translate packages, built at test time without torch.

A package is what ``argospm`` installs: a zip of one directory holding ``metadata.json``,
a CTranslate2 model in ``model/`` and a ``sentencepiece.model``. Here the SentencePiece
model is trained on a few kilobytes of text and the Transformer is filled with seeded
random weights (``ctranslate2.specs.TransformerSpec`` + numpy), so its output is
nonsense that still flows through exactly the code a real model uses. Random weights
never emit ``</s>``, so every sentence runs to the decoding limit the caller sets.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

SEED_TEXT = (Path(__file__).parents[1] / "source" / "article.txt").read_text("utf-8")


@dataclass(frozen=True)
class ModelShape:
    """Sizes of the Transformer; the defaults make a model of a few hundred kilobytes."""

    encoder_layers: int = 1
    decoder_layers: int = 1
    d_model: int = 32
    heads: int = 2
    ffn: int = 64
    vocabulary: int = 200


ARGOS_SIZE = ModelShape(6, 6, 512, 8, 2048, 8000)
"""The size of a real Argos Translate model (for benchmarks)."""


def train_sentencepiece(text: str, vocabulary: int, *, seed: int = 0) -> bytes:
    """A SentencePiece model trained on ``text``; byte-identical for the same input."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(line for line in text.splitlines() if line.strip()),
        model_writer=model,
        vocab_size=vocabulary,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return model.getvalue()


def build_model(
    directory: Path, pieces: list[str], shape: ModelShape, *, seed: int, eos_bias: float = 0.0
) -> None:
    """Write a CTranslate2 Transformer with random weights to ``directory``.

    ``eos_bias`` raises the logit of ``</s>`` so that decoding ends by itself after a
    few dozen tokens, as a real model's does (benchmarks); 0 leaves it to the length bound.
    """
    import numpy as np
    from ctranslate2.converters import Converter
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    d, vocabulary = shape.d_model, len(pieces)

    def weights(*dims: int) -> np.ndarray:
        return (rng.standard_normal(dims) * 0.5 / np.sqrt(dims[-1])).astype(np.float32)

    def norm(layer: object) -> None:
        layer.gamma = np.ones(d, dtype=np.float32)  # type: ignore[attr-defined]
        layer.beta = np.zeros(d, dtype=np.float32)  # type: ignore[attr-defined]

    def linear(layer: object, rows: int, columns: int) -> None:
        layer.weight = weights(rows, columns)  # type: ignore[attr-defined]
        layer.bias = np.zeros(rows, dtype=np.float32)  # type: ignore[attr-defined]

    spec = transformer_spec.TransformerSpec.from_config(
        (shape.encoder_layers, shape.decoder_layers), shape.heads
    )
    spec.encoder.embeddings[0].weight = weights(vocabulary, d)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, shape.ffn, d)
        linear(layer.ffn.linear_1, d, shape.ffn)
    spec.decoder.embeddings.weight = weights(vocabulary, d)
    norm(spec.decoder.layer_norm)
    linear(spec.decoder.projection, vocabulary, d)
    if eos_bias and "</s>" in pieces:
        spec.decoder.projection.bias[pieces.index("</s>")] = eos_bias
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, shape.ffn, d)
        linear(layer.ffn.linear_1, d, shape.ffn)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)

    class _Random(Converter):
        def _load(self) -> object:
            return spec

    _Random().convert(str(directory), quantization="int8", force=True)


def build_package(
    destination: Path,
    from_code: str,
    to_code: str,
    *,
    version: str = "1.0",
    shape: ModelShape = ModelShape(),
    seed: int = 0,
    text: str = SEED_TEXT,
    eos_bias: float = 0.0,
) -> Path:
    """Build ``translate-<from>_<to>-<version>.argosmodel`` in ``destination``; return it."""
    import sentencepiece as spm

    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    staging = destination / f".build-{name}"
    staging.mkdir(parents=True, exist_ok=True)
    tokenizer = train_sentencepiece(text, shape.vocabulary, seed=seed)
    processor = spm.SentencePieceProcessor(model_proto=tokenizer)
    pieces = [processor.id_to_piece(index) for index in range(processor.get_piece_size())]
    build_model(staging / "model", pieces, shape, seed=seed, eos_bias=eos_bias)
    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
    }
    archive = destination / f"{name}.argosmodel"
    members = {
        f"{name}/metadata.json": json.dumps(metadata, indent=2).encode(),
        f"{name}/sentencepiece.model": tokenizer,
        f"{name}/README.md": b"Random weights, for tests only.\n",
    }
    for path in sorted((staging / "model").iterdir()):
        members[f"{name}/model/{path.name}"] = path.read_bytes()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for member, data in members.items():  # fixed dates: the same input, the same bytes
            info = zipfile.ZipInfo(member, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    return archive
