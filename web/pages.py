"""Rendering a page: the base layout's context (who is signed in, the CSRF token, a message from the last form), and
the filters that say codes and numbers as a person reads them: municipalities by name (`municipalities`, the same
function the letters use), a participant without a name in the register by their place, a workflow by its words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined

from domain.catalogue import detail, label, when
from domain.catalogue.labels import day
from domain.ids import ParticipantId
from domain.municipalities import names
from domain.places import said_application, said_place
from domain.reasons import Reason
from domain.refusals import Problem, Refusal
from gateway.storage import AuditRecord

FLASH_COOKIE = "nis_flash"
HERE = Path(__file__).parent


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.undefined = StrictUndefined  # a missing value is an error, not a blank on the page
    templates.env.filters.update(
        label=label,
        when=when,
        day=day,
        reason=said_reason,
        audit=said_audit,
        actor=said_actor,
        # `{{ "4227+4225" | municipalities }}`, `{{ a.id | municipalities(numbered=True) }}`
        municipalities=said_municipalities,
        place=said_place,
    )
    return templates


def said_municipalities(numbers: str | Iterable[str], numbered: bool = False) -> str:
    """`names`, remembered: a national cohort's pages say the same ~360 groups on every view (a list of
    kommunenumre is said as its application ID)."""
    return said_application(numbers if isinstance(numbers, str) else "+".join(numbers), numbered)


def unnamed(participant_workflow_id: str) -> str:
    """A participant the register does not name (erased, or no register here): `Deltaker 2 i gruppe Kristiansand`."""
    try:
        member = ParticipantId.parse(participant_workflow_id)
    except Refusal:
        return "Deltaker"
    return f"Deltaker {member.number} i gruppe {names(member.group.application_id)}"


_ROLE = re.compile(r"\((\w+)\)$")  # the web app records an actor as `web:kari (examiner)`


def said_actor(actor: str) -> str:
    """Who acted, their role in words: `web:kari (sensor)`."""
    return _ROLE.sub(lambda role: f"({label(role[1]).lower()})", actor)


def said_reason(reason: Reason | str) -> str:
    """A reason in the catalogue's words; a text (from older state) is mapped on the way (domain.reasons)."""
    return Reason.model_validate(reason).text()


def said_audit(entry: AuditRecord) -> str:
    """What an entry of the audit trail says beside its action: why it was refused, or what it was about, from the
    codes and parameters it keeps; an older entry's text as it was stored."""
    if entry.problems:
        return "; ".join(Problem.load(problem).text() for problem in entry.problems)
    if entry.params:
        return detail(entry.params)
    return entry.reason or ""


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
