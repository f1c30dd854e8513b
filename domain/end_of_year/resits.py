"""Re-sit rules: who may sit again, when, how many times, and which grade counts.

A student who failed (F, after an appeal if there was one) may sit the exam again (ny eksamen) in a later exam
period: the re-sit period the plan sets, or the next cohort's exam period. It is a new written assessment of the
person's own work and, unless the new written grade is an F, an oral that adjusts it within the plan's step limit.
A student with a valid absence from the oral sits a postponed oral (utsatt eksamen) on the group's written grade;
the missed oral is not an attempt. A group that did not hand in its written assignment by the deadline has used an
attempt without a grade (FS counts it so): each of its members who met the requirements may sit a new exam.
The best grade of the attempts counts; the attempts stay linked on the
person's record. At most three attempts in all, as the universities' exam regulations allow. (docs/domain.md,
"Release, appeal and re-sit".)
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from domain.end_of_year.common import credits_for, has_oral
from domain.grading import SCALE, combine
from domain.models import Grade, Strict, Track
from domain.refusals import Refusal

ATTEMPTS_MAX = 3  # the default of the plan's `exam_attempts`: the ordinary exam and two re-sits
ResitKind = Literal["new", "postponed"]  # ny eksamen after an F; utsatt eksamen after a valid absence


class ResitPeriod(Strict):
    """When the re-sit is held: the plan's re-sit period or the exam period of the next cohort."""

    label: str
    start: datetime
    end: datetime


class ResitFacts(Strict):
    """What is known of one person when the administration registers a re-sit."""

    track: Track
    grade: Grade | None  # the grade that counts now: after an appeal and earlier re-sits
    released_at: datetime | None  # when the group's results were published; None before
    appeal_pending: bool  # an appeal of the grade is registered and not decided
    attempts: int  # exam attempts so far that count: the ordinary one unless missed with a valid absence
    resit_pending: bool  # an earlier re-sit is registered and not decided
    oral_absent: bool = False  # a valid absence from the ordinary oral: no grade yet
    written_missed: bool = False  # the group handed in no written assignment: an attempt, no grade


class ResitOutcome(Strict):
    written_grade: Grade
    attempt_grade: Grade  # this attempt's combined grade
    grade: Grade  # the best of the attempts: the one that counts
    credits: int


def resit_refusal(
    facts: ResitFacts, period: ResitPeriod, now: datetime, attempts_max: int = ATTEMPTS_MAX
) -> Refusal | None:
    """Why this person may not be registered for a re-sit now, or None; `attempts_max` is the plan's."""
    if facts.track == Track.COURSE:
        return Refusal("resit.course_participant")
    if facts.released_at is None:
        return Refusal("resit.not_released")
    if facts.grade is None and not facts.oral_absent and not facts.written_missed:
        return Refusal("resit.no_result")
    if facts.grade is not None and facts.grade != Grade.F:
        return Refusal("resit.passed", grade=facts.grade.value)
    if facts.appeal_pending:
        return Refusal("resit.appeal_pending")
    if facts.resit_pending:
        return Refusal("resit.already_registered")
    if facts.attempts >= attempts_max:
        return Refusal("resit.attempts_used", attempts=facts.attempts, most=attempts_max)
    if period.end <= period.start:
        return Refusal("resit.period_reversed", period=period.label)
    if now > period.end:
        return Refusal("resit.period_ended", period=period.label, end=period.end.isoformat())
    return None


def resit_kind(facts: ResitFacts) -> ResitKind:
    """A postponed oral while the person has no grade after a valid absence; a new exam after an F."""
    return "postponed" if facts.grade is None and facts.oral_absent else "new"


def best(first: Grade | None, second: Grade) -> Grade:
    """The better of two grades (A is best); no earlier grade: the new one."""
    return second if first is None else min(first, second, key=SCALE.index)


def outcome(counting_before: Grade | None, written: Grade, adjustment: int | None, step_limit: int) -> ResitOutcome:
    """This attempt's grade from its written grade and oral, and the best grade of all attempts."""
    if has_oral(written) and adjustment is None:
        raise Refusal("resit.oral_required", grade=written.value)
    attempt_grade = combine(written, adjustment or 0, step_limit)
    counting = best(counting_before, attempt_grade)
    credits = credits_for(counting)
    return ResitOutcome(written_grade=written, attempt_grade=attempt_grade, grade=counting, credits=credits)
