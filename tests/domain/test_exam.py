"""The exam rules of a group, without Temporal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from domain import exam
from domain.eligibility import MemberFacts
from domain.lifecycle import GroupStage, Outcome
from domain.models import CohortPlan, Grade, Track
from domain.plan import load_plan
from domain.reasons import Reason, reason
from domain.requirements import RequirementState, RequirementStatus


def test_a_course_participant_completes_only_having_taken_part() -> None:
    done = MemberFacts(track=Track.COURSE, requirements_approved=4)
    assert exam.requirements_complete(done)
    assert not exam.requirements_complete(done.model_copy(update={"withdrawn": True}))  # the group's approvals
    assert not exam.requirements_complete(done.model_copy(update={"non_participating": True}))
    assert exam.requirements_complete(MemberFacts(track=Track.STUDENT, requirements_approved=4))


def test_a_written_f_has_no_oral_and_an_ineligible_member_none_either() -> None:
    assert not exam.sits_oral(Grade.F, None) and not exam.sits_oral(None, None)
    assert exam.sits_oral(Grade.C, None) and not exam.sits_oral(Grade.C, reason("reason.withdrawn"))


def test_the_stage_follows_the_outcome_then_the_exam() -> None:
    stage = exam.group_stage
    assert stage(Outcome.WAITLIST, False, False, False, False, False, False) == GroupStage.WAITLIST
    assert stage(Outcome.ADMITTED, False, True, False, False, False, False) == GroupStage.NO_EXAM
    assert stage(Outcome.ADMITTED, False, False, False, False, True, False) == GroupStage.WRITTEN
    assert stage(Outcome.ADMITTED, True, False, True, True, True, True) == GroupStage.PUBLISHED


def test_no_result_names_why() -> None:
    plan = example_plan()
    assert exam.no_result_reason(MemberFacts(track=Track.COURSE, requirements_approved=2), plan, None) == (
        "course_not_completed"
    )
    student = MemberFacts(track=Track.STUDENT, requirements_approved=4)
    assert (
        exam.no_result_reason(student, plan, reason("reason.requirements_failed", numbers="2")) == "no_exam_for_group"
    )
    assert exam.no_result_reason(student.model_copy(update={"requirements_approved": 3}), plan, None) == (
        "requirements_not_approved"
    )


def example_plan() -> CohortPlan:
    return load_plan(Path(__file__).parents[2] / "demo" / "plans" / "kull-2022.json")


def test_every_reason_the_rules_give_reads_in_norwegian() -> None:
    plan = example_plan().model_copy(update={"attendance_threshold": 0.8})  # the plan leaves it to us; set one
    due = datetime(2026, 1, 1, tzinfo=UTC)
    failed = [
        RequirementState(number=2, deadline=due, status=RequirementStatus.FAILED),
        RequirementState(number=3, deadline=due, status=RequirementStatus.FAILED),
    ]
    group_reasons = [exam.no_exam_reason(failed, False), exam.no_exam_reason([], True)]
    student = MemberFacts(track=Track.STUDENT, requirements_approved=4, attendance_days=14)
    members = [
        student.model_copy(update={"withdrawn": True}),
        MemberFacts(track=Track.ASSESSMENT, requirements_approved=4),
        MemberFacts(track=Track.COURSE, requirements_approved=4),
        student.model_copy(update={"non_participating": True}),
        student.model_copy(update={"requirements_approved": 1}),
        student.model_copy(update={"attendance_days": 1}),
    ]
    reasons = [
        *group_reasons,
        *(exam.member_ineligibility(m, plan, None) for m in members),
        *(exam.member_ineligibility(student, plan, g) for g in group_reasons),
        reason("reason.waiting_for_group"),  # a participant's reason until their group decides it
    ]
    said = {r.code: r.text() for r in reasons if r is not None}
    assert len(said) == len(reasons) == 11
    for code, text in said.items():
        assert code not in text and not {"the", "of", "not", "was", "group"} & set(text.split()), (code, text)
    assert said["reason.requirements_approved"] == "1 av 4 arbeidskrav godkjent"
    assert said["reason.group_requirements_failed"] == "gruppen har ikke eksamen: arbeidskrav 2, 3 er ikke bestått"


def test_a_reason_older_state_kept_as_english_text_is_read_as_its_code() -> None:
    """Before reasons were codes the workflows stored English text; a running workflow's state may still hold it."""
    old = Reason.model_validate("no exam for the group: work requirement 2, 3 failed")
    assert old == reason("reason.group_requirements_failed", numbers="2, 3")
    assert Reason.model_validate("1 of 4 work requirements approved").params == {"approved": 1, "required": 4}
    assert str(Reason.model_validate("grade B")) == "karakter B"
    assert str(Reason.model_validate("waiting for the group")) == "venter på gruppen"
    assert str(Reason.model_validate("something new")) == "something new"  # shown as it is rather than hidden
