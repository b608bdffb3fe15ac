"""Files written and read safely: atomic replacement (with a compare-and-swap check),
reading a file another program may be writing, and the project lock.

A file is replaced by writing a temporary file in the same directory, flushing and
syncing it, and renaming it over the old one, so a reader (or a crash) only ever sees the
old or the new bytes. Other programs are not so careful: polib, Babel and many editors
truncate a catalog and write it in place, so a reader can find it empty or cut short.
``read_settled`` reads again, a few times over about a second, while the bytes it finds
keep changing or look cut short, before their error stands. The lock is ``flock`` on the
project directory itself: no lock file is left behind, and the kernel releases it when
the holder dies.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from translatio.errors import BusyError, TranslatioError

__all__ = [
    "hold_directory",
    "make_folders",
    "read_settled",
    "remove_temporaries",
    "replace_atomically",
]

T = TypeVar("T")

TEMPORARY = ".translatio-tmp-"
"""Prefix of the temporary files of a write in progress."""
SETTLE_SECONDS = 1.0
"""How long ``read_settled`` waits, at most, for a file being written to be whole."""
_FIRST_PAUSE = 0.005
"""The first pause between two reads; each next one is twice as long (up to 0.25 s)."""


def replace_atomically(
    target: Path, data: bytes, *, check: bool = False, expected: bytes | None = None
) -> bool:
    """Atomically put ``data`` at ``target``; with ``check``, only over ``expected``.

    ``expected`` is the content the file must still hold (``None``: no file) right before
    the rename; False, and nothing written, when it does not. An ``OSError`` always names
    the file.
    """
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    make_folders(target.parent)
    descriptor, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY}{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if check and _current(target) != expected:
            Path(temporary).unlink(missing_ok=True)
            return False
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.filename is None:  # write and fsync name no file: say which one
            raise OSError(error.errno, error.strerror, str(target)) from error
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)  # make the rename itself survive a power cut
    return True


def read_settled(
    read: Callable[[], bytes | None],
    parse: Callable[[bytes | None], T],
    *,
    settle: float = SETTLE_SECONDS,
) -> tuple[bytes | None, T]:
    """``read()`` and ``parse`` it, again while the file looks half written.

    Looks half written: ``parse`` fails and the bytes changed since the read before, or
    they are empty or end without a line break (cut short), as in-place saves leave a
    file for a moment; or ``parse`` succeeds but the file changed meanwhile (a save cut
    at an entry's end parses, and is still being written). Read again after a short
    pause, doubling, for up to ``settle`` seconds; then, or as soon as the same broken
    bytes are read twice (a file broken for good), the ``TranslatioError`` of the last
    bytes read stands. Returns the bytes and what ``parse`` made of those very bytes.
    """
    data = read()
    deadline = time.monotonic() + settle
    pause = _FIRST_PAUSE
    while True:
        try:
            parsed = parse(data)
        except TranslatioError:
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)
            again = read()
            if again == data and not _cut_short(data):
                raise
            data = again
            continue
        again = read()
        if again == data or time.monotonic() > deadline:
            return data, parsed
        data = again


def _cut_short(data: bytes | None) -> bool:
    """Whether ``data`` looks like a file caught half written: empty, or no final newline."""
    return data is not None and (not data.strip() or not data.endswith(b"\n"))


def remove_temporaries(directory: Path) -> None:
    """Temporary files of a killed run under ``directory`` (call only under the lock).

    Folders that are symbolic links are not entered; the walk keeps its own stack instead
    of recursing, so a tree of any depth is cleaned.
    """
    pending = [directory]
    while pending:
        try:
            with os.scandir(pending.pop()) as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif entry.name.startswith(TEMPORARY):
                Path(entry.path).unlink(missing_ok=True)


def make_folders(directory: Path) -> None:
    """``directory`` and every missing folder above it (``mkdir -p``), without recursing.

    ``Path.mkdir(parents=True)`` calls itself once per missing folder, which a source tree
    a thousand folders deep turns into a ``RecursionError``.
    """
    missing = []
    while not directory.is_dir() and directory.parent != directory:
        missing.append(directory)
        directory = directory.parent
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True)


@contextmanager
def hold_directory(
    directory: Path, *, wait: float = 0.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """``flock`` ``directory`` for this process; ``BusyError`` after ``wait`` seconds."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        waited = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        "another translatio process is working on this project",
                        path=directory,
                        hint="wait for it to finish, or pass --wait SECONDS",
                    ) from None
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                time.sleep(0.1)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def _current(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
