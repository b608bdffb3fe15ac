"""translatio: offline translation of long-form text through gettext catalogs.

The public API is ``Project`` (open a project directory and run its steps), every record,
state and error type its methods take or return, and the engine registry with its
interface (``Engine``, ``Capabilities``, ``register_engine``); everything else is
internal. Names are imported on first use, so ``translatio --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Action",
    "ApprovalReport",
    "BusyError",
    "Capabilities",
    "CatalogError",
    "CatalogStatus",
    "CatalogUpdate",
    "Change",
    "ConfigError",
    "Document",
    "EditResult",
    "EditionError",
    "EditionReport",
    "EditionState",
    "Engine",
    "EngineError",
    "EngineOptions",
    "ExecutorError",
    "ExportReport",
    "Finding",
    "Format",
    "ImportReport",
    "Language",
    "MemoryStats",
    "MergeReport",
    "ModelError",
    "NullProgress",
    "Outcome",
    "Policy",
    "Progress",
    "Project",
    "QueuedCatalog",
    "RecallReport",
    "RecallUpdate",
    "Segment",
    "SegmentKind",
    "Settings",
    "Severity",
    "SourceError",
    "State",
    "TranslateReport",
    "TranslatioError",
    "Translation",
    "TranslationUpdate",
    "Unserved",
    "__version__",
    "create_engine",
    "engine_names",
    "register_engine",
]

if TYPE_CHECKING:  # what type checkers see; at run time ``__getattr__`` imports
    from translatio.catalog.states import (
        CatalogStatus,
        State,
    )
    from translatio.config import (
        Settings,
    )
    from translatio.engines import (
        Capabilities,
        Engine,
        EngineOptions,
        create_engine,
        engine_names,
        register_engine,
    )
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
    from translatio.languages import (
        Language,
    )
    from translatio.progress import (
        NullProgress,
        Progress,
    )
    from translatio.project import (
        Project,
    )
    from translatio.publish.edition import (
        Policy,
    )
    from translatio.qa.findings import (
        Finding,
        Severity,
    )
    from translatio.reports import (
        ApprovalReport,
        CatalogUpdate,
        EditionReport,
        EditionState,
        ExportReport,
        ImportReport,
        MemoryStats,
        MergeReport,
        RecallReport,
        RecallUpdate,
        TranslateReport,
        Translation,
        TranslationUpdate,
        Unserved,
    )
    from translatio.steps.edit import (
        Action,
        Change,
        EditResult,
        Outcome,
    )
    from translatio.steps.review import (
        QueuedCatalog,
    )
    from translatio.text.document import (
        Document,
        Format,
        Segment,
        SegmentKind,
    )

_LAZY = {
    "Document": "translatio.text.document",
    "Format": "translatio.text.document",
    "Segment": "translatio.text.document",
    "SegmentKind": "translatio.text.document",
    "Language": "translatio.languages",
    "Settings": "translatio.config",
    "ApprovalReport": "translatio.reports",
    "CatalogUpdate": "translatio.reports",
    "EditionReport": "translatio.reports",
    "EditionState": "translatio.reports",
    "ExportReport": "translatio.reports",
    "ImportReport": "translatio.reports",
    "MemoryStats": "translatio.reports",
    "MergeReport": "translatio.reports",
    "RecallReport": "translatio.reports",
    "RecallUpdate": "translatio.reports",
    "TranslateReport": "translatio.reports",
    "Translation": "translatio.reports",
    "TranslationUpdate": "translatio.reports",
    "Unserved": "translatio.reports",
    "NullProgress": "translatio.progress",
    "Progress": "translatio.progress",
    "BusyError": "translatio.errors",
    "CatalogError": "translatio.errors",
    "ConfigError": "translatio.errors",
    "EditionError": "translatio.errors",
    "EngineError": "translatio.errors",
    "ExecutorError": "translatio.errors",
    "ModelError": "translatio.errors",
    "SourceError": "translatio.errors",
    "TranslatioError": "translatio.errors",
    "CatalogStatus": "translatio.catalog.states",
    "State": "translatio.catalog.states",
    "Finding": "translatio.qa.findings",
    "Severity": "translatio.qa.findings",
    "Policy": "translatio.publish.edition",
    "Project": "translatio.project",
    "Action": "translatio.steps.edit",
    "Change": "translatio.steps.edit",
    "EditResult": "translatio.steps.edit",
    "Outcome": "translatio.steps.edit",
    "QueuedCatalog": "translatio.steps.review",
    "Capabilities": "translatio.engines",
    "Engine": "translatio.engines",
    "EngineOptions": "translatio.engines",
    "create_engine": "translatio.engines",
    "engine_names": "translatio.engines",
    "register_engine": "translatio.engines",
}
"""Where each public name lives."""


def __getattr__(name: str) -> Any:
    """Import public names on first use, so ``translatio --help`` stays fast."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'translatio' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
