"""Progress of long steps: the interface steps and engines report to, and a silent one.

The CLI shows a bar on stderr (``cli.common.RichProgress``); the library default reports
nowhere.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["NullProgress", "Progress"]


class Progress(Protocol):
    """Receives progress of long steps (the CLI shows a bar on stderr)."""

    def start(self, description: str, total: int) -> None:
        """A step with ``total`` units of work begins."""

    def advance(self, amount: int) -> None:
        """``amount`` more units are done."""


class NullProgress:
    """Progress that goes nowhere."""

    def start(self, description: str, total: int) -> None:
        """Ignore."""

    def advance(self, amount: int) -> None:
        """Ignore."""
