"""The calendars of a group and of its cohort: every reminder and deadline that is due, as typed items with stable
keys.

Pure functions of the plan and the workflow's state. A gathering is the cohort's event, so its reminders are on the
cohort's calendar (one timer for all groups); a group's own calendar holds its deadlines and their reminders. The
workflow sleeps until the first item and, when that timer fires, acts on the items due by the fired item's own
time. It never re-reads the clock to decide: a freshly started worker was seen to report the time before the timer
after it fired, and a replay (which sees the right time) then took the other branch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from domain.models import CohortPlan, Strict
from domain.requirements import AWAITING_SUBMISSION, RequirementState, RequirementStatus


class DueKind(StrEnum):
    GATHERING_AHEAD = "gathering_ahead"
    REQUIREMENT_AHEAD = "requirement_ahead"
    REQUIREMENT_DEADLINE = "requirement_deadline"
    APPROVAL_WAITING = "approval_waiting"
    WRITTEN_AHEAD = "written_ahead"
    WRITTEN_DEADLINE = "written_deadline"
    ORAL_TIME = "oral_time"
    ORAL_SCHEDULED = "oral_scheduled"  # the group's own time and place, the plan's notice ahead
    APPEAL_ORAL_SCHEDULED = "appeal_oral_scheduled"  # an appeal's new oral, the same notice ahead (its own workflow)
    WAITLIST_CLOSES = "waitlist_closes"  # the cohort's: from the first gathering on, no place is filled again
    OFFER_EXPIRES = "offer_expires"  # the cohort's: an offer of a place not answered by its deadline (domain/offers.py)


REMINDERS = frozenset({DueKind.GATHERING_AHEAD, DueKind.REQUIREMENT_AHEAD, DueKind.WRITTEN_AHEAD})


class DueItem(Strict):
    kind: DueKind
    at: datetime
    event_at: datetime  # the moment the item is about: a gathering's start, a deadline
    number: int = 0  # the gathering's or requirement's number; 0 for the written and oral items
    seconds_before: float = 0  # a reminder's lead time
    revision: int = 0  # the submission an approval reminder is about

    @property
    def event(self) -> str:
        """What the item is about; reminders of one event share it."""
        return f"{self.kind.value.split('_')[0]}:{self.number}:{int(self.event_at.timestamp())}"

    @property
    def key(self) -> str:
        """Stable across replays and continue-as-new: a moved deadline is a new event with new reminders."""
        moment, lead = int(self.event_at.timestamp()), int(self.seconds_before)
        return f"{self.kind.value}:{self.number}:{moment}:{lead}:{self.revision}"


class CalendarFacts(Strict):
    """What of a group's state its calendar depends on."""

    running: bool  # in the programme, not published, and the exam still possible
    requirements: list[RequirementState]
    written_submitted: bool
    written_missed: bool
    oral_due: bool  # the written assignment is graded and not F
    oral_slot: datetime | None = None  # the group's oral, once the administration has set it
    oral_revision: int = 0  # how many times it was set: a new time or place is a new letter
    reminders_from: datetime | None = None  # reminders due before this (a late admission) are moot


def due_items(plan: CohortPlan, facts: CalendarFacts, handled: set[str]) -> list[DueItem]:
    """Every item of a group not yet handled, earliest first."""
    if not facts.running:
        return []
    items = [*_requirements(plan, facts.requirements), *_exam(plan, facts)]
    return _fresh(items, handled, facts.reminders_from)


class CohortCalendarFacts(Strict):
    """What of a cohort's state its calendar depends on."""

    waitlist_open: bool
    reminding: bool  # groups are (or may yet come) in the programme and the results are not published
    reminders_from: datetime | None = None  # the selection's confirmation: reminders due before it are moot
    answer_deadlines: dict[int, datetime] = {}  # open offers' deadlines, by the application's number (1, 2, ...)


