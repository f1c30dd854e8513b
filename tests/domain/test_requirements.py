from datetime import UTC, datetime, timedelta

import pytest

from domain.eligibility import MemberFacts, completed_course, ineligibility
from domain.models import Track
from domain.refusals import Refusal
from domain.requirements import (
    RequirementState,
    RequirementStatus,
    approve,
    deadline_passed,
    extend,
    return_with_feedback,
    submit,
)

T0 = datetime(2022, 10, 1, tzinfo=UTC)
WEEK = timedelta(days=7)


def fresh() -> RequirementState:
    return RequirementState(number=1, deadline=T0 + WEEK)


def test_submit_then_approve() -> None:
    assert approve(submit(fresh(), T0)).status == RequirementStatus.APPROVED


def test_approving_what_was_never_submitted_is_refused() -> None:
    with pytest.raises(Refusal) as refused:
        approve(fresh())
    assert refused.value.code == "requirement.not_submitted_to_approve"
    assert str(refused.value) == "Arbeidskrav 1 er åpent, ikke levert; det kan ikke godkjennes"


def test_second_approval_is_refused() -> None:
    with pytest.raises(Refusal, match="Arbeidskrav 1 er godkjent, ikke levert"):
        approve(approve(submit(fresh(), T0)))


def test_return_gives_one_resubmission_then_fails() -> None:
    returned = return_with_feedback(submit(fresh(), T0), "Mangler problemstilling", T0, WEEK)
    assert returned.status == RequirementStatus.RETURNED and returned.deadline == T0 + WEEK
    again = return_with_feedback(submit(returned, T0 + timedelta(days=1)), "Fortsatt uklart", T0, WEEK)
    assert again.status == RequirementStatus.FAILED


def test_return_needs_feedback() -> None:
    with pytest.raises(Refusal, match="må ha en tilbakemelding"):
        return_with_feedback(submit(fresh(), T0), "  ", T0, WEEK)


def test_missed_deadline_opens_resubmission_then_fails() -> None:
    missed = deadline_passed(fresh(), WEEK)
    assert missed.status == RequirementStatus.MISSED and missed.deadline == T0 + 2 * WEEK
    assert deadline_passed(missed, WEEK).status == RequirementStatus.FAILED


def test_late_submission_is_refused() -> None:
    with pytest.raises(Refusal) as late:
        submit(fresh(), T0 + 2 * WEEK)
    assert late.value.problems[0].params == {"number": 1, "deadline": "2022-10-08T00:00:00+00:00"}
    assert str(late.value) == "Arbeidskrav 1: fristen 08.10.2022 kl. 02:00 er passert"  # Oslo's clock, summer time


def test_extension_moves_deadline_and_must_be_later() -> None:
    assert extend(fresh(), T0 + 2 * WEEK, T0).deadline == T0 + 2 * WEEK
    with pytest.raises(Refusal, match="må være senere"):
        extend(fresh(), T0, T0)


def test_extension_ends_at_the_last_oral_exam() -> None:
    oral_end = T0 + 8 * WEEK
    assert extend(fresh(), oral_end, T0, oral_end).deadline == oral_end
    with pytest.raises(Refusal) as after:
        extend(fresh(), oral_end + timedelta(minutes=1), T0, oral_end)
    assert str(after.value) == (
        "Arbeidskrav 1: den nye fristen 26.11.2022 kl. 01:01 er etter siste muntlige eksamen; "
        "seneste tillatte frist er 26.11.2022 kl. 01:00"
    )
    with pytest.raises(Refusal, match="den nye fristen 31.12.9999 kl. 23:59"):
        extend(fresh(), datetime(9999, 12, 31, 23, 59, tzinfo=UTC), T0, oral_end)


def test_eligibility_reasons() -> None:
    student = MemberFacts(track=Track.STUDENT, requirements_approved=4, attendance_days=10)
    assert ineligibility(student, 14, None) is None
    assert "3 av 4" in str(ineligibility(student.model_copy(update={"requirements_approved": 3}), 14, None))
    assert ineligibility(student.model_copy(update={"non_participating": True}), 14, None)
    assert "under kravet i studieplanen" in str(ineligibility(student, 14, 0.8))
    assert ineligibility(student.model_copy(update={"track": Track.ASSESSMENT}), 14, None)
    course = MemberFacts(track=Track.COURSE, requirements_approved=4)
    assert completed_course(course) and not completed_course(course.model_copy(update={"withdrawn": True}))
