"""A person's end of the year on the web: registering an appeal or a re-sit, the appeal's new examiners, and the
new grades of an appeal or a re-sit. The page's forms and the API both come here, so a right is decided once and
the actor is the signed-in account.

An appeal's commission is named by its examiners' accounts' user names, which is also who each of them acts as, on
the web and on the command line alike; the gateway refuses a name that is no examiner account. They are new
examiners, not assigned to the group (those graded it first). They assess blind: they act on the one person whose
appeal names them (`access`), on the appeal's own page (/klage/..., web/routes/appeal.py), never on the person's
page or the group's, which show the first grades.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import HTTPException, status
from starlette.datastructures import FormData

from domain.ids import AppealId, ParticipantId, ResitId
from domain.models import Grade
from domain.orals import OralSlot
from domain.refusals import Refusal
from gateway import commands
from gateway.accounts import Account, Role
from gateway.admin import Refused
from gateway.commands import Rights
from gateway.end_of_year.appeal import refuse_unknown_examiners, register_appeal, withdraw_appeal
from gateway.end_of_year.explanation import give_explanation, request_explanation
from gateway.end_of_year.resit import register_resit
from gateway.messages import (
    AppealDetail,
    AssignExaminersInput,
    CommissionDecisionInput,
    CommissionGradeInput,
    NewOralAdjustmentInput,
    NewWrittenGradeInput,
    ScheduleNewOralInput,
)
from gateway.queries import APPEAL_DETAIL
from gateway.storage import end_of_year_store
from web.actions import perform_on
from web.errors import refusal
from web.forms import number, oslo_time, text
from web.state import Web


@dataclass(frozen=True)
class Step:
    command: Rights  # from gateway.commands: its roles are the step's rights on every channel
    done: str

    @property
    def roles(self) -> frozenset[Role]:
        return self.command.roles


STEPS: dict[str, Step] = {
    step.command.name: step
    for step in (
        Step(commands.REGISTER_APPEAL, "Klagen er registrert."),
        Step(commands.APPEAL_EXAMINERS, "Klagekommisjonen er oppnevnt."),
        Step(commands.APPEAL_GRADE, "Karakteren din er registrert."),
        Step(commands.APPEAL_WRITTEN, "Kommisjonens karakter er registrert."),
        Step(commands.APPEAL_FURTHER, "Karakteren etter den videre vurderingen er registrert."),
        Step(commands.APPEAL_ORAL_SCHEDULE, "Tid og sted for den nye muntlige eksamenen er satt; personen får brev."),
        Step(commands.APPEAL_ORAL, "Den nye muntlige justeringen er registrert."),
        Step(commands.WITHDRAW_APPEAL, "Klagen er trukket tilbake. Karakteren står som før."),
        Step(commands.REGISTER_RESIT, "Ny eksamen er registrert."),
        Step(commands.RESIT_WRITTEN, "Den skriftlige karakteren på ny eksamen er registrert."),
        Step(commands.RESIT_ORAL, "Den muntlige justeringen på ny eksamen er registrert."),
        Step(commands.REQUEST_EXPLANATION, "Kravet om begrunnelse er registrert. Et brev sier når den kommer."),
        Step(commands.GIVE_EXPLANATION, "Begrunnelsen er gitt. Deltakeren får et brev og leser den på siden sin."),
    )
}


async def open_resit(web: Web, participant: ParticipantId) -> ResitId | None:
    """The person's re-sit that waits for grades, or None."""
    async with web.sessions() as session:
        rows = await end_of_year_store.resits_of_participant(session, participant.workflow_id)
    waiting = [r for r in rows if r.decided_at is None]
    return ResitId(participant, waiting[-1].attempt) if waiting else None


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
    detail = await appeal_of(web, participant_id)
    return detail is not None and account.username in detail.examiners


async def latest_appeal(web: Web, participant: ParticipantId) -> AppealId:
    """The person's latest appeal (a re-sit's, once there is one; the read model's row), else the ordinary one's."""
    async with web.sessions() as session:
        row = await end_of_year_store.latest_appeal_of(session, participant.workflow_id)
    return AppealId(participant, row.attempt if row is not None else 1)


async def appeal_of(web: Web, participant_id: str) -> AppealDetail | None:
    try:
        appeal = await latest_appeal(web, ParticipantId.parse(participant_id))
        detail: AppealDetail = await web.admin.query(appeal.workflow_id, APPEAL_DETAIL)
    except (Refused, Refusal):  # no appeal (or no person by that ID)
        return None
    return detail


