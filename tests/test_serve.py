"""The review desk (``translatio serve``) through HTTP: Starlette's test client, in process.

What a browser does is posting the forms the pages hold; these tests read the forms out of
the pages and post them, so a page that lost a field fails here. The real browser is in
``test_serve_browser.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import polib
import pytest
from starlette.testclient import TestClient

from translatio import Project
from translatio.serve.app import Desk, create_app
from translatio.serve.security import CSRF_COOKIE

from .conftest import SHORT_DOC, MakeProject, hold_project, read_po

ADDRESS = "http://127.0.0.1:8765"
FIRST = "The first paragraph is here."
SECOND = "The second paragraph is here."


@pytest.fixture
def project(make_project: MakeProject) -> Project:
    root = make_project({"doc.md": SHORT_DOC}, languages=("fr",))
    project = Project.open(root)
    project.run(engine="machine")
    return project


@pytest.fixture
def client(project: Project) -> Iterator[TestClient]:
    with TestClient(create_app(Desk(project.workspace.root)), base_url=ADDRESS) as client:
        yield client


def _catalog(project: Project) -> dict[str, polib.POEntry]:
    path = project.workspace.root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    return {entry.msgid: entry for entry in read_po(path) if entry.msgid}


def _forms(page: str) -> list[dict[str, str]]:
    """Every form of a page: its action and its fields (hidden inputs, textarea, inputs)."""
    forms = []
    for match in re.finditer(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S):
        fields = {"_action": match.group(1)}
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', match.group(2)
        ):
            fields[name] = unescape(value)
        text = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', match.group(2), re.S)
        if text:
            fields["text"] = unescape(text.group(1))
        fields["_buttons"] = ",".join(
            re.findall(r'<button name="action" value="([^"]+)"', match.group(2))
        )
        forms.append(fields)
    return forms


def _entry_form(client: TestClient, msgid_part: str) -> dict[str, str]:
    page = client.get("/queue/fr").text
    for form in _forms(page):
        if form["_action"] == "/edit":
            row = page[: page.index(f'value="{form["key"]}"')]
            last_row = row[row.rindex("<tr") :]
            if msgid_part in unescape(last_row):
                return form
    raise AssertionError(f"no form for {msgid_part!r}")


def _post(client: TestClient, form: dict[str, str], **changes: str) -> object:
    data = {k: v for k, v in form.items() if not k.startswith("_")} | changes
    return client.post(form["_action"], data=data, follow_redirects=False)


def test_the_overview_shows_the_counts_of_status(client: TestClient, project: Project) -> None:
    page = client.get("/").text
    [status] = project.status()
    assert '<a href="/queue/fr">fr</a>' in page
    assert f"<td>{status.entries[next(iter(status.entries))]}</td>" in page
    assert "Build the reviewed editions" in page


def test_the_queue_is_ranked_as_the_review_page(client: TestClient, project: Project) -> None:
    page = client.get("/queue/fr").text
    queued = project.review_queue("fr")
    keys = re.findall(r'<tr id="e-([0-9a-f]{16})"', page)
    from translatio.steps.edit import entry_key

    assert keys == [entry_key(row.entry) for row in queued[0].rows]


def test_editing_saves_the_text_records_the_reviewer_and_logs_it(
    client: TestClient, project: Project
) -> None:
    form = _entry_form(client, FIRST)
    answer = _post(
        client, form, text="Le premier paragraphe est ici.", reviewer="Ada", action="save-reviewed"
    )
    assert answer.status_code == 303  # type: ignore[attr-defined]
    entry = _catalog(project)[FIRST]
    assert entry.msgstr == "Le premier paragraphe est ici."
    assert "fuzzy" not in entry.flags
    assert re.search(r"reviewed: Ada \d{4}-\d\d-\d\d \d\d:\d\d\+0000", entry.tcomment)
    log = project.workspace.root / "locales" / "fr" / "review.log"
    [record] = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert record["reviewer"] == "Ada" and record["action"] == "save"
    assert record["text"] == "Le premier paragraphe est ici."
    # the queue now says so, and remembers the name for the next form
    page = client.get("/queue/fr?done=done").text
    assert "Saved." in page and 'value="Ada"' in page


def test_approve_and_reject(client: TestClient, project: Project) -> None:
    form = _entry_form(client, SECOND)
    assert "approve" in form["_buttons"]
    _post(client, form, reviewer="Grace", action="approve")
    assert "fuzzy" not in _catalog(project)[SECOND].flags
    form = _entry_form(client, SECOND)
    assert "reject" in form["_buttons"]
    _post(client, form, reviewer="Grace", action="reject")
    assert "fuzzy" in _catalog(project)[SECOND].flags


def test_approve_all_passing(client: TestClient, project: Project) -> None:
    [form] = [f for f in _forms(client.get("/queue/fr").text) if f["_action"] == "/approve-all"]
    answer = _post(client, form, reviewer="Grace")
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert all("fuzzy" not in entry.flags for entry in _catalog(project).values())


def test_two_editors_on_one_entry_the_second_sees_a_conflict(
    client: TestClient, project: Project
) -> None:
    first = _entry_form(client, FIRST)
    second = dict(first)  # another editor opened the same page
    _post(client, first, text="Texte du premier.", reviewer="Ada", action="save")
    answer = _post(client, second, text="Texte du second.", reviewer="Bob", action="save")
    assert answer.status_code == 409  # type: ignore[attr-defined]
    page = answer.text  # type: ignore[attr-defined]
    assert "Texte du premier." in page and "Texte du second." in page
    assert _catalog(project)[FIRST].msgstr == "Texte du premier."
    # saving over theirs is a choice made on the conflict page, against the new base
    [retry] = [f for f in _forms(page) if f["_action"] == "/edit"]
    assert _post(client, retry, reviewer="Bob", action="save").status_code == 303  # type: ignore[attr-defined]
    assert _catalog(project)[FIRST].msgstr == "Texte du second."


def test_a_save_in_a_po_editor_meanwhile_is_never_overwritten(
    client: TestClient, project: Project
) -> None:
    form = _entry_form(client, FIRST)
    path = project.workspace.root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if entry.msgid == FIRST:
            entry.msgstr = "La traduction du traducteur."
            entry.flags = []
    catalog.save()
    answer = _post(client, form, text="Le texte de la page.", reviewer="Ada", action="save")
    assert answer.status_code == 409  # type: ignore[attr-defined]
    assert "La traduction du traducteur." in answer.text  # type: ignore[attr-defined]
    assert _catalog(project)[FIRST].msgstr == "La traduction du traducteur."


def test_a_long_run_holding_the_project_answers_busy(client: TestClient, project: Project) -> None:
    form = _entry_form(client, FIRST)
    holder = hold_project(project.workspace.root, 8)
    try:
        answer = _post(client, form, text="Pendant la traduction.", reviewer="Ada", action="save")
    finally:
        holder.kill()
        holder.wait()
    assert answer.status_code == 503  # type: ignore[attr-defined]
    assert answer.headers["retry-after"] == "2"  # type: ignore[attr-defined]
    assert "try again" in answer.text.lower()  # type: ignore[attr-defined]
    assert _catalog(project)[FIRST].msgstr != "Pendant la traduction."


def test_build_from_the_page_and_open_the_edition(client: TestClient, project: Project) -> None:
    [form] = [f for f in _forms(client.get("/").text) if f["_action"] == "/build"]
    answer = _post(client, form, policy="draft")
    assert answer.status_code == 200  # type: ignore[attr-defined]
    links = re.findall(r'<a href="(/drafts/[^"]+\.html)"', answer.text)  # type: ignore[attr-defined]
    assert links
    edition = client.get(links[0])
    assert edition.status_code == 200 and "<html" in edition.text


# -- hostile input -----------------------------------------------------------------------


def test_script_in_a_translation_is_shown_as_text(client: TestClient, project: Project) -> None:
    form = _entry_form(client, FIRST)
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    _post(client, form, text=hostile, reviewer='<b onmouseover="x">Eve</b>', action="save")
    page = client.get("/queue/fr").text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b onmouseover" not in page
    assert client.get("/").headers["content-security-policy"].startswith("default-src 'none'")


def test_a_forged_post_is_refused(client: TestClient, project: Project) -> None:
    form = _entry_form(client, FIRST)
    before = _catalog(project)[FIRST].msgstr
    forged = {k: v for k, v in form.items() if not k.startswith("_")}
    forged |= {"csrf": "not-the-token", "text": "Forgé.", "action": "save"}
    assert client.post("/edit", data=forged).status_code == 400
    # another site's page posting with the browser's cookie: its Origin gives it away
    real = {k: v for k, v in form.items() if not k.startswith("_")} | {"text": "Forgé."}
    answer = client.post("/edit", data=real, headers={"origin": "http://evil.example"})
    assert answer.status_code == 400
    client.cookies.delete(CSRF_COOKIE)
    assert client.post("/edit", data=real).status_code == 400
    assert _catalog(project)[FIRST].msgstr == before


def test_a_wrong_host_header_is_refused(project: Project) -> None:
    app = create_app(Desk(project.workspace.root))
    with TestClient(app, base_url="http://rebound.example:8765") as client:
        assert client.get("/").status_code == 400


def test_names_from_requests_never_reach_the_file_system(
    client: TestClient, project: Project
) -> None:
    assert client.get("/queue/..%2F..%2Fetc").status_code in (400, 404)
    assert client.get("/editions/../translatio.toml").status_code == 404
    assert client.get("/editions/%2e%2e/translatio.toml").status_code == 404
    assert client.get("/drafts/../translatio.toml").status_code == 404
    assert client.get("/drafts/%2e%2e/translatio.toml").status_code == 404
    form = _entry_form(client, FIRST)
    answer = _post(client, form, document="../../../etc/passwd", action="save", text="x")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert "done=gone" in answer.headers["location"]  # type: ignore[attr-defined]
    assert not (project.workspace.root.parent / "etc").exists()


def test_request_size_is_limited(client: TestClient, project: Project) -> None:
    form = _entry_form(client, FIRST)
    data = {k: v for k, v in form.items() if not k.startswith("_")} | {"text": "x" * 1_200_000}
    assert client.post("/edit", data=data).status_code == 413
    assert _catalog(project)[FIRST].msgstr != "x" * 1_200_000


def test_tokens_are_required_when_set_and_name_the_reviewer(project: Project) -> None:
    token = "a-long-enough-token-for-ada-0123"
    app = create_app(Desk(project.workspace.root, tokens={token: "Ada Lovelace"}))
    with TestClient(app, base_url=ADDRESS) as client:
        assert client.get("/").status_code == 401
        assert client.get("/?token=wrong-token-wrong-token").status_code == 401
        assert client.get(f"/?token={token}").status_code == 200
        page = client.get("/queue/fr").text  # the cookie carries the token from now on
        assert "Reviewer: Ada Lovelace" in page
        form = _entry_form(client, FIRST)
        _post(client, form, text="Par Ada.", reviewer="Mallory", action="save-reviewed")
    assert "reviewed: Ada Lovelace" in _catalog(project)[FIRST].tcomment


def test_serve_refuses_a_bad_tokens_file_in_one_line(project: Project, tmp_path: Path) -> None:
    from .conftest import cli_error

    bad = tmp_path / "tokens.tsv"
    bad.write_text("Ada\tshort\n", "utf-8")
    lines = cli_error(project.workspace.root, "serve", "--reviewer-tokens", str(bad))
    assert lines[0].startswith("error: a reviewer token line is") and "tokens.tsv:1" in lines[0]
