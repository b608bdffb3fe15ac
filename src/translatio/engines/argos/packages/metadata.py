"""What an Argos package says about itself: its ``metadata.json``, read within limits.

A package's metadata comes from strangers, so it is refused before parsing when it is
larger than ``MAX_METADATA_BYTES`` or nested deeper than ``MAX_METADATA_DEPTH`` (Python's
parser recurses once per level), and only the fields translatio relies on are checked:
a translation package, a language pair of Argos codes, a plain version, a short
target prefix. ``named_pair`` reads the pair an Argos directory name declares.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

from translatio.errors import ModelError

__all__ = [
    "MAX_METADATA_BYTES",
    "MAX_METADATA_DEPTH",
    "check_metadata",
    "named_pair",
    "parse_metadata",
    "read_metadata",
]

MAX_METADATA_BYTES = 64 * 1024
"""Refuse a ``metadata.json`` larger than this before parsing it (real ones: ~1 KB)."""
MAX_METADATA_DEPTH = 32
"""Refuse a ``metadata.json`` nested deeper than this (real ones: 2 levels)."""

_CODE = re.compile(r"^[a-z]{2,3}$")
_ARGOS_NAME = re.compile(r"^translate-([a-z]{2,3})_([a-z]{2,3})(?:-|$)")


def named_pair(name: str) -> tuple[str, str] | None:
    """The language pair an Argos directory name declares (``translate-en_de-1_0``), if any."""
    named = _ARGOS_NAME.match(name)
    return (named[1], named[2]) if named else None


def read_metadata(path: Path) -> dict[str, object]:
    """An installed package's ``metadata.json``, read within the size and depth limits."""
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ModelError("metadata.json is not a regular file", path=path)
            data = handle.read(MAX_METADATA_BYTES + 1)
    except OSError as error:
        raise ModelError(f"unreadable metadata.json: {error.strerror}", path=path) from None
    metadata = parse_metadata(data, path)
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json is not a JSON object", path=path)
    return metadata


def parse_metadata(data: bytes, where: Path | str) -> object:
    """JSON from ``data``, refusing what is too big or too deep to parse safely."""
    if len(data) > MAX_METADATA_BYTES:
        raise ModelError(
            f"metadata.json is larger than {MAX_METADATA_BYTES // 1024} KiB", path=where
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ModelError(f"metadata.json is not UTF-8 ({error.reason})", path=where) from None
    # Python's parser recurses once per level: measure the nesting before it does.
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", re.sub(r'"(?:[^"\\]|\\.)*"', "", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_METADATA_DEPTH:
        raise ModelError(
            f"metadata.json is nested more than {MAX_METADATA_DEPTH} levels deep", path=where
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ModelError(f"metadata.json is not JSON ({error})", path=where) from None


def check_metadata(metadata: object, where: Path | str) -> tuple[str, str, str]:
    """The source code, target code and version of a translation package's metadata."""
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json is not a JSON object", path=where)
    if metadata.get("type", "translate") != "translate":
        raise ModelError(f"not a translation package (type {metadata.get('type')!r})", path=where)
    codes = []
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _CODE.match(value):
            raise ModelError(f"metadata.json has no valid {key} (found {value!r})", path=where)
        codes.append(value)
    version = metadata.get("package_version", "")
    if not isinstance(version, str) or not re.fullmatch(r"[\w.+-]{0,40}", version):
        raise ModelError(f"metadata.json has a strange package_version {version!r}", path=where)
    prefix = metadata.get("target_prefix")
    if prefix is not None and (not isinstance(prefix, str) or len(prefix) > 100):
        raise ModelError(f"metadata.json has a strange target_prefix {prefix!r:.60}", path=where)
    return codes[0], codes[1], version
