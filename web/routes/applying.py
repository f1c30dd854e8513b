"""Applying on the web, the pages: the cohort's public page with the registration form (`/kull/{cohort}/sok`), the
confirmation link (`/registrering/TOKEN`: choose a user name and password), the application form for the signed-in
contact (a draft kept until it is sent) and its receipt.

The public forms have no session: like the sign-in form, they carry a token of their own that must match a cookie.
The link's token is the only thing in its address, and the access log writes it as `/registrering/***`.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from domain.admission import MAX_PARTICIPANTS, MIN_PARTICIPANTS, MIN_SECTORS
from domain.errors import problems as validation_problems
from domain.models import Sector
from domain.municipalities import register
from domain.refusals import Refusal
from gateway.accounts import Account, Role
from gateway.admin import Refused
from gateway.applying import WHOLE, Applying
from gateway.messages import CohortStage
from gateway.storage import CohortRecord
from web.auth import LOGIN_CSRF_COOKIE, client_address, require, signed_in
from web.forms_applying import beside, form_to_application, said
from web.pages import done, render
from web.routes.common import read_form
from web.routes.signin import start_session

router = APIRouter(tags=["pages"], include_in_schema=False)
Contact = Annotated[Account, Depends(require(Role.MUNICIPALITY))]
LINK_PATH = re.compile(r"^/registrering/[^/?\s]+")
REGISTRATIONS = "registrering"  # the rate limiter's key prefix: registrations per address


class HideLinkTokens(logging.Filter):
    """The access log's line of a confirmation link without its token: the link opens an account."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > 2 and isinstance(args[2], str) and LINK_PATH.match(args[2]):
            record.args = (*args[:2], LINK_PATH.sub("/registrering/***", args[2]), *args[3:])
        return True


HIDE_LINK_TOKENS = HideLinkTokens()


def applying_of(request: Request) -> Applying:
    found: Applying = request.app.state.applying
    return found


ApplyingDep = Annotated[Applying, Depends(applying_of)]


# ---- the public pages and the registration -------------------------------------------------------
@router.get("/sok")
async def open_cohorts(request: Request, applying: ApplyingDep) -> Response:
    """The cohorts that take applications now, each with its page."""
    async with request.app.state.web.sessions() as session:
        found = await session.scalars(select(CohortRecord).where(CohortRecord.stage == CohortStage.INTAKE.value))
        cohorts = [c.cohort for c in found.all()]
    account = await signed_in(request)
    return render(request, "apply_cohorts.html", {"account": account, "cohorts": sorted(cohorts)})


@router.get("/kull/{cohort}/sok")
async def public_page(request: Request, cohort: str, applying: ApplyingDep) -> Response:
    return await _public(request, cohort, applying, {}, {}, status.HTTP_200_OK)


@router.post("/kull/{cohort}/sok")
async def registration(request: Request, cohort: str, applying: ApplyingDep) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("name", "email", "municipality")}
    if not _public_token_ok(request, str(form.get("csrf", ""))):
        return await _public(request, cohort, applying, values, {WHOLE: [_expired()]}, status.HTTP_403_FORBIDDEN)
    web = request.app.state.web
    address = client_address(request)
    if web.limiter.blocked(f"{REGISTRATIONS}:{address}", address):
        busy = "For mange registreringer fra denne adressen. Vent ett minutt og prøv igjen."
        return await _public(request, cohort, applying, values, {WHOLE: [busy]}, status.HTTP_429_TOO_MANY_REQUESTS)
    try:
        await applying.register(cohort, values["municipality"], values["name"], values["email"])
    except ValidationError as error:
        errors = {str(p.params.get("field", WHOLE)): [beside(p)] for p in validation_problems(error)}
        return await _public(request, cohort, applying, values, errors, status.HTTP_422_UNPROCESSABLE_CONTENT)
    except Refusal as refusal:
        key = "municipality" if refusal.problems[0].code.startswith("application.") else WHOLE
        return await _public(request, cohort, applying, values, {key: [refusal.text()]}, 422)
    web.limiter.failed(
        f"{REGISTRATIONS}:{address}", address
    )  # each registration counts, so a script cannot fill a mailbox
    return render(request, "apply_sent.html", {"cohort": cohort})


async def _public(
    request: Request, cohort: str, applying: Applying, values: dict[str, str], errors: dict[str, Any], code: int
) -> Response:
    plan = await applying.plan(cohort)
    if plan is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet")
    token = secrets.token_urlsafe(32)
    context = {
        "cohort": cohort,
        "plan": plan,
        "open": await applying.is_open(cohort),
        "municipalities": sorted(register().values(), key=lambda m: m.name),
        "values": values,
        "errors": errors,
        "public_csrf": token,
        "rules": {"min": MIN_PARTICIPANTS, "max": MAX_PARTICIPANTS, "sectors": MIN_SECTORS},
    }
    return _with_public_token(request, render(request, "apply.html", context, code), token)


def _with_public_token(request: Request, response: Response, token: str) -> Response:
    secure = request.app.state.web.settings.secure_cookies
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict", secure=secure)
    return response


def _public_token_ok(request: Request, submitted: str) -> bool:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected, submitted)


def _expired() -> str:
    return "Skjemaet var utløpt. Prøv igjen."


