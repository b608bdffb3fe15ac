"""Every docstring example (``>>>``) in the package, run as a test, one test per module.

Modules are listed from the package's files, not imported, when tests are collected; a
module is imported by its test (none starts anything on import: heavy imports are lazy).
Each line of a module that starts with ``>>>`` must be an example the doctest finder
runs, so an example it never reads (in a nested function, or a string that is not a
docstring) cannot go stale unnoticed.
"""

from __future__ import annotations

import doctest
import importlib
import io
import re
from pathlib import Path

import pytest

import translatio

PACKAGE = Path(translatio.__file__).parent
_PROMPT = re.compile(r"^\s*>>>( |$)", re.MULTILINE)
"""A line that starts an example, as ``doctest`` itself reads them."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(
    (module_name(path), path)
    for path in PACKAGE.rglob("*.py")
    if path.name != "__main__.py"  # runs the CLI on import
)


def examples(name: str) -> list[doctest.DocTest]:
    """The module's doctests that hold examples, as ``doctest.testmod`` finds them."""
    module = importlib.import_module(name)
    return [test for test in doctest.DocTestFinder().find(module) if test.examples]


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[name for name, _ in MODULES])
def test_docstring_examples(name: str, path: Path) -> None:
    tests = examples(name)
    prompts = len(_PROMPT.findall(path.read_text("utf-8")))
    found = sum(len(test.examples) for test in tests)
    if found != prompts:
        pytest.fail(
            f"{path}: {prompts} lines start with >>> but doctest finds {found} examples "
            "(an example outside a docstring the finder reads never runs)",
            pytrace=False,
        )
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test, out=report.write)
    if runner.failures:
        pytest.fail(report.getvalue(), pytrace=False)


def test_the_package_has_docstring_examples() -> None:
    assert len(MODULES) > 10
    assert sum(len(test.examples) for name, _ in MODULES for test in examples(name)) >= 1
