"""The exam rules of a group: whether it has an exam at all, who may sit it, who sits the oral, its stage."""

from __future__ import annotations

from typing import Literal

from domain.eligibility import REQUIREMENTS, MemberFacts, completed_course, ineligibility
from domain.lifecycle import ENDED, OUTCOME_STAGE, GroupStage, Outcome
from domain.models import CohortPlan, Grade, Track
from domain.reasons import Reason, reason
from domain.refusals import Refusal
from domain.requirements import RequirementState, RequirementStatus


def approved_count(requirements: list[RequirementState]) -> int:
    return sum(r.status == RequirementStatus.APPROVED for r in requirements)


def no_exam_reason(requirements: list[RequirementState], written_missed: bool) -> Reason | None:
    """Why the whole group has no exam (a failed work requirement, a missed written deadline), or None."""
    failed = [str(r.number) for r in requirements if r.status == RequirementStatus.FAILED]
    if failed:
        return reason("reason.requirements_failed", numbers=", ".join(failed))
    return reason("reason.written_missed") if written_missed else None


def member_ineligibility(facts: MemberFacts, plan: CohortPlan, group_no_exam: Reason | None) -> Reason | None:
    """Why one member may not sit the exam, or None: their own facts first, then the group's."""
    own = ineligibility(facts, sum(g.days for g in plan.gatherings), plan.attendance_threshold)
    if own is None and group_no_exam is not None:  # reason.requirements_failed -> reason.group_requirements_failed
        return Reason(code=group_no_exam.code.replace("reason.", "reason.group_", 1), params=group_no_exam.params)
    return own


def requirements_complete(facts: MemberFacts) -> bool:
    """A course participant completes with all four approved and having taken part (not withdrawn, not marked);
    a student's requirements are the group's."""
    if facts.track == Track.COURSE:
        return completed_course(facts)
    return facts.requirements_approved >= REQUIREMENTS


def sits_oral(written: Grade | None, ineligible: Reason | None) -> bool:
    """A written F is final: no oral. Otherwise every eligible member sits it once the written is graded."""
    return written not in (None, Grade.F) and ineligible is None


def group_stage(
    outcome: Outcome,
    published: bool,
    no_exam: bool,
    grades_computed: bool,
    written_graded: bool,
    all_approved: bool,
    written_submitted: bool,
) -> GroupStage:
    if outcome in OUTCOME_STAGE:
        return OUTCOME_STAGE[outcome]
    if published:
        return GroupStage.PUBLISHED
    if no_exam:
        return GroupStage.NO_EXAM
    if grades_computed:
        return GroupStage.GRADED
    if written_graded:
        return GroupStage.GRADING
    return GroupStage.WRITTEN if all_approved or written_submitted else GroupStage.PROGRAMME


def ready_to_publish(outcome: Outcome, grades_computed: bool) -> bool:
    return grades_computed or outcome in ENDED


def check_attendance(plan: CohortPlan, gathering: int, days: list[int], started: bool) -> None:
    """Attendance is registered for days the gathering has, once it has started (each day once: the input's own
    rule, workflows.messages.AttendanceInput)."""
    if gathering > len(plan.gatherings):
        raise Refusal("group.attendance_no_such_gathering", gatherings=len(plan.gatherings), gathering=gathering)
    has = plan.gatherings[gathering - 1].days
    beyond = sorted({d for d in days if d > has})
    if beyond:
        raise Refusal("group.attendance_no_such_day", gathering=gathering, days=has, day=", ".join(map(str, beyond)))
    if not started:
        raise Refusal("group.attendance_not_started", gathering=gathering)


NoResultReason = Literal[
    "requirements_not_approved",
    "non_participating",
    "no_exam_for_group",
    "course_not_completed",
    "assessment_undecided",
    "attendance",
    "oral_absent",
]


def no_result_reason(facts: MemberFacts, plan: CohortPlan, group_no_exam: Reason | None) -> NoResultReason:
    """Why a member ends the year without a grade or a course certificate, as a notice names it."""
    if facts.track == Track.ASSESSMENT:
        return "assessment_undecided"
    if facts.non_participating:
        return "non_participating"
    if facts.track == Track.COURSE:
        return "course_not_completed"
    if facts.requirements_approved < REQUIREMENTS:
        return "requirements_not_approved"
    if group_no_exam:
        return "no_exam_for_group"
    if facts.oral_absent:
        return "oral_absent"
    return "attendance"
