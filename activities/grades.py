"""The combined grade of each member of a group, from the rules in domain.grading."""

from __future__ import annotations

from temporalio import activity

from domain.grading import combine, final_result
from domain.models import Grade, Strict, Track


class MemberGradeInput(Strict):
    participant_workflow_id: str
    track: Track
    requirements_complete: bool
    exam_eligible: bool
    ineligible_reason: str | None
    oral_adjustment: int | None
    oral_absent: bool = False


class ComputeGradesInput(Strict):
    written_grade: Grade | None
    step_limit: int
    members: list[MemberGradeInput]


class MemberGradeResult(Strict):
    participant_workflow_id: str
    final_grade: Grade | None
    credits: int
    certificate: str | None
    end_reason: str | None


class ComputeGradesResult(Strict):
    members: list[MemberGradeResult]


def grade_member(member: MemberGradeInput, written: Grade | None, step_limit: int) -> MemberGradeResult:
    grade = None
    absent = member.oral_absent and written not in (None, Grade.F)  # a written F has no oral to be absent from
    if member.track == Track.STUDENT and member.exam_eligible and written is not None and not absent:
        grade = combine(written, member.oral_adjustment or 0, step_limit)
    result = final_result(member.track, member.requirements_complete, grade)
    reason = None
    if result.certificate is None:
        reason = member.ineligible_reason or ("no exam" if grade is None else f"grade {grade.value}")
        reason = "valid absence from the oral: a postponed exam follows" if absent else reason
    return MemberGradeResult(
        participant_workflow_id=member.participant_workflow_id,
        final_grade=result.grade,
        credits=result.credits,
        certificate=result.certificate,
        end_reason=reason,
    )


@activity.defn
async def compute_grades(input: ComputeGradesInput) -> ComputeGradesResult:
    return ComputeGradesResult(members=[grade_member(m, input.written_grade, input.step_limit) for m in input.members])
