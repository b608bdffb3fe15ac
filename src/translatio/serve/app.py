"""The review desk as a Starlette application: routes, and the lock taken per request.

Reads (the overview, a language's queue) take no lock, as ``status`` takes none. Every
write opens the project with a short wait for its lock (``LOCK_WAIT``), so a long
``translate`` from the command line answers the page "busy, try again" (503) instead of
stalling it, and the lock is never held between requests. Writes go through the same
steps as the command line (``Project.edit``, ``Project.approve``, ``Project.build``).

Names in a request (a language, a document) are looked up among the project's own; a
path is never made from them. Editions are served read-only from the editions folder
by Starlette's ``StaticFiles`` (no path outside it, no symbolic link followed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from translatio.errors import BusyError, TranslatioError
from translatio.languages import parse_language
from translatio.project import Project
from translatio.publish.aligned import ALIGN_CODE
from translatio.publish.review_aids import COPY_CODE
from translatio.serve import pages
from translatio.serve.security import (
    CSRF_COOKIE,
    HEADERS,
    LOOPBACK,
    AccessToken,
    BodyLimit,
    HostCheck,
    cookies,
    csrf_ok,
    new_secret,
)
from translatio.steps.edit import Action, Change, Outcome, base_of, entry_key
from translatio.steps.review_aids import remembered_alternatives

__all__ = ["LOCK_WAIT", "Desk", "create_app"]

LOCK_WAIT = 2.0
"""Seconds a write waits for the project lock before answering "busy, try again"."""
REVIEWER_COOKIE = "translatio_reviewer"


@dataclass(frozen=True)
class Desk:
    """What the server was started with."""

    root: Path
    """The project."""
    hosts: frozenset[str] = LOOPBACK
    """Host names the ``Host`` header may give."""
    meaning: bool = False
    """Whether queues put the translations the meaning check flags first (``--meaning``)."""
    tokens: Mapping[str, str] = field(default_factory=dict)
    """Access tokens → reviewer names ("" where reviewers declare their names); empty:
    no token needed (loopback only)."""
    lock_wait: float = LOCK_WAIT

    @property
    def fixed_reviewers(self) -> bool:
        """Whether each token names its reviewer (names are then not declared)."""
        return any(self.tokens.values())


def create_app(desk: Desk) -> Any:
    """The ASGI application, security middleware around it."""
    editions = Project.open(desk.root).workspace
    editions_dir = editions.root / editions.settings.editions_dir
    routes = [  # reads run in Starlette's thread pool; writes read the form, then likewise
        Route("/", partial(_overview, desk)),
        Route("/desk.js", _script),
        Route("/queue/{language}", partial(_queue, desk)),
        Route("/edit", partial(_posted, desk, _edit), methods=["POST"]),
        Route("/approve-all", partial(_posted, desk, _approve_all), methods=["POST"]),
        Route("/build", partial(_posted, desk, _build), methods=["POST"]),
        Mount("/editions", app=_Editions(editions_dir)),
        Mount("/drafts", app=_Editions(editions.root / editions.settings.drafts_dir)),
    ]
    app: Any = Starlette(routes=routes, exception_handlers={TranslatioError: _failure})
    app = _Headers(app)
    if desk.tokens:
        app = AccessToken(app, desk.tokens)
    app = BodyLimit(app)
    return HostCheck(app, desk.hosts)


class _Editions:
    """The editions folder, read-only (``StaticFiles``); 404 while it does not exist yet."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = StaticFiles(directory=folder, check_dir=False)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if not self.folder.is_dir():
            await HTMLResponse("not built yet", status_code=404)(scope, receive, send)
            return
        await self.files(scope, receive, send)


class _Headers:
    """The hardening headers on every answer, and the CSRF cookie on every page."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = cookies(scope).get(CSRF_COOKIE) or new_secret()
        scope.setdefault("state", {})["csrf"] = token

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.decode("latin-1").lower() not in HEADERS
                ]
                headers += [(name.encode(), value.encode()) for name, value in HEADERS.items()]
                cookie = f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
                headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


async def _failure(request: Request, error: Exception) -> Response:
    status = 503 if isinstance(error, BusyError) else 400
    title = "Busy, try again" if status == 503 else "That did not work"
    lines = [str(error)]
    hint = getattr(error, "hint", None)
    if hint:
        lines.append(f"hint: {hint}")
    headers = {"retry-after": "2"} if status == 503 else None
    return HTMLResponse(pages.message_page(title, lines), status_code=status, headers=headers)


def _csrf(request: Request) -> str:
    return str(request.scope["state"]["csrf"])


def _reviewer(request: Request, form: Mapping[str, str] | None = None) -> str:
    named = request.scope["state"].get("reviewer")
    if named:
        return str(named)
    if form is not None and form.get("reviewer"):
        return form["reviewer"]
    return unquote(request.cookies.get(REVIEWER_COOKIE, ""))


async def _form(desk: Desk, request: Request) -> dict[str, str]:
    """The posted form (URL-encoded), after the CSRF check; ``TranslatioError`` if forged."""
    body = await request.body()
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        raise _Forbidden("the form could not be read") from None
    form = {name: values[0] for name, values in fields.items()}
    if not csrf_ok(request.scope, form.get("csrf", ""), desk.hosts):
        raise _Forbidden("the form's security token is missing or wrong: reload the page")
    return form


class _Forbidden(TranslatioError):
    """A write without this browser's CSRF token, or from another site."""


def _language(project: Project, code: str) -> str:
    """A configured language's code, or a ``TranslatioError`` (never a path)."""
    try:
        [language] = project.languages([code])
    except (TranslatioError, ValueError):
        raise _NotFound(f"no language {code!r} in this project") from None
    return language.code


