"""Token-budget batches, cut by the driver: output never depends on who decodes them.

CTranslate2's output for a sentence can depend on what else is in its batch (padding,
the decoding length limit). So translatio, not CTranslate2 and not the executor, decides
the batches: every piece to decode for one model is sorted by (length, tokens) and cut
greedily so that no batch holds more than ``budget`` padded tokens. The same corpus gives
the same batches on one process, two actors or a hundred nodes, and each batch is
decoded as one unit (``max_batch_size`` = its size), so the output is identical.

A batch also bounds memory: a worker holds one batch's activations at a time (the local
executor a few, one per thread), never the whole corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Batch", "cut_batches"]

Piece = tuple[str, ...]
"""A SentencePiece token sequence of at most ``max_input_tokens`` tokens."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Pieces one model decodes together, as the driver cut them."""

    model: str
    """The model's key (package, weight checksum and decoding settings)."""
    number: int
    """Its position among the model's batches (they are submitted in this order)."""
    pieces: tuple[Piece, ...]
    """Token sequences, shortest first."""

    @property
    def tokens(self) -> int:
        """Padded size: pieces × the longest piece (what the budget limits)."""
        return len(self.pieces) * max((len(piece) for piece in self.pieces), default=0)

    @property
    def longest(self) -> int:
        """Tokens of the longest piece (sets the batch's decoding length limit)."""
        return max((len(piece) for piece in self.pieces), default=0)


def cut_batches(model: str, pieces: Iterable[Piece], budget: int) -> list[Batch]:
    """Distinct ``pieces`` sorted by (length, tokens), cut into batches of ≤ ``budget``.

    A piece longer than the budget on its own forms a batch of one.
    """
    ordered = sorted(set(pieces), key=lambda piece: (len(piece), piece))
    batches: list[Batch] = []
    current: list[Piece] = []
    for piece in ordered:
        if current and (len(current) + 1) * max(1, len(piece)) > budget:
            batches.append(Batch(model, len(batches), tuple(current)))
            current = []
        current.append(piece)
    if current:
        batches.append(Batch(model, len(batches), tuple(current)))
    return batches
