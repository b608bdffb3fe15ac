"""An ``.argosmodel`` archive from a stranger, validated whole and then installed.

Installing validates the whole archive before anything is written: zip magic, one top
directory, plain relative member paths, no links or encryption, at most ``MAX_MEMBERS``
members, a size limit and a compression-ratio limit (checked from the central directory,
then enforced on the bytes that really come out of every member, whatever sizes the
archive declares), a small, shallow ``metadata.json`` whose language pair agrees with the
top directory's name, a CTranslate2 model and a tokenizer. It is then extracted, under
the same limits, into a staging directory beside the packages, where its tokenizer and
model must load (``loading``), and moved into place with one rename. A broken archive
leaves every installed package as it was, and no archive ever removes or replaces the
package of another language pair.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from translatio.engines.argos.packages.installed import (
    ModelPackage,
    discard_package,
    packages_dir,
    read_package,
    scan_packages,
)
from translatio.engines.argos.packages.loading import load_problem
from translatio.engines.argos.packages.metadata import (
    MAX_METADATA_BYTES,
    check_metadata,
    named_pair,
    parse_metadata,
    read_metadata,
)
from translatio.errors import ModelError

__all__ = [
    "MAX_ARCHIVE_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_MEMBERS",
    "RATIO_GRACE_BYTES",
    "install_from_file",
    "size_text",
]

MAX_ARCHIVE_BYTES = 4 * 1024**3
"""Refuse archives that unpack to more than this (real Argos packages are ~100 MB)."""
MAX_COMPRESSION_RATIO = 100
"""Refuse a member, or a whole archive, that unpacks to more than 100× its packed size.