def cohort_due_items(plan: CohortPlan, facts: CohortCalendarFacts, handled: set[str]) -> list[DueItem]:
    """Every item of a cohort not yet handled, earliest first: the close of the waiting list, the gatherings'
    reminders and the open offers' answer deadlines."""
    first = plan.gatherings[0].start
    items = [DueItem(kind=DueKind.WAITLIST_CLOSES, at=first, event_at=first, number=1)] if facts.waitlist_open else []
    items += _gatherings(plan) if facts.reminding else []
    items += [
        DueItem(kind=DueKind.OFFER_EXPIRES, at=at, event_at=at, number=number)
        for number, at in facts.answer_deadlines.items()
    ]
    return _fresh(items, handled, facts.reminders_from)


def _fresh(items: list[DueItem], handled: set[str], reminders_from: datetime | None) -> list[DueItem]:
    fresh = [i for i in items if i.key not in handled and not _moot(i, reminders_from)]
    return sorted(fresh, key=lambda i: (i.at, i.kind.value, i.number))


def due_with(first: DueItem, items: list[DueItem]) -> list[DueItem]:
    """The items due when the timer for `first` fires: all of them at or before its moment."""
    return [i for i in items if i.at <= first.at]


def worth_sending(item: DueItem, batch: list[DueItem]) -> bool:
    """A reminder goes out only as the latest one due for its event, and never once the event itself is due."""
    if item.kind not in REMINDERS:
        return True
    reference = max(i.at for i in batch)
    later = [i for i in batch if i.event == item.event and i.kind == item.kind and i.at > item.at]
    return item.event_at > reference and not later


def _moot(item: DueItem, reminders_from: datetime | None) -> bool:
    return item.kind in REMINDERS and reminders_from is not None and item.at < reminders_from


def _reminders(kind: DueKind, plan: CohortPlan, event_at: datetime, number: int = 0) -> list[DueItem]:
    return [
        DueItem(kind=kind, at=event_at - timedelta(seconds=s), event_at=event_at, number=number, seconds_before=s)
        for s in plan.reminder_seconds_before
    ]


def _gatherings(plan: CohortPlan) -> list[DueItem]:
    return [
        item
        for number, gathering in enumerate(plan.gatherings, 1)
        for item in _reminders(DueKind.GATHERING_AHEAD, plan, gathering.start, number)
    ]


def _requirements(plan: CohortPlan, requirements: list[RequirementState]) -> list[DueItem]:
    items: list[DueItem] = []
    for req in requirements:
        if req.status in AWAITING_SUBMISSION:
            reminders = _reminders(DueKind.REQUIREMENT_AHEAD, plan, req.deadline, req.number)
            items += [i for i in reminders if req.reminders_from is None or i.at >= req.reminders_from]
            items.append(
                DueItem(kind=DueKind.REQUIREMENT_DEADLINE, at=req.deadline, event_at=req.deadline, number=req.number)
            )
        if req.status == RequirementStatus.SUBMITTED and req.submitted_at is not None:
            waited = req.submitted_at + timedelta(seconds=plan.approval_reminder_seconds)
            items.append(
                DueItem(
                    kind=DueKind.APPROVAL_WAITING,
                    at=waited,
                    event_at=req.submitted_at,
                    number=req.number,
                    revision=req.submissions,
                )
            )
    return items


def _exam(plan: CohortPlan, facts: CalendarFacts) -> list[DueItem]:
    items: list[DueItem] = []
    if not facts.written_submitted and not facts.written_missed:
        items += _reminders(DueKind.WRITTEN_AHEAD, plan, plan.written_deadline)
        items.append(DueItem(kind=DueKind.WRITTEN_DEADLINE, at=plan.written_deadline, event_at=plan.written_deadline))
    if facts.oral_due and facts.oral_slot is None:  # the period, until the group has its own time and place
        items.append(DueItem(kind=DueKind.ORAL_TIME, at=plan.oral_start, event_at=plan.oral_start))
    if facts.oral_due and facts.oral_slot is not None:
        notice_at = facts.oral_slot - timedelta(seconds=plan.oral_notice_seconds)
        items.append(
            DueItem(kind=DueKind.ORAL_SCHEDULED, at=notice_at, event_at=facts.oral_slot, revision=facts.oral_revision)
        )
    return items
