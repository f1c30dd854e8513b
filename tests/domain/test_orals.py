"""Orals on a timetable, without Temporal: which time and place a group's oral may have, and the letter the
calendar schedules for it (the plan's notice ahead; a new time or place is a new letter); and an appeal's new oral."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.calendar import CalendarFacts, DueKind, due_items
from domain.orals import PLACE_MAX, OralSlot, new_oral_refusal, notice_at, slot_refusal
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


def test_an_appeals_new_oral_keeps_the_groups_rules_but_the_oral_period() -> None:
    """The new oral comes after the release, when the oral period is over: any time not passed, with a place."""
    after_period = OralSlot(start=PLAN.oral_end + timedelta(days=40), place="Rom 101, Storgata 1")
    now = PLAN.oral_end + timedelta(days=30)
    assert new_oral_refusal(after_period, now) is None
    assert "er utenfor perioden" in str(slot_refusal(PLAN, after_period, now))  # the group's own would be refused
    place = after_period.model_copy(update={"place": ""})
    assert new_oral_refusal(place, now).dump() == slot_refusal(PLAN, place, now).dump()  # type: ignore[union-attr]
    assert "Stedet for den muntlige eksamenen mangler" in str(new_oral_refusal(place, now))
    too_long = after_period.model_copy(update={"place": "x" * (PLACE_MAX + 1)})
    assert f"kan ha høyst {PLACE_MAX} tegn" in str(new_oral_refusal(too_long, now))
    past = new_oral_refusal(after_period, after_period.start)
    assert past is not None and past.code == "group.oral_slot_past" and "har allerede vært" in str(past)


def test_the_letter_comes_the_plans_notice_ahead() -> None:
    start = PLAN.oral_end + timedelta(days=40)
    assert notice_at(start, PLAN.oral_notice_seconds) == start - timedelta(days=2)
    assert notice_at(start, 0) == start
