"""One model in, one model out for every activity, so fields can be added without breaking running workflows."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.lifecycle import Outcome
from domain.models import NonEmpty, PersonId
from domain.offers import Answer
from workflows.messages import GroupDetail
from workflows.notices import Notice


class _Model(BaseModel):
    # a misspelt field name from a workflow fails loudly instead of silently writing a default
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeKind(StrEnum):
    """Every notice in docs/domain.md ("What reminders and notices are sent")."""

    APPLICATION_RECEIVED = "application_received"
    APPLICATION_INCOMPLETE = "application_incomplete"
    ADMITTED = "admitted"
    WAITLISTED = "waitlisted"
    NOT_SELECTED = "not_selected"
    MOVED_UP = "moved_up"
    GATHERING_AHEAD = "gathering_ahead"
    REQUIREMENT_DEADLINE_AHEAD = "requirement_deadline_ahead"
    REQUIREMENT_DEADLINE_PASSED = "requirement_deadline_passed"
    REQUIREMENT_RETURNED = "requirement_returned"
    REQUIREMENT_APPROVED = "requirement_approved"
    REQUIREMENT_FAILED = "requirement_failed"
    WRITTEN_DEADLINE_AHEAD = "written_deadline_ahead"
    WRITTEN_DEADLINE_MISSED = "written_deadline_missed"
    ORAL_EXAM_TIME = "oral_exam_time"
    ORAL_SCHEDULED = "oral_scheduled"  # the group's own time and place
    RESULT_PUBLISHED = "result_published"
    NO_RESULT = "no_result"  # neither a grade nor a course certificate, and why
    CERTIFICATE_ISSUED = "certificate_issued"
    APPROVAL_WAITING = "approval_waiting"  # to staff
    PLACE_GIVEN_UP = "place_given_up"
    OFFER_ACCEPTED = "offer_accepted"  # the confirmation of a "Takk ja"
    WITHDRAWN = "withdrawn"
    APPEAL_DECIDED = "appeal_decided"  # the result of an appeal, to the person who appealed
    APPEAL_WITHDRAWN = "appeal_withdrawn"  # the appeal withdrawn before its decision: the grade stays
    EXPLANATION_REQUESTED = "explanation_requested"  # a receipt for a request for a begrunnelse, with its due date
    EXPLANATION_GIVEN = "explanation_given"  # the begrunnelse is on the person's page; the appeal deadline from it
    APPEAL_COMMISSION = "appeal_commission"  # the commission is appointed (not named to the person)
    APPEAL_FURTHER_ASSESSMENT = "appeal_further_assessment"  # two grades or more from the first: assessed further
    APPEAL_ORAL_SCHEDULED = "appeal_oral_scheduled"  # a changed written grade: the new oral's time and place
    RESIT_REGISTERED = "resit_registered"  # registered for a re-sit, with its period
    RESIT_DECIDED = "resit_decided"  # the re-sit's grade and the grade that counts
    PLAN_AMENDED = "plan_amended"  # the running cohort's plan amended: what moved from when to when


class SendNoticeInput(_Model):
    """One notice to its readers. `key` names it uniquely and deterministically (workflow ID + event) and holds
    no personal data; each reader's letter is keyed `f"{key}:{person ID}"` (or `:staff`) in the outbox."""

    key: NonEmpty
    notice: Notice
    recipients: list[PersonId] = Field(default_factory=list)  # people in the register
    staff: bool = False  # also (or only) to the study administration's address (settings)


class RequirementCell(_Model):
    """One work requirement of a group as the read model keeps it (JSON in the group's row)."""

    number: int
    status: str  # domain.requirements.RequirementStatus
    deadline: AwareDatetime
    submitted_at: AwareDatetime | None = None  # handed in, waiting for approval: dates the teacher's task


GroupOutcome = Literal["applied", "admitted", "waitlist", "moved_up", "gave_up", "not_selected", "refused"]


class PendingCell(_Model):
    """What waits on a group or a cohort: a code of domain/catalogue/pending.py and its parameters (JSON in the row)."""

    code: str
    params: dict[str, str | int | None] = Field(default_factory=dict)


