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


# The English the re-sit and the appeal still refuse with (workflows/resit.py, domain/appeals.py), until they refuse
# by code with adjustment_refusal; then this goes.
_ENGLISH = {
    "grading.written_f_final": "a written F is final and has no oral adjustment",
    "grading.beyond_step_limit": "the oral may move the grade at most {limit} step(s), not {adjustment:+d}",
    "grading.beyond_scale": "{grade} cannot be moved {adjustment:+d} step(s)",
}


def adjustment_error(written: Grade, adjustment: int, step_limit: int) -> str | None:
    """adjustment_refusal in English, for the callers that do not refuse by code yet."""
    refusal = adjustment_refusal(written, adjustment, step_limit)
    return None if refusal is None else _ENGLISH[refusal.code].format(**refusal.problems[0].params)


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
