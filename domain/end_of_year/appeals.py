"""Appeal (klage) rules: the window, who may appeal, the new examiners, and the grade after a new assessment.

An appeal concerns the written part only; the oral adjusts it and is not appealable. New examiners, not those who
graded it first, assess the written work again; the new written grade may be higher, the same or lower. If it
differs, a new oral adjustment within the plan's step limit is registered for the person who appealed; if it is the
same, the combined grade stands. The result of an appeal is final. (docs/domain.md, "Release, appeal and re-sit".)

A re-sit's grade (attempt N >= 2, ny or utsatt eksamen) is appealed the same way: its window runs from the re-sit's
decision, its "before" grades are the attempt's, and the best grade counts after it too: the better of the grade that
counted before the re-sit and the attempt's new grade (resits.best).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.end_of_year.common import credits_for, has_oral
from domain.end_of_year.resits import best
from domain.grading import adjustment_refusal, combine
from domain.models import Grade, Strict, Track
from domain.refusals import Refusal

OSLO = ZoneInfo("Europe/Oslo")
DAY_END = time(23, 59, 59)  # an appeal window ends with its last day, as the letter states it


class AppealFacts(Strict):
    """What is known of one person when they ask to appeal."""

    track: Track
    final_grade: Grade | None
    released_at: datetime | None  # when the group's results were published; None before
    appealed_before: bool  # this person already has an appeal of this attempt
    # where the window starts when not at the release: a begrunnelse asked for or given (explanations.py)
    window_from: datetime | None = None


class ResitAppealFacts(Strict):
    """What is known of one person's re-sit attempt when they ask to appeal its grade."""

    track: Track
    attempt: int  # the sitting appealed: 2 is the first re-sit
    decided_at: datetime | None  # when the re-sit's grade was decided; None: no such attempt, or not decided yet
    appealed_before: bool  # this attempt already has an appeal
    later_attempt: bool = False  # a later re-sit is registered: its grade builds on this one's


class AppealOutcome(Strict):
    written_grade: Grade
    final_grade: Grade  # the grade that counts after the appeal
    credits: int
    attempt_grade: Grade | None = None  # an appealed re-sit's own new grade; None for the ordinary exam


def appeal_deadline(released_at: datetime, appeal_seconds: float) -> datetime:
    """The end (23:59:59, Oslo) of the window's last day. The window is counted on Oslo's clock, so three weeks from
    a release at 14:00 end on the same weekday across a change to or from summer time."""
    last = released_at.astimezone(OSLO) + timedelta(seconds=appeal_seconds)  # wall-clock arithmetic in one zone
    return datetime.combine(last.date(), DAY_END, tzinfo=OSLO)


def oslo_date(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def appeal_refusal(
    facts: AppealFacts, now: datetime, appeal_seconds: float, received: date | None = None
) -> Refusal | None:
    """Why this person may not appeal now, or None. `received`: the day the administration received the appeal
    (it may register it later); None for an appeal received now (the participant's own)."""
    if facts.appealed_before:
        return Refusal("appeal.already_appealed")
    if facts.track == Track.COURSE:
        return Refusal("appeal.course_participant")
    if facts.final_grade is None:
        return Refusal("appeal.no_grade")
    if facts.released_at is None:
        return Refusal("appeal.not_released")
    deadline = appeal_deadline(facts.window_from or facts.released_at, appeal_seconds)
    if received is None:
        return Refusal("appeal.deadline_passed", deadline=deadline.isoformat()) if now > deadline else None
    return received_refusal(received, facts.released_at, deadline, now)


def resit_appeal_refusal(
    facts: ResitAppealFacts, now: datetime, appeal_seconds: float, received: date | None = None
) -> Refusal | None:
    """Why this person may not appeal the grade of re-sit attempt `facts.attempt` now, or None: the window runs from
    the re-sit's decision by the plan's appeal window, to the end of its last day in Oslo, as the ordinary one."""
    if facts.decided_at is None:
        return Refusal("appeal.no_decided_attempt", attempt=facts.attempt)
    if facts.appealed_before:
        return Refusal("appeal.attempt_appealed", attempt=facts.attempt)
    if facts.track == Track.COURSE:
        return Refusal("appeal.course_participant")
    if facts.later_attempt:
        return Refusal("appeal.later_attempt", attempt=facts.attempt, later=facts.attempt + 1)
    deadline = appeal_deadline(facts.decided_at, appeal_seconds)
    if received is None:
        return Refusal("appeal.deadline_passed", deadline=deadline.isoformat()) if now > deadline else None
    return received_refusal(received, facts.decided_at, deadline, now)


def latest_decided_attempt(decided: list[int]) -> int:
    """The attempt an appeal concerns unless one is named: the person's latest decided re-sit, else the ordinary
    exam (attempt 1)."""
    return max(decided, default=1)


def received_refusal(received: date, released_at: datetime, deadline: datetime, now: datetime) -> Refusal | None:
    """An appeal received on a day between the release and today (Oslo) is in time if that day is not after the
    deadline's, however late it is registered."""
    if received > oslo_date(now):
        return Refusal("appeal.received_in_future", received=received.isoformat())
    if received < oslo_date(released_at):
        return Refusal(
            "appeal.received_before_release", received=received.isoformat(), released=released_at.isoformat()
        )
    if received > deadline.date():
        return Refusal("appeal.received_late", received=received.isoformat(), deadline=deadline.isoformat())
    return None


def withdrawal_refusal(decided: bool, withdrawn: bool) -> Refusal | None:
    """An appeal may be withdrawn until it is decided, once; the grade then stays as it was."""
    if withdrawn:
        return Refusal("appeal.withdrawn")
    if decided:
        return Refusal("appeal.decided_not_withdrawable")
    return None


def needs_new_oral(written_before: Grade, written_after: Grade) -> bool:
    """A changed written grade needs a new oral adjustment, unless it is an F (a written F has no oral)."""
    return written_after != written_before and has_oral(written_after)


def outcome_without_oral(written_before: Grade, final_before: Grade, written_after: Grade) -> AppealOutcome:
    """The same written grade: the combined grade stands. A new F: the combined grade is F."""
    if needs_new_oral(written_before, written_after):
        raise Refusal("appeal.new_oral_required", before=written_before.value, after=written_after.value)
    final = final_before if written_after == written_before else Grade.F
    return _outcome(written_after, final)


def new_oral_refusal(written_after: Grade, adjustment: int, step_limit: int) -> Refusal | None:
    return adjustment_refusal(written_after, adjustment, step_limit)


def outcome_with_oral(written_after: Grade, adjustment: int, step_limit: int) -> AppealOutcome:
    return _outcome(written_after, combine(written_after, adjustment, step_limit))


def counted_before(attempt_grade: Grade, before_attempt: Grade | None) -> Grade:
    """The grade that counts while a re-sit's appeal is undecided (or after it is withdrawn): the re-sit's best."""
    return best(before_attempt, attempt_grade)


def counting(outcome: AppealOutcome, before_attempt: Grade | None) -> AppealOutcome:
    """The grade that counts after an appeal of a re-sit: the best of the grade before the re-sit (`before_attempt`)
    and the attempt's grade after the appeal (no grade before it: a postponed exam after a valid absence)."""
    grade = best(before_attempt, outcome.final_grade)
    return AppealOutcome(
        written_grade=outcome.written_grade,
        final_grade=grade,
        credits=credits_for(grade),
        attempt_grade=outcome.final_grade,
    )


def _outcome(written: Grade, final: Grade) -> AppealOutcome:
    return AppealOutcome(written_grade=written, final_grade=final, credits=credits_for(final))