class CohortRow(_Model):
    """A full snapshot of the cohort's row: every field is written, so unset counts mean zero."""

    cohort: NonEmpty
    stage: str
    seed: str | None = None
    places: int = 0
    applications: int = 0
    admitted: int = 0
    waitlisted: int = 0
    refused: int = 0
    # what waits for the administration on the cohort as a whole (publishing the results), as its workflow decides
    # it: the cohort page and the inbox read it here rather than asking the workflow
    pending: list[PendingCell] = Field(default_factory=list)


class GroupRow(_Model):
    group_id: NonEmpty
    cohort: str
    application_id: str
    municipalities: str
    region: str
    size: str
    outcome: GroupOutcome
    stage: str
    requirements_approved: int = 0
    written_grade: str | None = None
    written_submitted: bool = False
    published_at: AwareDatetime | None = None  # the release; the end of the year reads results from rows after it
    requirements: list[RequirementCell] = Field(default_factory=list)  # each one's status and deadline (the inbox)
    pending: list[PendingCell] = Field(default_factory=list)  # what waits for the administration (the inbox)


class GroupDetailRow(_Model):
    """The group as its page shows it: the page reads this row, not the workflow (store.tables.GroupDetailRecord)."""

    group_id: NonEmpty
    detail: GroupDetail
    # workflow.now() of the task that made it: every update this task had run had reached the server before then
    as_of: AwareDatetime


class OfferState(_Model):
    """An application's offer of a place as the cohort decides it (workflows/cohort_offers.py)."""

    outcome: Outcome
    answer_by: AwareDatetime | None = None  # the open offer's answer deadline; None: no answer asked
    answered: Answer | None = None


class OfferRow(_Model):
    """The offer as the group's page shows it, written by the cohort: the page reads this row, not the cohort's
    overview, which waits behind the busiest workflow of the year at the admission (store.tables.OfferRecord)."""

    group_id: NonEmpty
    cohort: str
    offer: OfferState
    as_of: AwareDatetime  # workflow.now() of the cohort's task that made it, as GroupDetailRow's


class InnovationRow(_Model):
    group_id: NonEmpty
    cohort: str
    title: str
    partner_kinds: str
    reports: int


class ParticipantRow(_Model):
    """A participant by opaque id: the read model never holds a name or an e-mail address."""

    participant_id: NonEmpty
    group_id: str
    cohort: str
    sector: str
    track: str
    stage: str
    attendance_days: int = 0
    requirements_approved: int = 0
    withdrawn: bool = False
    non_participating: bool = False
    exam_eligible: bool = False
    written_grade: str | None = None
    oral_adjustment: int | None = None
    final_grade: str | None = None
    credits: int = 0
    certificate: str | None = None
    replaced: bool = False  # replaced before the first gathering: no result, shown as ended
    end_reason: str | None = None  # the code of domain/catalogue/reasons.py when it ended without a result
    person_id: str | None = None  # kept apart from the row, in participant_people (the statistics' roles)


class ProjectInput(_Model):
    cohort: CohortRow | None = None
    groups: list[GroupRow] = Field(default_factory=list)
    participants: list[ParticipantRow] = Field(default_factory=list)
    innovations: list[InnovationRow] = Field(default_factory=list)
    details: list[GroupDetailRow] = Field(default_factory=list)
    offers: list[OfferRow] = Field(default_factory=list)


class AuditEntry(_Model):
    key: NonEmpty  # idempotency: a retried activity records an entry once
    workflow_id: str
    actor: str
    action: str
    outcome: Literal["accepted", "refused"]
    reason: str | None = None  # free text of an older entry, or a refusal's text when it came without codes
    at: AwareDatetime  # workflow.now(): deterministic, and aware so the store can keep it in UTC
    params: dict[str, str | int | None] = Field(default_factory=dict)  # what the action was about
    problems: list[dict[str, Any]] = Field(default_factory=list)  # a refusal's codes and parameters


class WriteEffectsInput(_Model):
    """What one workflow task produced: its notices, its audit entries and its read-model rows that changed."""

    notices: list[SendNoticeInput] = Field(default_factory=list)
    audit: list[AuditEntry] = Field(default_factory=list)
    rows: ProjectInput = Field(default_factory=ProjectInput)


class WriteEffectsResult(_Model):
    queued: int  # letters new in the outbox (a retried write queues none)
    audited: int  # audit entries new (a retried write records none)
    rows: int  # read-model rows written
