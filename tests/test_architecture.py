"""The shape of the package: folders by pipeline stage, imports only downwards, no circle.

The package reads as the pipeline (``DESIGN.md``): ``text`` → ``catalog`` → ``engines`` →
``qa`` → ``publish``, with ``workspace`` at the edge of the disk, ``tm`` over both,
``steps`` (one per command), ``project`` and ``cli`` on top, and a ground floor of
shared vocabulary. These tests read the source with ``ast``; they import nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "translatio"
LONGEST = 420
"""About 400 lines: past that a module is two modules (STYLE.md)."""

GROUND = ("translatio", "errors", "languages", "progress", "reports", "config")
"""The vocabulary every stage shares; the root package itself only lends ``__version__``."""
LAYERS: tuple[tuple[str, ...], ...] = (
    GROUND,
    ("text",),
    ("engines",),
    ("catalog",),
    ("qa",),
    ("publish",),
    ("workspace",),
    ("tm",),
    ("steps",),
    ("project",),
    ("serve",),
    ("cli", "__main__"),
)
"""From the bottom up: a module imports from its own layer or the ones below, never above."""
UPWARD_ON_PURPOSE = {
    ("translatio.config", "translatio.engines"): "the engine setting is checked against the "
    "registry when read, to name its file and line (imported on demand)",
}
"""Imports against the layers, each with its reason."""
ARGOS_ONLY = ("argostranslate", "ctranslate2", "sentencepiece", "ray")
"""Libraries only the Argos engine uses: imported under ``engines/argos/`` and nowhere else
(OpenCC is not among them: the meaning check converts zh_TW with it too)."""


@dataclass(frozen=True, slots=True)
class Import:
    """One ``import`` of a translatio module."""

    target: str
    """The module imported (a submodule where ``from package import submodule``)."""
    at_load: bool
    """Whether it runs when the importing module is loaded (not inside a function)."""
    typing_only: bool
    """Whether it sits under ``if TYPE_CHECKING:``."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> list[Import]:
    """Every translatio import in ``path``, lazy and typing-only ones included."""
    tree = ast.parse(path.read_text("utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    at_load = {id(inner) for node in tree.body for inner in ast.walk(node)} - {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        for name in names:
            if name in MODULES:
                found.append(Import(name, id(node) in at_load, id(node) in typing_only))
    return found


IMPORTS = {name: _imports(path) for name, path in MODULES.items()}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _layer(module: str) -> int:
    stage = _stage(module)
    [layer] = [n for n, members in enumerate(LAYERS) if stage in members]
    return layer


def _parents(module: str) -> list[str]:
    """The packages Python loads before ``module`` (the lazy root package excepted)."""
    parts = module.split(".")
    return [".".join(parts[:n]) for n in range(2, len(parts))]


def test_folders_are_the_pipeline_stages() -> None:
    top_modules = {path.stem for path in PACKAGE.glob("*.py")}
    assert top_modules == {"__init__", "__main__", *GROUND[1:], "project"}
    folders = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert folders == {"text", "catalog", "engines", "tm", "qa", "publish", "steps"} | {
        "workspace",
        "serve",
        "cli",
    }
    assert {path.parent.name for path in (PACKAGE / "engines" / "argos").glob("*/__init__.py")} == {
        "packages",
        "executors",
    }


def test_every_module_belongs_to_a_layer() -> None:
    for module in MODULES:
        assert _layer(module) >= 0, module


def test_imports_only_go_down_the_layers() -> None:
    upward = {
        (module, found.target)
        for module, imports in IMPORTS.items()
        if module != "translatio"  # the public facade: it lends every stage's names, lazily
        for found in imports
        if _layer(found.target) > _layer(module)
    }
    assert upward == set(UPWARD_ON_PURPOSE)


def test_argos_libraries_are_imported_only_by_the_argos_engine() -> None:
    outside = []
    for module, path in MODULES.items():
        if module.startswith("translatio.engines.argos"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            outside += [(module, n) for n in names if n.split(".")[0] in ARGOS_ONLY]
    assert outside == []


def _graph() -> dict[str, set[str]]:
    """What loading (or type-checking) each module loads first.

    Importing ``a.b.c`` loads the package ``a.b`` before it, unless the importer is
    inside ``a.b`` (which is then loaded already, or loading).
    """
    graph = {}
    for name, imports in IMPORTS.items():
        inside = {name, *_parents(name)}
        graph[name] = {
            loaded
            for found in imports
            if found.at_load or found.typing_only
            for loaded in [*_parents(found.target), found.target]
            if loaded not in inside
        }
    # the root package imports nothing at load; its typing-only imports mirror __all__
    graph["translatio"] = set()
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of ``graph`` (empty when there is none)."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> list[str]:
        if name in done:
            return []
        if name in visiting:
            return [*visiting[visiting.index(name) :], name]
        visiting.append(name)
        for imported in sorted(graph[name] - {name}):
            if found := visit(imported):
                return found
        visiting.pop()
        done.add(name)
        return []

    for name in sorted(graph):
        if found := visit(name):
            return found
    return []


def test_no_import_circle_not_even_for_type_checking() -> None:
    """Circles through load-time imports, typing-only imports and parent packages."""
    assert " → ".join(_circle(_graph())) == ""


def test_no_module_is_too_long() -> None:
    lengths = {
        str(path.relative_to(PACKAGE)): len(path.read_text("utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in lengths.items() if n > LONGEST} == {}


def test_the_checks_see_a_typing_only_circle_and_an_upward_import(tmp_path: Path) -> None:
    """The rules can fail: a typing-only import of a step from ``text`` is both."""
    sneaky = tmp_path / "markup.py"
    sneaky.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from translatio.steps.translate import translate\n",
        "utf-8",
    )
    [found] = _imports(sneaky)
    assert (found.target, found.typing_only) == ("translatio.steps.translate", True)
    assert _layer(found.target) > _layer("translatio.text.markup")
    graph = _graph()
    graph["translatio.text.markup"] = {found.target}
    assert "translatio.text.markup" in _circle(graph)
    assert _parents("translatio.engines.argos.executors.local") == [
        "translatio.engines",
        "translatio.engines.argos",
        "translatio.engines.argos.executors",
    ]
