"""The JSON API: the same rights as the pages, OAuth2 password flow for a bearer token.

401 without a token, 403 for a role that may not, 404 for a group the account may not see or that does not
exist, 409 with {"detail": reason} when the workflow refuses, 422 for a body that breaks the input's rules.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain.models import Grade, Track
from domain.orals import OralSlot
from gateway import commands
from gateway.accounts import Account, AccountError, Kind, Role
from gateway.messages import (
    ConfirmSelectionInput,
    DecideAssessmentInput,
    PublishGroupInput,
    PublishResultsInput,
    WithdrawGroupInput,
    WithdrawParticipantInput,
)
from web import end_of_year, visibility
from web.actions import open_cohort, perform_cohort, perform_participant
from web.auth import USERNAME_MAX, bearer_of, client_address, require
from web.errors import refusal
from web.routes.api_group import giving
from web.routes.common import WebDep
from web.state import STAFF, dump

router = APIRouter(prefix="/api", tags=["api"])
Group = "/cohorts/{cohort}/groups/{application_id}"  # a group's commands: web/routes/api_group.py


# each route names the roles that may call it (a command's, from gateway.commands), so a role that may not is
# refused before its body is read
Anyone = Annotated[Account, Depends(require())]
Staff = Annotated[Account, Depends(require(*STAFF))]
Admin = Annotated[Account, Depends(require(Role.ADMIN))]
Publishing = Annotated[Account, giving(commands.PUBLISH)]
RegisteringAppeal = Annotated[Account, giving(commands.REGISTER_APPEAL)]
WithdrawingAppeal = Annotated[Account, giving(commands.WITHDRAW_APPEAL)]
NamingExaminers = Annotated[Account, giving(commands.APPEAL_EXAMINERS)]
AppealGrading = Annotated[Account, giving(commands.APPEAL_WRITTEN)]
SchedulingNewOral = Annotated[Account, giving(commands.APPEAL_ORAL_SCHEDULE)]
CommissionGrading = Annotated[Account, giving(commands.APPEAL_GRADE)]
RegisteringResit = Annotated[Account, giving(commands.REGISTER_RESIT)]
ResitGrading = Annotated[Account, giving(commands.RESIT_WRITTEN)]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class WrittenGrade(BaseModel):
    grade: Grade


class OpenCohort(BaseModel):
    plan: dict[str, Any] = Field(description="the cohort plan, as `starter.py check-plan` reads it")
    seed: str | None = Field(default=None, description="the lottery seed; drawn by the workflow when not given")


class Assessment(BaseModel):
    track: Literal[Track.STUDENT, Track.COURSE]


class Reason(BaseModel):
    reason: str = Field(min_length=1)


class Examiner(BaseModel):
    username: str


class Withdrawal(BaseModel):
    application_id: str
    reason: str = Field(min_length=1)


@router.post("/token")
async def token(
    request: Request, web: WebDep, username: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Token:
    """OAuth2 password flow: a bearer token for the account (failed attempts limited per account and address)."""
    address = client_address(request)
    if web.limiter.blocked(username, address):
        raise refusal(status.HTTP_429_TOO_MANY_REQUESTS, "web.too_many_sign_ins")
    account = await web.accounts.authenticate(username, password) if len(username) <= USERNAME_MAX else None
    if account is None:
        web.limiter.failed(username, address)
        raise refusal(status.HTTP_401_UNAUTHORIZED, "web.wrong_credentials", headers={"WWW-Authenticate": "Bearer"})
    started = await web.web_sessions.start(account.username, Kind.TOKEN)
    return Token(access_token=started.secret)


@router.delete("/token", status_code=status.HTTP_204_NO_CONTENT)
async def end_token(request: Request, web: WebDep, account: Anyone) -> None:
    """End the bearer token this call carries (signing out of the API)."""
    await web.web_sessions.end(bearer_of(request) or "")


@router.get("/me")
async def me(account: Anyone) -> dict[str, Any]:
    return account.model_dump(mode="json")


@router.post("/cohorts", status_code=status.HTTP_201_CREATED)
async def start_cohort(body: OpenCohort, web: WebDep, account: Admin) -> dict[str, str]:
    """Open a cohort from its plan; 409 with every rule the plan breaks."""
    return {"cohort": await open_cohort(web, account, body.plan, body.seed)}


@router.get("/cohorts/{cohort}")
async def cohort_overview(cohort: str, web: WebDep, account: Staff) -> Any:
    """The cohort's overview, as `starter.py show cohort --json` prints it."""
    return dump(await web.overview(cohort))


