"""Inputs, results and state of the end of the year's two workflows, the appeal (klage) and the re-sit (ny or
utsatt eksamen): one model in, one model out. What both carry is declared once (`Step*`); each adds its own. No
personal data beyond the opaque person ID; examiners are account user names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from domain.end_of_year.resits import ResitPeriod
from domain.models import Grade, PersonId, Strict
from domain.orals import OralSlot
from domain.text import Actor
from workflows.messages import AdminAction, Pending

AppealStage = Literal[
    "awaiting_examiners",
    "awaiting_commission",  # each member of the commission grades on their own
    "awaiting_decision",  # all have graded: the commission decides its grade
    "further_assessment",  # the commission's grade is two or more from the first: assessed further, then fixed
    "awaiting_written",  # before the commission: one examiner's new written grade (appeals registered then)
    "awaiting_oral",
    "decided",
    "withdrawn",
]
ResitStage = Literal["awaiting_written", "awaiting_oral", "decided"]


# ---- what both share ----------------------------------------------------------------------------
class StepInput(Strict):
    """One person's appeal or re-sit, as the gateway registers it."""

    participant_workflow_id: str
    group_workflow_id: str
    cohort: str
    person_id: PersonId
    attempt: int = Field(ge=1)  # which sitting of the exam it concerns; each step bounds its own
    step_limit: int = Field(ge=0)
    registered_by: str


