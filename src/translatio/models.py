"""Argos Translate packages on disk: list, verify, install from a file or the index, remove.

Packages live where Argos keeps them (``ARGOS_PACKAGES_DIR``, else
``$XDG_DATA_HOME/argos-translate/packages``), so packages installed with ``argospm`` are
seen too. Installing validates the whole archive before anything is written (zip magic,
one top directory, no absolute or ``..`` paths, no links, a size limit, a sane
``metadata.json``, a CTranslate2 model and a tokenizer), extracts into a staging
directory beside the packages and moves it into place with one rename; a broken archive
leaves every installed package as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translatio.errors import ModelError

__all__ = [
    "ModelPackage",
    "available_packages",
    "download_and_install",
    "install_from_file",
    "installed_packages",
    "model_checksum",
    "packages_dir",
    "remove_package",
]

MAX_ARCHIVE_BYTES = 4 * 1024**3
"""Refuse archives that unpack to more than this (real Argos packages are ~100 MB)."""

_CODE = re.compile(r"^[a-z]{2,3}$")


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


def packages_dir() -> Path:
    """Where Argos Translate keeps packages (``ARGOS_PACKAGES_DIR`` honoured)."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def installed_packages(directory: Path | None = None) -> list[ModelPackage]:
    """Every readable translation package in ``directory``, sorted by language pair."""
    directory = directory or packages_dir()
    if not directory.is_dir():
        return []
    packages = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            packages.append(_read_package(path))
        except ModelError:
            continue  # a damaged package is reported by `models list --check`, not fatal here
    return sorted(packages, key=lambda item: (item.from_code, item.to_code, item.version))


def _read_package(path: Path) -> ModelPackage:
    try:
        metadata = json.loads((path / "metadata.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"unreadable metadata.json: {error}", path=path) from None
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
    return codes[0], codes[1], version


def install_from_file(
    archive: Path, directory: Path | None = None, *, max_bytes: int = MAX_ARCHIVE_BYTES
) -> ModelPackage:
    """Validate ``archive`` completely, then install it; an older version is replaced."""
    directory = directory or packages_dir()
    top = _validate_archive(archive, max_bytes)
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=directory))
    try:
        with zipfile.ZipFile(archive) as bundle:
            for info in bundle.infolist():
                target = staging / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(info) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1024 * 1024)
        package = _read_package(staging / top)
        destination = directory / top
        for existing in installed_packages(directory):
            if (existing.from_code, existing.to_code) == (package.from_code, package.to_code):
                _discard(existing.path, directory)
        if destination.exists():
            _discard(destination, directory)
        os.replace(staging / top, destination)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        raise ModelError(
            f"the archive is damaged: {error}",
            path=archive,
            hint="download it again; installed packages were not changed",
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _read_package(destination)


def _validate_archive(archive: Path, max_bytes: int) -> str:
    """The archive's single top directory, or ``ModelError`` saying what is wrong."""

    def bad(problem: str) -> ModelError:
        return ModelError(
            f"not a valid Argos package: {problem}",
            path=archive,
            hint="use a .argosmodel file from the Argos Translate package index; "
            "nothing was installed",
        )

    try:
        with open(archive, "rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise ModelError(f"cannot read the archive: {error.strerror}", path=archive) from None
    if magic != b"PK\x03\x04":
        raise bad("not a zip archive")
    try:
        with zipfile.ZipFile(archive) as bundle:
            infos = bundle.infolist()
            tops = set()
            total = 0
            names = set()
            for info in infos:
                name = info.filename
                pure = PurePosixPath(name)
                if "\\" in name or pure.is_absolute() or ".." in pure.parts or not pure.parts:
                    raise bad(f"unsafe member path {name!r}")
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise bad(f"symbolic link {name!r}")
                if name.rstrip("/") in names:
                    raise bad(f"duplicate member {name!r}")
                names.add(name.rstrip("/"))
                tops.add(pure.parts[0])
                total += info.file_size
                if total > max_bytes:
                    raise bad(f"unpacks to more than {max_bytes // 1024**2} MiB")
            if len(tops) != 1:
                raise bad(f"expected one top directory, found {len(tops)}")
            top = tops.pop()
            if not re.fullmatch(r"[\w.+-]+", top) or top.startswith("."):
                raise bad(f"strange top directory name {top!r}")
            if f"{top}/metadata.json" not in names:
                raise bad("no metadata.json")
            try:
                metadata = json.loads(bundle.read(f"{top}/metadata.json"))
            except ValueError as error:
                raise bad(f"metadata.json is not JSON ({error})") from None
            _check_metadata(metadata, f"{archive}:{top}/metadata.json")
            if f"{top}/model/model.bin" not in names:
                raise bad("no model/model.bin (CTranslate2 model)")
            if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & names:
                raise bad("no tokenizer (sentencepiece.model or bpe.model)")
            damaged = bundle.testzip()
            if damaged is not None:
                raise bad(f"member {damaged!r} is corrupt (CRC mismatch)")
    except (zipfile.BadZipFile, zlib.error) as error:
        raise bad(f"damaged archive ({error})") from None
    except (OSError, EOFError) as error:
        raise bad(f"truncated or unreadable ({error})") from None
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
    data = _fetch(index_url(), timeout=timeout, progress=None)
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
) -> ModelPackage:
    """Download the index's package for a pair and install it (validated like a file)."""
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
        archive.write_bytes(_fetch(offers[-1].links[0], timeout=timeout, progress=progress))
        return install_from_file(archive, directory)


def _fetch(url: str, *, timeout: float, progress: Callable[[int, int], None] | None) -> bytes:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            total = int(response.headers.get("Content-Length") or 0)
            chunks = []
            received = 0
            while chunk := response.read(1024 * 256):
                chunks.append(chunk)
                received += len(chunk)
                if progress is not None:
                    progress(received, total)
            return b"".join(chunks)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ModelError(
            f"cannot download {url}: {reason}",
            hint="offline? download the .argosmodel file on another machine and run "
            "`translatio models install FILE.argosmodel`",
        ) from None