@router.post("/cohorts/{cohort}/publish")
async def publish(cohort: str, web: WebDep, account: Publishing) -> Any:
    action = PublishResultsInput(actor=account.actor)
    return dump(await perform_cohort(web, account, cohort, commands.PUBLISH, action))


@router.post("/cohorts/{cohort}/confirm-selection")
async def confirm_selection(
    cohort: str, web: WebDep, account: Annotated[Account, giving(commands.CONFIRM_SELECTION)]
) -> Any:
    action = ConfirmSelectionInput(actor=account.actor)
    return dump(await perform_cohort(web, account, cohort, commands.CONFIRM_SELECTION, action))


@router.post("/cohorts/{cohort}/withdraw-group")
async def withdraw_group(
    cohort: str, body: Withdrawal, web: WebDep, account: Annotated[Account, giving(commands.WITHDRAW_GROUP)]
) -> Any:
    action = WithdrawGroupInput(actor=account.actor, application_id=body.application_id, reason=body.reason)
    return dump(await perform_cohort(web, account, cohort, commands.WITHDRAW_GROUP, action))


@router.get(Group)
async def group_detail(cohort: str, application_id: str, web: WebDep, account: Anyone) -> Any:
    """The group's detail; a municipality sees only its own groups (404 for any other, as for none), and no member's
    grades or the reasons recorded about them: those fields are left out (web/visibility.py)."""
    return visibility.group_json(account, await web.group(account, cohort, application_id))


@router.post(Group + "/examiners")
async def assign_examiner(cohort: str, application_id: str, body: Examiner, web: WebDep, account: Admin) -> Any:
    """Let an examiner account grade this group; 409 when there is no such examiner (its code as `problems`)."""
    detail = await web.group(account, cohort, application_id)
    try:
        await web.accounts.assign(body.username, detail.group_workflow_id)
    except AccountError as error:
        return JSONResponse({"detail": str(error), "problems": error.dump()}, status.HTTP_409_CONFLICT)
    return {"examiners": await web.accounts.examiners(detail.group_workflow_id)}


@router.post(Group + "/publish")
async def publish_group(cohort: str, application_id: str, web: WebDep, account: Publishing) -> Any:
    """Release one group's checked results (admin only): its letters go out and its appeal window opens."""
    await web.group_id(account, cohort, application_id)
    action = PublishGroupInput(actor=account.actor, application_id=application_id)
    return dump(await perform_cohort(web, account, cohort, commands.PUBLISH_GROUP, action))


@router.post("/participants/{participant_id}/assessment")
async def assessment(
    participant_id: str, body: Assessment, web: WebDep, account: Annotated[Account, giving(commands.ASSESSMENT)]
) -> Any:
    """Decide a participant's individual assessment: student or course track."""
    await web.participant_access(account, participant_id)
    action = DecideAssessmentInput(actor=account.actor, track=body.track)
    return dump(await perform_participant(web, account, participant_id, commands.ASSESSMENT, action))


@router.post("/participants/{participant_id}/withdraw")
async def withdraw_participant(
    participant_id: str, body: Reason, web: WebDep, account: Annotated[Account, giving(commands.WITHDRAW)]
) -> Any:
    await web.participant_access(account, participant_id)
    action = WithdrawParticipantInput(actor=account.actor, reason=body.reason)
    return dump(await perform_participant(web, account, participant_id, commands.WITHDRAW, action))


# ---- a person's end of the year: appeal and re-sit (their commands' roles; web/end_of_year.py checks access) ------
class Examiners(BaseModel):
    examiners: list[str] = Field(
        min_length=1, max_length=3, description="the commission's user names (2-3, one external)"
    )


class Adjustment(BaseModel):
    adjustment: int = Field(ge=-5, le=5, description="steps up (+) or down (-); the plan's limit applies")


