"""Inputs and results of the workflows' updates, signals and queries: one model in, one model out."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from domain.models import Application, CohortPlan, Grade, Participant, Region, SizeClass, Strict, Track
from domain.requirements import RequirementState

Actor = str


class AdminAction(Strict):
    actor: Actor = Field(min_length=1)


class AuditRecord(Strict):
    actor: str
    action: str
    at: datetime
    detail: str = ""


class Outcome(StrEnum):
    APPLIED = "applied"
    ADMITTED = "admitted"
    WAITLIST = "waitlist"
    MOVED_UP = "moved_up"
    GAVE_UP = "gave_up"
    NOT_SELECTED = "not_selected"
    REFUSED = "refused"


# ---- cohort -------------------------------------------------------------------------------------
class CohortStage(StrEnum):
    INTAKE = "intake"
    SELECTION_DRAWN = "selection_drawn"
    RUNNING = "running"
    PUBLISHED = "published"
    CLOSED = "closed"


class ApplicationRecord(Strict):
    id: str
    municipalities: list[str]
    region: Region | None = None
    size: SizeClass | None = None
    outcome: Outcome = Outcome.APPLIED
    errors: list[str] = []
    group_workflow_id: str | None = None
    group_stage: str | None = None
    ready_to_publish: bool = False
    finished: bool = False


class CohortState(Strict):
    stage: CohortStage = CohortStage.INTAKE
    seed: str
    applications: list[ApplicationRecord] = []
    waitlist: list[str] = []  # application ids in lottery order
    audit: list[AuditRecord] = []
    notices_requested: int = 0


class CohortInput(Strict):
    plan: CohortPlan
    seed: str | None = None  # published with the selection; drawn by the workflow when not given
    staff_email: str = "studieadministrasjonen@innovasjonsskolen.no"
    state: CohortState | None = None  # carried over by continue-as-new


class ApplyInput(AdminAction):
    application: Application


class ApplyResult(Strict):
    application_id: str
    accepted: bool
    errors: list[str]
    group_workflow_id: str | None


class ConfirmSelectionInput(AdminAction):
    pass


class ConfirmSelectionResult(Strict):
    seed: str
    admitted: list[str]
    waitlist: list[str]


class WithdrawGroupInput(AdminAction):
    application_id: str
    reason: str = Field(min_length=1)


class WithdrawGroupResult(Strict):
    outcome: Outcome
    moved_up: str | None


class PublishResultsInput(AdminAction):
    pass


class PublishResultsResult(Strict):
    groups: int


class GroupReport(Strict):
    """What a group tells its cohort when its stage changes."""

    application_id: str
    stage: str
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
    pending_actions: list[str]
    admin_actions: int


class CohortResult(Strict):
    overview: CohortOverview


# ---- group --------------------------------------------------------------------------------------
class GroupStage(StrEnum):
    APPLIED = "applied"
    WAITLIST = "waitlist"
    NOT_SELECTED = "not_selected"
    GAVE_UP = "gave_up"
    PROGRAMME = "programme"  # gatherings and work requirements
    WRITTEN = "written"  # written assignment due or submitted
    GRADING = "grading"  # written graded, oral adjustments due
    GRADED = "graded"  # combined grades computed, waiting for publication
    NO_EXAM = "no_exam"  # requirements failed or written deadline missed; waiting for publication
    WITHDRAWN = "withdrawn"
    PUBLISHED = "published"


class Member(Strict):
    number: int
    participant_workflow_id: str
    sector: str
    track: Track
    participant: Participant
    started: bool = False
    withdrawn: bool = False
    replaced: bool = False
    non_participating: bool = False
    attended: list[str] = []  # "gathering:day" keys
    oral_adjustment: int | None = None
    final_grade: Grade | None = None
    credits: int = 0
    certificate: str | None = None
    end_reason: str | None = None


class GroupState(Strict):
    outcome: Outcome = Outcome.APPLIED
    members: list[Member] = []
    requirements: list[RequirementState] = []
    written_submitted_at: datetime | None = None
    written_grade: Grade | None = None
    written_missed: bool = False
    grades_computed: bool = False
    published: bool = False
    fired: list[str] = []  # timer events already handled: a reminder is never sent twice
    audit: list[AuditRecord] = []


class GroupInput(Strict):
    cohort_workflow_id: str
    application_id: str
    application: Application
    plan: CohortPlan
    staff_email: str
    state: GroupState | None = None


class OutcomeSignal(Strict):
    outcome: Outcome


class PublishSignal(Strict):
    pass


class RequirementInput(AdminAction):
    number: int = Field(ge=1, le=4)


class ReturnRequirementInput(RequirementInput):
    feedback: str = Field(min_length=1)


class ExtensionInput(RequirementInput):
    deadline: datetime


class RequirementResult(Strict):
    number: int
    status: str
    deadline: datetime


class MarkNonParticipatingInput(AdminAction):
    participant_workflow_id: str


class ReplaceParticipantInput(AdminAction):
    participant_workflow_id: str
    replacement: Participant


class AttendanceInput(AdminAction):
    gathering: int = Field(ge=1, le=6)
    day: int = Field(ge=1, le=3)
    present: list[str]  # participant workflow ids; members not listed are absent that day


class WrittenGradeInput(AdminAction):
    grade: Grade


class OralAdjustment(Strict):
    participant_workflow_id: str
    adjustment: int


class OralInput(AdminAction):
    adjustments: list[OralAdjustment]


class SubmitWrittenInput(AdminAction):
    pass


class ActionResult(Strict):
    """Accepted; the group's stage after the action."""

    stage: str