Apache POI's ``ZipSecureFile`` uses the same bound (minimum inflate ratio 0.01); real
packages hold int8 weights and tokenizers that deflate about 1.1–3×, while a zip bomb
needs hundreds to a thousand times."""
RATIO_GRACE_BYTES = 100 * 1024
"""Members (and archives) smaller than this are not ratio-checked (POI's grace size)."""
MAX_MEMBERS = 1000
"""Refuse archives with more members (POI's default; real packages have a few dozen)."""
_CHUNK = 1024 * 1024


def install_from_file(
    archive: Path, directory: Path | None = None, *, max_bytes: int = MAX_ARCHIVE_BYTES
) -> ModelPackage:
    """Validate ``archive`` completely, then install it; an older version is replaced.

    ``ModelError`` when the archive is not a sound package, or when its directory name
    is taken by a package of another language pair (which is never touched).
    """
    directory = directory or packages_dir()
    top, pair = _validate_archive(archive, max_bytes)
    destination = directory / top
    _refuse_collision(destination, pair, archive)
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=directory))
    try:
        with open(archive, "rb") as handle, zipfile.ZipFile(handle) as bundle:
            budget = _Budget(max_bytes)
            for info in bundle.infolist():
                target = staging / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as sink:
                    for chunk in _member_chunks(handle, info, budget):
                        sink.write(chunk)
        package = read_package(staging / top)
        if (package.from_code, package.to_code) != pair:  # the archive changed meanwhile
            raise _invalid(archive, "the archive changed while it was being installed")
        problem = load_problem(staging / top)
        if problem is not None:
            raise _invalid(archive, problem)
        _refuse_collision(destination, pair, archive)
        for existing in scan_packages(directory)[0]:
            if (existing.from_code, existing.to_code) == pair:
                discard_package(existing.path, directory)
        if destination.exists():
            discard_package(destination, directory)
        os.replace(staging / top, destination)
    except _ArchiveProblem as problem:
        raise _invalid(archive, str(problem)) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
        raise ModelError(
            f"the archive is damaged: {error}",
            path=archive,
            hint="download it again; installed packages were not changed",
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return read_package(destination)


def _refuse_collision(destination: Path, pair: tuple[str, str], archive: Path) -> None:
    """``ModelError`` unless ``destination`` is free or holds a package of ``pair``."""
    if not destination.exists() and not destination.is_symlink():
        return
    wanted = "→".join(pair)
    try:
        metadata = read_metadata(destination / "metadata.json")
        found = check_metadata(metadata, destination / "metadata.json")[:2]
    except ModelError as error:
        raise ModelError(
            f"cannot install the {wanted} package: its directory {destination.name} already "
            f"exists and is not a readable package ({error.message})",
            path=destination,
            hint="delete that directory by hand if it is not needed; nothing was installed",
        ) from None
    if found != pair:
        raise ModelError(
            f"cannot install the {wanted} package: its directory {destination.name} holds "
            f"the installed {'→'.join(found)} package, which it would replace",
            path=archive,
            hint="the archive is misnamed or malicious; nothing was installed",
        )


class _ArchiveProblem(Exception):
    """Why an archive is refused, raised while reading its members."""


class _Budget:
    """Counts the bytes that come out of an archive against the total limit."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0

    def spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.max_bytes:
            raise _ArchiveProblem(f"unpacks to more than {size_text(self.max_bytes)}")


def size_text(size: int) -> str:
    """``size`` bytes for a message: whole MiB from 1 MiB up, else bytes."""
    return f"{size / 1024**2:.0f} MiB" if size >= 1024**2 else f"{size} bytes"


def _member_chunks(handle: BinaryIO, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """The bytes of one member, read from the raw stream under every limit.

    ``zipfile`` would stop at the declared size; reading the stream here instead also
    notices a member whose data goes on beyond it, and stops at the first byte too many.
    """
    if info.flag_bits & 0x1:
        raise _ArchiveProblem(f"member {info.filename!r} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _ArchiveProblem(
            f"member {info.filename!r} uses compression method {info.compress_type}"
        )
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise _ArchiveProblem(f"member {info.filename!r} has no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    packed_left, produced, checksum = info.compress_size, 0, 0

    def take(data: bytes) -> bytes:
        nonlocal produced, checksum
        produced += len(data)
        if produced > info.file_size:
            raise _ArchiveProblem(
                f"member {info.filename!r} unpacks to more than its declared {info.file_size} bytes"
            )
        if produced > RATIO_GRACE_BYTES and produced > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise _ArchiveProblem(
                f"member {info.filename!r} is compressed more than {MAX_COMPRESSION_RATIO}:1"
            )
        budget.spend(len(data))
        checksum = zlib.crc32(data, checksum)
        return data

    while packed_left:
        packed = handle.read(min(_CHUNK, packed_left))
        if not packed:
            raise EOFError(f"member {info.filename!r} is cut short")
        packed_left -= len(packed)
        if inflater is None:
            yield take(packed)
            continue
        while packed and not inflater.eof:
            # Never ask for more than one byte beyond what is still allowed to come out.
            yield take(inflater.decompress(packed, info.file_size - produced + 1))
            packed = inflater.unconsumed_tail
    if inflater is not None:
        yield take(inflater.flush())
        if not inflater.eof:
            raise _ArchiveProblem(f"member {info.filename!r} is cut short")
    if produced != info.file_size:
        raise _ArchiveProblem(
            f"member {info.filename!r} unpacks to {produced} bytes, not the declared "
            f"{info.file_size}"
        )
    if checksum != info.CRC:
        raise _ArchiveProblem(f"member {info.filename!r} is corrupt (CRC mismatch)")


def _invalid(archive: Path, problem: str) -> ModelError:
    return ModelError(
        f"not a valid Argos package: {problem}",
        path=archive,
        hint="use a .argosmodel file from the Argos Translate package index; nothing was installed",
    )


def _validate_archive(archive: Path, max_bytes: int) -> tuple[str, tuple[str, str]]:
    """The archive's single top directory and language pair, or ``ModelError``."""
    try:
        with open(archive, "rb") as handle:
            magic = handle.read(4)
            archive_size = os.fstat(handle.fileno()).st_size
    except OSError as error:
        raise ModelError(f"cannot read the archive: {error.strerror}", path=archive) from None
    if magic != b"PK\x03\x04":
        raise _invalid(archive, "not a zip archive")
    try:
        with open(archive, "rb") as handle, zipfile.ZipFile(handle) as bundle:
            infos = bundle.infolist()
            top = _check_directory(infos, archive_size, max_bytes)
            names = {info.filename.rstrip("/") for info in infos}
            if f"{top}/metadata.json" not in names:
                raise _ArchiveProblem("no metadata.json")
            if f"{top}/model/model.bin" not in names:
                raise _ArchiveProblem("no model/model.bin (CTranslate2 model)")
            if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & names:
                raise _ArchiveProblem("no tokenizer (sentencepiece.model or bpe.model)")
            budget = _Budget(max_bytes)
            metadata = b""
            for info in infos:  # every byte, as it will be extracted, before any is written
                if info.filename == f"{top}/metadata.json":
                    metadata = b"".join(_member_chunks(handle, info, budget))
                else:
                    for _ in _member_chunks(handle, info, budget):
                        pass
    except _ArchiveProblem as problem:
        raise _invalid(archive, str(problem)) from None
    except (zipfile.BadZipFile, zlib.error, ValueError) as error:
        raise _invalid(archive, f"damaged archive ({error})") from None
    except (OSError, EOFError) as error:
        raise _invalid(archive, f"truncated or unreadable ({error})") from None
    where = f"{archive}:{top}/metadata.json"
    try:
        from_code, to_code, _ = check_metadata(parse_metadata(metadata, where), where)
    except ModelError as error:
        raise _invalid(archive, error.message) from None
    named = named_pair(top)
    if named and named != (from_code, to_code):
        raise _invalid(
            archive,
            f"its directory {top} is named for {'→'.join(named)} but its "
            f"metadata.json says {from_code}→{to_code}",
        )
    return top, (from_code, to_code)


def _check_directory(infos: list[zipfile.ZipInfo], archive_size: int, max_bytes: int) -> str:
    """The one top directory, after checking every member's path, size and ratio."""
    if len(infos) > MAX_MEMBERS:
        raise _ArchiveProblem(f"more than {MAX_MEMBERS} members")
    tops, names = set(), set()
    unpacked = packed = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name)
        if (
            "\\" in name
            or pure.is_absolute()
            or ".." in pure.parts
            or not pure.parts
            or str(pure) != name.rstrip("/")
        ):
            raise _ArchiveProblem(f"unsafe member path {name!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _ArchiveProblem(f"symbolic link {name!r}")
        if str(pure) in names:
            raise _ArchiveProblem(f"duplicate member {name!r}")
        names.add(str(pure))
        tops.add(pure.parts[0])
        if pure.parts[1:] == ("metadata.json",) and info.file_size > MAX_METADATA_BYTES:
            raise _ArchiveProblem(f"metadata.json is larger than {MAX_METADATA_BYTES // 1024} KiB")
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise _ArchiveProblem(
                f"member {name!r} is compressed more than {MAX_COMPRESSION_RATIO}:1"
            )
        unpacked += info.file_size
        packed += info.compress_size
    if unpacked > max_bytes:
        raise _ArchiveProblem(f"unpacks to more than {size_text(max_bytes)}")
    if packed > archive_size:
        raise _ArchiveProblem("members overlap (they claim more bytes than the archive has)")
    if unpacked > RATIO_GRACE_BYTES and unpacked > MAX_COMPRESSION_RATIO * archive_size:
        raise _ArchiveProblem(f"unpacks to more than {MAX_COMPRESSION_RATIO} times its size")
    if len(tops) != 1:
        raise _ArchiveProblem(f"expected one top directory, found {len(tops)}")
    top = tops.pop()
    if not re.fullmatch(r"[\w.+-]+", top) or top.startswith("."):
        raise _ArchiveProblem(f"strange top directory name {top!r}")
    return top
