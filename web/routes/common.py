"""What the page routers share: the dependencies for the signed-in account, reading a form, its answer's code."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Request, status
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from domain.errors import describe
from domain.refusals import Refusal
from gateway.accounts import Account, Role
from gateway.admin import Refused
from web.auth import check_csrf, require
from web.state import STAFF, Web


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


WebDep = Annotated[Web, Depends(web_of)]
Anyone = Annotated[Account, Depends(require())]
Staff = Annotated[Account, Depends(require(*STAFF))]
AdminOnly = Annotated[Account, Depends(require(Role.ADMIN))]


async def read_form(request: Request) -> FormData:
    """The posted form, once its CSRF token is this session's (403 otherwise, before anything is done)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    return form


async def json_file(form: FormData, name: str) -> object:
    upload = form.get(name)
    raw = await upload.read() if isinstance(upload, UploadFile) else b""
    if not raw:
        raise ValueError("velg en JSON-fil")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"filen er ikke gyldig JSON: {error}") from None


def fields(form: FormData) -> dict[str, Any]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


def reason(error: Exception) -> str:
    """Why a form was refused, in the catalogue's words (a refusal by code, a broken rule of the input); a message
    made elsewhere as it was made."""
    if isinstance(error, Refusal) or (isinstance(error, Refused) and error.problems):
        return str(error)  # the catalogue's words, as its templates begin them
    said = "; ".join(describe(error)) if isinstance(error, ValidationError) else str(error)
    return said[:1].upper() + said[1:]


def answer_code(error: Exception) -> int:
    """A refusal by the workflow is 409; input that breaks a rule of its own is 422."""
    return status.HTTP_409_CONFLICT if isinstance(error, Refused) else status.HTTP_422_UNPROCESSABLE_CONTENT
