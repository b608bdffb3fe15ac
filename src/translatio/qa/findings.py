"""What a quality check reports: a finding's code, severity and place, and the check's shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from translatio.languages import Language

__all__ = ["Check", "Finding", "Severity"]


class Severity(StrEnum):
    """How serious a finding is; errors fail ``translatio check``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one entry."""

    code: str
    """Stable identifier of the check (``link-target``, ``code-span``, …)."""
    severity: Severity
    """Error or warning."""
    message: str
    """What is wrong, for the translator."""
    path: str = ""
    """The catalog file."""
    line: int = 0
    """The entry's line in the catalog."""
    reference: str = ""
    """Where the paragraph is in the source (``source/article.md:12``)."""

    @property
    def where(self) -> str:
        """``catalog:line``."""
        return f"{self.path}:{self.line}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "reference": self.reference,
        }


Check = Callable[[str, str, Language], Iterable[tuple[str, Severity, str]]]
"""A check takes (msgid, msgstr, target language) and yields (code, severity, message)."""
