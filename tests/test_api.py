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
