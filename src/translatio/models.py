"""Argos Translate packages on disk: list, verify, install from a file or the index, remove.

Packages live where Argos keeps them (``ARGOS_PACKAGES_DIR``, else
``$XDG_DATA_HOME/argos-translate/packages``), so packages installed with ``argospm`` are
seen too. An archive comes from strangers, so installing validates the whole of it before
anything is written: zip magic, one top directory, plain relative member paths, no links
or encryption, at most ``MAX_MEMBERS`` members, a size limit and a compression-ratio
limit (checked from the central directory, then enforced on the bytes that really come
out of every member, whatever sizes the archive declares), a small, shallow
``metadata.json`` whose language pair agrees with the top directory's name, a
CTranslate2 model and a tokenizer. It is then extracted, under the same limits, into a
staging directory beside the packages and moved into place with one rename. A broken
archive leaves every installed package as it was, and no archive ever removes or
replaces the package of another language pair. A damaged installed package is skipped
with a warning naming its directory; the others keep working.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from translatio.errors import ModelError

__all__ = [
    "BrokenPackage",
    "ModelPackage",
    "available_packages",
    "download_and_install",
    "install_from_file",
    "installed_packages",
    "model_checksum",
    "packages_dir",
    "remove_package",
    "scan_packages",
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
MAX_METADATA_BYTES = 64 * 1024
"""Refuse a ``metadata.json`` larger than this before parsing it (real ones: ~1 KB)."""
MAX_METADATA_DEPTH = 32
"""Refuse a ``metadata.json`` nested deeper than this (real ones: 2 levels)."""

_CODE = re.compile(r"^[a-z]{2,3}$")
_ARGOS_NAME = re.compile(r"^translate-([a-z]{2,3})_([a-z]{2,3})(?:-|$)")
_CHUNK = 1024 * 1024
_logger = logging.getLogger("translatio")


@dataclass(frozen=True, slots=True)
class ModelPackage:
    """One installed translation package."""

    path: Path
    """The package directory."""
    from_code: str
    """Argos source language code (``en``)."""
    to_code: str
    """Argos target language code (``zh``, ``zt``)."""
    version: str
    """``package_version`` from the metadata."""
    tokenizer: Path
    """``sentencepiece.model`` (or ``bpe.model``) inside the package."""
    target_prefix: str = ""
    """A token some multilingual packages need at the start of the output."""

    @property
    def name(self) -> str:
        """The directory name (``translate-en_zh-1_9``)."""
        return self.path.name

    @property
    def model_dir(self) -> Path:
        """The CTranslate2 model directory."""
        return self.path / "model"

    def size(self) -> int:
        """Bytes on disk."""
        return sum(item.stat().st_size for item in self.path.rglob("*") if item.is_file())


@dataclass(frozen=True, slots=True)
class BrokenPackage:
    """A directory in the packages directory that holds no usable package."""

    path: Path
    """The directory."""
    problem: str
    """What is wrong with it, in one sentence."""


def packages_dir() -> Path:
    """Where Argos Translate keeps packages (``ARGOS_PACKAGES_DIR`` honoured)."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def scan_packages(directory: Path | None = None) -> tuple[list[ModelPackage], list[BrokenPackage]]:
    """The readable packages in ``directory`` (sorted by pair) and the damaged ones."""
    directory = directory or packages_dir()
    if not directory.is_dir():
        return [], []
    packages, broken = [], []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            packages.append(_read_package(path))
        except ModelError as error:
            broken.append(BrokenPackage(path, error.message))
    packages.sort(key=lambda item: (item.from_code, item.to_code, item.version))
    return packages, broken


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Every readable translation package in ``directory``, sorted by language pair.

    A damaged package is left out with a warning (the ``translatio`` logger) naming its
    directory, so that it cannot stop the packages of other pairs from being used.
    """
    packages, broken = scan_packages(directory)
    for damaged in broken:
        _logger.warning(
            "skipped the damaged Argos package %s: %s (reinstall it, or delete the directory)",
            damaged.path,
            damaged.problem,
        )
    return packages


def _read_package(path: Path) -> ModelPackage:
    metadata = _read_metadata(path / "metadata.json")
    from_code, to_code, version = _check_metadata(metadata, path / "metadata.json")
    tokenizer = next(
        (path / name for name in ("sentencepiece.model", "bpe.model") if (path / name).is_file()),
        None,
    )
    if tokenizer is None or not (path / "model" / "model.bin").is_file():
        raise ModelError("package without model/model.bin or tokenizer", path=path)
    return ModelPackage(
        path, from_code, to_code, version, tokenizer, str(metadata.get("target_prefix") or "")
    )


def _read_metadata(path: Path) -> dict[str, object]:
    """An installed package's ``metadata.json``, read within the size and depth limits."""
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ModelError("metadata.json is not a regular file", path=path)
            data = handle.read(MAX_METADATA_BYTES + 1)
    except OSError as error:
        raise ModelError(f"unreadable metadata.json: {error.strerror}", path=path) from None
    metadata = _parse_metadata(data, path)
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json is not a JSON object", path=path)
    return metadata


