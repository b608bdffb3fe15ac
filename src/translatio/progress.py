"""Progress of long steps: the interface steps and engines report to, and its plain lines.

The CLI shows a bar on stderr on a terminal (``cli.common.RichProgress``) and, anywhere
else (CI, cron, a pipe), one plain line every few seconds (``PlainProgress``); the
library default reports nowhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["NullProgress", "PlainProgress", "Progress", "progress_line"]


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


def progress_line(description: str, done: int, total: int, elapsed: float) -> str:
    """One line for a log: done/total, percent, rate and time left (or taken).

    >>> progress_line("translating (apertium)", 120, 400, 10.0)
    'translating (apertium): 120/400 (30%), 12.0/s, ETA 0:23'
    >>> progress_line("translating (apertium)", 400, 400, 31.0)
    'translating (apertium): 400/400 (100%), 12.9/s, done in 0:31'
    """
    percent = 100 if total <= 0 else min(100, done * 100 // total)
    rate = done / elapsed if elapsed > 0 else 0.0
    if done >= total:
        when = f"done in {_clock(elapsed)}"
    elif rate > 0:
        when = f"ETA {_clock((total - done) / rate)}"
    else:
        when = "ETA unknown"
    return f"{description}: {done}/{total} ({percent}%), {rate:.1f}/s, {when}"


def _clock(seconds: float) -> str:
    """``H:MM:SS`` or ``M:SS``, rounded to the second."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class PlainProgress:
    """Progress as plain lines, for logs: one every ``interval`` seconds while a step
    runs, and one when a step that printed any ends (its total reached, or the next step
    begins). A step done within ``interval`` prints nothing.

    ``write`` receives each line (without its newline); ``clock`` gives seconds.
    """

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self._interval = interval
        self._clock = clock
        self._description = ""
        self._total = 0
        self._done = 0
        self._started = 0.0
        self._shown = 0.0
        self._finished = True
        self._lines = 0

    def start(self, description: str, total: int) -> None:
        """Close the step before (its last line) and begin timing this one."""
        self.close()
        self._description, self._total, self._done = description, total, 0
        self._started = self._shown = self._clock()
        self._finished = total <= 0
        self._lines = 0

    def advance(self, amount: int) -> None:
        """Count ``amount``; write a line when ``interval`` has passed or the step ended."""
        if self._finished:
            return
        self._done += amount
        now = self._clock()
        if self._done >= self._total:
            self._finished = True
            if self._lines or now - self._started >= self._interval:
                self._emit(now)
        elif now - self._shown >= self._interval:
            self._emit(now)

    def close(self) -> None:
        """The step ends where it stands: its last line, if it printed any."""
        if not self._finished:
            self._finished = True
            if self._lines:
                self._emit(self._clock())

    def _emit(self, now: float) -> None:
        self._shown = now
        self._lines += 1
        self._write(progress_line(self._description, self._done, self._total, now - self._started))
