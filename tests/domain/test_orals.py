"""Orals on a timetable, without Temporal: which time and place a group's oral may have, and the letter the
calendar schedules for it (the plan's notice ahead; a new time or place is a new letter)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.calendar import CalendarFacts, DueKind, due_items
from domain.orals import PLACE_MAX, OralSlot, slot_refusal
from tests.workflows.plans import running_plan

PLAN = running_plan(oral_notice_seconds=2 * 86400)
NOW = PLAN.oral_start - timedelta(days=3)
INSIDE = PLAN.oral_start + timedelta(seconds=5)


def test_a_time_in_the_oral_period_and_a_place_are_accepted() -> None:
    assert slot_refusal(PLAN, OralSlot(start=INSIDE, place="Rom 101, Storgata 1"), NOW) is None


@pytest.mark.parametrize(
    ("slot", "now", "words"),
    [
        (OralSlot(start=INSIDE, place="  "), NOW, "Stedet for den muntlige eksamenen mangler"),
        (OralSlot(start=INSIDE, place="x" * (PLACE_MAX + 1)), NOW, f"kan ha høyst {PLACE_MAX} tegn"),
        (
            OralSlot(start=PLAN.oral_end + timedelta(seconds=1), place="Rom 101"),
            NOW,
            "er utenfor perioden for muntlig eksamen",
        ),
        (OralSlot(start=INSIDE, place="Rom 101"), INSIDE, "har allerede vært"),
    ],
)
def test_each_refusal_names_what_is_wrong(slot: OralSlot, now: datetime, words: str) -> None:
    assert words in str(slot_refusal(PLAN, slot, now))


def facts(**changes: object) -> CalendarFacts:
    base = CalendarFacts(running=True, requirements=[], written_submitted=True, written_missed=False, oral_due=True)
    return base.model_copy(update=changes)


def test_the_groups_own_time_replaces_the_periods_letter_and_comes_the_plans_notice_ahead() -> None:
    [period] = [i for i in due_items(PLAN, facts(), set()) if i.kind in (DueKind.ORAL_TIME, DueKind.ORAL_SCHEDULED)]
    assert period.kind == DueKind.ORAL_TIME
    scheduled = facts(oral_slot=INSIDE, oral_revision=1)
    [item] = [i for i in due_items(PLAN, scheduled, set()) if i.kind in (DueKind.ORAL_TIME, DueKind.ORAL_SCHEDULED)]
    assert (item.kind, item.at, item.event_at) == (DueKind.ORAL_SCHEDULED, INSIDE - timedelta(days=2), INSIDE)
    moved = due_items(PLAN, facts(oral_slot=INSIDE, oral_revision=2), {item.key})
    assert [i.kind for i in moved if i.kind == DueKind.ORAL_SCHEDULED] == [DueKind.ORAL_SCHEDULED]  # a new letter
    assert not [i for i in due_items(PLAN, facts(oral_due=False, oral_slot=INSIDE), set()) if "oral" in i.kind]
    assert datetime.now(UTC) < INSIDE
