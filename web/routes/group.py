"""The group page: members, the attendance grid, the four work requirements, written and oral, the examiner,
the audit trail; each action a form for the roles that may take it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from domain.municipalities import names
from domain.project import PartnerKind
from gateway.accounts import Account, AccountError, Role
from gateway.admin import Refused
from gateway.commands import PUBLISH_GROUP
from gateway.messages import AdminAction, PublishGroupInput
from web import forms, visibility
from web.actions import COHORT_DONE, GROUP_ACTIONS, GROUP_DONE, allowed, hand_in, perform_cohort, perform_group
from web.errors import refusal
from web.offers import offer_view
from web.pages import done, render
from web.routes.common import AdminOnly, Anyone, WebDep, answer_code, fields, read_form, reason
from web.security import DOWNLOAD_HEADERS
from web.state import Web

router = APIRouter(tags=["pages"], include_in_schema=False)
HANDS_IN = ("requirement-submit", "written-submit")  # the forms that may carry the document handed in


@router.get("/kull/{cohort}/grupper/{application_id}")
async def group_page(request: Request, cohort: str, application_id: str, web: WebDep, account: Anyone) -> Response:
    return await _group(request, web, account, cohort, application_id, {}, status.HTTP_200_OK)


async def _group(
    request: Request, web: Web, account: Account, cohort: str, application_id: str, errors: dict[str, str], code: int
) -> Response:
    detail = visibility.group(account, await web.group(account, cohort, application_id, fresh=False))
    plan = await web.plan(detail.group_workflow_id)
    # the group's own register of attendance (it owns it): no query to each member's workflow
    attended = {m.participant_workflow_id: m.attendance for m in detail.members}
    can = {name: allowed(account, action) for name, action in GROUP_ACTIONS.items()}
    context = {
        "account": account,
        "cohort": cohort,
        "d": detail,
        "grades": visibility.sees_grades(account),
        "plan": plan,
        "attended": attended,
        "can": can,
        "partner_kinds": [kind.value for kind in PartnerKind],
        "names": await web.names(detail),
        "errors": errors,
        "audit": visibility.audit(account, detail.group_workflow_id, await web.audit(detail.group_workflow_id)),
        "examiners": await web.accounts.examiners(detail.group_workflow_id),
        "all_examiners": await web.accounts.examiners() if account.role == Role.ADMIN else [],
        "supervisor": await web.accounts.supervisor(detail.group_workflow_id),
        "offer": await offer_view(web, account, detail, plan),
        "all_teachers": await web.accounts.teachers() if account.role == Role.ADMIN else [],
    }
    return render(request, "group.html", context, code)


@router.post("/kull/{cohort}/grupper/{application_id}/assign-examiner")
async def assign_examiner(
    request: Request, cohort: str, application_id: str, web: WebDep, account: AdminOnly
) -> Response:
    detail = await web.group(account, cohort, application_id)  # 404 for a group that is not there
    form = await read_form(request)
    username = forms.text(form, "username")
    try:
        await web.accounts.assign(username, detail.group_workflow_id)
    except AccountError as error:
        return await _group(
            request, web, account, cohort, application_id, {"assign-examiner": reason(error)}, status.HTTP_409_CONFLICT
        )
    return done(request, f"/kull/{cohort}/grupper/{application_id}#sensor", f"{username} er sensor for gruppen.")


@router.post("/kull/{cohort}/grupper/{application_id}/assign-supervisor")
async def assign_supervisor(
    request: Request, cohort: str, application_id: str, web: WebDep, account: AdminOnly
) -> Response:
    detail = await web.group(account, cohort, application_id)  # 404 for a group that is not there
    username = forms.text(await read_form(request), "username")
    try:
        await web.accounts.assign_supervisor(username, detail.group_workflow_id)
    except AccountError as error:
        errors = {"assign-supervisor": reason(error)}
        return await _group(request, web, account, cohort, application_id, errors, status.HTTP_409_CONFLICT)
    return done(request, f"/kull/{cohort}/grupper/{application_id}#veiledning", f"{username} er veileder for gruppen.")


@router.post("/kull/{cohort}/grupper/{application_id}/release")
async def release_group(
    request: Request, cohort: str, application_id: str, web: WebDep, account: AdminOnly
) -> Response:
    """The administration has checked the group's grades and releases them: letters, and the appeal window."""
    await web.group(account, cohort, application_id)  # 404 for a group that is not there
    await read_form(request)  # for its CSRF check
    action = PublishGroupInput(actor=account.actor, application_id=application_id)
    try:
        await perform_cohort(web, account, cohort, PUBLISH_GROUP, action)
    except Refused as error:
        return await _group(
            request, web, account, cohort, application_id, {"release": reason(error)}, answer_code(error)
        )
    page = f"/kull/{cohort}/grupper/{application_id}"
    return done(request, page, COHORT_DONE[PUBLISH_GROUP.name].format(application_id=names(application_id)))


@router.post("/kull/{cohort}/grupper/{application_id}/{name}")
async def group_action(
    request: Request, cohort: str, application_id: str, name: str, web: WebDep, account: Anyone
) -> Response:
    await web.group_id(account, cohort, application_id)  # 404 for a group this account may not see, before anything
    if name not in GROUP_ACTIONS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Ukjent handling")
    command = GROUP_ACTIONS[name]
    if not allowed(account, command):  # before the form is read, so nothing it holds is stored or parsed
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    form = await read_form(request)
    key = forms.key(name, form)
    try:
        if name in HANDS_IN:
            upload = form.get("dokument")
            document = upload if isinstance(upload, UploadFile) and upload.filename else None

            def with_document(sha256: str | None) -> AdminAction:
                return forms.group_action(name, form, account.actor, sha256)

            await hand_in(web, account, cohort, application_id, command, with_document, document)
        else:
            action = forms.group_action(name, form, account.actor)
            await perform_group(web, account, cohort, application_id, command, action)
    except (Refused, ValidationError, ValueError) as error:
        return await _group(request, web, account, cohort, application_id, {key: reason(error)}, answer_code(error))
    page = f"/kull/{cohort}/grupper/{application_id}"
    return done(request, f"{page}#{forms.anchor(name, form)}", GROUP_DONE[name].format(**fields(form)))


@router.get("/kull/{cohort}/grupper/{application_id}/dokument/{sha256}")
async def handed_in_document(cohort: str, application_id: str, sha256: str, web: WebDep, account: Anyone) -> Response:
    """A document the group handed in, for those who may see the group; the same 404 for a hash the group's
    state does not name as for one that is nowhere."""
    detail = await web.group(account, cohort, application_id)
    named = {r.document for r in detail.requirements} | {detail.written_document}
    found = web.uploads.find(sha256) if sha256 in named else None
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke dokumentet")
    upload, path = found
    # always a download, never a page of ours: a handed-in file must not run as this site in a teacher's browser
    return FileResponse(path, media_type=upload.content_type, filename=upload.filename, headers=DOWNLOAD_HEADERS)
