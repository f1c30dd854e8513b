"""What each workflow keeps, carried through continue-as-new in its input.

Mutable models that validate every assignment: a misspelt field name or a wrong value raises where it is written,
instead of being dropped as a `model_copy(update=...)` key would be. No personal data: people are person IDs.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.catalogue import say
from domain.eligibility import MemberFacts
from domain.lifecycle import CohortStage, GroupStage, Outcome
from domain.models import Grade, PersonId, Region, SizeClass, Track
from domain.offers import Answer
from domain.orals import OralSlot
from domain.project import InnovationProject, InnovationReport
from domain.reasons import Reason, reason
from domain.refusals import Param, Problem
from domain.requirements import RequirementState
from domain.supervision import SupervisionMeeting
from workflows.answered import UpdateAnswers


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# ---- cohort -------------------------------------------------------------------------------------
class ProblemRecord(_State):
    """A broken rule as a workflow keeps it (domain.refusals.Problem): its code and parameters, the words the
    catalogue's (domain.catalogue), so the page, the command line and the report say them in Norwegian."""

    code: str
    params: dict[str, Param] = {}

    @classmethod
    def of(cls, problem: Problem) -> ProblemRecord:
        return cls(code=problem.code, params=dict(problem.params))

    @property
    def text(self) -> str:
        return say(self.code, self.params)


class ApplicationRecord(_State):
    id: str
    municipalities: list[str]
    region: Region | None = None
    size: SizeClass | None = None
    outcome: Outcome = Outcome.APPLIED
    problems: list[ProblemRecord] = []  # why it was refused (domain/catalogue/admission.py)
    errors: list[str] = []  # the problems in English, as states before `problems` hold them; no longer written
    group_workflow_id: str | None = None
    group_stage: GroupStage | None = None
    ready_to_publish: bool = False
    released: bool = False  # the administration released its results on their own (publish_group)
    finished: bool = False
    contact: PersonId | None = None  # the municipality's contact, for the answer's letter (none in older state)
    answer_by: datetime | None = None  # the open offer's answer deadline (domain/offers.py); None: no answer asked
    answered: Answer | None = None


class CohortState(_State):
    stage: CohortStage = CohortStage.INTAKE
    seed: str
    applications: list[ApplicationRecord] = []
    waitlist: list[str] = []  # application ids in lottery order
    waitlist_closed: bool = False
    reminders_from: datetime | None = None  # the selection's confirmation: gathering reminders due before it are moot
    reminded: list[str] = []  # keys of the gathering reminders acted on: each goes out once
    actions: int = 0  # accepted admin actions; the entries themselves are in the audit table
    update_answers: UpdateAnswers = Field(default_factory=UpdateAnswers)  # a repeated update ID: answered, not applied


# ---- group --------------------------------------------------------------------------------------
class Member(_State):
    number: int
    participant_workflow_id: str
    person_id: PersonId
    sector: str
    track: Track
    started: bool = False
    withdrawn: bool = False
    replaced: bool = False
    non_participating: bool = False
    attended: list[str] = []  # "gathering:day" keys
    oral_adjustment: int | None = None
    oral_absent: bool = False  # a valid absence from the oral: no grade this time, a postponed exam follows
    final_grade: Grade | None = None
    credits: int = 0
    certificate: str | None = None
    end_reason: Reason | None = None
    approved_at_withdrawal: int | None = None  # the group's later approvals are not this person's work
    ended: bool = False  # told its end (`final`): released, gave up or replaced

    @property
    def active(self) -> bool:
        return not self.replaced and not self.withdrawn

    def facts(self, requirements_approved: int) -> MemberFacts:
        return MemberFacts(
            track=self.track,
            requirements_approved=requirements_approved,
            non_participating=self.non_participating,
            withdrawn=self.withdrawn,
            attendance_days=len(self.attended),
            oral_absent=self.oral_absent,
        )


class GroupState(_State):
    outcome: Outcome = Outcome.APPLIED
    members: list[Member] = []
    requirements: list[RequirementState] = []
    written_submitted_at: datetime | None = None
    written_document: str | None = None  # the SHA-256 of the handed-in file, when it came with the submission
    project: InnovationProject | None = None  # the innovation project on record
    project_reports: list[InnovationReport] = []  # drivers and barriers, one per work requirement at most
    supervision: list[SupervisionMeeting] = []  # supervision meetings, by date (domain/supervision.py)
    written_grade: Grade | None = None
    written_missed: bool = False
    oral_slot: OralSlot | None = None  # the time and place the administration set for the group's oral
    oral_slot_revision: int = 0
    grades_computed: bool = False
    published: bool = False
    published_at: datetime | None = None  # the release: the appeal window opens here
    reminders_from: datetime | None = None  # the admission: reminders due before it (admitted late) are moot
    handled: list[str] = []  # keys of calendar items acted on: a reminder is never sent twice
    actions: int = 0
    reported_stage: GroupStage | None = None  # the stage the cohort was last told: a new run does not tell it again
    update_answers: UpdateAnswers = Field(default_factory=UpdateAnswers)  # a repeated update ID: answered, not applied


# ---- participant --------------------------------------------------------------------------------
class ParticipantState(_State):
    track: Track
    attended: list[str] = []  # "gathering:day" keys
    withdrawn: bool = False
    non_participating: bool = False
    requirements_approved: int = 0
    group_no_exam: bool = False
    ineligible_reason: Reason | None = reason("reason.waiting_for_group")  # as the group decides it
    written_grade: Grade | None = None
    oral_adjustment: int | None = None
    final_grade: Grade | None = None
    credits: int = 0
    certificate: str | None = None
    end_reason: Reason | None = None
    ended: bool = False
    actions: int = 0
    update_answers: UpdateAnswers = Field(default_factory=UpdateAnswers)  # a repeated update ID: answered, not applied
