"""A participant's page (their own, or for staff and their municipality): who they are, their calendar, their
letters, documents and results; the admin's forms; the data export (what the register, letters, audit and results
hold about them, as `starter.py privacy export` gives it)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import ValidationError

from domain.models import CohortPlan
from gateway.accounts import Account, Role
from gateway.admin import Refused
from gateway.messages import GroupDetail
from gateway.privacy import PersonExport
from gateway.storage import end_of_year_store
from web import end_of_year, explanation, feed, forms, visibility
from web.actions import PARTICIPANT_ACTIONS, PARTICIPANT_DONE, allowed, perform_participant
from web.errors import refusal
from web.pages import done, render
from web.routes.common import Anyone, WebDep, answer_code, read_form, reason
from web.security import DOWNLOAD_HEADERS
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
DOCUMENT_ROLES = (Role.PARTICIPANT, Role.ADMIN, Role.TEACHER)  # the holder (their own: participant_access) and staff
LETTER_ROLES = DOCUMENT_ROLES  # not their employer's contact, not an examiner (web/README.md)
EXPORT_ROLES = (Role.PARTICIPANT, Role.ADMIN)
OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class Entry:
    """One line of the participant's calendar: what, and when in words."""

    what: str
    when: str
    at: datetime


def _date(moment: datetime) -> str:
    return format_datetime(moment, "EEEE d. MMMM y", tzinfo=OSLO, locale="nb")  # `mandag 12. september 2022`


def _date_time(moment: datetime) -> str:
    return format_datetime(moment, "EEEE d. MMMM y 'kl.' HH.mm", tzinfo=OSLO, locale="nb")


def _requirement(title: str, number: int) -> str:
    """`Frist for arbeidskrav 2 «Innsikt»`, also from a plan whose title repeats the number (`Arbeidskrav 2: ...`)."""
    name = re.sub(rf"^arbeidskrav\s+{number}\s*[:.-]?\s*", "", title, flags=re.IGNORECASE)
    return f"Frist for arbeidskrav {number}" + (f" «{name}»" if name else "")


def calendar(plan: CohortPlan, group: GroupDetail) -> list[Entry]:
    """The group's calendar (web/feed.py's events: the one list the feed has too) in words, in the order they come:
    the gatherings, the group's work requirement deadlines (an extension included), the written deadline and the
    group's oral (its time and place once set, else the period)."""
    titles = {number: r.title for number, r in enumerate(plan.work_requirements, 1)}
    entries = []
    for e in feed.group_events(plan, group):
        if e.kind == "gathering" and e.end is not None:
            last = "" if _date(e.start) == _date(e.end) else f" til {_date(e.end)}"
            days = "1 dag" if e.days == 1 else f"{e.days} dager"
            entries.append(Entry(e.summary, f"{_date(e.start)}{last} ({days})", e.start))
        elif e.kind == "requirement":
            entries.append(Entry(_requirement(titles.get(e.number, ""), e.number), _date_time(e.start), e.start))
        elif e.kind == "written":
            entries.append(Entry("Frist for skriftlig oppgave", _date_time(e.start), e.start))
        elif e.kind == "oral":
            entries.append(Entry("Muntlig eksamen", f"{_date_time(e.start)}, {e.location}", e.start))
        elif e.end is not None:  # the oral period, while the group has no time and place of its own
            period = f"I perioden {_date(e.start)} til {_date(e.end)}; tid og sted kommer i eget brev"
            entries.append(Entry("Muntlig eksamen", period, e.start))
    return sorted(entries, key=lambda e: e.at)


@router.get("/deltaker/{participant_id}")
async def participant_page(request: Request, participant_id: str, web: WebDep, account: Anyone) -> Response:
    return await _participant(request, web, account, participant_id, {}, status.HTTP_200_OK)


async def _participant(
    request: Request, web: Web, account: Account, participant_id: str, errors: dict[str, str], code: int
) -> Response:
    member = await web.participant_access(account, participant_id)  # not an appeal's commission: blind (/klage)
    detail = await web.participant(participant_id)
    if detail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren")
    can = {name: allowed(account, action) for name, action in PARTICIPANT_ACTIONS.items()}
    async with web.sessions() as session:
        appeals = await end_of_year_store.appeals_of(session, participant_id)
        attempts = await end_of_year_store.resits_of_participant(session, participant_id)
    latest = appeals[max(appeals)] if appeals else None  # the one the appeal's steps act on
    person = visibility.person(account, detail, latest, attempts)
    found = await web.member_of(member)
    group = found[0] if found else None
    letters = await web.letters_to(found[1].person_id) if found and account.role in LETTER_ROLES else []
    steps = {name: account.role in step.roles for name, step in end_of_year.STEPS.items()}
    context = {
        "account": account,
        "name": await web.participant_name(member),  # the heading: the person, never their workflow ID
        "p": person.detail,
        "grades": person.grades,
        "appeal": person.appeal,
        "appeals": appeals if person.grades else {},  # by attempt: the ordinary exam's (1) and each re-sit's
        "resits": person.resits,
        "steps": steps,
        "examiners": await web.accounts.examiners() if steps["appeal-examiners"] else [],
        "cohort": member.group.cohort.cohort,
        "application_id": member.group.application_id,
        "can": can,
        "errors": errors,
        "documents": await web.documents.held(participant_id) if account.role in DOCUMENT_ROLES else [],
        "calendar": calendar(await web.plan(group.group_workflow_id), group) if group else [],
        "letters": letters,
        "show_letters": account.role in LETTER_ROLES,
        "may_export": account.role in EXPORT_ROLES,
        "explanation": await explanation.view(web, account, participant_id, found),
    }
    return render(request, "participant.html", context, code)


@router.get("/deltaker/{participant_id}/dokumenter/{version}")
async def participant_document(participant_id: str, version: int, web: WebDep, account: Anyone) -> Response:
    """One version of the participant's transcript or course certificate as a PDF download; 404 for anyone who may
    not have it, as for one that does not exist. The URL names the version, never the verification code."""
    await web.participant_access(account, participant_id)
    holder = account.role == Role.PARTICIPANT  # participant_access has checked it is their own
    found = await web.documents.download(participant_id, version, holder) if account.role in DOCUMENT_ROLES else None
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
    """What the register, letters, audit and results hold about the participant, as `starter.py privacy export`
    gives it, as a JSON file: their own, or for the administration. The privacy log records who downloaded it."""
    member = await web.participant_access(account, participant_id)
    if account.role not in EXPORT_ROLES:
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    found = await web.member_of(member)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren")
    try:
        exported: PersonExport = await web.export_of(found[1].person_id, account.actor)
    except Refused:  # erased: the register holds nothing about them any more
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Registeret har ingen opplysninger om deltakeren") from None
    body = json.dumps(exported.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="mine-data.json"', **DOWNLOAD_HEADERS},
    )
