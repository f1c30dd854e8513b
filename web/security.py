"""What stands in front of every route: security headers, a body limit enforced while reading, the API's sign-in
and role check before any body is parsed, and CORS for the codec alone. Plain ASGI, so nothing here buffers a body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from html import escape

from fastapi import HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.refusals import Problem
from gateway.storage import UPLOAD_MAX_BYTES
from web.auth import API_PREFIXES, signed_in

# no inline script or style anywhere: a script that reaches a page by any route still does not run
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",  # frame-ancestors for browsers that predate it
    "cross-origin-opener-policy": "same-origin",
}
# a file to save (a handed-in document, a report): whatever it holds, nothing of it runs as this site
DOWNLOAD_HEADERS = {"content-security-policy": "default-src 'none'; sandbox", "x-content-type-options": "nosniff"}

BODY_MAX_BYTES = 1024 * 1024
# a hand-in's document plus the multipart framing and the form's few fields
HAND_IN_MAX_BYTES = UPLOAD_MAX_BYTES + 64 * 1024
HAND_IN = re.compile(
    r"^(/kull/[^/]+/grupper/[^/]+/(requirement|written)-submit"
    r"|/api/cohorts/[^/]+/groups/[^/]+/(requirements/[^/]+/submit|written/submit))$"
)
OPEN_API = ("/api/token", "/api/openapi.json")  # the API's doors that need no token
BODYLESS = ("GET", "HEAD", "OPTIONS")


class SecurityHeaders:
    """The headers above on every answer; a route that set its own (a download's sandbox) keeps them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def body_limit(path: str) -> int:
    return HAND_IN_MAX_BYTES if HAND_IN.match(path) else BODY_MAX_BYTES


def too_large_message(limit: int) -> str:
    return f"Forespørselen er for stor: høyst {limit // (1024 * 1024)} MB her."


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, too_large_message(limit))


class BodyLimit:
    """413 for a body over the path's limit: at once when Content-Length says so, else as soon as the bytes read
    pass it (the route's reading stops there, so nothing larger is ever held or stored)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await refuse(scope, send, status.HTTP_413_CONTENT_TOO_LARGE, too_large_message(limit))
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as error:  # read where no exception handler answers (a middleware): answer here
            if started:
                raise
            await refuse(scope, send, error.status_code, str(error.detail))


class ApiSignInFirst:
    """An API call with a body is answered 401 without a valid token and 403 for a role the route does not admit,
    before the body is read or parsed: nobody unknown makes the app read or validate what they send."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        # the API's routes (with their full paths) and the roles each admits, worked out once, not per call
        self.routes = [(route, admitted(route)) for route in routes if isinstance(route, APIRoute)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] in BODYLESS or not path.startswith(API_PREFIXES):
            await self.app(scope, receive, send)
            return
        if path in OPEN_API:
            await self.app(scope, receive, send)
            return
        account = await signed_in(Request(scope))
        if account is None:
            await refuse(
                scope,
                send,
                status.HTTP_401_UNAUTHORIZED,
                Problem("web.not_signed_in"),
                {"www-authenticate": "Bearer"},
            )
            return
        roles = route_roles(self.routes, scope)
        if roles is not None and account.role not in roles:
            await refuse(
                scope, send, status.HTTP_403_FORBIDDEN, Problem("web.role_forbidden", {"role": account.role.value})
            )
            return
        await self.app(scope, receive, send)


def route_roles(routes: list[tuple[APIRoute, frozenset[str] | None]], scope: Scope) -> frozenset[str] | None:
    """The roles the matching route admits (None: any signed-in account, or no such route)."""
    for route, roles in routes:
        if route.matches(scope)[0] == Match.FULL:
            return roles
    return None


def admitted(route: APIRoute) -> frozenset[str] | None:
    """The roles the route's `require(...)` dependencies admit together (None: any signed-in account)."""
    wanted = [set(roles) for roles in _required(route.dependant) if roles]
    return frozenset(set.intersection(*wanted)) if wanted else None


def _required(dependant: Dependant) -> Iterator[tuple[str, ...]]:
    for dependency in dependant.dependencies:
        roles = getattr(dependency.call, "roles", None)
        if roles is not None:
            yield tuple(roles)
        yield from _required(dependency)


class CodecCors:
    """Credentialed CORS for the Temporal UI's origin on /codec/ only: no other page is readable from there."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_credentials=True,
            allow_methods=["POST"],
            allow_headers=["content-type", "x-namespace", "authorization"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/codec/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


async def refuse(
    scope: Scope, send: Send, code: int, said: Problem | str, headers: dict[str, str] | None = None
) -> None:
    """An answer made here, before the app: JSON for the API (with the problem's code and parameters, as the app's
    own errors give them), a small Norwegian page otherwise."""
    message = said.text() if isinstance(said, Problem) else said
    if scope["path"].startswith(API_PREFIXES):
        answer: dict[str, object] = {"detail": message}
        if isinstance(said, Problem):
            answer["problems"] = [said.dump()]
        body, kind = json.dumps(answer).encode(), "application/json"
    else:
        page = (
            f'<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Avvist</title></head>'
            f'<body><h1>{code}</h1><p>{escape(message)}</p><p><a href="/">Til forsiden</a></p></body></html>'
        )
        body, kind = page.encode(), "text/html; charset=utf-8"
    raw = [(b"content-type", kind.encode()), (b"content-length", str(len(body)).encode())]
    raw += [(name.encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": code, "headers": raw})
    await send({"type": "http.response.body", "body": body})
