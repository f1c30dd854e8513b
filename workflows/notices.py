"""The typed notices: one model per kind, with exactly the facts its letter needs.

A workflow queues one of these; the letters activity renders it for each recipient at delivery time. A missing
fact is a validation error where the workflow builds the notice, never a blank in a letter. Facts only: no names
or addresses (the recipients travel beside the notice), dates as aware datetimes (the letter formats them in
Europe/Oslo), municipalities as kommunenumre (the letter names them from the municipality register).
"""

from __future__ import annotations

from typing import Annotated, Literal, TypedDict

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.exam import NoResultReason
from domain.models import Gathering, Grade, Kommunenummer
from domain.offers import PlaceEnd
from domain.plan_amend import PlanChange


class _Notice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cohort: str = Field(min_length=1)  # the cohort's name in the plan, e.g. "2022"


class _GroupNotice(_Notice):
    municipalities: list[Kommunenummer] = Field(min_length=1)  # the application's, in the order given


class GroupFacts(TypedDict):
    """The facts every group notice starts from, spread into its model."""

    cohort: str
    municipalities: list[str]


class RequirementFacts(TypedDict):
    cohort: str
    number: int
    title: str


class _Reminder(BaseModel):
    """A reminder says how far ahead it is: the 7-day and the 1-day reminder of one event read differently."""

    seconds_before: float = Field(gt=0)


class ApplicationReceived(_GroupNotice):
    kind: Literal["application_received"] = "application_received"
    selection_date: AwareDatetime


class ApplicationIncomplete(_GroupNotice):
    kind: Literal["application_incomplete"] = "application_incomplete"
    errors: list[str] = Field(min_length=1)
    application_deadline: AwareDatetime


class Admitted(_GroupNotice):
    kind: Literal["admitted"] = "admitted"
    first_gathering: AwareDatetime
    answer_deadline: AwareDatetime | None = None  # answer "Takk ja" or "Takk nei" by then; None: no answer asked


class Waitlisted(_GroupNotice):
    kind: Literal["waitlisted"] = "waitlisted"
    position: int = Field(ge=1)
    first_gathering: AwareDatetime  # the waiting list closes when the first gathering starts


class NotSelected(_GroupNotice):
    kind: Literal["not_selected"] = "not_selected"


class MovedUp(_GroupNotice):
    kind: Literal["moved_up"] = "moved_up"
    first_gathering: AwareDatetime
    answer_deadline: AwareDatetime | None = None


class OfferAccepted(_GroupNotice):
    """The confirmation of a "Takk ja", to the municipality's contact."""

    kind: Literal["offer_accepted"] = "offer_accepted"
    first_gathering: AwareDatetime


class PlaceGivenUp(_GroupNotice):
    kind: Literal["place_given_up"] = "place_given_up"
    ended_by: PlaceEnd = PlaceEnd.GAVE_UP  # a "Takk nei" and an offer left unanswered say so


class GatheringAhead(_Notice, _Reminder):
    kind: Literal["gathering_ahead"] = "gathering_ahead"
    number: int = Field(ge=1)
    theme: str = Field(min_length=1)
    start: AwareDatetime
    end: AwareDatetime
    days: int = Field(ge=1)

    @classmethod
    def of(cls, cohort: str, number: int, gathering: Gathering, seconds_before: float) -> GatheringAhead:
        """The reminder of the plan's gathering `number`, `seconds_before` its start."""
        return cls(
            cohort=cohort,
            number=number,
            theme=gathering.theme,
            start=gathering.start,
            end=gathering.end,
            days=gathering.days,
            seconds_before=seconds_before,
        )


class _RequirementNotice(_Notice):
    number: int = Field(ge=1)
    title: str = Field(min_length=1)


class RequirementDeadlineAhead(_RequirementNotice, _Reminder):
    kind: Literal["requirement_deadline_ahead"] = "requirement_deadline_ahead"
    deadline: AwareDatetime


class RequirementDeadlinePassed(_RequirementNotice):
    kind: Literal["requirement_deadline_passed"] = "requirement_deadline_passed"
    missed_deadline: AwareDatetime
    resubmission_deadline: AwareDatetime