# ---- the confirmation link ------------------------------------------------------------------------
@router.get("/registrering/{token}")
async def link(request: Request, token: str, applying: ApplyingDep) -> Response:
    return await _link_page(request, token, applying, {}, "", status.HTTP_200_OK)


@router.post("/registrering/{token}")
async def confirm(request: Request, token: str, applying: ApplyingDep) -> Response:
    form = await request.form()
    username = str(form.get("username", "")).strip()
    if not _public_token_ok(request, str(form.get("csrf", ""))):
        return await _link_page(request, token, applying, {WHOLE: _expired()}, username, status.HTTP_403_FORBIDDEN)
    password, again = str(form.get("password", "")), str(form.get("password_again", ""))
    if password != again:
        errors = {"password_again": Refusal("apply.passwords_differ").text()}
        return await _link_page(request, token, applying, errors, username, 422)
    try:
        cohort, made = await applying.confirm(token, username, password)
    except Refusal as refusal:
        key = "password" if refusal.problems[0].code == "account.password_too_short" else "username"
        key = WHOLE if refusal.problems[0].code == "apply.link_unusable" else key
        return await _link_page(request, token, applying, {key: refusal.text()}, username, 422)
    if not made:  # the municipality was added to the account the person has: they sign in with its password
        return done(request, "/logg-inn", "Kommunen er lagt til kontoen din. Logg inn for å søke.")
    response = await start_session(request.app.state.web, username)
    response.headers["location"] = f"/kull/{cohort}/sok/soknad"
    return response


async def _link_page(
    request: Request, token: str, applying: Applying, errors: dict[str, str], username: str, code: int
) -> Response:
    found = await applying.link_for(token)
    if found is None and not errors:
        raise HTTPException(status.HTTP_404_NOT_FOUND, Refusal("apply.link_unusable").text())
    cohort, municipality, existing = found or ("", "", None)
    public = secrets.token_urlsafe(32)
    suggestion = username or (f"kommune-{municipality}" if municipality else "")
    context = {
        "token": token,
        "usable": found is not None,
        "cohort": cohort,
        "municipality": municipality,
        "existing": existing,
        "username": suggestion,
        "errors": errors,
        "public_csrf": public,
    }
    return _with_public_token(request, render(request, "apply_confirm.html", context, code), public)


# ---- the application form -------------------------------------------------------------------------
@router.get("/kull/{cohort}/sok/soknad")
async def application_form(request: Request, cohort: str, applying: ApplyingDep, account: Contact) -> Response:
    if await applying.plan(cohort) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet")
    if await applying.applied(account, cohort) is not None:
        return RedirectResponse(f"/kull/{cohort}/sok/kvittering", status.HTTP_303_SEE_OTHER)
    values = await applying.drafts.load(account.username, cohort) or {}
    return await _form_page(request, cohort, applying, account, values, {}, status.HTTP_200_OK)


@router.post("/kull/{cohort}/sok/soknad")
async def application_post(request: Request, cohort: str, applying: ApplyingDep, account: Contact) -> Response:
    form = await read_form(request)
    values = {k: v.strip() for k, v in form.items() if isinstance(v, str) and k not in ("csrf", "action")}
    if form.get("action") == "lagre":
        if not await applying.is_open(cohort):
            errors = {WHOLE: [Refusal("apply.closed", cohort=cohort).text()]}
            return await _form_page(request, cohort, applying, account, values, errors, status.HTTP_409_CONFLICT)
        await applying.drafts.save(account.username, cohort, values)
        return done(request, f"/kull/{cohort}/sok/soknad", "Utkastet er lagret. Du kan rette det til fristen.")
    data, rows = form_to_application(cohort, values)
    checked = await applying.check(account, cohort, data)
    if checked.application is None:
        errors = said(checked.problems, rows)
        return await _form_page(request, cohort, applying, account, values, errors, checked.status)
    try:
        await applying.submit(account, checked.application)
    except Refused as refused:
        errors = {WHOLE: [str(refused)]}
        return await _form_page(request, cohort, applying, account, values, errors, status.HTTP_409_CONFLICT)
    return done(request, f"/kull/{cohort}/sok/kvittering", "Søknaden er sendt.")


async def _form_page(
    request: Request,
    cohort: str,
    applying: Applying,
    account: Account,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    code: int,
) -> Response:
    plan = await applying.plan(cohort)
    contact = await applying.contact_of(account, cohort)
    if contact is not None:
        values = {"contact.name": contact.name, "contact.email": contact.email} | values
    if "municipalities" not in values:
        values["municipalities"] = " ".join(sorted(await applying.coverage(account)))
    context = {
        "account": account,
        "cohort": cohort,
        "plan": plan,
        "values": values,
        "errors": errors,
        "rows": range(MAX_PARTICIPANTS),
        "sectors": list(Sector),
    }
    return render(request, "apply_form.html", context, code)


@router.get("/kull/{cohort}/sok/kvittering")
async def receipt(request: Request, cohort: str, applying: ApplyingDep, account: Contact) -> Response:
    found = await applying.applied(account, cohort)
    if found is None:
        return RedirectResponse(f"/kull/{cohort}/sok/soknad", status.HTTP_303_SEE_OTHER)
    application_id, outcome = found
    context = {"account": account, "cohort": cohort, "application_id": application_id, "outcome": outcome}
    return render(request, "apply_receipt.html", context)
