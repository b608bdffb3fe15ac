"""What stands between the review desk and a hostile page or network: pure ASGI middleware.

* ``HostCheck``: the ``Host`` header must name the server (loopback names, or the host
  it was started on): a page on another site that re-points its own domain at 127.0.0.1
  (DNS rebinding) gets 400.
* ``BodyLimit``: a request body over ``MAX_BODY`` bytes gets 413, whether it says so in
  ``Content-Length`` or streams more than it said.
* ``AccessToken``: where tokens are required (a server not on loopback, or tokens per
  reviewer), every request must carry one: ``?token=…`` once, which sets an HttpOnly,
  SameSite=Strict cookie. Which token it is names the reviewer when tokens are per
  reviewer.
* CSRF (``csrf_cookie``, ``csrf_ok``): the double-submit pattern. Every page sets a random
  cookie (HttpOnly, SameSite=Strict) and puts the same value in each form; a write is
  accepted only when the two match (compared in constant time) and, when the browser
  sends an ``Origin``, it is this server.
* ``HEADERS``: a Content-Security-Policy that allows no script but the desk's own file
  (no inline script, so a translation holding one could not run even if it escaped),
  no frame, no foreign form target, and the usual hardening headers, on every answer.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "CSRF_COOKIE",
    "HEADERS",
    "LOOPBACK",
    "MAX_BODY",
    "TOKEN_COOKIE",
    "AccessToken",
    "BodyLimit",
    "HostCheck",
    "cookies",
    "csrf_ok",
    "new_secret",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 1_000_000
"""Bytes a request body may have (a form with one translation needs far less)."""
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
"""Host names that reach only this machine."""
CSRF_COOKIE = "translatio_csrf"
TOKEN_COOKIE = "translatio_token"
HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
"""Sent with every answer of the desk."""


def new_secret() -> str:
    """A random token, safe in a URL and a cookie."""
    return secrets.token_urlsafe(24)


def cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies."""
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:  # a malformed cookie header is no cookie
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def csrf_ok(scope: Scope, form_token: str, allowed_hosts: frozenset[str]) -> bool:
    """Whether a write carries this browser's CSRF cookie value and comes from this site."""
    cookie = cookies(scope).get(CSRF_COOKIE, "")
    if not cookie or not form_token or not hmac.compare_digest(cookie, form_token):
        return False
    origin = _header(scope, b"origin")
    if origin is not None and origin != "null":
        host = urlsplit(origin).hostname or ""
        return host in allowed_hosts or f"[{host}]" in allowed_hosts
    return True


async def _answer(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *((name.encode(), value.encode()) for name, value in HEADERS.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class HostCheck:
    """400 for a ``Host`` header that does not name this server (DNS rebinding)."""

    def __init__(self, app: App, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _header(scope, b"host") or ""
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in self.allowed:
                await _answer(send, 400, "wrong Host header: open the address translatio printed")
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """413 for a request body over ``limit`` bytes, declared or streamed."""

    def __init__(self, app: App, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _answer(send, 413, f"request too large (limit {self.limit} bytes)")
            return
        seen = 0
        started = False

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded, tracking)
        except _TooLarge:
            if not started:
                await _answer(send, 413, f"request too large (limit {self.limit} bytes)")


class _TooLarge(Exception):
    """A streamed body went over the limit."""


class AccessToken:
    """Requests must carry a known token (query once, then a cookie); sets ``reviewer``.

    ``tokens`` maps each token to the reviewer it names ("" for a shared token, where
    reviewers declare their names). The reviewer named by the token is put in
    ``scope["state"]["reviewer"]`` for the pages.
    """

    def __init__(self, app: App, tokens: Mapping[str, str]) -> None:
        self.app = app
        self.tokens = dict(tokens)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        from_cookie = cookies(scope).get(TOKEN_COOKIE, "")
        token = next(
            (
                candidate
                for candidate in (given, from_cookie)
                for known in self.tokens
                if candidate and hmac.compare_digest(candidate, known)
            ),
            None,
        )
        if token is None:
            await _answer(
                send, 401, "an access token is needed: open the address translatio printed"
            )
            return
        scope.setdefault("state", {})["reviewer"] = self.tokens[token]
        if given and given == token:

            async def with_cookie(message: Message) -> None:
                if message["type"] == "http.response.start":
                    cookie = (f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict").encode()
                    message.setdefault("headers", []).append((b"set-cookie", cookie))
                await send(message)

            await self.app(scope, receive, with_cookie)
            return
        await self.app(scope, receive, send)
