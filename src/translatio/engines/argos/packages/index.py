"""The Argos package index online: what it offers, and downloads installed like a file.

The index address is ``TRANSLATIO_ARGOS_INDEX``, else Argos's own setting. The index and
every download are size-limited while they stream in, and a downloaded archive goes
through ``install_from_file``, so it is validated exactly like one given by hand.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from translatio.engines.argos.packages.archive import (
    MAX_ARCHIVE_BYTES,
    install_from_file,
    size_text,
)
from translatio.engines.argos.packages.installed import ModelPackage, packages_dir
from translatio.errors import ModelError

__all__ = [
    "MAX_INDEX_BYTES",
    "AvailablePackage",
    "available_packages",
    "download_and_install",
    "index_url",
]

MAX_INDEX_BYTES = 16 * 1024**2
"""Refuse a package index larger than this (the real one is ~100 KB)."""


@dataclass(frozen=True, slots=True)
class AvailablePackage:
    """A package the Argos index offers."""

    from_code: str
    """Source language code."""
    to_code: str
    """Target language code."""
    version: str
    """Package version."""
    links: tuple[str, ...]
    """Download addresses."""


def index_url() -> str:
    """The package index address: ``TRANSLATIO_ARGOS_INDEX``, else Argos's own setting."""
    configured = os.environ.get("TRANSLATIO_ARGOS_INDEX")
    if configured:
        return configured
    from argostranslate import settings  # creates Argos's data and cache directories

    return str(settings.remote_package_index)


def available_packages(*, timeout: float = 15.0) -> list[AvailablePackage]:
    """The index's translation packages; ``ModelError`` when it cannot be reached."""
    data = _fetch_index(index_url(), timeout=timeout)
    try:
        entries = json.loads(data)
    except ValueError:
        raise ModelError("the package index is not JSON", path=index_url()) from None
    packages = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
            continue
        if not isinstance(entry.get("from_code"), str) or not isinstance(entry.get("to_code"), str):
            continue
        packages.append(
            AvailablePackage(
                entry["from_code"],
                entry["to_code"],
                str(entry.get("package_version", "")),
                tuple(link for link in entry.get("links", []) if isinstance(link, str)),
            )
        )
    return sorted(packages, key=lambda item: (item.from_code, item.to_code))


def download_and_install(
    from_code: str,
    to_code: str,
    directory: Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    timeout: float = 60.0,
    max_bytes: int = MAX_ARCHIVE_BYTES,
) -> ModelPackage:
    """Download the index's package for a pair and install it (validated like a file).

    The download streams to a scratch file and stops at ``max_bytes``.
    """
    offers = [p for p in available_packages() if (p.from_code, p.to_code) == (from_code, to_code)]
    if not offers or not offers[-1].links:
        raise ModelError(
            f"the package index has no {from_code}→{to_code} package",
            hint="`translatio models available` lists the pairs it offers",
        )
    directory = directory or packages_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".download-") as scratch:
        archive = Path(scratch) / f"translate-{from_code}_{to_code}.argosmodel"
        with open(archive, "wb") as sink:
            _fetch(offers[-1].links[0], sink, timeout=timeout, progress=progress, limit=max_bytes)
        return install_from_file(archive, directory, max_bytes=max_bytes)


def _fetch_index(url: str, *, timeout: float) -> bytes:
    """The index's bytes, refused past ``MAX_INDEX_BYTES``."""
    import io

    buffer = io.BytesIO()
    _fetch(url, buffer, timeout=timeout, progress=None, limit=MAX_INDEX_BYTES)
    return buffer.getvalue()


def _fetch(
    url: str,
    sink: BinaryIO,
    *,
    timeout: float,
    progress: Callable[[int, int], None] | None,
    limit: int,
) -> None:
    """Copy ``url`` into ``sink``; ``ModelError`` past ``limit`` bytes or on failure."""
    import urllib.error
    import urllib.request

    def too_big() -> ModelError:
        return ModelError(f"refused to download more than {size_text(limit)}", path=url)

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0)
            if total > limit:
                raise too_big()
            received = 0
            while chunk := response.read(1024 * 256):
                received += len(chunk)
                if received > limit:
                    raise too_big()
                sink.write(chunk)
                if progress is not None:
                    progress(received, total)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ModelError(
            f"cannot download {url}: {reason}",
            hint="offline? download the .argosmodel file on another machine and run "
            "`translatio models install FILE.argosmodel`",
        ) from None