class MemberStatusSignal(Strict):
    participant_workflow_id: str
    track: Track
    withdrawn: bool
    attendance_days: int  # as the participant counts it; the group's register is the source


class MemberView(Strict):
    participant_workflow_id: str
    sector: str
    track: Track
    withdrawn: bool
    replaced: bool
    non_participating: bool
    attendance_days: int
    exam_eligible: bool
    ineligible_reason: str | None
    oral_adjustment: int | None
    final_grade: Grade | None
    credits: int
    certificate: str | None


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
    pending_actions: list[str]
    admin_actions: int


class GroupResult(Strict):
    detail: GroupDetail


# ---- participant --------------------------------------------------------------------------------
class ParticipantState(Strict):
    track: Track
    attended: list[str] = []  # "gathering:day" keys
    withdrawn: bool = False
    non_participating: bool = False
    requirements_approved: int = 0
    group_no_exam: bool = False
    written_grade: Grade | None = None
    oral_adjustment: int | None = None
    final_grade: Grade | None = None
    credits: int = 0
    certificate: str | None = None
    end_reason: str | None = None
    ended: bool = False
    audit: list[AuditRecord] = []


class ParticipantInput(Strict):
    group_workflow_id: str
    participant_workflow_id: str
    cohort: str
    participant: Participant
    track: Track
    plan: CohortPlan
    state: ParticipantState | None = None


class DecideAssessmentInput(AdminAction):
    track: Track


class WithdrawParticipantInput(AdminAction):
    reason: str = Field(min_length=1)


class ParticipantActionResult(Strict):
    track: Track
    withdrawn: bool


class AttendanceSignal(Strict):
    gathering: int
    day: int
    present: bool


class ProgressSignal(Strict):
    requirements_approved: int
    non_participating: bool
    group_no_exam: bool
    written_grade: Grade | None


class FinalSignal(Strict):
    final_grade: Grade | None
    oral_adjustment: int | None
    credits: int
    certificate: str | None
    end_reason: str | None


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
    ineligible_reason: str | None
    written_grade: Grade | None
    oral_adjustment: int | None
    final_grade: Grade | None
    credits: int
    certificate: str | None
    end_reason: str | None
    ended: bool


class ParticipantResult(Strict):
    detail: ParticipantDetail