class RequirementReturned(_RequirementNotice):
    kind: Literal["requirement_returned"] = "requirement_returned"
    feedback: str = Field(min_length=1)
    resubmission_deadline: AwareDatetime


class RequirementApproved(_RequirementNotice):
    kind: Literal["requirement_approved"] = "requirement_approved"


class RequirementFailed(_RequirementNotice):
    kind: Literal["requirement_failed"] = "requirement_failed"
    feedback: str | None = None  # the teacher's reason when it was returned a second time; None when it was missed


class WrittenDeadlineAhead(_Notice, _Reminder):
    kind: Literal["written_deadline_ahead"] = "written_deadline_ahead"
    deadline: AwareDatetime


class WrittenDeadlineMissed(_Notice):
    kind: Literal["written_deadline_missed"] = "written_deadline_missed"
    deadline: AwareDatetime


class OralExamTime(_Notice):
    kind: Literal["oral_exam_time"] = "oral_exam_time"
    start: AwareDatetime
    end: AwareDatetime
    step_limit: int = 1  # the plan's: how many steps the oral may move the written grade


class OralScheduled(_Notice):
    """The group's own oral: when and where, from the administration's timetable."""

    kind: Literal["oral_scheduled"] = "oral_scheduled"
    start: AwareDatetime
    place: str
    step_limit: int = 1


class ResultPublished(_Notice):
    kind: Literal["result_published"] = "result_published"
    grade: Grade
    credits: int = Field(ge=0)
    appeal_deadline: AwareDatetime
    explanation_deadline: AwareDatetime | None = None  # the last day to ask for a begrunnelse (None: older notices)


class NoResult(_Notice):
    """To a member who ends the year with neither a grade nor a course certificate, saying why."""

    kind: Literal["no_result"] = "no_result"
    reason: NoResultReason


class CertificateIssued(_Notice):
    kind: Literal["certificate_issued"] = "certificate_issued"


class ApprovalWaiting(_RequirementNotice):
    """To the study administration: a submission has waited for a teacher longer than the plan allows."""

    kind: Literal["approval_waiting"] = "approval_waiting"
    municipalities: list[Kommunenummer] = Field(min_length=1)
    submitted_at: AwareDatetime


class Withdrawn(_Notice):
    kind: Literal["withdrawn"] = "withdrawn"


class AppealDecided(_Notice):
    """To the person who appealed: the new assessment of the written part, and the combined grade it gives."""

    kind: Literal["appeal_decided"] = "appeal_decided"
    written_before: Grade
    written_after: Grade
    grade_before: Grade  # the grade that counted before the appeal
    grade_after: Grade  # the grade that counts after it
    credits: int = Field(ge=0)
    further_assessment: bool = False  # the grade was fixed after a further assessment
    attempt: int = 1  # the sitting appealed: 2 and on are re-sits (ny or utsatt eksamen)
    attempt_grade_before: Grade | None = None  # a re-sit's appeal: the attempt's own grade before and after it
    attempt_grade_after: Grade | None = None


class AppealCommissionAppointed(_Notice):
    """To the person who appealed: a commission of new examiners assesses the written work again. It does not name
    them: they assess without knowing the first grade or the reasons, and the person learns the result by letter."""

    kind: Literal["appeal_commission"] = "appeal_commission"
    examiners: int = Field(ge=2)
    external: int = Field(ge=1)
    attempt: int = 1  # the sitting appealed: 2 and on are re-sits


class AppealFurtherAssessment(_Notice):
    """To the person who appealed: the commission's grade is two or more grades from the first, so the grade is
    assessed further, with all documents, before it is fixed."""

    kind: Literal["appeal_further_assessment"] = "appeal_further_assessment"


class AppealOralScheduled(_Notice):
    """To the person who appealed: the commission changed the written grade, so there is a new oral; when and where,
    from the administration."""

    kind: Literal["appeal_oral_scheduled"] = "appeal_oral_scheduled"
    start: AwareDatetime
    place: str
    written_after: Grade  # the new written grade the oral adjusts
    step_limit: int = 1


