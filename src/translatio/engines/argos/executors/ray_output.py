"""Ray's own output, kept in a log file instead of the user's terminal.

Ray writes to the driver's terminal on three paths: its C++ core writes warnings and
errors straight to file descriptor 2 (``gcs_client.cc: Failed to get cluster ID …``,
``core_worker.cc: … max_restarts > 0 …``), its Python loggers hold the ``sys.stderr`` of
the time Ray was imported, and the driver's error listener prints what the raylet
reports (``(raylet) A worker died …``) to ``sys.stdout``. While a ``RayOutput`` is
started, descriptor 2 points at ``<cache>/logs/ray.log`` and the listener writes there
too, while ``sys.stderr`` moves to a copy of the old descriptor 2: translatio's own
progress, warnings and errors still reach the terminal, Ray's lines do not. ``stop``
puts everything back. A log that cannot be opened leaves the output where it was.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from translatio.config import cache_directory

__all__ = ["RayOutput", "ray_log"]


def ray_log() -> Path:
    """Where Ray's own lines go while translatio drives it."""
    return cache_directory() / "logs" / "ray.log"


class RayOutput:
    """Ray's lines to a log file, translatio's to the terminal, between start and stop."""

    def __init__(self, log: Path | None = None) -> None:
        self.log = log if log is not None else ray_log()
        """The file Ray's lines are appended to."""
        self._file: TextIO | None = None
        self._saved_fd: int | None = None
        self._terminal: TextIO | None = None
        self._stderr: Any = None
        self._listener: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        """True while Ray's output goes to the log."""
        return self._file is not None

    def start(self, title: str) -> None:
        """Send Ray's output to the log, under a line naming ``title`` and the time."""
        if self._file is not None:
            return
        try:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.log, "a", encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError:
            return
        stamp = time.strftime("%Y-%m-%d %H:%M:%S%z")
        handle.write(f"=== {stamp} {title} (pid {os.getpid()}) ===\n")
        handle.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no descriptor 2 at all: nothing reaches a terminal anyway
            saved = None
        for stream in (sys.stdout, sys.stderr):
            _flush(stream)
        if saved is not None:
            if _fileno(sys.stderr) == 2:
                self._stderr = sys.stderr
                self._terminal = _text_stream(os.dup(saved), sys.stderr)
                sys.stderr = self._terminal
            os.dup2(handle.fileno(), 2)
        self._file = handle
        self._saved_fd = saved
        self._catch_listener()

    def stop(self) -> None:
        """Put the output back where it was."""
        handle = self._file
        if handle is None:
            return
        self._release_listener()
        if self._saved_fd is not None:
            _flush(sys.stderr)
            os.dup2(self._saved_fd, 2)
            os.close(self._saved_fd)
            self._saved_fd = None
        if self._terminal is not None:
            if sys.stderr is self._terminal:
                sys.stderr = self._stderr
            _flush(self._terminal)
            self._terminal.close()
            self._terminal = None
            self._stderr = None
        with self._lock:
            self._file = None
            handle.close()

    def write(self, text: str) -> None:
        """Append ``text`` to the log (from any thread)."""
        with self._lock:
            if self._file is not None:
                self._file.write(text)
                self._file.flush()

    def _catch_listener(self) -> None:
        """The driver's error listener prints through this module-level function of Ray's
        (at each call, so replacing it reaches the running listener thread)."""
        worker = sys.modules.get("ray._private.worker")
        original = getattr(worker, "print_to_stdstream", None)
        if worker is None or original is None:
            return

        def to_log(data: dict[str, Any], ignore_prefix: bool = False) -> None:
            source = data.get("pid", "ray")
            lines = data.get("lines") or []
            self.write("".join(f"({source}) {line}\n" for line in lines))

        worker.print_to_stdstream = to_log  # type: ignore[attr-defined]
        self._listener = (worker, original)

    def _release_listener(self) -> None:
        if self._listener is not None:
            worker, original = self._listener
            worker.print_to_stdstream = original
            self._listener = None


def _fileno(stream: Any) -> int | None:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None


def _flush(stream: Any) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        stream.flush()


def _text_stream(fd: int, like: Any) -> TextIO:
    """A text stream on ``fd`` that writes as ``like`` does."""
    return io.TextIOWrapper(
        io.FileIO(fd, "w"),
        encoding=getattr(like, "encoding", None) or "utf-8",
        errors=getattr(like, "errors", None) or "backslashreplace",
        line_buffering=True,
        write_through=True,
    )
