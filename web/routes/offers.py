"""The municipality's word on its offer of a place: "Takk ja" / "Takk nei" by the answer deadline and "Gi fra oss
plassen" before the first gathering, as forms on the group's page and in the JSON API. Only the municipality's own
contact (an account that may see the group: 404 for another's, as for none) or the administration; the cohort
workflow decides whether the offer is open (409 with its reason when not)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from domain.offers import Answer
from gateway import commands
from gateway.accounts import Account
from gateway.admin import Refused
from gateway.messages import AnswerOfferInput, GiveUpPlaceInput
from web.actions import perform_cohort
from web.pages import done
from web.routes.api_group import giving
from web.routes.common import WebDep, answer_code, read_form, reason
from web.routes.group import _group
from web.state import Web, dump

router = APIRouter(tags=["pages"], include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["api"])
Page = "/kull/{cohort}/grupper/{application_id}"
Application = "/cohorts/{cohort}/applications/{application_id}"
Answering = Annotated[Account, giving(commands.ANSWER_OFFER)]
GivingUp = Annotated[Account, giving(commands.GIVE_UP_PLACE)]

DONE = {  # what the page says once it is done (the web's own words)
    Answer.ACCEPT: "Dere har takket ja til plassen. En bekreftelse er sendt på e-post.",
    Answer.DECLINE: "Dere har takket nei til plassen. Plassen går videre til neste på ventelisten.",
}
GAVE_UP = "Dere har gitt fra dere plassen. Plassen går videre til neste på ventelisten."


async def answer(web: Web, account: Account, cohort: str, application_id: str, given: Answer) -> Any:
    await web.group_id(account, cohort, application_id)  # 404 for a group this account may not see
    action = AnswerOfferInput(actor=account.actor, application_id=application_id, answer=given)
    return await perform_cohort(web, account, cohort, commands.ANSWER_OFFER, action)


async def give_up(web: Web, account: Account, cohort: str, application_id: str) -> Any:
    await web.group_id(account, cohort, application_id)
    action = GiveUpPlaceInput(actor=account.actor, application_id=application_id)
    return await perform_cohort(web, account, cohort, commands.GIVE_UP_PLACE, action)


# ---- the group's page -----------------------------------------------------------------------------------------
@router.post(Page + "/tilbud/{given}")
async def answer_form(
    request: Request, cohort: str, application_id: str, given: Answer, web: WebDep, account: Answering
) -> Response:
    await web.group_id(account, cohort, application_id)  # before the form is read
    await read_form(request)  # for its CSRF check
    try:
        await answer(web, account, cohort, application_id, given)
    except Refused as error:
        return await refused(request, web, account, cohort, application_id, error)
    return done(request, f"/kull/{cohort}/grupper/{application_id}#tilbud", DONE[given])


@router.post(Page + "/plass/gi-fra-seg")
async def give_up_form(request: Request, cohort: str, application_id: str, web: WebDep, account: GivingUp) -> Response:
    await web.group_id(account, cohort, application_id)
    await read_form(request)
    try:
        await give_up(web, account, cohort, application_id)
    except Refused as error:
        return await refused(request, web, account, cohort, application_id, error)
    return done(request, f"/kull/{cohort}/grupper/{application_id}#tilbud", GAVE_UP)


async def refused(
    request: Request, web: Web, account: Account, cohort: str, application_id: str, error: Refused
) -> Response:
    """The group's page again, with the workflow's reason beside the offer's forms."""
    return await _group(request, web, account, cohort, application_id, {"tilbud": reason(error)}, answer_code(error))


# ---- the API --------------------------------------------------------------------------------------------------
class OfferAnswer(BaseModel):
    answer: Answer


@api_router.post(Application + "/answer")
async def answer_api(cohort: str, application_id: str, body: OfferAnswer, web: WebDep, account: Answering) -> Any:
    """Accept ("accept") or decline ("decline") the offer of a place by its answer deadline; a decline moves the
    waiting list."""
    return dump(await answer(web, account, cohort, application_id, body.answer))


@api_router.post(Application + "/give-up")
async def give_up_api(cohort: str, application_id: str, web: WebDep, account: GivingUp) -> Any:
    """Give up the place before the first gathering; the waiting list moves."""
    return dump(await give_up(web, account, cohort, application_id))
