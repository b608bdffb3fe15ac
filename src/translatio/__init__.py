"""translatio: offline translation of long-form text through gettext catalogs.

The public API is ``Project`` (open a project directory and run its steps) plus every
report, state and error type its methods use; everything else is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "ApprovalReport",
    "BusyError",
    "CatalogError",
    "CatalogStatus",
    "CatalogUpdate",
    "ConfigError",
    "EditionError",
    "EditionReport",
    "EditionState",
    "EngineError",
    "ExecutorError",
    "Finding",
    "MergeReport",
    "ModelError",
    "NullProgress",
    "Policy",
    "Progress",
    "Project",
    "Severity",
    "SourceError",
    "State",
    "TranslateReport",
    "TranslatioError",
    "TranslationUpdate",
    "__version__",
]

if TYPE_CHECKING:
    from translatio.catalog.fill import TranslateReport
    from translatio.catalog.merge import MergeReport
    from translatio.catalog.states import CatalogStatus, State
    from translatio.errors import (
        BusyError,
        CatalogError,
        ConfigError,
        EditionError,
        EngineError,
        ExecutorError,
        ModelError,
        SourceError,
        TranslatioError,
    )
    from translatio.project import Project
    from translatio.publish.edition import Policy
    from translatio.qa.findings import Finding, Severity
    from translatio.reports import (
        ApprovalReport,
        CatalogUpdate,
        EditionReport,
        EditionState,
        NullProgress,
        Progress,
        TranslationUpdate,
    )

_LAZY = {
    "Project": "translatio.project",
    "Policy": "translatio.publish.edition",
    "ApprovalReport": "translatio.reports",
    "CatalogStatus": "translatio.catalog.states",
    "CatalogUpdate": "translatio.reports",
    "EditionReport": "translatio.reports",
    "EditionState": "translatio.reports",
    "Finding": "translatio.qa.findings",
    "MergeReport": "translatio.catalog.merge",
    "NullProgress": "translatio.reports",
    "Progress": "translatio.reports",
    "Severity": "translatio.qa.findings",
    "State": "translatio.catalog.states",
    "TranslateReport": "translatio.catalog.fill",
    "TranslationUpdate": "translatio.reports",
    **{
        name: "translatio.errors"
        for name in (
            "BusyError",
            "CatalogError",
            "ConfigError",
            "EditionError",
            "EngineError",
            "ExecutorError",
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
