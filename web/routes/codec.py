"""Temporal's remote codec protocol, so the Temporal UI can show the admin decoded payloads.

POST /codec/decode and /codec/encode take and give {"payloads": [...]} in protobuf's JSON form. Admin only,
with a bearer token or the session cookie (the UI sends cookies when told to include credentials); CORS for
the UI's origin is set on the app. A JSON body is required, so another site's plain form cannot reach it.
"""

from __future__ import annotations

from typing import Annotated

from cryptography.exceptions import InvalidTag
from fastapi import APIRouter, Depends, Request, Response, status
from google.protobuf import json_format
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payloads

from gateway.accounts import Account, Role
from web.auth import require
from web.errors import refusal
from web.state import Web

router = APIRouter(prefix="/codec", tags=["codec"])
AdminAccount = Annotated[Account, Depends(require(Role.ADMIN))]


@router.post("/decode")
async def decode(request: Request, account: AdminAccount) -> Response:
    web: Web = request.app.state.web
    payloads = await _payloads(request)
    try:
        decoded = await web.codec.decode(payloads.payloads)
    except InvalidTag:
        raise refusal(status.HTTP_422_UNPROCESSABLE_CONTENT, "web.codec_altered") from None
    except (ValueError, DecodeError) as error:  # another key; the reason names the key ids, never the payload
        raise refusal(status.HTTP_422_UNPROCESSABLE_CONTENT, "web.codec_cannot_decode", reason=str(error)) from None
    return _answer(Payloads(payloads=decoded))


@router.post("/encode")
async def encode(request: Request, account: AdminAccount) -> Response:
    web: Web = request.app.state.web
    payloads = await _payloads(request)
    return _answer(Payloads(payloads=await web.codec.encode(payloads.payloads)))


async def _payloads(request: Request) -> Payloads:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise refusal(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "web.codec_json_required")
    try:
        return json_format.Parse(await request.body(), Payloads(), ignore_unknown_fields=True)
    except json_format.ParseError as error:
        raise refusal(status.HTTP_400_BAD_REQUEST, "web.codec_not_payloads", reason=str(error)) from None


def _answer(payloads: Payloads) -> Response:
    return Response(json_format.MessageToJson(payloads), media_type="application/json")