class StepState(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    examiners: list[str] = []  # account user names: who may grade it (appeal) or who did (re-sit)
    credits_after: int | None = None
    registered_at: datetime | None = None
    decided_at: datetime | None = None


class StepDetail(Strict):
    participant_workflow_id: str
    group_workflow_id: str
    person_id: PersonId
    attempt: int
    examiners: list[str]
    credits_after: int | None
    registered_at: datetime | None
    decided_at: datetime | None
    pending_action: Pending | None  # the step's PENDING code, read as a Pending (the CLI prints it as words)


class StepRow(BaseModel):
    """The columns both rows in the read model share (store/end_of_year.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    participant_id: str
    group_id: str
    cohort: str
    person_id: PersonId
    attempt: int
    stage: str
    credits_after: int | None
    registered_at: AwareDatetime
    decided_at: AwareDatetime | None


class NewWrittenGradeInput(AdminAction):
    """An appeal's new written grade, or a re-sit's."""

    grade: Grade


class NewOralAdjustmentInput(AdminAction):
    """An appeal's new oral adjustment, or a re-sit's."""

    adjustment: int = Field(ge=-5, le=5)  # the plan's step limit is the workflow's rule


# ---- the appeal ---------------------------------------------------------------------------------
class AppealInput(StepInput):
    attempt: int = Field(default=1, ge=1)
    written_before: Grade
    oral_before: int | None
    final_before: Grade
    first_examiners: list[str]  # the accounts that graded the group first: not the appeal's examiners
    deadline: AwareDatetime  # the appeal window's end (its last day's, in Oslo); the appeal was received before it
    received: date | None = None  # the day it was received (Oslo); None in appeals registered before it was kept
    # an appeal of a re-sit (attempt >= 2): the "before" grades above are the attempt's, and this is the grade that
    # counted before the re-sit (None after a valid absence); the best of it and the attempt's new grade counts
    grade_before_attempt: Grade | None = None
    # the plan's: the letter with the new oral's time and place comes this long ahead (a week, as the plan's default)
    oral_notice_seconds: float = Field(default=7 * 86400, ge=0)


class AppealState(StepState):
    written_after: Grade | None = None
    oral_adjustment_after: int | None = None
    final_after: Grade | None = None  # the grade that counts after it (a re-sit's: the best of the attempts)
    attempt_grade_after: Grade | None = None  # an appealed re-sit attempt's own new grade
    withdrawn_at: datetime | None = None  # withdrawn before it was decided: the grade stays as it was
    external: list[str] = []  # the commission members whose accounts are marked external
    commission_grades: dict[str, Grade] = {}  # each member's own grade, by user name
    commission_grade: Grade | None = None  # the commission's decided grade (fixed at once, or after the further step)
    further_assessment: bool = False  # the commission's grade is two or more from the first: assessed further
    new_oral: OralSlot | None = None  # the new oral's time and place, once the administration has set them
    new_oral_revision: int = 0  # how many times they were set: each is a new letter
    new_oral_notified: int = 0  # the revision whose letter has gone out


class WithdrawAppealInput(AdminAction):
    """The person who appealed, or the administration, withdraws the appeal before it is decided."""

    by_participant: bool = False  # the person themself (the gateway sets it from the account), for the letter


class AssignExaminersInput(AdminAction):
    # examiner accounts' user names; the gateway checks they are such accounts (gateway/end_of_year/appeal.py), the
    # workflow the rule (1-3, new ones: domain/end_of_year/appeals.py)
    examiners: list[Actor] = Field(max_length=10)
    # those of them whose accounts are marked external: the gateway sets it from the accounts, never the caller
    external: list[Actor] = Field(default=[], max_length=10)

    @field_validator("examiners", "external")
    @classmethod
    def _tidy(cls, examiners: list[str]) -> list[str]:
        return [e.strip() for e in examiners]


class ScheduleNewOralInput(AdminAction):
    """The new oral's time (not passed; no oral period after the release) and place, by the administration."""

    slot: OralSlot


class CommissionGradeInput(AdminAction):
    """One commission member's own grade of the written work, by that member, once."""

    grade: Grade


class CommissionDecisionInput(AdminAction):
    """The commission's grade (register_new_written_grade), or the grade the further assessment fixes
    (further_assessment): by a member of the commission, or by the administration."""

    grade: Grade
    by_admin: bool = False  # the actor is the administration (the gateway sets it from the account's role)


class AppealDetail(StepDetail):
    appeal_workflow_id: str
    stage: AppealStage
    deadline: datetime
    received: date | None = None
    withdrawn_at: datetime | None = None
    written_before: Grade
    oral_before: int | None
    final_before: Grade
    written_after: Grade | None
    oral_adjustment_after: int | None
    final_after: Grade | None
    grade_before_attempt: Grade | None = None  # a re-sit's appeal: the grade that counted before the re-sit
    attempt_grade_after: Grade | None = None  # a re-sit's appeal: the attempt's own new grade
    external: list[str] = []
    commission_grades: dict[str, Grade] = {}
    commission_grade: Grade | None = None
    further_assessment: bool = False
    new_oral: OralSlot | None = None  # the new oral's time and place, once set


class AppealActionResult(Strict):
    stage: AppealStage


class AppealResult(Strict):
    detail: AppealDetail


class AppealRow(StepRow):
    appeal_id: str
    examiners: str | None = None  # the commission as ",a,b,", for the members' inbox
    received: date | None
    withdrawn_at: AwareDatetime | None
    written_before: str
    final_before: str
    written_after: str | None
    oral_adjustment_after: int | None
    final_after: str | None
    new_oral_at: AwareDatetime | None = None  # the new oral's time, once set: the inbox asks for it until then
    new_oral_place: str | None = None


# ---- the re-sit ---------------------------------------------------------------------------------
class ResitInput(StepInput):
    attempt: int = Field(ge=2)  # the sitting: the ordinary exam was the first
    grade_before: Grade | None  # the grade that counts when the re-sit is registered: an F, or none after an absence
    postponed: bool = False  # utsatt eksamen: the oral alone, on the group's written grade
    written_before: Grade | None = None  # the group's written grade, which a postponed oral adjusts
    period: ResitPeriod
    attempts_max: int = Field(default=3, ge=1)  # the plan's `exam_attempts`, which the letter states
    previous: list[str] = []  # the workflow IDs of the person's earlier re-sits and appeal: the linked attempts


class ResitState(StepState):
    written: Grade | None = None
    oral_adjustment: int | None = None
    attempt_grade: Grade | None = None
    grade_after: Grade | None = None


class ResitDetail(StepDetail):
    resit_workflow_id: str
    stage: ResitStage
    period: ResitPeriod
    postponed: bool
    grade_before: Grade | None
    written: Grade | None
    oral_adjustment: int | None
    attempt_grade: Grade | None
    grade_after: Grade | None
    previous: list[str]


class ResitActionResult(Strict):
    stage: ResitStage


class ResitResult(Strict):
    detail: ResitDetail


class ResitRow(StepRow):
    resit_id: str
    period_label: str
    period_end: AwareDatetime
    grade_before: str | None
    written: str | None
    oral_adjustment: int | None
    attempt_grade: str | None
    grade_after: str | None
