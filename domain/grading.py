"""Grade combination: the oral adjusts the written grade within the plan's step limit."""

from __future__ import annotations

from domain.models import Grade, Strict, Track

SCALE = [Grade.A, Grade.B, Grade.C, Grade.D, Grade.E, Grade.F]
CREDITS = 30


class GradeError(ValueError):
    """An adjustment the rules do not allow."""


class FinalResult(Strict):
    grade: Grade | None
    credits: int
    certificate: str | None  # "transcript" | "course_certificate" | None


def adjustment_error(written: Grade, adjustment: int, step_limit: int) -> str | None:
    """Why an oral adjustment (+1 = one step better) cannot be applied to the written grade, or None."""
    if written == Grade.F and adjustment != 0:
        return "a written F is final and has no oral adjustment"
    if abs(adjustment) > step_limit:
        return f"the oral may move the grade at most {step_limit} step(s), not {adjustment:+d}"
    position = SCALE.index(written) - adjustment
    if not 0 <= position < len(SCALE):
        return f"{written.value} cannot be moved {adjustment:+d} step(s)"
    return None


def combine(written: Grade, adjustment: int, step_limit: int) -> Grade:
    error = adjustment_error(written, adjustment, step_limit)
    if error:
        raise GradeError(error)
    return SCALE[SCALE.index(written) - adjustment]


def final_result(track: Track, requirements_complete: bool, grade: Grade | None) -> FinalResult:
    """Credits for a passed grade of a student; a course certificate for a course participant who completed."""
    if track == Track.COURSE:
        return FinalResult(grade=None, credits=0, certificate="course_certificate" if requirements_complete else None)
    passed = grade is not None and grade != Grade.F
    return FinalResult(grade=grade, credits=CREDITS if passed else 0, certificate="transcript" if passed else None)
