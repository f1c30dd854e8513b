"""Inputs and results of the workflows' updates, signals and queries: one model in, one model out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from domain.catalogue import say
from domain.catalogue.pending import old_pending
from domain.lifecycle import CohortStage, GroupStage, Outcome
from domain.models import ApplicationFacts, CohortPlan, Enrolment, Grade, PersonId, Strict, Track
from domain.offers import PlaceEnd
from domain.orals import OralSlot
from domain.project import InnovationProject, InnovationReport
from domain.reasons import Reason as Why
from domain.refusals import Param
from domain.requirements import RequirementState, RequirementStatus
from domain.supervision import SupervisionMeeting
from domain.text import MEMBERS_MAX, Actor, ApplicationId, DocumentHash, Feedback, Reason, WorkflowId
from workflows.state import ApplicationRecord, CohortState, GroupState, ParticipantState, ProblemRecord

# re-exported: views and inputs name them
__all__ = ["ApplicationRecord", "CohortStage", "GroupStage", "Outcome", "ProblemRecord"]


def _named_once(ids: list[str]) -> list[str]:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise PydanticCustomError("validation.named_twice", "named twice: {names}", {"names": ", ".join(repeated)})
    return ids


class Pending(Strict):
    """What waits for the administration: a code of domain/catalogue/pending.py and its parameters, computed from the
    state by the views (never kept in it); `text` is the Norwegian a person reads."""

    code: str
    params: dict[str, Param] = {}

    @model_validator(mode="before")
    @classmethod
    def _old_text(cls, data: Any) -> Any:
        """An older group's result held it as an English sentence (domain/catalogue/pending.py, OLD_TEXTS)."""
        return old_pending(data) if isinstance(data, str) else data

    @classmethod
    def of(cls, code: str, **params: Param) -> Pending:
        return cls(code=code, params=params)

    @property
    def text(self) -> str:
        return say(self.code, self.params)

    def __str__(self) -> str:
        return self.text


class AdminAction(Strict):
    """Every admin action names who acts; the bounds of each field are in domain.text."""

    actor: Actor


# ---- cohort -------------------------------------------------------------------------------------
class CohortInput(Strict):
    plan: CohortPlan
    seed: str | None = None  # published with the selection; drawn by the workflow when not given
    state: CohortState | None = None  # carried over by continue-as-new


class ApplyInput(AdminAction):
    application: ApplicationFacts


class ApplyResult(Strict):
    application_id: str
    accepted: bool
    problems: list[ProblemRecord]  # why it was refused (domain/catalogue/admission.py)
    group_workflow_id: str | None


class ConfirmSelectionInput(AdminAction):
    pass


class ConfirmSelectionResult(Strict):
    seed: str
    admitted: list[str]
    waitlist: list[str]


class WithdrawGroupInput(AdminAction):
    application_id: ApplicationId
    reason: Reason


class WithdrawGroupResult(Strict):
    outcome: Outcome
    moved_up: str | None


class PublishResultsInput(AdminAction):
    pass


class PublishGroupInput(AdminAction):
    application_id: ApplicationId


class PublishResultsResult(Strict):
    groups: int


# Signals that go up the tree (group -> cohort, participant -> group) are sent by name, so a child's module never
# imports its parent's: the imports run cohort -> group -> participant only. The names are the handlers' own.
GROUP_REPORT_SIGNAL = "group_report"
MEMBER_STATUS_SIGNAL = "member_status"


class GroupReport(Strict):
    """What a group tells its cohort when its stage changes."""

    application_id: str
    stage: GroupStage
    ready_to_publish: bool
    finished: bool


class CohortOverview(Strict):
    cohort: str
    stage: CohortStage
    seed: str | None
    places: int
    applications: list[ApplicationRecord]
    groups_per_stage: dict[str, int]
    outcomes: dict[str, int]
    pending_actions: list[Pending]
    admin_actions: int


class CohortResult(Strict):
    overview: CohortOverview


# ---- group --------------------------------------------------------------------------------------
class GroupInput(Strict):
    cohort_workflow_id: str
    application_id: str
    application: ApplicationFacts
    plan: CohortPlan
    state: GroupState | None = None


class OutcomeSignal(Strict):
    outcome: Outcome
    position: int | None = None  # on the waiting list
    answer_by: datetime | None = None  # an offer's answer deadline, for its letter
    ended_by: PlaceEnd = PlaceEnd.GAVE_UP  # a place given up: how, for its letter


class PublishSignal(Strict):
    pass


class RequirementInput(AdminAction):
    number: int = Field(ge=1, le=4)


class SubmitRequirementInput(RequirementInput):
    document: DocumentHash | None = None  # the handed-in file's SHA-256; the file stays outside Temporal


class RecordProjectInput(AdminAction):
    project: InnovationProject


class ReportProjectInput(AdminAction):
    report: InnovationReport


class ReturnRequirementInput(RequirementInput):
    feedback: Feedback


class ExtensionInput(RequirementInput):
    deadline: AwareDatetime  # how late it may be is the group's rule (domain.requirements.extend)


class RequirementResult(Strict):
    number: int
    status: RequirementStatus
    deadline: datetime


class MarkNonParticipatingInput(AdminAction):
    participant_workflow_id: WorkflowId


class ReplaceParticipantInput(AdminAction):
    participant_workflow_id: WorkflowId
    replacement: Enrolment


class DayAttendance(Strict):
    day: int = Field(ge=1, le=3)
    present: list[WorkflowId] = Field(max_length=MEMBERS_MAX)  # participant workflow ids; the others are absent

    @field_validator("present")
    @classmethod
    def _each_once(cls, present: list[str]) -> list[str]:
        return _named_once(present)


