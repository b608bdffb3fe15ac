"""Project settings: ``[tool.translatio]`` in pyproject.toml, or the same keys at the top
level of a ``translatio.toml``. Every key is checked: an unknown key, a value of the wrong
TOML type or a bad value is a ``ConfigError`` naming the key, the file and its line, with
a hint. The source, catalog, edition, draft and review folders must not overlap.
"""

from __future__ import annotations

import datetime
import difflib
import itertools
import os
import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from translatio.errors import ConfigError
from translatio.languages import Language, parse_language

__all__ = [
    "CONFIG_FILES",
    "Device",
    "ExecutorKind",
    "HanLatinSpacing",
    "Outdated",
    "Settings",
    "cache_directory",
    "load_settings",
]

CONFIG_FILES = ("translatio.toml", "pyproject.toml")
"""Where settings are looked for, in this order, in the project directory."""


class ExecutorKind(StrEnum):
    """Where batches are decoded."""

    LOCAL = "local"
    """In this process (the default)."""
    RAY = "ray"
    """On Ray actors: a local Ray instance, or the cluster at ``ray_address``."""


class HanLatinSpacing(StrEnum):
    """What to put between Han characters and Latin letters or digits."""

    SPACE = "space"
    NONE = "none"
    KEEP = "keep"


class Outdated(StrEnum):
    """What a published edition shows for a paragraph whose source changed since review."""

    PREVIOUS = "previous"
    """The reviewed translation of the earlier wording, marked, with a notice (the default)."""
    SOURCE = "source"
    """The new wording in the source language, marked."""
    SKIP = "skip"
    """Nothing: the paragraph is left out."""


class Device(StrEnum):
    """Where models run."""

    AUTO = "auto"
    """A GPU when CTranslate2 sees one, else the CPU."""
    CPU = "cpu"
    CUDA = "cuda"


@dataclass(frozen=True, slots=True)
class Settings:
    """Validated settings of one project."""

    root: Path
    """The project directory; every other path is relative to it."""
    source_language: Language
    """The language the sources are written in."""
    languages: tuple[Language, ...]
    """Target languages, in the configured order."""
    source_dir: str = "source"
    """Where the source documents are."""
    locales_dir: str = "locales"
    """Where templates and catalogs are."""
    editions_dir: str = "editions"
    """Where the published site is written: reviewed editions only."""
    drafts_dir: str = "drafts"
    """Where ``build --draft`` writes editions with machine output."""
    review_dir: str = "review"
    """Where ``review`` and ``build`` write review pages."""
    site_url: str | None = None
    """The site's absolute address (``https://example.org/editions/``), for the sitemap."""
    outdated: Outdated = Outdated.PREVIOUS
    """What a paragraph whose source changed after review shows in a published edition."""
    engine: str = "argos"
    """The engine ``translate`` and ``run`` use unless told otherwise."""
    engines: tuple[tuple[Language, str], ...] = ()
    """Languages that use another engine than ``engine`` (``es`` → ``apertium``)."""
    keep: float = 80.0
    """Minimum completeness (percent of words) for an edition to be built."""
    device: Device = Device.AUTO
    """Where models run: ``auto`` (a GPU when CTranslate2 sees one), ``cpu`` or ``cuda``."""
    chinese_spacing: HanLatinSpacing = HanLatinSpacing.SPACE
    """Between Han and Latin letters or digits: ``space``, ``none`` or ``keep``."""
    wrap: int = 79
    """Column at which catalog strings are wrapped as GNU gettext wraps them; 0: unwrapped."""
    memory_threshold: float = 80.0
    """Least similarity (percent) of a close match the translation memory offers."""
    memory_accept_same_document: bool = False
    """Accept exact memory matches from the same document as translated (not fuzzy)."""
    alternatives_comment: bool = False
    """Write the engine's alternatives into the catalog as translator comments."""
    executor: ExecutorKind = ExecutorKind.LOCAL
    """Where Argos decodes: ``local`` (in this process) or ``ray`` (Ray actors)."""
    ray_address: str | None = None
    """The Ray cluster to join (``None``: start a local Ray instance for the run)."""
    config_path: Path | None = None
    """The file the settings came from, if any."""

    def engine_for(self, language: Language) -> str:
        """The engine of ``language``: its own in ``engines``, else ``engine``."""
        return dict(self.engines).get(language, self.engine)


