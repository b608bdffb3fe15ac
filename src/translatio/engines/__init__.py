"""Translation engines behind one interface, and the registry that names them.

An engine is registered under a name with a factory (``EngineOptions`` → engine) and its
``Capabilities``, so that what an engine is (a preview, scored, batch) can be asked by
name, for output already in a catalog, without making the engine. A built-in engine's
class declares its capabilities and is imported on first use: ``translatio --help``
loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from translatio.engines.base import Capabilities, Engine, EngineOptions
from translatio.errors import EngineError

__all__ = [
    "Capabilities",
    "Engine",
    "EngineOptions",
    "check_engine_name",
    "create_engine",
    "engine_capabilities",
    "engine_names",
    "register_engine",
    "unregister_engine",
]


@dataclass(frozen=True, slots=True)
class _Registered:
    factory: Callable[[EngineOptions], Engine]
    """Makes the engine for a run."""
    capabilities: Callable[[], Capabilities]
    """What the engine is (a built-in engine's class says it, read on first use)."""


def _pseudo(options: EngineOptions) -> Engine:
    from translatio.engines.pseudo import PseudoEngine

    return PseudoEngine()


def _pseudo_capabilities() -> Capabilities:
    from translatio.engines.pseudo import PseudoEngine

    return PseudoEngine.capabilities


def _argos(options: EngineOptions) -> Engine:
    from translatio.engines.argos.engine import ArgosEngine

    return ArgosEngine.for_run(options)


def _argos_capabilities() -> Capabilities:
    from translatio.engines.argos.engine import ArgosEngine

    return ArgosEngine.capabilities


def _apertium(options: EngineOptions) -> Engine:
    from translatio.engines.apertium import ApertiumEngine

    return ApertiumEngine()


def _apertium_capabilities() -> Capabilities:
    from translatio.engines.apertium import ApertiumEngine

    return ApertiumEngine.capabilities


_BUILT_IN: dict[str, _Registered] = {
    "apertium": _Registered(_apertium, _apertium_capabilities),
    "argos": _Registered(_argos, _argos_capabilities),
    "pseudo": _Registered(_pseudo, _pseudo_capabilities),
}
_ENGINES: dict[str, _Registered] = dict(_BUILT_IN)


def engine_names() -> tuple[str, ...]:
    """Engines this process can create, registered ones included."""
    return tuple(sorted(_ENGINES))


def register_engine(
    name: str,
    factory: Callable[[EngineOptions], Engine],
    *,
    capabilities: Capabilities = Capabilities(),  # noqa: B008 (a frozen value)
) -> None:
    """Make ``factory(options)`` the engine called ``name`` (a remote or in-house engine).

    Unregistered names are refused by ``check_engine_name``; a registered name replaces
    the engine of that name for this process. ``capabilities`` must be those of the
    engines ``factory`` makes (``create_engine`` checks).
    """
    _ENGINES[name] = _Registered(factory, lambda: capabilities)


def unregister_engine(name: str) -> None:
    """Undo ``register_engine(name, ...)``: a built-in engine it replaced comes back."""
    check_engine_name(name)
    if name in _BUILT_IN:
        _ENGINES[name] = _BUILT_IN[name]
    else:
        del _ENGINES[name]


def check_engine_name(name: str) -> None:
    """``EngineError`` unless ``name`` is an engine this installation has."""
    if name not in _ENGINES:
        raise EngineError(
            f"unknown engine {name!r}",
            hint=f"choose one of: {', '.join(engine_names())}",
        )


def engine_capabilities(name: str) -> Capabilities:
    """What the engine called ``name`` is; an engine unknown here is a real, scored one.

    Catalogs travel: output of an engine another installation registered is treated as
    a real translation, never as a preview.
    """
    registered = _ENGINES.get(name)
    return registered.capabilities() if registered is not None else Capabilities()


def create_engine(name: str, options: EngineOptions | None = None) -> Engine:
    """The engine called ``name``, made for this run; ``EngineError`` names the others."""
    check_engine_name(name)
    registered = _ENGINES[name]
    engine = registered.factory(options or EngineOptions())
    if engine.capabilities != registered.capabilities():
        raise EngineError(
            f"engine {name!r} says it is {engine.capabilities}, "
            f"but was registered as {registered.capabilities()}",
            hint="register the engine with the capabilities of what its factory makes",
        )
    return engine