class AttendanceInput(AdminAction):
    """A gathering's attendance, the days registered at once (one update, one audit entry); a day not named keeps
    what it had."""

    gathering: int = Field(ge=1, le=6)
    days: list[DayAttendance] = Field(min_length=1, max_length=3)

    @model_validator(mode="before")
    @classmethod
    def _one_day(cls, data: Any) -> Any:
        """One day given as before (`day` and `present`): the API still takes it, and older histories hold it."""
        if isinstance(data, dict) and "day" in data and "days" not in data:
            data = dict(data)
            day = {"day": data.pop("day")} | ({"present": data.pop("present")} if "present" in data else {})
            data["days"] = [day]
        return data

    @field_validator("days")
    @classmethod
    def _each_day_once(cls, days: list[DayAttendance]) -> list[DayAttendance]:
        _named_once([str(d.day) for d in days])
        return days


class ScheduleOralInput(AdminAction):
    """The group's oral: when (within the plan's oral period) and where."""

    slot: OralSlot


class WrittenGradeInput(AdminAction):
    grade: Grade


class OralAdjustment(Strict):
    participant_workflow_id: WorkflowId
    adjustment: int = Field(default=0, ge=-5, le=5)  # A to F is five steps; the plan's step limit is the group's rule
    absent: bool = False  # a valid absence (documented illness, say): no grade now, a postponed oral follows

    @model_validator(mode="after")
    def _no_adjustment_when_absent(self) -> OralAdjustment:
        if self.absent and self.adjustment != 0:
            raise PydanticCustomError("validation.absent_adjusted", "an absent student has no oral adjustment")
        return self


class OralInput(AdminAction):
    adjustments: list[OralAdjustment] = Field(max_length=MEMBERS_MAX)

    @field_validator("adjustments")
    @classmethod
    def _each_once(cls, adjustments: list[OralAdjustment]) -> list[OralAdjustment]:
        _named_once([a.participant_workflow_id for a in adjustments])
        return adjustments


class SubmitWrittenInput(AdminAction):
    document: DocumentHash | None = None  # the handed-in file's SHA-256; the file stays outside Temporal


class ActionResult(Strict):
    """Accepted; the group's stage after the action."""

    stage: GroupStage


class MemberStatusSignal(Strict):
    participant_workflow_id: str
    track: Track
    withdrawn: bool
    attendance_days: int = 0  # no longer sent: the group's register is the source


class MemberView(Strict):
    participant_workflow_id: str
    person_id: PersonId  # opaque; the register of people names them for those allowed to see
    sector: str
    track: Track
    withdrawn: bool
    replaced: bool
    non_participating: bool
    attendance_days: int
    exam_eligible: bool
    ineligible_reason: Why | None
    oral_adjustment: int | None
    final_grade: Grade | None
    credits: int
    certificate: str | None
    oral_absent: bool = False  # a valid absence from the oral: a postponed exam (utsatt eksamen) follows
    started: bool = False  # the member's own workflow runs (its detail can be asked)
    attendance: list[str] = []  # "gathering:day" keys, as the group registered them
    requirements_approved: int = 0  # the group's approved requirements (for a withdrawn member: at withdrawal)


class GroupDetail(Strict):
    group_workflow_id: str
    application_id: str
    municipalities: list[str]
    outcome: Outcome
    stage: GroupStage
    requirements: list[RequirementState]
    written_submitted: bool
    written_grade: Grade | None
    written_missed: bool
    members: list[MemberView]
    oral_slot: OralSlot | None = None  # the oral's time and place, once the administration has set them
    written_document: str | None = None
    project: InnovationProject | None = None
    project_reports: list[InnovationReport] = []
    supervision: list[SupervisionMeeting] = []  # the group's supervision meetings, by date
    pending_actions: list[Pending]
    admin_actions: int
    published_at: datetime | None = None  # the release time; the appeal window opens here


class GroupResult(Strict):
    detail: GroupDetail


# ---- participant --------------------------------------------------------------------------------
class ParticipantInput(Strict):
    group_workflow_id: str
    participant_workflow_id: str
    cohort: str
    person_id: PersonId
    sector: str
    track: Track
    plan: CohortPlan
    state: ParticipantState | None = None


class DecideAssessmentInput(AdminAction):
    track: Track


class WithdrawParticipantInput(AdminAction):
    reason: Reason


class ParticipantActionResult(Strict):
    track: Track
    withdrawn: bool


class FinalSignal(Strict):
    """The end, from the group (at release, or when it ends the member's study): how it ended, and the group's facts
    about the member, so the participant answers for its detail alone from then on."""

    final_grade: Grade | None
    oral_adjustment: int | None
    credits: int
    certificate: str | None
    end_reason: Why | None
    attended: list[str] = []  # "gathering:day" keys
    requirements_approved: int = 0
    non_participating: bool = False
    written_grade: Grade | None = None
    ineligible_reason: Why | None = None


class ParticipantDetail(Strict):
    participant_workflow_id: str
    group_workflow_id: str
    sector: str
    track: Track
    attendance: list[str]
    attendance_days: int
    withdrawn: bool
    non_participating: bool
    requirements_approved: int
    exam_eligible: bool
    ineligible_reason: Why | None
    written_grade: Grade | None
    oral_adjustment: int | None
    final_grade: Grade | None
    credits: int
    certificate: str | None
    end_reason: Why | None
    ended: bool


class ParticipantResult(Strict):
    detail: ParticipantDetail