_KEYS = {
    "source_language": ("string", "a language code such as en"),
    "languages": ("array", "a list of language codes such as ['zh_CN', 'zh_TW']"),
    "source_dir": ("string", "a directory inside the project"),
    "locales_dir": ("string", "a directory inside the project"),
    "editions_dir": ("string", "a directory inside the project"),
    "drafts_dir": ("string", "a directory inside the project"),
    "review_dir": ("string", "a directory inside the project"),
    "site_url": ("string", "an absolute http or https address such as https://example.org/news/"),
    "outdated": ("string", "one of previous, source, skip"),
    "engine": ("string", "argos, apertium or pseudo"),
    "engines": ("table", "a table of languages and engines such as { es = 'apertium' }"),
    "keep": ("number", "a percentage between 0 and 100"),
    "device": ("string", "one of auto, cpu, cuda"),
    "chinese_spacing": ("string", "one of space, none, keep"),
    "wrap": ("integer", "a column width such as 79 (GNU gettext's), or 0 for no wrapping"),
    "executor": ("string", "one of local, ray"),
    "ray_address": ("string", "a Ray address such as 10.0.0.5:6379 or ray://head:10001"),
    "memory_threshold": ("number", "a percentage between 50 and 100 (100: exact matches only)"),
    "memory_accept_same_document": ("boolean", "true or false"),
    "alternatives_comment": ("boolean", "true or false"),
}
"""Each key's TOML type (a number: an integer or a float) and what its value must be."""
_FOLDERS = ("source_dir", "locales_dir", "editions_dir", "drafts_dir", "review_dir")
"""The settings naming folders that must not overlap (imported memories are in locales_dir)."""
_CHOICES: dict[str, type[StrEnum]] = {
    "device": Device,
    "chinese_spacing": HanLatinSpacing,
    "executor": ExecutorKind,
    "outdated": Outdated,
}


def load_settings(root: Path) -> Settings:
    """Read and validate the settings of the project at ``root``."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError(
            "the project is not a directory",
            path=root,
            hint="--project takes the directory that holds pyproject.toml or translatio.toml",
        )
    for name in CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ConfigError(
                f"{name} is not UTF-8 (byte offset {error.start})",
                path=path,
                hint="save it as UTF-8",
            ) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            line = _line_of_decode_error(error)
            raise ConfigError(
                f"{name} is not valid TOML: {error}",
                path=path,
                line=line,
                hint="fix the syntax at that line",
            ) from None
        if name == "pyproject.toml":
            tool = data.get("tool", {})
            table = tool.get("translatio") if isinstance(tool, dict) else None
            if table is None:
                continue
            prefix = "tool.translatio."
            if not isinstance(table, dict):
                raise ConfigError(
                    "tool.translatio is not a table",
                    path=path,
                    line=_line_of_key(text, "translatio"),
                    hint="write the settings under a [tool.translatio] header",
                )
        else:
            table = data
            prefix = ""
        return _validate(table, root=root, path=path, text=text, prefix=prefix)
    raise ConfigError(
        "no translatio settings found",
        path=root,
        hint="add a [tool.translatio] table to pyproject.toml or create translatio.toml "
        "with source_language and languages",
    )


def _validate(table: dict[str, Any], *, root: Path, path: Path, text: str, prefix: str) -> Settings:
    def fail(key: str, problem: str, *, hint: str | None = None) -> ConfigError:
        return ConfigError(
            f"{prefix}{key} {problem}",
            path=path,
            line=_line_of_key(text, key),
            hint=hint
            or f"{key} must be {_KEYS[key][1] if key in _KEYS else 'one of the known keys'}",
        )

    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            suggestion = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(
                f"unknown setting {prefix}{key}",
                path=path,
                line=_line_of_key(text, key),
                hint=f"{suggestion}known settings: {', '.join(_KEYS)}",
            )
        found, expected = _toml_type(table[key]), _KEYS[key][0]
        if found != expected and not (expected == "number" and found in ("integer", "float")):
            raise fail(key, f"is {_a(found)}, not {_a(expected)}")

    def language(key: str, value: object) -> Language:
        if not isinstance(value, str):
            raise fail(key, f"holds {_a(_toml_type(value))}, not a string")
        try:
            return parse_language(value)
        except ConfigError:
            raise fail(key, f"has {value!r}, which is not a language code") from None

    source = language("source_language", table.get("source_language", "en"))
    raw_languages = table.get("languages")
    if not raw_languages:
        raise fail("languages", "is missing or empty")
    languages = tuple(dict.fromkeys(language("languages", value) for value in raw_languages))
    if source in languages:
        raise fail("languages", f"contains the source language {source.code}")

    options: dict[str, Any] = {}
    for key in _FOLDERS:
        if key in table:
            value = table[key]
            if not _inside(root, value):
                raise fail(key, f"is {value!r}, not a directory inside the project")
            options[key] = value
    if "engine" in table:
        from translatio.engines import engine_names

        if table["engine"] not in engine_names():
            raise fail("engine", f"is {table['engine']!r}, not one of {', '.join(engine_names())}")
        options["engine"] = table["engine"]
    if "engines" in table:
        options["engines"] = _engines(table["engines"], languages, fail)
    if "keep" in table:
        keep = table["keep"]
        if not 0 <= keep <= 100:
            raise fail("keep", f"is {keep!r}")
        options["keep"] = float(keep)
    if "wrap" in table:
        wrap = table["wrap"]
        if wrap < 0:
            raise fail("wrap", f"is {wrap!r}")
        options["wrap"] = wrap
    if "site_url" in table:
        url = table["site_url"]
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
            raise fail("site_url", f"is {url!r}")
        options["site_url"] = url if url.endswith("/") else url + "/"
    if "ray_address" in table:
        address = table["ray_address"]
        if not address.strip():
            raise fail("ray_address", f"is {address!r}")
        options["ray_address"] = address
    if "memory_threshold" in table:
        threshold = table["memory_threshold"]
        if not 50 <= threshold <= 100:
            raise fail("memory_threshold", f"is {threshold!r}")
        options["memory_threshold"] = float(threshold)
    options.update((key, value) for key, value in table.items() if _KEYS[key][0] == "boolean")
    for key, choices in _CHOICES.items():
        if key in table:
            if table[key] not in {choice.value for choice in choices}:
                raise fail(key, f"is {table[key]!r}")
            options[key] = choices(table[key])
    settings = Settings(
        root=root, source_language=source, languages=languages, config_path=path, **options
    )
    overlap = _overlapping_folders(settings, table)
    if overlap is not None:
        key, problem = overlap
        raise fail(
            key,
            problem,
            hint=f"{', '.join(_FOLDERS[:-1])} and {_FOLDERS[-1]} must be separate "
            "folders, none inside another (locales_dir also holds the imported memories, "
            "in memory/)",
        )
    return settings


def _engines(table: dict[str, Any], languages: tuple[Language, ...], fail: Any) -> Any:
    """``engines``: each key a configured language, each value an engine's name."""
    from translatio.engines import engine_names

    chosen: dict[Language, str] = {}
    for key, name in table.items():
        try:
            language = parse_language(key)
        except ConfigError:
            raise fail("engines", f"has {key!r}, which is not a language code") from None
        if language not in languages:
            raise fail("engines", f"names {language.code}, which is not in languages")
        if name not in (names := engine_names()):
            raise fail("engines", f"gives {language.code} {name!r}, not {', '.join(names)}")
        chosen[language] = name
    return tuple(chosen.items())


