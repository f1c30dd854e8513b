"""An appeal's own page (/klage/{participant}) and API answer, for its commission: blind until the further
assessment (gateway/end_of_year/commission.py). A commission member reaches the appealed person here only, never
through the person's page or the group's, which show the first grades; the administration reads it too."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import ValidationError

from domain.ids import ParticipantId
from gateway.accounts import Account, Role
from gateway.admin import Refused
from gateway.end_of_year.commission import CommissionView, commission_view
from gateway.messages import GroupDetail
from gateway.queries import GROUP_DETAIL
from web import end_of_year, visibility
from web.pages import done, render
from web.routes.common import Anyone, WebDep, answer_code, read_form, reason
from web.security import DOWNLOAD_HEADERS
from web.state import Web, dump

router = APIRouter(tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])
COMMISSION_STEPS = ("appeal-grade", "appeal-written", "appeal-further", "appeal-oral-schedule", "appeal-oral")
NOT_FOUND = "Fant ikke klagen"


async def view(web: Web, account: Account, participant_id: str) -> CommissionView | None:
    """The commission's view of the person's appeal if `account` sits on it (or is the administration); None when
    the account is not on it; 404 when there is no appeal to see."""
    detail = await end_of_year.on_commission(web, account, participant_id)
    if detail is None and account.role == Role.ADMIN:
        await web.participant_access(account, participant_id)
        detail = await end_of_year.appeal_of(web, participant_id)
        if detail is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    if detail is None:
        return None
    group: GroupDetail | None = await web.admin.query(detail.group_workflow_id, GROUP_DETAIL)
    if group is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    cohort = ParticipantId.parse(participant_id).group.cohort.cohort
    return commission_view(detail, group, cohort, account.username)


async def _found(web: Web, account: Account, participant_id: str) -> CommissionView:
    found = await view(web, account, participant_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return found


@router.get("/klage/{participant_id}")
async def appeal_page(request: Request, participant_id: str, web: WebDep, account: Anyone) -> Response:
    return await _page(request, web, account, participant_id, {}, status.HTTP_200_OK)


async def _page(
    request: Request, web: Web, account: Account, participant_id: str, errors: dict[str, str], code: int
) -> Response:
    v = await _found(web, account, participant_id)
    member = account.username in v.examiners
    context = {"account": account, "v": v, "member": member, "errors": errors, "grades": "ABCDEF"}
    return render(request, "appeal.html", context, code)


@router.post("/klage/{participant_id}/{name}")
async def appeal_action(request: Request, participant_id: str, name: str, web: WebDep, account: Anyone) -> Response:
    if name not in COMMISSION_STEPS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Ukjent handling")
    await _found(web, account, participant_id)  # 404 before anything: nothing leaks about others' appeals
    form = await read_form(request)
    try:
        await end_of_year.take(web, account, participant_id, name, end_of_year.form_values(name, form))
    except (Refused, ValidationError, ValueError) as error:
        return await _page(request, web, account, participant_id, {name: reason(error)}, answer_code(error))
    return done(request, f"/klage/{participant_id}", end_of_year.STEPS[name].done)


@router.get("/klage/{participant_id}/besvarelse")
async def appeal_document(participant_id: str, web: WebDep, account: Anyone) -> Response:
    """The group's handed-in written assignment, for the commission (a download, never a page of ours)."""
    v = await _found(web, account, participant_id)
    found = web.uploads.find(v.written_document) if v.written_document else None
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke dokumentet")
    upload, path = found
    return FileResponse(path, media_type=upload.content_type, filename=upload.filename, headers=DOWNLOAD_HEADERS)


@api.get("/participants/{participant_id}/appeal")
async def appeal_json(participant_id: str, web: WebDep, account: Anyone) -> Any:
    """The appeal as its commission reads it: the work, the plan, the criteria and the commission's grades; the
    first grades only in the further assessment."""
    return dump(await _found(web, account, participant_id))


@api.get("/participants/{participant_id}")
async def participant_json(participant_id: str, web: WebDep, account: Anyone) -> Any:
    """The person's record as this account may read it; to a member of the person's appeal commission, the
    commission's blind view of the appeal instead (never the first grades, the oral or the final grade)."""
    blind = await view(web, account, participant_id) if account.role == Role.EXAMINER else None
    if blind is not None:
        return dump(blind)
    await web.participant_access(account, participant_id)
    detail = await web.participant(participant_id)
    if detail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren")
    return dump(visibility.participant(account, detail))