async def on_commission(web: Web, account: Account, participant_id: str) -> AppealDetail | None:
    """The person's appeal, if `account` is an examiner on its commission; None otherwise."""
    if account.role != Role.EXAMINER:
        return None
    try:
        ParticipantId.parse(participant_id)
    except Refusal:
        return None
    detail = await appeal_of(web, participant_id)
    return detail if detail is not None and account.username in detail.examiners else None


async def take(web: Web, account: Account, participant_id: str, name: str, values: dict[str, Any]) -> Any:
    """Take one step for the person; 403 for a role that may not, Refused with the reason when the rules say no."""
    step = STEPS.get(name)
    if step is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Ukjent handling")
    member = await access(web, account, participant_id)  # 404 before 403: nothing leaks about others
    if not step.command.allows(account):
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    if name == "appeal":
        received, attempt = values.get("received"), values.get("attempt")
        return await register_appeal(web.admin, member.workflow_id, account, received=received, attempt=attempt)
    if name == "explanation":
        return await request_explanation(web.admin, member.workflow_id, account, received=values.get("received"))
    if name == "explanation-give":
        return await give_explanation(web.admin, member.workflow_id, str(values["text"]), account)
    if name == "resit":
        return await register_resit(web.admin, member.workflow_id, account, values.get("in_cohort") or None)
    appeal = await latest_appeal(web, member)
    if name == "appeal-withdraw":
        return await withdraw_appeal(web.admin, appeal, account)
    if name == "appeal-examiners":
        named = AssignExaminersInput(actor=account.username, examiners=[str(u) for u in values["examiners"]])
        named = await refuse_unknown_examiners(web.admin, appeal, named, account)
        return await perform_on(web, account, commands.APPEAL_EXAMINERS, appeal, named)
    if name == "appeal-grade":
        own = CommissionGradeInput(actor=account.username, grade=Grade(values["grade"]))
        return await perform_on(web, account, commands.APPEAL_GRADE, appeal, own)
    if name in ("appeal-written", "appeal-further"):
        by_admin = account.role == Role.ADMIN
        decided = CommissionDecisionInput(actor=account.username, grade=Grade(values["grade"]), by_admin=by_admin)
        command = commands.APPEAL_FURTHER if name == "appeal-further" else commands.APPEAL_WRITTEN
        return await perform_on(web, account, command, appeal, decided)
    if name == "appeal-oral-schedule":
        scheduled = ScheduleNewOralInput(actor=account.username, slot=values["slot"])
        return await perform_on(web, account, commands.APPEAL_ORAL_SCHEDULE, appeal, scheduled)
    if name == "appeal-oral":
        oral = NewOralAdjustmentInput(actor=account.username, adjustment=int(values["adjustment"]))
        return await perform_on(web, account, commands.APPEAL_ORAL, appeal, oral)
    resit = await open_resit(web, member)
    if resit is None:
        raise Refused(Refusal("resit.none_waiting"))
    if name == "resit-written":
        written = NewWrittenGradeInput(actor=account.username, grade=Grade(values["grade"]))
        return await perform_on(web, account, commands.RESIT_WRITTEN, resit, written)
    oral = NewOralAdjustmentInput(actor=account.username, adjustment=int(values["adjustment"]))
    return await perform_on(web, account, commands.RESIT_ORAL, resit, oral)


def form_values(name: str, form: FormData) -> dict[str, Any]:
    """A step's values from its form, each read and checked as its form field."""
    if name == "appeal-examiners":
        return {"examiners": [str(v) for v in form.getlist("examiners") if str(v).strip()]}
    if name in ("appeal-grade", "appeal-written", "appeal-further", "resit-written"):
        return {"grade": text(form, "grade")}
    if name == "appeal-oral-schedule":
        return {"slot": OralSlot(start=oslo_time(text(form, "start"), "tidspunkt"), place=text(form, "place"))}
    if name in ("appeal-oral", "resit-oral"):
        return {"adjustment": number(form, "adjustment")}
    if name == "resit":
        return {"in_cohort": str(form.get("in_cohort", "")).strip()}
    if name == "explanation-give":
        return {"text": str(form.get("text", ""))}
    values: dict[str, Any] = {}
    if name in ("appeal", "explanation") and text(form, "received"):
        values["received"] = received_day(text(form, "received"))
    if name == "appeal" and text(form, "attempt"):  # the sitting the page offers to appeal
        values["attempt"] = number(form, "attempt")
    return values


def received_day(value: str) -> date:
    """The day an appeal was received, as a browser's date field or the command line gives it (2023-07-01)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"mottatt: '{value}' er ikke en dato (åååå-mm-dd)") from None
