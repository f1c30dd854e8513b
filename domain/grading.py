"""Grade combination: the oral adjusts the written grade within the plan's step limit."""

from __future__ import annotations

from domain.models import Grade, Strict, Track
from domain.refusals import Refusal

SCALE = [Grade.A, Grade.B, Grade.C, Grade.D, Grade.E, Grade.F]
CREDITS = 30


class FinalResult(Strict):
    grade: Grade | None
    credits: int
    certificate: str | None  # "transcript" | "course_certificate" | None


def adjustment_refusal(written: Grade, adjustment: int, step_limit: int) -> Refusal | None:
    """Why an oral adjustment (+1 = one step better) cannot be applied to the written grade, or None."""
    if written == Grade.F and adjustment != 0:
        return Refusal("grading.written_f_final")
    if abs(adjustment) > step_limit:
        return Refusal("grading.beyond_step_limit", limit=step_limit, adjustment=adjustment)
    position = SCALE.index(written) - adjustment
    if not 0 <= position < len(SCALE):
        return Refusal("grading.beyond_scale", grade=written.value, adjustment=adjustment)
    return None


def combine(written: Grade, adjustment: int, step_limit: int) -> Grade:
    refusal = adjustment_refusal(written, adjustment, step_limit)
    if refusal is not None:
        raise refusal
    return SCALE[SCALE.index(written) - adjustment]


def final_result(track: Track, requirements_complete: bool, grade: Grade | None) -> FinalResult:
    """Credits for a passed grade of a student; a course certificate for a course participant who completed."""
    if track == Track.COURSE:
        return FinalResult(grade=None, credits=0, certificate="course_certificate" if requirements_complete else None)
    passed = grade is not None and grade != Grade.F
    return FinalResult(grade=grade, credits=CREDITS if passed else 0, certificate="transcript" if passed else None)
