"""Translation engines behind one interface, and the registry that names them."""

from __future__ import annotations

from collections.abc import Callable

from translatio.engines.base import Engine, Translation
from translatio.errors import EngineError

__all__ = ["ENGINE_NAMES", "Engine", "Translation", "create_engine"]


def _pseudo() -> Engine:
    from translatio.engines.pseudo import PseudoEngine

    return PseudoEngine()


_FACTORIES: dict[str, Callable[[], Engine]] = {"pseudo": _pseudo}
ENGINE_NAMES: tuple[str, ...] = tuple(sorted(_FACTORIES))
"""Engines this installation can create."""


def create_engine(name: str) -> Engine:
    """The engine called ``name``; ``EngineError`` names the ones available otherwise."""
    factory = _FACTORIES.get(name)
    if factory is None:
        raise EngineError(
            f"unknown engine {name!r}",
            hint=f"choose one of: {', '.join(ENGINE_NAMES)}",
        )
    return factory()