class AppealWithdrawn(_Notice):
    """To the person who appealed: the appeal is withdrawn before it was decided, and the grade stays."""

    kind: Literal["appeal_withdrawn"] = "appeal_withdrawn"
    grade: Grade  # the combined grade, as it was before the appeal
    withdrawn_by_self: bool  # the person withdrew it themself, or the administration did on their word
    attempt: int = 1  # the sitting appealed: 2 and on are re-sits


class ExplanationRequested(_Notice):
    """To the person: a receipt for their request for a begrunnelse, and when it is due."""

    kind: Literal["explanation_requested"] = "explanation_requested"
    grade: Grade
    due: AwareDatetime  # when the examiner's begrunnelse is due
    by_self: bool  # asked on their own page, or registered by the administration


class ExplanationGiven(_Notice):
    """To the person: the begrunnelse is written (its words are on their page, not in the letter's facts), and the
    appeal deadline that now runs from it."""

    kind: Literal["explanation_given"] = "explanation_given"
    grade: Grade
    appeal_deadline: AwareDatetime


class ResitRegistered(_Notice):
    """To the student: they are registered to sit the exam again, and when."""

    kind: Literal["resit_registered"] = "resit_registered"
    attempt: int = Field(ge=2)
    postponed: bool  # utsatt eksamen after a valid absence from the oral: the oral alone
    period_start: AwareDatetime
    period_end: AwareDatetime


class ResitDecided(_Notice):
    """To the student: the re-sit's grade, and the grade that counts (the best of the attempts)."""

    kind: Literal["resit_decided"] = "resit_decided"
    attempt: int = Field(ge=2)
    postponed: bool
    written: Grade
    attempt_grade: Grade
    grade_before: Grade | None  # None: no grade before, after a valid absence
    grade_after: Grade
    credits: int = Field(ge=0)
    attempts_max: int = Field(default=3, ge=1)  # the plan's: the ordinary exam and the re-sits, in all


class PlanAmended(_Notice):
    """The running cohort's plan amended: each date moved, from when to when (domain/plan_amend.py)."""

    kind: Literal["plan_amended"] = "plan_amended"
    changes: list[PlanChange] = Field(min_length=1)


Notice = Annotated[
    ApplicationReceived
    | ApplicationIncomplete
    | Admitted
    | Waitlisted
    | NotSelected
    | MovedUp
    | OfferAccepted
    | PlaceGivenUp
    | GatheringAhead
    | RequirementDeadlineAhead
    | RequirementDeadlinePassed
    | RequirementReturned
    | RequirementApproved
    | RequirementFailed
    | WrittenDeadlineAhead
    | WrittenDeadlineMissed
    | OralExamTime
    | OralScheduled
    | ResultPublished
    | NoResult
    | CertificateIssued
    | ApprovalWaiting
    | Withdrawn
    | AppealDecided
    | AppealCommissionAppointed
    | AppealFurtherAssessment
    | AppealOralScheduled
    | AppealWithdrawn
    | ExplanationRequested
    | ExplanationGiven
    | ResitRegistered
    | ResitDecided
    | PlanAmended,
    Field(discriminator="kind"),
]

NOTICE_TYPES: tuple[type[_Notice], ...] = (
    ApplicationReceived,
    ApplicationIncomplete,
    Admitted,
    Waitlisted,
    NotSelected,
    MovedUp,
    OfferAccepted,
    PlaceGivenUp,
    GatheringAhead,
    RequirementDeadlineAhead,
    RequirementDeadlinePassed,
    RequirementReturned,
    RequirementApproved,
    RequirementFailed,
    WrittenDeadlineAhead,
    WrittenDeadlineMissed,
    OralExamTime,
    OralScheduled,
    ResultPublished,
    NoResult,
    CertificateIssued,
    ApprovalWaiting,
    Withdrawn,
    AppealDecided,
    AppealCommissionAppointed,
    AppealFurtherAssessment,
    AppealOralScheduled,
    AppealWithdrawn,
    ExplanationRequested,
    ExplanationGiven,
    ResitRegistered,
    ResitDecided,
    PlanAmended,
)


def kind_of(notice_type: type[_Notice]) -> str:
    return str(notice_type.model_fields["kind"].default)
