"""Appeal (klage) rules: the window, who may appeal, the new examiners, and the grade after a new assessment.

An appeal concerns the written part only; the oral adjusts it and is not appealable. New examiners, not those who
graded it first, assess the written work again; the new written grade may be higher, the same or lower. If it
differs, a new oral adjustment within the plan's step limit is registered for the person who appealed; if it is the
same, the combined grade stands. The result of an appeal is final. (docs/domain.md, "Release, appeal and re-sit".)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.grading import adjustment_error, combine, final_result
from domain.models import Grade, Strict, Track

OSLO = ZoneInfo("Europe/Oslo")
EXAMINERS_MAX = 3


class AppealFacts(Strict):
    """What is known of one person when they ask to appeal."""

    track: Track
    final_grade: Grade | None
    released_at: datetime | None  # when the group's results were published; None before
    appealed_before: bool  # this person already has an appeal of this attempt


class AppealOutcome(Strict):
    written_grade: Grade
    final_grade: Grade
    credits: int


def appeal_deadline(released_at: datetime, appeal_seconds: float) -> datetime:
    return released_at + timedelta(seconds=appeal_seconds)


def oslo_time(moment: datetime) -> str:
    """For messages: the deadline as a reader in Norway sees it."""
    return moment.astimezone(OSLO).strftime("%Y-%m-%d %H:%M") + " (Europe/Oslo)"


def appeal_refusal(facts: AppealFacts, now: datetime, appeal_seconds: float) -> str | None:
    """Why this person may not appeal now, or None."""
    if facts.appealed_before:
        return "the result of an appeal is final: this person has already appealed"
    if facts.track == Track.COURSE:
        return "a course participant gets no grade and has nothing to appeal"
    if facts.final_grade is None:
        return "there is no grade to appeal"
    if facts.released_at is None:
        return "the results have not been released yet"
    deadline = appeal_deadline(facts.released_at, appeal_seconds)
    if now > deadline:
        return f"the appeal deadline has passed: it was {oslo_time(deadline)}"
    return None


def examiners_refusal(first: list[str], new: list[str]) -> str | None:
    """The new examiners are others than those who graded the written work first, each named once."""
    if not new:
        return "name at least one new examiner"
    if len(new) > EXAMINERS_MAX:
        return f"at most {EXAMINERS_MAX} examiners, not {len(new)}"
    if len(set(new)) != len(new):
        return "an examiner is named twice"
    again = sorted(set(new) & set(first))
    if again:
        return f"{', '.join(again)} graded the written work first; an appeal needs new examiners"
    return None


def needs_new_oral(written_before: Grade, written_after: Grade) -> bool:
    """A changed written grade needs a new oral adjustment, unless it is an F (a written F has no oral)."""
    return written_after != written_before and written_after != Grade.F


def outcome_without_oral(written_before: Grade, final_before: Grade, written_after: Grade) -> AppealOutcome:
    """The same written grade: the combined grade stands. A new F: the combined grade is F."""
    if needs_new_oral(written_before, written_after):
        raise ValueError(
            f"the written grade changed from {written_before.value} to {written_after.value}: "
            "a new oral adjustment is required"
        )
    final = final_before if written_after == written_before else Grade.F
    return _outcome(written_after, final)


def new_oral_error(written_after: Grade, adjustment: int, step_limit: int) -> str | None:
    return adjustment_error(written_after, adjustment, step_limit)


def outcome_with_oral(written_after: Grade, adjustment: int, step_limit: int) -> AppealOutcome:
    return _outcome(written_after, combine(written_after, adjustment, step_limit))


def _outcome(written: Grade, final: Grade) -> AppealOutcome:
    result = final_result(Track.STUDENT, True, final)
    return AppealOutcome(written_grade=written, final_grade=final, credits=result.credits)
