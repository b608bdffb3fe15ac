"""Routes: which installed Argos packages take one language to another, pivots included.

A pair is served by one direct package, or by two through English. Traditional Chinese
without a package of its own is served by the Simplified route and OpenCC (see
``derivation``). The packages directory is scanned once, and again after ``forget``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translatio.engines.argos.derivation import SIMPLIFIED, TRADITIONAL
from translatio.engines.argos.packages.installed import (
    BrokenPackage,
    ModelPackage,
    scan_packages,
    warn_damaged,
)
from translatio.errors import ModelError
from translatio.languages import Language

__all__ = ["PIVOT", "Routes"]

PIVOT = "en"
"""Pairs without a direct package go through this language."""


class Routes:
    """The installed packages of one packages directory, looked up by language pair."""

    def __init__(self, packages: Path | None = None) -> None:
        self.packages_dir = packages
        """The packages directory (``None``: Argos's own default)."""
        self._installed: list[ModelPackage] | None = None
        self._broken: list[BrokenPackage] = []

    @property
    def broken(self) -> list[BrokenPackage]:
        """Damaged package directories found by the last scan."""
        return self._broken

    def forget(self) -> None:
        """Look at the packages directory again on the next lookup (after an install)."""
        self._installed = None

    def route(self, source: Language, target: Language) -> list[ModelPackage]:
        """The packages that take ``source`` to ``target``: one direct, or two via English."""
        if self._installed is None:
            self._installed, self._broken = scan_packages(self.packages_dir)
            warn_damaged(self._broken)
        by_pair = {(p.from_code, p.to_code): p for p in self._installed}
        for from_code in source.argos_codes:
            for to_code in target.argos_codes:
                if (from_code, to_code) in by_pair:
                    return [by_pair[(from_code, to_code)]]
        for from_code in source.argos_codes:
            for to_code in target.argos_codes:
                first, second = by_pair.get((from_code, PIVOT)), by_pair.get((PIVOT, to_code))
                if first is not None and second is not None:
                    return [first, second]
        wanted = f"{source.argos_codes[0]}→{target.argos_codes[0]}"
        install = (
            f"translatio models install {source.argos_codes[0]} {target.argos_codes[0]}  "
            "(offline: translatio models install FILE.argosmodel)"
        )
        legs = {(a, b) for a in (*source.argos_codes, PIVOT) for b in (*target.argos_codes, PIVOT)}
        if damaged := [p for p in self._broken if p.pair_from_name in legs]:
            raise ModelError(
                f"no usable Argos package for {wanted} ({source.code} → {target.code}): "
                + "; ".join(package.summary for package in damaged),
                hint=f"delete the damaged directory, then reinstall it: {install}",
            )
        raise ModelError(
            f"no Argos package for {wanted} ({source.code} → {target.code})",
            hint=f"install one: {install}",
        )

    def derives_traditional(self, source: Language, target: Language) -> bool:
        """True when zh_TW must come from zh_CN through OpenCC (no Traditional package)."""
        if target.code != TRADITIONAL:
            return False
        try:
            self.route(source, target)
        except ModelError:
            try:
                self.route(source, SIMPLIFIED)
            except ModelError:
                return False
            return True
        return False

    def missing_pairs(self, source: Language, targets: Sequence[Language]) -> list[tuple[str, str]]:
        """Argos pairs to install so that every target can be reached (direct packages)."""
        missing = []
        for target in targets:
            if self.derives_traditional(source, target):
                continue
            try:
                self.route(source, target)
            except ModelError:
                missing.append((source.argos_codes[0], target.argos_codes[0]))
        return missing
