"""The combined grade of each member of a group, from the rules in domain.grading."""

from __future__ import annotations

from temporalio import activity

from domain.grading import combine, final_result
from domain.models import Grade, Strict, Track
from domain.reasons import Reason, reason


class MemberGradeInput(Strict):
    participant_workflow_id: str
    track: Track
    requirements_complete: bool
    exam_eligible: bool
    ineligible_reason: Reason | None
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
    end_reason: Reason | None


class ComputeGradesResult(Strict):
    members: list[MemberGradeResult]


def grade_member(member: MemberGradeInput, written: Grade | None, step_limit: int) -> MemberGradeResult:
    grade = None
    absent = member.oral_absent and written not in (None, Grade.F)  # a written F has no oral to be absent from
    if member.track == Track.STUDENT and member.exam_eligible and written is not None and not absent:
        grade = combine(written, member.oral_adjustment or 0, step_limit)
    result = final_result(member.track, member.requirements_complete, grade)
    why = None
    if result.certificate is None:
        graded = reason("reason.no_exam") if grade is None else reason("reason.grade", grade=grade.value)
        why = reason("reason.oral_absent") if absent else member.ineligible_reason or graded
    return MemberGradeResult(
        participant_workflow_id=member.participant_workflow_id,
        final_grade=result.grade,
        credits=result.credits,
        certificate=result.certificate,
        end_reason=why,
    )


@activity.defn
async def compute_grades(input: ComputeGradesInput) -> ComputeGradesResult:
    return ComputeGradesResult(members=[grade_member(m, input.written_grade, input.step_limit) for m in input.members])
