"""translatio: offline translation of long-form text through gettext catalogs.

The public API is ``Project`` (open a project directory and run its steps) plus the
report and error types its methods use; everything else is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "BusyError",
    "CatalogError",
    "ConfigError",
    "EditionError",
    "EngineError",
    "ModelError",
    "Policy",
    "Project",
    "SourceError",
    "TranslatioError",
    "__version__",
]

if TYPE_CHECKING:
    from translatio.edition import Policy
    from translatio.errors import (
        BusyError,
        CatalogError,
        ConfigError,
        EditionError,
        EngineError,
        ModelError,
        SourceError,
        TranslatioError,
    )
    from translatio.project import Project

_LAZY = {
    "Project": "translatio.project",
    "Policy": "translatio.edition",
    **{
        name: "translatio.errors"
        for name in (
            "BusyError",
            "CatalogError",
            "ConfigError",
            "EditionError",
            "EngineError",
            "ModelError",
            "SourceError",
            "TranslatioError",
        )
    },
}


def __getattr__(name: str) -> Any:
    """Import public names on first use, so ``translatio --help`` stays fast."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'translatio' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
