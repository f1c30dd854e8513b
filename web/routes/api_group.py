"""The JSON API of a group: work requirements, attendance, members, the innovation project, written and oral.

Each route gives one command of the list (gateway.commands) and admits the roles that command names, so a role that
may not is refused before its body is read; the status codes are those of web/routes/api.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Path, UploadFile, status
from pydantic import AwareDatetime, BaseModel, Field

from domain.ids import GroupId
from domain.models import Grade
from domain.project import InnovationProject, InnovationReport
from gateway import commands
from gateway.accounts import Account
from gateway.commands import Rights
from gateway.messages import (
    AdminAction,
    AttendanceInput,
    DayAttendance,
    ExtensionInput,
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    RecordProjectInput,
    ReportProjectInput,
    RequirementInput,
    ReturnRequirementInput,
    SubmitRequirementInput,
    SubmitWrittenInput,
    WrittenGradeInput,
)
from web.actions import hand_in, perform_group
from web.auth import require
from web.routes.common import WebDep
from web.state import Web, dump

router = APIRouter(prefix="/api", tags=["api"])
Number = Annotated[int, Path(ge=1, le=4, description="work requirement 1-4")]
Group = "/cohorts/{cohort}/groups/{application_id}"


def giving(command: Rights) -> Any:
    """The signed-in account, if its role may give `command` (403 otherwise, before the body is read)."""
    return Depends(require(*command.roles))


Contact = Annotated[Account, giving(commands.REQUIREMENT_SUBMIT)]
Teaching = Annotated[Account, giving(commands.REQUIREMENT_APPROVE)]
Examining = Annotated[Account, giving(commands.WRITTEN_GRADE)]
ProjectTeam = Annotated[Account, giving(commands.PROJECT_RECORD)]


class Feedback(BaseModel):
    feedback: str = Field(min_length=1)


class Deadline(BaseModel):
    deadline: AwareDatetime


class Attendance(BaseModel):
    gathering: int = Field(ge=1, le=6)
    days: list[DayAttendance] | None = Field(
        default=None, description="the gathering's days registered at once; a day not listed keeps what it had"
    )
    day: int | None = Field(default=None, ge=1, le=3, description="or one day, with `present`")
    present: list[str] | None = Field(default=None, description="participant ids; the others are absent that day")


class WrittenGrade(BaseModel):
    grade: Grade


class Oral(BaseModel):
    adjustments: list[OralAdjustment]


class Member(BaseModel):
    participant: str = Field(description="the member's participant id")


class ProjectReport(BaseModel):
    drivers: str = Field(min_length=1)
    barriers: str = Field(min_length=1)


Document = Annotated[UploadFile | None, File(description="the document handed in (optional; kept outside Temporal)")]


@router.post(Group + "/requirements/{number}/submit")
async def requirement_submit(
    cohort: str, application_id: str, number: Number, web: WebDep, account: Contact, document: Document = None
) -> Any:
    """Hand in a work requirement, with its document as a multipart file if there is one."""

    def action(sha256: str | None) -> SubmitRequirementInput:
        return SubmitRequirementInput(actor=account.actor, number=number, document=sha256)

    return await _hand_in(web, account, cohort, application_id, commands.REQUIREMENT_SUBMIT, action, document)


@router.post(Group + "/requirements/{number}/approve")
async def requirement_approve(cohort: str, application_id: str, number: Number, web: WebDep, account: Teaching) -> Any:
    action = RequirementInput(actor=account.actor, number=number)
    return dump(await perform_group(web, account, cohort, application_id, commands.REQUIREMENT_APPROVE, action))


@router.post(Group + "/requirements/{number}/return")
async def requirement_return(
    cohort: str, application_id: str, number: Number, body: Feedback, web: WebDep, account: Teaching
) -> Any:
    action = ReturnRequirementInput(actor=account.actor, number=number, feedback=body.feedback)
    return dump(await perform_group(web, account, cohort, application_id, commands.REQUIREMENT_RETURN, action))


@router.post(Group + "/requirements/{number}/extend")
async def requirement_extend(
    cohort: str, application_id: str, number: Number, body: Deadline, web: WebDep, account: Teaching
) -> Any:
    action = ExtensionInput(actor=account.actor, number=number, deadline=body.deadline)
    return dump(await perform_group(web, account, cohort, application_id, commands.REQUIREMENT_EXTEND, action))


@router.post(Group + "/attendance")
async def attendance(cohort: str, application_id: str, body: Attendance, web: WebDep, account: Teaching) -> Any:
    action = AttendanceInput.model_validate(body.model_dump(exclude_none=True) | {"actor": account.actor})
    return dump(await perform_group(web, account, cohort, application_id, commands.ATTENDANCE, action))


@router.post(Group + "/non-participating")
async def non_participating(cohort: str, application_id: str, body: Member, web: WebDep, account: Teaching) -> Any:
    """A member did not take part in the group's work."""
    action = MarkNonParticipatingInput(actor=account.actor, participant_workflow_id=body.participant)
    return dump(await perform_group(web, account, cohort, application_id, commands.NON_PARTICIPATING, action))


@router.put(Group + "/project")
async def record_project(
    cohort: str, application_id: str, body: InnovationProject, web: WebDep, account: ProjectTeam
) -> Any:
    """The group's innovation project: title, problem statement, partners (a later call replaces it)."""
    action = RecordProjectInput(actor=account.actor, project=body)
    return dump(await perform_group(web, account, cohort, application_id, commands.PROJECT_RECORD, action))


@router.put(Group + "/project/reports/{number}")
async def report_project(
    cohort: str, application_id: str, number: Number, body: ProjectReport, web: WebDep, account: ProjectTeam
) -> Any:
    """The drivers and barriers the group reports with work requirement `number`."""
    report = InnovationReport(number=number, drivers=body.drivers, barriers=body.barriers)
    action = ReportProjectInput(actor=account.actor, report=report)
    return dump(await perform_group(web, account, cohort, application_id, commands.PROJECT_REPORT, action))


@router.post(Group + "/written/submit")
async def written_submit(
    cohort: str, application_id: str, web: WebDep, account: Contact, document: Document = None
) -> Any:
    """Hand in the written assignment, with its document as a multipart file if there is one."""

    def action(sha256: str | None) -> SubmitWrittenInput:
        return SubmitWrittenInput(actor=account.actor, document=sha256)

    return await _hand_in(web, account, cohort, application_id, commands.WRITTEN_SUBMIT, action, document)


async def _hand_in(
    web: Web,
    account: Account,
    cohort: str,
    application_id: str,
    command: commands.Command[GroupId, Any, Any],
    action: Callable[[str | None], AdminAction],
    document: UploadFile | None,
) -> Any:
    """The rights, then the file (422 when empty or too large), then the workflow (web.actions.hand_in)."""
    try:
        return dump(await hand_in(web, account, cohort, application_id, command, action, document))
    except ValueError as error:  # the file, or an input that breaks a rule of its own
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None


@router.post(Group + "/written/grade")
async def written_grade(cohort: str, application_id: str, body: WrittenGrade, web: WebDep, account: Examining) -> Any:
    action = WrittenGradeInput(actor=account.actor, grade=body.grade)
    return dump(await perform_group(web, account, cohort, application_id, commands.WRITTEN_GRADE, action))


@router.post(Group + "/oral")
async def oral(cohort: str, application_id: str, body: Oral, web: WebDep, account: Examining) -> Any:
    action = OralInput(actor=account.actor, adjustments=body.adjustments)
    return dump(await perform_group(web, account, cohort, application_id, commands.ORAL, action))