def _parse_metadata(data: bytes, where: Path | str) -> object:
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


def _check_metadata(metadata: object, where: Path | str) -> tuple[str, str, str]:
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
        package = _read_package(staging / top)
        if (package.from_code, package.to_code) != pair:  # the archive changed meanwhile
            raise _invalid(archive, "the archive changed while it was being installed")
        _refuse_collision(destination, pair, archive)
        for existing in scan_packages(directory)[0]:
            if (existing.from_code, existing.to_code) == pair:
                _discard(existing.path, directory)
        if destination.exists():
            _discard(destination, directory)
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
    return _read_package(destination)


def _refuse_collision(destination: Path, pair: tuple[str, str], archive: Path) -> None:
    """``ModelError`` unless ``destination`` is free or holds a package of ``pair``."""
    if not destination.exists() and not destination.is_symlink():
        return
    wanted = "→".join(pair)
    try:
        metadata = _read_metadata(destination / "metadata.json")
        found = _check_metadata(metadata, destination / "metadata.json")[:2]
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
            raise _ArchiveProblem(f"unpacks to more than {_mib(self.max_bytes)}")


def _mib(size: int) -> str:
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
        from_code, to_code, _ = _check_metadata(_parse_metadata(metadata, where), where)
    except ModelError as error:
        raise _invalid(archive, error.message) from None
    named = _ARGOS_NAME.match(top)
    if named and named.groups() != (from_code, to_code):
        raise _invalid(
            archive,
            f"its directory {top} is named for {'→'.join(named.groups())} but its "
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
        raise _ArchiveProblem(f"unpacks to more than {_mib(max_bytes)}")
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


def _discard(path: Path, directory: Path) -> None:
    """Move a package out of the way in one rename, then delete it."""
    trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=directory))
    os.replace(path, trash / path.name)
    shutil.rmtree(trash, ignore_errors=True)


def remove_package(from_code: str, to_code: str, directory: Path | None = None) -> ModelPackage:
    """Remove the installed package for a pair; ``ModelError`` when there is none."""
    directory = directory or packages_dir()
    for package in installed_packages(directory):
        if (package.from_code, package.to_code) == (from_code, to_code):
            _discard(package.path, directory)
            return package
    raise ModelError(
        f"no {from_code}→{to_code} package is installed",
        path=directory,
        hint="`translatio models list` shows what is installed",
    )


def model_checksum(package: ModelPackage) -> str:
    """SHA-256 of the model weights (first 16 hex digits), cached beside the package."""
    weights = package.model_dir / "model.bin"
    info = weights.stat()
    key = f"{info.st_size}:{info.st_mtime_ns}"
    cache = package.path / ".translatio-checksum"
    try:
        stored_key, digest = cache.read_text("utf-8").split()
        if stored_key == key:
            return digest
    except (OSError, ValueError):
        pass
    hasher = hashlib.sha256()
    with open(weights, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            hasher.update(block)
    digest = hasher.hexdigest()[:16]
    # A read-only packages directory only costs a re-hash next time.
    with contextlib.suppress(OSError):
        cache.write_text(f"{key} {digest}\n", "utf-8")
    return digest


# -- the package index ---------------------------------------------------------------------


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


MAX_INDEX_BYTES = 16 * 1024**2
"""Refuse a package index larger than this (the real one is ~100 KB)."""


def _fetch_index(url: str, *, timeout: float) -> bytes:
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
        return ModelError(f"refused to download more than {_mib(limit)}", path=url)

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