class AppealRegistration(BaseModel):
    received: date | None = Field(
        default=None,
        description="the day the administration received the appeal (default: today; a person's own: today)",
    )
    attempt: int | None = Field(
        default=None, ge=1, description="the sitting appealed: 1 the ordinary exam, 2 and on a re-sit (default: latest)"
    )


class ResitRegistration(BaseModel):
    in_cohort: str | None = Field(
        default=None, description="the later cohort whose exam period the re-sit joins, when the plan sets none"
    )


Person = "/participants/{participant_id}"


@router.post(Person + "/appeal")
async def register_appeal(
    participant_id: str, web: WebDep, account: RegisteringAppeal, body: AppealRegistration | None = None
) -> Any:
    """Register the person's appeal of the written grade (admin, with the day it was received; or the person's own);
    409 with the reason when they may not appeal."""
    values = body.model_dump(exclude_none=True) if body is not None else {}
    return dump(await end_of_year.take(web, account, participant_id, "appeal", values))


@router.post(Person + "/appeal/withdraw")
async def withdraw_appeal(participant_id: str, web: WebDep, account: WithdrawingAppeal) -> Any:
    """Withdraw the appeal before it is decided (admin, or the person's own); the grade stays as it was."""
    return dump(await end_of_year.take(web, account, participant_id, "appeal-withdraw", {}))


@router.post(Person + "/appeal/examiners")
async def appeal_examiners(participant_id: str, body: Examiners, web: WebDep, account: NamingExaminers) -> Any:
    """Name the appeal's new examiners (admin): others than those who graded the written work first."""
    return dump(await end_of_year.take(web, account, participant_id, "appeal-examiners", body.model_dump()))


@router.post(Person + "/appeal/grade")
async def appeal_grade(participant_id: str, body: WrittenGrade, web: WebDep, account: CommissionGrading) -> Any:
    """A commission member's own grade of the written work, once."""
    return dump(await end_of_year.take(web, account, participant_id, "appeal-grade", body.model_dump()))


@router.post(Person + "/appeal/written")
async def appeal_written(participant_id: str, body: WrittenGrade, web: WebDep, account: AppealGrading) -> Any:
    """The commission's grade, once all have graded (a member, or the administration)."""
    return dump(await end_of_year.take(web, account, participant_id, "appeal-written", body.model_dump()))


@router.post(Person + "/appeal/further")
async def appeal_further(participant_id: str, body: WrittenGrade, web: WebDep, account: AppealGrading) -> Any:
    """The grade after the further assessment (the commission's grade two or more from the first)."""
    return dump(await end_of_year.take(web, account, participant_id, "appeal-further", body.model_dump()))


@router.post(Person + "/appeal/oral-schedule")
async def appeal_oral_schedule(participant_id: str, body: OralSlot, web: WebDep, account: SchedulingNewOral) -> Any:
    """The new oral's time (with its zone, not passed) and place, after a changed written grade (admin); the person
    gets a letter the plan's notice ahead, and a new one when it is moved."""
    return dump(await end_of_year.take(web, account, participant_id, "appeal-oral-schedule", {"slot": body}))


@router.post(Person + "/appeal/oral")
async def appeal_oral(participant_id: str, body: Adjustment, web: WebDep, account: AppealGrading) -> Any:
    """The appeal's new oral adjustment, when the written grade changed."""
    return dump(await end_of_year.take(web, account, participant_id, "appeal-oral", body.model_dump()))


@router.post(Person + "/resit")
async def register_resit(participant_id: str, body: ResitRegistration, web: WebDep, account: RegisteringResit) -> Any:
    """Register a re-sit after a failed exam (admin); 409 with the reason when the person may not sit again."""
    return dump(await end_of_year.take(web, account, participant_id, "resit", body.model_dump()))


@router.post(Person + "/resit/written")
async def resit_written(participant_id: str, body: WrittenGrade, web: WebDep, account: ResitGrading) -> Any:
    """The open re-sit's written grade (examiner or admin)."""
    return dump(await end_of_year.take(web, account, participant_id, "resit-written", body.model_dump()))


@router.post(Person + "/resit/oral")
async def resit_oral(participant_id: str, body: Adjustment, web: WebDep, account: ResitGrading) -> Any:
    """The open re-sit's oral adjustment; the best grade of the attempts then counts."""
    return dump(await end_of_year.take(web, account, participant_id, "resit-oral", body.model_dump()))
