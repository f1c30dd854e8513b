"""One realistic notice of every kind, with the facts taken from the demo's kull-2022 plan (its dates, themes and
work-requirement titles), as the workflows build them at those moments."""

from __future__ import annotations

from datetime import timedelta

from domain.admission import application_errors
from domain.end_of_year.appeals import appeal_deadline
from domain.models import Application, CohortPlan, Grade
from domain.plan import load_plan
from domain.plan_amend import plan_changes
from tests.factories import application
from workflows.notices import (
    Admitted,
    AppealCommissionAppointed,
    AppealDecided,
    AppealFurtherAssessment,
    AppealOralScheduled,
    AppealWithdrawn,
    ApplicationIncomplete,
    ApplicationReceived,
    ApprovalWaiting,
    CertificateIssued,
    ExplanationGiven,
    ExplanationRequested,
    GatheringAhead,
    MovedUp,
    NoResult,
    Notice,
    NotSelected,
    OfferAccepted,
    OralExamTime,
    OralScheduled,
    PlaceGivenUp,
    PlanAmended,
    RequirementApproved,
    RequirementDeadlineAhead,
    RequirementDeadlinePassed,
    RequirementFailed,
    RequirementReturned,
    ResitDecided,
    ResitRegistered,
    ResultPublished,
    Waitlisted,
    Withdrawn,
    WrittenDeadlineAhead,
    WrittenDeadlineMissed,
)

PLAN = load_plan("demo/plans/kull-2022.json")
WEEK = 7 * 86400.0
DAY = 86400.0
JOINT = ["1804", "1841", "1840"]  # Bodø, Fauske and Saltdal apply together
OSLO = ["0301"]
FEEDBACK = "Problemstillingen er for vid. Avgrens prosjektet til én tjeneste, og beskriv hvem som skal ha nytte av den."


def incomplete_application_errors() -> list[str]:
    """What the cohort workflow lists for an application of two participants from one sector, in Norwegian."""
    data = application(OSLO, participants=2)
    for participant in data["participants"]:
        participant["sector"] = "politisk"
    return application_errors(Application.model_validate(data))


def samples() -> dict[str, Notice]:
    """Every kind once, keyed by kind."""
    cohort = PLAN.cohort
    first = PLAN.gatherings[0].start
    gathering = PLAN.gatherings[1]
    requirement = PLAN.work_requirements[1]
    resubmission = timedelta(seconds=PLAN.resubmission_seconds)
    notices: list[Notice] = [
        ApplicationReceived(cohort=cohort, municipalities=JOINT, selection_date=PLAN.selection_date),
        ApplicationIncomplete(
            cohort=cohort,
            municipalities=OSLO,
            application_deadline=PLAN.application_deadline,
            errors=incomplete_application_errors(),
        ),
        Admitted(
            cohort=cohort, municipalities=JOINT, first_gathering=first, answer_deadline=first - timedelta(days=10)
        ),
        Waitlisted(cohort=cohort, municipalities=OSLO, position=2, first_gathering=first),
        NotSelected(cohort=cohort, municipalities=OSLO),
        MovedUp(cohort=cohort, municipalities=OSLO, first_gathering=first, answer_deadline=first - timedelta(days=2)),
        OfferAccepted(cohort=cohort, municipalities=JOINT, first_gathering=first),
        PlaceGivenUp(cohort=cohort, municipalities=JOINT),
        GatheringAhead(
            cohort=cohort,
            number=2,
            theme=gathering.theme,
            start=gathering.start,
            end=gathering.end,
            days=gathering.days,
            seconds_before=WEEK,
        ),
        RequirementDeadlineAhead(
            cohort=cohort, number=2, title=requirement.title, deadline=requirement.deadline, seconds_before=DAY
        ),
        RequirementDeadlinePassed(
            cohort=cohort,
            number=2,
            title=requirement.title,
            missed_deadline=requirement.deadline,
            resubmission_deadline=requirement.deadline + resubmission,
        ),
        RequirementReturned(
            cohort=cohort,
            number=2,
            title=requirement.title,
            feedback=FEEDBACK,
            resubmission_deadline=requirement.deadline + resubmission,
        ),
        RequirementApproved(cohort=cohort, number=2, title=requirement.title),
        RequirementFailed(cohort=cohort, number=2, title=requirement.title, feedback=FEEDBACK),
        WrittenDeadlineAhead(cohort=cohort, deadline=PLAN.written_deadline, seconds_before=WEEK),
        WrittenDeadlineMissed(cohort=cohort, deadline=PLAN.written_deadline),
        OralExamTime(cohort=cohort, start=PLAN.oral_start, end=PLAN.oral_end),
        OralScheduled(cohort=cohort, start=PLAN.oral_start, place="Rom 101, Storgata 1", step_limit=2),
        ResultPublished(
            cohort=cohort,
            grade=Grade.B,
            credits=30,
            appeal_deadline=appeal_deadline(PLAN.oral_end, PLAN.appeal_seconds),
            explanation_deadline=appeal_deadline(PLAN.oral_end, PLAN.explanation_seconds),
        ),
        NoResult(cohort=cohort, reason="requirements_not_approved"),
        CertificateIssued(cohort=cohort),
        ApprovalWaiting(
            cohort=cohort,
            number=2,
            title=requirement.title,
            municipalities=JOINT,
            submitted_at=requirement.deadline - timedelta(days=1),
        ),
        Withdrawn(cohort=cohort),
        PlanAmended(cohort=cohort, changes=plan_changes(PLAN, _moved_second_gathering())),
        AppealDecided(
            cohort=cohort,
            written_before=Grade.C,
            written_after=Grade.B,
            grade_before=Grade.C,
            grade_after=Grade.B,
            credits=30,
            further_assessment=True,
        ),
        AppealCommissionAppointed(cohort=cohort, examiners=2, external=1),
        AppealFurtherAssessment(cohort=cohort),
        AppealOralScheduled(
            cohort=cohort,
            start=PLAN.oral_end + timedelta(days=40, hours=3),
            place="Møterom Fjord, Storgata 1",
            written_after=Grade.B,
        ),
        AppealWithdrawn(cohort=cohort, grade=Grade.C, withdrawn_by_self=True),
        ExplanationRequested(cohort=cohort, grade=Grade.C, due=PLAN.oral_end + timedelta(days=30), by_self=True),
        ExplanationGiven(cohort=cohort, grade=Grade.C, appeal_deadline=PLAN.oral_end + timedelta(days=45)),
        ResitRegistered(
            cohort=cohort,
            attempt=2,
            postponed=False,
            period_start=PLAN.oral_end + timedelta(days=60),
            period_end=PLAN.oral_end + timedelta(days=90),
        ),
        ResitDecided(
            cohort=cohort,
            attempt=2,
            postponed=False,
            written=Grade.C,
            attempt_grade=Grade.C,
            grade_before=Grade.F,
            grade_after=Grade.C,
            credits=30,
        ),
    ]
    return {notice.kind: notice for notice in notices}


def _moved_second_gathering() -> CohortPlan:
    """The demo plan with its second gathering two days later and requirement 2's deadline a week later."""
    gatherings = list(PLAN.gatherings)
    second = gatherings[1]
    gatherings[1] = second.model_copy(
        update={"start": second.start + timedelta(days=2), "end": second.end + timedelta(days=2)}
    )
    requirements = list(PLAN.work_requirements)
    requirements[1] = requirements[1].model_copy(update={"deadline": requirements[1].deadline + timedelta(days=7)})
    return PLAN.model_copy(update={"gatherings": gatherings, "work_requirements": requirements})
