"""Translation engines behind one interface, and the registry that names them."""

from __future__ import annotations

from collections.abc import Callable

from translatio.engines.base import Engine, Translation
from translatio.errors import EngineError

__all__ = [
    "Engine",
    "Translation",
    "check_engine_name",
    "create_engine",
    "engine_names",
    "register_engine",
]


def _pseudo(device: str) -> Engine:
    from translatio.engines.pseudo import PseudoEngine

    return PseudoEngine()


def _argos(device: str) -> Engine:
    from translatio.engines.argos import ArgosEngine
    from translatio.engines.argos.sentence_cache import SentenceCache

    return ArgosEngine(device=device, cache=SentenceCache())


def _apertium(device: str) -> Engine:
    from translatio.engines.apertium import ApertiumEngine

    return ApertiumEngine()


_FACTORIES: dict[str, Callable[[str], Engine]] = {
    "apertium": _apertium,
    "argos": _argos,
    "pseudo": _pseudo,
}


def engine_names() -> tuple[str, ...]:
    """Engines this process can create, registered ones included."""
    return tuple(sorted(_FACTORIES))


def register_engine(name: str, factory: Callable[[str], Engine]) -> None:
    """Make ``factory(device)`` the engine called ``name`` (a remote or in-house engine).

    Unregistered names are refused by ``check_engine_name``; a registered name replaces
    the engine of that name for this process.
    """
    _FACTORIES[name] = factory


def check_engine_name(name: str) -> None:
    """``EngineError`` unless ``name`` is an engine this installation has."""
    if name not in _FACTORIES:
        raise EngineError(
            f"unknown engine {name!r}",
            hint=f"choose one of: {', '.join(engine_names())}",
        )


def create_engine(name: str, *, device: str = "auto") -> Engine:
    """The engine called ``name``; ``EngineError`` names the ones available otherwise.

    ``device`` (``auto``, ``cpu`` or ``cuda``) matters to engines that run models.
    """
    check_engine_name(name)
    return _FACTORIES[name](device)
