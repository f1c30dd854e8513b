"""Sign-in through the OpenID provider (web/oidc.py): the redirect there and the callback back.

Without NIS_OIDC_ISSUER both answer 404. A refused sign-in shows the sign-in page with the reason in Norwegian
and a 4xx, and starts no session; the log gets the reason and the issuer only.
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, HTTPException, Request, Response, status

from web.oidc import OpenIdSignIn, SignInRefused
from web.routes.signin import signin_page, start_session
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
log = structlog.get_logger()


@router.get("/logg-inn/oidc")
async def oidc_start(request: Request) -> Response:
    web, oidc = _configured(request)
    redirect_uri = web.settings.oidc_redirect_url or str(request.url_for("oidc_callback"))
    try:
        return await oidc.redirect(request, redirect_uri)
    except SignInRefused as refused:
        return _refused(request, oidc, refused)


@router.get("/logg-inn/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request) -> Response:
    web, oidc = _configured(request)
    try:
        account = await oidc.sign_in(request, web.accounts)
    except SignInRefused as refused:
        return _refused(request, oidc, refused)
    log.info("signed in through OpenID Connect", issuer=oidc.issuer, role=account.role.value)
    return await start_session(web, account.username)


def _configured(request: Request) -> tuple[Web, OpenIdSignIn]:
    web: Web = request.app.state.web
    if web.oidc is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)  # as for a page that does not exist
    return web, web.oidc


def _refused(request: Request, oidc: OpenIdSignIn, refused: SignInRefused) -> Response:
    log.warning("OpenID Connect sign-in refused", reason=refused.reason, issuer=oidc.issuer)
    return signin_page(request, refused.message, refused.code)
