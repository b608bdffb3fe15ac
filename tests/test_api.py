"""The public API: what ``translatio.__all__`` promises is there and works."""

from __future__ import annotations

import translatio

from .conftest import MakeProject


def test_public_names_resolve() -> None:
    for name in translatio.__all__:
        assert getattr(translatio, name) is not None


def test_scripted_cycle(make_project: MakeProject) -> None:
    project = translatio.Project.open(make_project(languages=("zh_CN",)))
    project.extract()
    [update] = project.translate(["zh-Hans"], engine="machine")
    assert (update.language, update.report.filled) == ("zh_CN", 6)
    [status] = project.status()
    assert status.entries[translatio.State.MACHINE] == 6
    [edition] = project.build(policy=translatio.Policy.DRAFT, keep=0)
    assert edition.state.value == "written"


def test_errors_share_one_base() -> None:
    errors = [name for name in translatio.__all__ if name.endswith("Error")]
    assert {"BusyError", "ModelError", "CatalogError", "SourceError"} <= set(errors)
    for name in errors:
        assert issubclass(getattr(translatio, name), translatio.TranslatioError), name


def test_a_skipped_edition_says_why_in_data(make_project: MakeProject) -> None:
    project = translatio.Project.open(make_project(languages=("fr",)))
    project.extract()
    project.translate(engine="machine")
    [report] = project.build(keep=50)
    assert report.state is translatio.EditionState.SKIPPED
    assert (report.policy, report.keep, report.completeness, report.paths) == (
        "reviewed",
        50,
        0.0,
        (),
    )
    [draft] = project.build(policy="draft", keep=50)
    assert (draft.state, draft.policy, draft.keep) == ("written", "draft", None)


def _public_types(annotation: object) -> set[type]:
    """The classes of translatio named in a type annotation, through list, tuple, unions."""
    import typing

    found: set[type] = set()
    if isinstance(annotation, type) and annotation.__module__.startswith("translatio"):
        found.add(annotation)
    for argument in typing.get_args(annotation):
        found |= _public_types(argument)
    return found


def test_all_names_every_record_and_error_the_project_uses() -> None:
    import inspect
    import typing

    from translatio import errors, reports

    used: set[type] = set()
    for name, method in inspect.getmembers(translatio.Project, inspect.isfunction):
        if not name.startswith("_"):
            used |= {
                t for hint in typing.get_type_hints(method).values() for t in _public_types(hint)
            }
    missing = {t.__name__ for t in used} - set(translatio.__all__)
    assert used and missing == set()
    assert set(reports.__all__) | set(errors.__all__) <= set(translatio.__all__)


def test_the_drawn_error_tree_is_the_class_tree() -> None:
    import re

    from translatio import errors

    drawn: dict[str, str] = {}
    parents: list[str] = []
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r"^\s*((?:[│ ]   )*)(?:[├└]── )?(\w+Error)\s", line)
        if not found:
            continue
        depth = len(found.group(1)) // 4 + (1 if "──" in line else 0)
        parents[depth:] = [found.group(2)]
        if depth:
            drawn[found.group(2)] = parents[depth - 1]
    actual = {
        name: cls.__bases__[0].__name__
        for name, cls in vars(errors).items()
        if isinstance(cls, type) and issubclass(cls, errors.TranslatioError)
        if cls is not errors.TranslatioError
    }
    assert drawn == actual
