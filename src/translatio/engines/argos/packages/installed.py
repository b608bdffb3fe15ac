"""The Argos packages directory: the packages installed in it, read, listed and removed.

Packages live where Argos keeps them (``ARGOS_PACKAGES_DIR``, else
``$XDG_DATA_HOME/argos-translate/packages``), so packages installed with ``argospm`` are
seen too. A damaged installed package is skipped with a warning naming its directory;
the others keep working. Installing an archive is ``archive``'s job, downloading one
``index``'s.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from translatio.engines.argos.packages.metadata import check_metadata, named_pair, read_metadata
from translatio.errors import ModelError

__all__ = [
    "BrokenPackage",
    "ModelPackage",
    "installed_packages",
    "model_checksum",
    "packages_dir",
    "remove_package",
    "scan_packages",
    "warn_damaged",
]

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

    @property
    def pair_from_name(self) -> tuple[str, str] | None:
        """The language pair the directory's name declares (``translate-en_de-1_0``), if any."""
        return named_pair(self.path.name)

    @property
    def summary(self) -> str:
        """``the package in <directory> is damaged: <problem>``, for messages."""
        return f"the package in {self.path} is damaged: {self.problem}"


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
            packages.append(read_package(path))
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
    warn_damaged(broken)
    return packages


def warn_damaged(broken: list[BrokenPackage]) -> None:
    """Warn (the ``translatio`` logger) that each damaged package is skipped, by directory."""
    for damaged in broken:
        _logger.warning(
            "skipped the damaged Argos package %s: %s (delete the directory, then reinstall it)",
            damaged.path,
            damaged.problem,
        )


def read_package(path: Path) -> ModelPackage:
    """The package in directory ``path``; ``ModelError`` saying what is wrong with it."""
    metadata = read_metadata(path / "metadata.json")
    from_code, to_code, version = check_metadata(metadata, path / "metadata.json")
    tokenizer = next(
        (path / name for name in ("sentencepiece.model", "bpe.model") if (path / name).is_file()),
        None,
    )
    if tokenizer is None or not (path / "model" / "model.bin").is_file():
        raise ModelError("package without model/model.bin or tokenizer", path=path)
    return ModelPackage(
        path, from_code, to_code, version, tokenizer, str(metadata.get("target_prefix") or "")
    )


def discard_package(path: Path, directory: Path) -> None:
    """Move a package out of the way in one rename, then delete it."""
    trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=directory))
    os.replace(path, trash / path.name)
    shutil.rmtree(trash, ignore_errors=True)


def remove_package(from_code: str, to_code: str, directory: Path | None = None) -> ModelPackage:
    """Remove the installed package for a pair; ``ModelError`` when there is none."""
    directory = directory or packages_dir()
    for package in installed_packages(directory):
        if (package.from_code, package.to_code) == (from_code, to_code):
            discard_package(package.path, directory)
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
