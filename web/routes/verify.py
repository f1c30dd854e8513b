"""The public verification page: anyone holding a transcript's or course certificate's code can see that the
document is genuine and what it says (the holder's name, the course, credits, the grade, its dates and version, and
whether a newer version replaced it), so a copied code does not vouch for a forged grade; nothing else about the
person. No sign-in; the code is posted, so it stays out of addresses and access logs, and
misses are rate-limited per address like sign-ins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status

from web.auth import client_address
from web.pages import render
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
MISSES = "verification"  # the rate limiter's name for wrong codes, beside the sign-in's user names
CODE_MAX = 64


@router.get("/verifiser")
async def verify_form(request: Request) -> Response:
    return render(request, "verify.html", {"code": "", "checked": None, "error": None})


@router.post("/verifiser")
async def verify(request: Request, kode: Annotated[str, Form(max_length=CODE_MAX)]) -> Response:
    web: Web = request.app.state.web
    address = client_address(request)
    misses = f"{MISSES}@{address}"  # per address: one address's wrong codes never block another's
    if web.limiter.blocked(misses, address):
        error = "For mange ukjente koder. Vent ett minutt og prøv igjen."
        return render(request, "verify.html", {"code": kode, "checked": None, "error": error}, 429)
    checked = await web.documents.verify(kode, web.admin.people)  # the holder's name from the register
    if checked is None:
        web.limiter.failed(misses, address)
        error = "Ingen dokumenter har denne verifikasjonskoden. Sjekk at den er skrevet av riktig."
        return render(request, "verify.html", {"code": kode, "checked": None, "error": error}, 404)
    return render(request, "verify.html", {"code": kode, "checked": checked, "error": None}, status.HTTP_200_OK)
