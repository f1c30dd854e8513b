"""What the appeal's and the re-sit's rules share: a new written grade has an oral unless it is an F, and a grade
after either gives a student's credits."""

from __future__ import annotations

from domain.grading import final_result
from domain.models import Grade, Track


def has_oral(written: Grade) -> bool:
    """A written F is final and has no oral."""
    return written != Grade.F


def credits_for(grade: Grade) -> int:
    """A student's credits for the grade that counts after an appeal or a re-sit."""
    return final_result(Track.STUDENT, True, grade).credits
