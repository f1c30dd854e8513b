"""A person's end of the year on the web: registering an appeal or a re-sit, the appeal's new examiners, and the
new grades of an appeal or a re-sit. The page's forms and the API both come here, so a right is decided once and
the actor is the signed-in account.

An appeal's examiners are named by their accounts' user names, which is also who each of them acts as, on the web
and on the command line alike; the gateway refuses a name that is no examiner account. They are new examiners, not
assigned to the group (those graded it first), so an examiner may see and grade the one person whose appeal names
them (`access`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, status
from starlette.datastructures import FormData

from domain.ids import ParticipantId
from domain.models import Grade
from domain.refusals import Refusal
from gateway.accounts import Account, Role
from gateway.admin import Refused
from gateway.end_of_year.appeal import refuse_unknown_examiners, register_appeal
from gateway.end_of_year.resit import register_resit
from gateway.messages import (
    AdminAction,
    AppealDetail,
    AssignExaminersInput,
    NewOralAdjustmentInput,
    NewWrittenGradeInput,
    appeal_workflow_id,
    resit_workflow_id,
)
from gateway.queries import AppealWorkflow, ResitWorkflow
from gateway.storage import end_of_year_store
from web.actions import perform_update
from web.errors import refusal
from web.forms import number, text
from web.state import Web

ADMIN = frozenset({Role.ADMIN})
EXAMINING = frozenset({Role.ADMIN, Role.EXAMINER})


@dataclass(frozen=True)
class Step:
    roles: frozenset[Role]
    done: str


STEPS: dict[str, Step] = {
    "appeal": Step(ADMIN, "Klagen er registrert."),
    "appeal-examiners": Step(ADMIN, "Klagesensorene er oppnevnt."),
    "appeal-written": Step(EXAMINING, "Den nye skriftlige karakteren er registrert."),
    "appeal-oral": Step(EXAMINING, "Den nye muntlige justeringen er registrert."),
    "resit": Step(ADMIN, "Ny eksamen er registrert."),
    "resit-written": Step(EXAMINING, "Den skriftlige karakteren på ny eksamen er registrert."),
    "resit-oral": Step(EXAMINING, "Den muntlige justeringen på ny eksamen er registrert."),
}


async def open_resit(web: Web, participant_id: str) -> str | None:
    """The workflow ID of the person's re-sit that waits for grades, or None."""
    async with web.sessions() as session:
        rows = await end_of_year_store.resits_of_participant(session, participant_id)
    waiting = [r for r in rows if r.decided_at is None]
    return resit_workflow_id(participant_id, waiting[-1].attempt) if waiting else None


async def access(web: Web, account: Account, participant_id: str) -> ParticipantId:
    """The person's page and steps as `Web.participant_access` allows them, and for an examiner also the person
    whose appeal names them; 404 for everyone else."""
    try:
        return await web.participant_access(account, participant_id)
    except HTTPException:
        try:
            member = ParticipantId.parse(participant_id)
        except Refusal:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren") from None
        if account.role != Role.EXAMINER or not await _appeal_names(web, account, participant_id):
            raise
        return member


async def _appeal_names(web: Web, account: Account, participant_id: str) -> bool:
    try:
        detail: AppealDetail = await web.admin.query(appeal_workflow_id(participant_id), AppealWorkflow.detail)
    except Refused:  # no appeal
        return False
    return account.username in detail.examiners


async def take(web: Web, account: Account, participant_id: str, name: str, values: dict[str, Any]) -> Any:
    """Take one step for the person; 403 for a role that may not, Refused with the reason when the rules say no."""
    step = STEPS.get(name)
    if step is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Ukjent handling")
    await access(web, account, participant_id)  # 404 before 403: nothing leaks about others
    if account.role not in step.roles:
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    actor = account.actor
    if name == "appeal":
        return await register_appeal(web.admin, participant_id, actor)
    if name == "resit":
        return await register_resit(web.admin, participant_id, actor, values.get("in_cohort") or None)
    appeal_id = appeal_workflow_id(participant_id)
    if name == "appeal-examiners":
        named = AssignExaminersInput(actor=actor, examiners=[str(u) for u in values["examiners"]])
        await refuse_unknown_examiners(web.admin, appeal_id, named)
        return await perform_update(web, appeal_id, AppealWorkflow.assign_examiners, named)
    if name == "appeal-written":
        action: AdminAction = NewWrittenGradeInput(actor=actor, grade=Grade(values["grade"]))
        return await perform_update(web, appeal_id, AppealWorkflow.register_new_written_grade, action)
    if name == "appeal-oral":
        action = NewOralAdjustmentInput(actor=actor, adjustment=int(values["adjustment"]))
        return await perform_update(web, appeal_id, AppealWorkflow.register_new_oral_adjustment, action)
    resit_id = await open_resit(web, participant_id)
    if resit_id is None:
        raise Refused(Refusal("resit.none_waiting"))
    if name == "resit-written":
        action = NewWrittenGradeInput(actor=actor, grade=Grade(values["grade"]))
        return await perform_update(web, resit_id, ResitWorkflow.register_written_grade, action)
    action = NewOralAdjustmentInput(actor=actor, adjustment=int(values["adjustment"]))
    return await perform_update(web, resit_id, ResitWorkflow.register_oral_adjustment, action)


def form_values(name: str, form: FormData) -> dict[str, Any]:
    """A step's values from its form, each read and checked as its form field."""
    if name == "appeal-examiners":
        return {"examiners": [str(v) for v in form.getlist("examiners") if str(v).strip()]}
    if name in ("appeal-written", "resit-written"):
        return {"grade": text(form, "grade")}
    if name in ("appeal-oral", "resit-oral"):
        return {"adjustment": number(form, "adjustment")}
    if name == "resit":
        return {"in_cohort": str(form.get("in_cohort", "")).strip()}
    return {}