def _overlapping_folders(settings: Settings, table: dict[str, Any]) -> tuple[str, str] | None:
    """The key to blame and what is wrong, when two folder settings share a folder.

    Folders are compared resolved, so a symbolic link that makes two of them one is found.
    The key blamed is one set in the file (the later of the two when both are).
    """
    for first, second in itertools.combinations(_FOLDERS, 2):
        key, other = (first, second) if first in table and second not in table else (second, first)
        value, other_value = getattr(settings, key), getattr(settings, other)
        here, there = ((settings.root / name).resolve() for name in (value, other_value))
        if here == there:
            relation = "the same folder as"
        elif here.is_relative_to(there):
            relation = "inside"
        elif there.is_relative_to(here):
            relation = "which holds"
        else:
            continue
        default = "" if other in table else ", the default"
        plain = [Path(os.path.normpath(settings.root / name)) for name in (value, other_value)]
        linked = "" if _nested(*plain) else " (through a symbolic link)"
        return key, f"is {value!r}, {relation} {other} ({other_value!r}{default}){linked}"
    return None


def _nested(one: Path, other: Path) -> bool:
    return one.is_relative_to(other) or other.is_relative_to(one)


def _toml_type(value: object) -> str:
    """The TOML name of a value's type, as messages about settings say it."""
    for python, name in _TOML_NAMES:
        if isinstance(value, python):
            return name
    return type(value).__name__


_TOML_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: a bool is an int in Python
    (int, "integer"),
    (float, "float"),
    (str, "string"),
    (list, "array"),
    (dict, "table"),
    (datetime.datetime, "date-time"),  # before date: a datetime is a date in Python
    (datetime.date, "date"),
    (datetime.time, "time"),
)


def _a(name: str) -> str:
    """``a string``, ``an array``: a type's name with its article."""
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _inside(root: Path, relative: str) -> bool:
    if not relative or "\0" in relative or Path(relative).is_absolute():
        return False
    try:
        return (root / relative).resolve().is_relative_to(root)
    except (OSError, ValueError):  # resolving a name the system refuses
        return False


def _line_of_key(text: str, key: str) -> int | None:
    table = re.search(r"^\[tool\.translatio\]", text, re.MULTILINE)
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)
    match = pattern.search(text, table.end() if table else 0)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _line_of_decode_error(error: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None


def cache_directory() -> Path:
    """translatio's disposable caches: ``$TRANSLATIO_CACHE_DIR``, else the XDG cache folder."""
    configured = os.environ.get("TRANSLATIO_CACHE_DIR")
    if configured:
        return Path(configured)
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "translatio"
