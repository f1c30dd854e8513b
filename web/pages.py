"""Rendering a page: the base layout's context (who is signed in, the CSRF token, a message from the last form)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined

from domain import exam
from web import labels
from web.refusals import detail, norwegian

FLASH_COOKIE = "nis_flash"
HERE = Path(__file__).parent


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.undefined = StrictUndefined  # a missing value is an error, not a blank on the page
    templates.env.filters.update(
        label=labels.label, when=labels.when, day=labels.day, reason=exam.reason_nb, refusal=norwegian, detail=detail
    )
    return templates


def render(request: Request, name: str, context: dict[str, Any], code: int = status.HTTP_200_OK) -> Response:
    web = request.app.state.web
    flash = web.signer.read_flash(request.cookies.get(FLASH_COOKIE, ""))
    values = {"account": None, "csrf": getattr(request.state, "csrf", None), "flash": flash, "errors": {}} | context
    response: Response = web.templates.TemplateResponse(request, name, values, status_code=code)
    if request.method == "POST":  # a form shown again (refused): the address stays the page's, not the form's
        response.headers["HX-Push-Url"] = "false"
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE)
    return response


def done(request: Request, to: str, message: str) -> Response:
    """After a form that changed something: back to the page (POST-redirect-GET) with what happened."""
    response = RedirectResponse(to, status.HTTP_303_SEE_OTHER)
    web = request.app.state.web
    response.set_cookie(
        FLASH_COOKIE,
        web.signer.flash(message),
        max_age=300,
        httponly=True,
        samesite="lax",
        secure=web.settings.secure_cookies,
    )
    return response