class _NotFound(TranslatioError):
    """A language or document the project does not have."""


async def _posted(
    desk: Desk,
    handler: Callable[[Desk, Request, dict[str, str]], Response],
    request: Request,
) -> Response:
    """A write: the form read and checked here, the work done in the thread pool."""
    form = await _form(desk, request)
    return await run_in_threadpool(handler, desk, request, form)


def _script(request: Request) -> Response:
    """The few lines that link sentences and copy alternatives (no inline script here)."""
    return Response(ALIGN_CODE + COPY_CODE, media_type="text/javascript")


def _overview(desk: Desk, request: Request) -> Response:
    project = Project.open(desk.root)
    return HTMLResponse(
        pages.overview_page(
            project.status(),
            csrf=_csrf(request),
            reviewer=_reviewer(request),
            fixed_reviewer=desk.fixed_reviewers,
        )
    )


def _queue(desk: Desk, request: Request) -> Response:
    project = Project.open(desk.root)
    language = _language(project, request.path_params["language"])
    page = request.query_params.get("page", "0")
    queue = project.review_queue(language, meaning=desk.meaning)
    [target] = project.languages([language])
    return HTMLResponse(
        pages.queue_page(
            language,
            queue,
            source=project.settings.source_language,
            csrf=_csrf(request),
            reviewer=_reviewer(request),
            fixed_reviewer=desk.fixed_reviewers,
            done=request.query_params.get("done", ""),
            page=int(page) if page.isdigit() and len(page) < 6 else 0,
            alternatives=remembered_alternatives(project.workspace, target, queue),
        )
    )


_ACTIONS = {
    "save": (Action.SAVE, False),
    "save-reviewed": (Action.SAVE, True),
    "approve": (Action.APPROVE, False),
    "reject": (Action.REJECT, False),
}


def _edit(desk: Desk, request: Request, form: dict[str, str]) -> Response:
    if form.get("action", "save") not in _ACTIONS:
        raise _Forbidden("no such action")
    action, reviewed = _ACTIONS[form.get("action", "save")]
    project = Project.open(desk.root, wait=desk.lock_wait)
    language = _language(project, form.get("language", ""))
    reviewer = _reviewer(request, form)
    change = Change(
        document=form.get("document", ""),
        key=form.get("key", ""),
        base=form.get("base", ""),
        action=action,
        text=form.get("text", ""),
        reviewer=reviewer,
        reviewed=reviewed,
    )
    result = project.edit(language, change)
    if result.outcome is Outcome.CONFLICT:
        refreshed = _current_base(project, language, change)
        return HTMLResponse(
            pages.conflict_page(
                language,
                change.document,
                change.key,
                result,
                change.text,
                base=refreshed,
                csrf=_csrf(request),
                reviewer=reviewer,
                fixed_reviewer=desk.fixed_reviewers,
            ),
            status_code=409,
        )
    if result.outcome is Outcome.REFUSED:
        return HTMLResponse(
            pages.message_page(
                "Not approved",
                [f"not approved: {', '.join(result.reasons)}"],
                back=f"/queue/{language}",
            ),
            status_code=422,
        )
    response = RedirectResponse(
        f"/queue/{quote(language)}?done={result.outcome.value}#e-{quote(change.key)}",
        status_code=303,
    )
    _remember_reviewer(response, reviewer, desk)
    return response


def _current_base(project: Project, language: str, change: Change) -> str:
    """The ``base`` of the entry as it is now (a retry after a conflict is checked on it)."""
    workspace = project.workspace
    catalog = workspace.read_catalog(
        workspace.catalog_path(change.document, parse_language(language))
    )
    for entry in catalog or ():
        if entry.msgid and not entry.obsolete and entry_key(entry) == change.key:
            return base_of(entry)
    return ""


def _remember_reviewer(response: Response, reviewer: str, desk: Desk) -> None:
    if reviewer and not desk.fixed_reviewers:
        response.set_cookie(
            REVIEWER_COOKIE, quote(reviewer), httponly=True, samesite="strict", max_age=86400 * 90
        )


def _approve_all(desk: Desk, request: Request, form: dict[str, str]) -> Response:
    project = Project.open(desk.root, wait=desk.lock_wait)
    language = _language(project, form.get("language", ""))
    reviewer = " ".join(_reviewer(request, form).split())
    if not reviewer:
        raise _Forbidden("say who you are: a reviewer's name is recorded with each approval")
    report = project.approve(language, all_passing=True, reviewer=reviewer)
    response = HTMLResponse(
        pages.message_page("Approved", pages.approval_lines(report), back=f"/queue/{language}")
    )
    _remember_reviewer(response, reviewer, desk)
    return response


def _build(desk: Desk, request: Request, form: dict[str, str]) -> Response:
    policy = form.get("policy", "reviewed")
    if policy not in ("reviewed", "draft"):
        raise _Forbidden("build either the reviewed editions or the drafts")
    project = Project.open(desk.root, wait=desk.lock_wait)
    reports = project.build(policy=policy)
    urls = {}
    for mount, folder in (
        ("editions", project.settings.editions_dir),
        ("drafts", project.settings.drafts_dir),
    ):
        tree = project.workspace.root / folder
        for report in reports:
            for path in report.paths:
                file = project.workspace.root / path
                if file.is_file() and file.resolve().is_relative_to(tree.resolve()):
                    urls[path] = f"/{mount}/" + quote(file.relative_to(tree).as_posix())
    return HTMLResponse(pages.build_page(reports, urls))
