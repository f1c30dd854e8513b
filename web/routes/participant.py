"""A participant's page (their own, or for staff and their municipality), the admin's forms, the data export."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import ValidationError

from gateway.accounts import Account, Role
from gateway.admin import Refused
from gateway.storage import end_of_year_store
from web import end_of_year, forms, visibility
from web.actions import PARTICIPANT_ACTIONS, PARTICIPANT_DONE, allowed, perform_participant
from web.errors import refusal
from web.pages import done, render
from web.routes.common import Anyone, WebDep, answer_code, read_form, reason
from web.security import DOWNLOAD_HEADERS
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
DOCUMENT_ROLES = (Role.PARTICIPANT, Role.ADMIN, Role.TEACHER)  # the holder (their own: participant_access) and staff


@router.get("/deltaker/{participant_id}")
async def participant_page(request: Request, participant_id: str, web: WebDep, account: Anyone) -> Response:
    return await _participant(request, web, account, participant_id, {}, status.HTTP_200_OK)


async def _participant(
    request: Request, web: Web, account: Account, participant_id: str, errors: dict[str, str], code: int
) -> Response:
    member = await end_of_year.access(web, account, participant_id)
    detail = await web.participant(participant_id)
    if detail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren")
    can = {name: allowed(account, action) for name, action in PARTICIPANT_ACTIONS.items()}
    async with web.sessions() as session:
        appeal = await end_of_year_store.latest_appeal_of(session, participant_id)
        attempts = await end_of_year_store.resits_of_participant(session, participant_id)
    person = visibility.person(account, detail, appeal, attempts)
    steps = {name: account.role in step.roles for name, step in end_of_year.STEPS.items()}
    context = {
        "account": account,
        "name": await web.participant_name(member),  # the heading: the person, never their workflow ID
        "p": person.detail,
        "grades": person.grades,
        "appeal": person.appeal,
        "resits": person.resits,
        "steps": steps,
        "examiners": await web.accounts.examiners() if steps["appeal-examiners"] else [],
        "cohort": member.group.cohort.cohort,
        "application_id": member.group.application_id,
        "can": can,
        "errors": errors,
        "documents": await web.documents.held(participant_id) if account.role in DOCUMENT_ROLES else [],
    }
    return render(request, "participant.html", context, code)


@router.get("/deltaker/{participant_id}/dokumenter/{version}")
async def participant_document(participant_id: str, version: int, web: WebDep, account: Anyone) -> Response:
    """One version of the participant's transcript or course certificate as a PDF download; 404 for anyone who may
    not have it, as for one that does not exist. The URL names the version, never the verification code."""
    await web.participant_access(account, participant_id)
    found = await web.documents.download(participant_id, version) if account.role in DOCUMENT_ROLES else None
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke dokumentet")
    return FileResponse(found.path, media_type="application/pdf", filename=found.filename, headers=DOWNLOAD_HEADERS)


@router.post("/deltaker/{participant_id}/{name}")
async def participant_action(
    request: Request, participant_id: str, name: str, web: WebDep, account: Anyone
) -> Response:
    if name in end_of_year.STEPS:  # its own access: an appeal's examiner may act on the one person it names
        return await _end_of_year(request, web, account, participant_id, name)
    await web.participant_access(account, participant_id)
    if name not in PARTICIPANT_ACTIONS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Ukjent handling")
    form = await read_form(request)
    try:
        action = forms.participant_action(name, form, account.actor)
        await perform_participant(web, account, participant_id, PARTICIPANT_ACTIONS[name], action)
    except (Refused, ValidationError, ValueError) as error:
        return await _participant(request, web, account, participant_id, {name: reason(error)}, answer_code(error))
    return done(request, f"/deltaker/{participant_id}", PARTICIPANT_DONE[name])


async def _end_of_year(request: Request, web: Web, account: Account, participant_id: str, name: str) -> Response:
    form = await read_form(request)
    try:
        await end_of_year.take(web, account, participant_id, name, end_of_year.form_values(name, form))
    except (Refused, ValidationError, ValueError) as error:
        return await _participant(request, web, account, participant_id, {name: reason(error)}, answer_code(error))
    return done(request, f"/deltaker/{participant_id}", end_of_year.STEPS[name].done)


@router.get("/deltaker/{participant_id}/eksport")
async def participant_export(participant_id: str, web: WebDep, account: Anyone) -> Response:
    """What the service holds about the participant, as a JSON file (their own, or for the administration)."""
    await web.participant_access(account, participant_id)
    if account.role not in (Role.PARTICIPANT, Role.ADMIN):
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    detail = await web.participant(participant_id)
    if detail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren")
    shown = visibility.participant(account, detail)  # the whole record for these roles; held back should that change
    body = json.dumps({"participant": shown.model_dump(mode="json")}, ensure_ascii=False, indent=2)
    return Response(
        body, media_type="application/json", headers={"Content-Disposition": 'attachment; filename="mine-data.json"'}
    )
