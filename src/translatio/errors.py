"""The one exception tree of translatio: every error a user can cause or meet.

Callers pick the branch by how they handle it::

    TranslatioError                 anything translatio reports; carries where and a hint
    ├── ConfigError                 bad settings in pyproject.toml / translatio.toml
    ├── SourceError                 a source document cannot be read or segmented
    ├── CatalogError                a PO/POT file is unreadable or would lose work
    ├── EngineError                 a translation engine is missing or failed
    │   ├── ModelError              an Argos package is missing, broken or not installable
    │   └── ExecutorError           the executor cannot run: Ray missing, cluster unreachable
    ├── EditionError                an edition cannot be built
    └── BusyError                   another translatio process works on the project

The CLI catches ``TranslatioError`` in one place and prints ``error: <message>
(<file>:<line>)`` followed by the hint; library users get the same fields as attributes.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BusyError",
    "CatalogError",
    "ConfigError",
    "EditionError",
    "EngineError",
    "ExecutorError",
    "ModelError",
    "SourceError",
    "TranslatioError",
]


class TranslatioError(Exception):
    """Base of every error translatio raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        """What went wrong, in one sentence without a trailing period."""
        self.path = Path(path) if path is not None else None
        """The file concerned, if any."""
        self.line = line
        """The 1-based line in ``path``, if known."""
        self.hint = hint
        """How to fix it, for the person reading the message."""

    @property
    def where(self) -> str | None:
        """``file:line``, ``file`` or ``None``."""
        if self.path is None:
            return None
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def __str__(self) -> str:
        where = self.where
        return f"{self.message} ({where})" if where else self.message


class ConfigError(TranslatioError):
    """Settings are missing, unknown or invalid."""


class SourceError(TranslatioError):
    """A source document cannot be read or segmented."""


class CatalogError(TranslatioError):
    """A catalog cannot be read, or writing it would lose translations."""


class EngineError(TranslatioError):
    """A translation engine is unknown, unavailable or failed."""


class ModelError(EngineError):
    """An Argos Translate package is missing, damaged or cannot be installed."""


class ExecutorError(EngineError):
    """The chosen executor cannot run: Ray missing, or its cluster unreachable."""


class EditionError(TranslatioError):
    """An edition cannot be built."""


class BusyError(TranslatioError):
    """Another translatio process is working on the same project."""
