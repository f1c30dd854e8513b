"""Sign-in and sign-out with a local account: a signed, HttpOnly, SameSite=Lax session cookie.

The sign-in page also offers OpenID Connect when it is configured (routes/oidc.py), which ends in the same
session. The sign-in form has its own CSRF token (a cookie and a hidden field that must match), so another site cannot
sign a browser in to an account of its choosing. Failed attempts are limited per account and per address. The
session is a row (store.sessions): signing out ends it, and signing out needs the session's CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

import structlog
from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse

from gateway.accounts import Kind
from web.auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE, USERNAME_MAX, client_address, signed_in
from web.pages import render
from web.routes.common import read_form
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
log = structlog.get_logger()


@router.get("/logg-inn")
async def signin_form(request: Request) -> Response:
    return signin_page(request, None, status.HTTP_200_OK)


@router.post("/logg-inn")
async def signin(
    request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()], csrf: Annotated[str, Form()]
) -> Response:
    web: Web = request.app.state.web
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf):
        return signin_page(request, "Skjemaet var utløpt. Prøv igjen.", status.HTTP_403_FORBIDDEN)
    address = client_address(request)
    if web.limiter.blocked(username, address):
        log.warning("sign-in blocked by the rate limit")  # no user name: it may identify a person
        return signin_page(
            request,
            "For mange mislykkede innlogginger. Vent ett minutt og prøv igjen.",
            status.HTTP_429_TOO_MANY_REQUESTS,
        )
    account = await web.accounts.authenticate(username.strip(), password) if len(username) <= USERNAME_MAX else None
    if account is None:
        web.limiter.failed(username, address)
        return signin_page(request, "Feil brukernavn eller passord.", status.HTTP_401_UNAUTHORIZED)
    response = await start_session(web, account.username)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logg-ut")
async def signout(request: Request) -> Response:
    """End the session (its row, so a copy of the cookie stops working too); the form's CSRF token must be the
    session's, so another site cannot sign anyone out."""
    web: Web = request.app.state.web
    if await signed_in(request) is not None:
        await read_form(request)
        await web.web_sessions.end(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/logg-inn", status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, secure=web.settings.secure_cookies, httponly=True, samesite="lax")
    return response


async def start_session(web: Web, username: str) -> Response:
    """Signed in: a new session (a fresh secret and CSRF token) and on to the front page."""
    started = await web.web_sessions.start(username, Kind.SESSION)
    response = RedirectResponse("/", status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        started.secret,
        max_age=web.settings.web_session_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=web.settings.secure_cookies,
    )
    return response


def signin_page(request: Request, error: str | None, code: int) -> Response:
    """The sign-in page, with `error` shown when there is one; the OpenID Connect button where it is configured."""
    web: Web = request.app.state.web
    token = secrets.token_urlsafe(32)
    oidc_button = web.settings.oidc_provider_name if web.oidc is not None else None
    context = {"error": error, "csrf": token, "account": None, "oidc_button": oidc_button}
    response = render(request, "signin.html", context, code)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", secure=web.settings.secure_cookies
    )
    return response
