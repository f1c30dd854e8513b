"""The web app's factory: one FastAPI app over a Temporal client and the read model's session factory.

Tests build it with their own settings, client and sessions; `starter.py web` serves it with uvicorn.
"""

from __future__ import annotations

import base64
import functools
import logging
import os
from datetime import timedelta
from http import HTTPStatus
from ipaddress import ip_network
from pathlib import Path

from fastapi import FastAPI, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from temporalio.client import Client

from domain.catalogue.web import HTTP_STATUS
from domain.errors import describe, problems
from gateway.accounts import Accounts, Sessions, unknown_account_hash
from gateway.admin import Admin, Refused
from gateway.applying import Applying
from gateway.storage import Documents, Uploads, documents_key, write_whole
from runtime.codec import EncryptionCodec, load_keys
from runtime.settings import Settings
from runtime.wiring import people_register
from web.auth import API_PREFIXES, LoginLimiter, Signer, SignInRequired, signed_in
from web.errors import WebRefusal
from web.oidc import STATE_COOKIE, STATE_PATH, STATE_SECONDS, OpenIdSignIn, state_secret
from web.pages import HERE, make_templates, render
from web.routes import (
    api,
    api_applying,
    api_group,
    appeal,
    applying,
    calendar,
    codec,
    cohort,
    group,
    health,
    offers,
    oidc,
    pages,
    participant,
    plan_amend,
    plan_form,
    rollcall,
    signin,
    verify,
)
from web.security import ApiSignInFirst, BodyLimit, CodecCors, SecurityHeaders
from web.state import Web

SECRET_BYTES = 32


def create_app(settings: Settings, client: Client, sessions: async_sessionmaker[AsyncSession]) -> FastAPI:
    app = FastAPI(
        title="Nasjonal Innovasjonsskole",
        summary="Studieadministrasjon: sider og JSON-API",
        # no Swagger UI: it loads its script from a CDN into this origin; the OpenAPI document is enough
        docs_url=None,
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    secret = load_or_create_secret(settings)
    unknown_account_hash()  # before the first sign-in, so that an unknown name never takes longer than a known one
    openid = OpenIdSignIn.configured(settings)
    app.state.web = Web(
        settings=settings,
        admin=Admin(client, sessions, settings.task_queue, people_register(settings, sessions)),
        accounts=Accounts(sessions),
        sessions=sessions,
        signer=Signer(secret),
        limiter=LoginLimiter(
            settings.web_login_attempts, settings.web_login_address_attempts, settings.web_login_window_seconds
        ),
        codec=EncryptionCodec(load_keys(settings).keys, ui=True),
        templates=make_templates(),
        documents=Documents(sessions, documents_key(load_keys(settings).identity), settings.data_dir),
        uploads=Uploads(settings.data_dir),
        web_sessions=Sessions(
            sessions,
            session_lifetime=timedelta(minutes=settings.web_session_minutes),
            session_idle=timedelta(minutes=settings.web_session_idle_minutes),
            token_lifetime=timedelta(minutes=settings.web_token_minutes),
            write=functools.partial(write_whole, sessions),  # a session's last use, beside the request
        ),
        oidc=openid,
        proxies=[ip_network(proxy, strict=False) for proxy in settings.web_trusted_proxies],
    )
    if openid is not None:  # authlib keeps the state, nonce and PKCE verifier of a sign-in under way in this cookie
        app.add_middleware(
            SessionMiddleware,
            secret_key=state_secret(secret),
            session_cookie=STATE_COOKIE,
            max_age=STATE_SECONDS,
            path=STATE_PATH,
            same_site="lax",  # sent on the provider's redirect back, a top-level GET from another site
            https_only=settings.secure_cookies,
        )
    app.state.applying = Applying.configured(settings, app.state.web.admin, app.state.web.accounts, sessions)
    # outermost last: headers on every answer, then the body limit, then who is asking, before any route reads
    app.add_middleware(
        ApiSignInFirst,
        routes=[
            *api.router.routes,
            *api_group.router.routes,
            *api_applying.router.routes,
            *offers.api_router.routes,
            *codec.router.routes,
        ],
    )
    app.add_middleware(BodyLimit)
    app.add_middleware(CodecCors, origins=settings.web_cors_origins)
    app.add_middleware(SecurityHeaders)
    logging.getLogger("uvicorn.access").addFilter(calendar.HIDE_FEED_TOKENS)  # no feed token in the access log
    logging.getLogger("uvicorn.access").addFilter(applying.HIDE_LINK_TOKENS)  # nor a registration link's
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (
        health.router,  # /healthz and /readyz: no sign-in, no session
        signin.router,
        oidc.router,
        pages.router,
        rollcall.router,  # before cohort's POST /kull/{cohort}/{name}
        plan_form.router,  # /kull/ny before cohort's /kull/{cohort}
        plan_amend.router,
        applying.router,  # /kull/{cohort}/sok: likewise
        cohort.router,
        group.router,
        offers.router,
        participant.router,
        appeal.router,
        appeal.api,
        api.router,
        api_group.router,
        api_applying.router,
        offers.api_router,
        codec.router,
        verify.router,
        calendar.router,  # /kalender/{token}.ics: no session, the token is the key
    ):
        app.include_router(router)
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(ValidationError, _invalid)
    return app


async def _sign_in(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/logg-inn", status.HTTP_303_SEE_OTHER)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith(API_PREFIXES):
        body: dict[str, object] = {"detail": exc.detail}
        if isinstance(exc, WebRefusal):  # the web app's own refusal by code: its code and parameters too
            body["problems"] = [problem.dump() for problem in exc.problems]
        return JSONResponse(body, exc.status_code, headers=exc.headers)
    account = await signed_in(request)
    detail = str(exc.detail)
    if exc.status_code in HTTP_STATUS and detail == HTTPStatus(exc.status_code).phrase:  # the framework's own
        detail = HTTP_STATUS[exc.status_code]
    return render(
        request, "error.html", {"account": account, "code": exc.status_code, "detail": detail}, exc.status_code
    )


async def _refused(request: Request, exc: Exception) -> Response:
    """The workflow said no: 409 with its reason, for the API (pages show it beside their form); a refusal by code
    also gives its codes and parameters, for a program to act on."""
    assert isinstance(exc, Refused)
    body: dict[str, object] = {"detail": str(exc)}
    if exc.problems:
        body["problems"] = [problem.dump() for problem in exc.problems]
    return JSONResponse(body, status.HTTP_409_CONFLICT)


async def _invalid(request: Request, exc: Exception) -> Response:
    """Input that breaks a rule of a workflow's message, found while the route builds it: 422 naming the rule."""
    assert isinstance(exc, ValidationError)
    said = "; ".join(describe(exc))
    if request.url.path.startswith(API_PREFIXES):
        body = {"detail": said, "problems": [problem.dump() for problem in problems(exc)]}
        return JSONResponse(body, status.HTTP_422_UNPROCESSABLE_CONTENT)
    account = await signed_in(request)
    context = {"account": account, "code": 422, "detail": said}
    return render(request, "error.html", context, status.HTTP_422_UNPROCESSABLE_CONTENT)


def load_or_create_secret(settings: Settings) -> bytes:
    """NIS_WEB_SECRET, else `data_dir/web.secret` (0600), made on first use; sessions survive a restart."""
    if settings.web_secret is not None:
        return settings.web_secret.get_secret_value().encode()
    path: Path = settings.data_dir / "web.secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes().strip()
        with os.fdopen(descriptor, "w") as file:
            file.write(base64.urlsafe_b64encode(os.urandom(SECRET_BYTES)).decode())
    return path.read_bytes().strip()
