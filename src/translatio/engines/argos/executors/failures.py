"""A Ray worker's failure told in one line, its whole remote report kept in a log file.

Ray hands the driver a worker's exception wrapped in its remote traceback, many lines
long (``RayTaskError``; ``RayActorError`` when the actor failed while starting, as when
its model did not load). ``worker_failure`` makes it one line naming the node and the
error, keeps the class of a translatio error (a ``ModelError`` stays one), and appends
the full report to a log file (``worker_log``: ``<cache>/logs/ray-workers.log``), which
the hint names. A log that cannot be written is said so in the hint; it never hides the
error itself. ``failed_node`` names the node of an actor that died (the executor retries
its batches and says ``worker lost on NODE, N batches retried``).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from translatio.config import cache_directory
from translatio.errors import ExecutorError, TranslatioError

__all__ = ["failed_node", "worker_failure", "worker_log"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NODE = re.compile(r"\bip(?:=|: )([^,)\s]+)|\bipv4:(\d+\.\d+\.\d+\.\d+):\d+")
"""A node in Ray's reports: ``ip: 10.1.2.3`` (a dead actor), ``ipv4:10.1.2.3:port`` (gRPC)."""


def worker_log() -> Path:
    """Where the full reports of failed Ray workers are appended."""
    return cache_directory() / "logs" / "ray-workers.log"


def worker_failure(error: Exception, *, log: Path | None = None) -> TranslatioError:
    """The error to raise for ``error``, a ``RayTaskError`` or ``RayActorError`` (duck-typed:
    ``cause`` and ``ip`` for the one, the message text for the other).

    Its message is one line: ``a Ray worker on node <ip> failed: <what>``.
    """
    report = _ANSI.sub("", str(error)).strip()
    node = getattr(error, "ip", None) or _node_in(report) or "unknown"
    cause = getattr(error, "cause", None)
    where = _keep(report, node, log if log is not None else worker_log())
    if isinstance(cause, TranslatioError):
        hint = f"{cause.hint}; {where}" if cause.hint else where
        try:
            return type(cause)(
                f"a Ray worker on node {node} failed: {cause.message}",
                path=cause.path,
                line=cause.line,
                hint=hint,
            )
        except TypeError:  # a subclass with another constructor
            return ExecutorError(f"a Ray worker on node {node} failed: {cause}", hint=hint)
    what = _last_line(report) if cause is None else _one_line(cause)
    return ExecutorError(
        f"a Ray worker on node {node} failed: {what}",
        hint=f"check that translatio and ctranslate2 are installed on every node; {where}",
    )


def failed_node(error: Exception) -> str | None:
    """The node of the worker behind ``error``, where Ray's report names it."""
    node = getattr(error, "ip", None) or _node_in(_ANSI.sub("", str(error)))
    return str(node) if node else None


def _node_in(report: str) -> str | None:
    found = _NODE.search(report)
    return (found.group(1) or found.group(2)) if found else None


def _one_line(cause: BaseException) -> str:
    text = str(cause).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(cause).__name__}: {first}" if first else type(cause).__name__


def _last_line(report: str) -> str:
    """The last line of a remote traceback: ``module.Type: message``, without the module."""
    lines = [line.strip() for line in report.splitlines() if line.strip()]
    last = lines[-1] if lines else "no reason given"
    return re.sub(r"^(?:[A-Za-z_][\w]*\.)+(?=[A-Za-z_]\w*(?:Error|Exception)\b)", "", last)


def _keep(report: str, node: str, log: Path) -> str:
    """Append ``report`` to ``log``; the hint's words for where it is (or why it is not)."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S%z")
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"=== {stamp} Ray worker on node {node} ===\n{report}\n\n")
    except OSError as problem:
        reason = problem.strerror or type(problem).__name__
        return f"the worker's full report could not be written to {log} ({reason})"
    return f"the worker's full report is in {log}"
