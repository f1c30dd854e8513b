"""Orals on a timetable: the administration sets each group's time and place within the plan's oral period; the
members who sit the oral get a letter the plan's `oral_notice_seconds` ahead (a week by default), and a new one when
the time or place changes. A letter whose moment has passed when the written grade comes goes out then.

An appeal whose commission changes the written grade needs a new oral: the administration sets its time and place the
same way (a place, a time not yet passed; there is no oral period after the release), and the person gets the same
letter ahead (workflows/end_of_year/appeal.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime

from domain.models import CohortPlan, Strict
from domain.refusals import Refusal

PLACE_MAX = 200  # characters: a room and a building, or an address


class OralSlot(Strict):
    start: AwareDatetime
    place: str


def slot_refusal(plan: CohortPlan, slot: OralSlot, now: datetime) -> Refusal | None:
    """Why this time and place cannot be the group's oral, or None."""
    refusal = _place_refusal(slot.place)
    if refusal is not None:
        return refusal
    if not plan.oral_start <= slot.start <= plan.oral_end:
        return Refusal(
            "group.oral_slot_outside_period",
            start=slot.start.isoformat(),
            oral_start=plan.oral_start.isoformat(),
            oral_end=plan.oral_end.isoformat(),
        )
    return _past_refusal(slot, now)


def new_oral_refusal(slot: OralSlot, now: datetime) -> Refusal | None:
    """Why this time and place cannot be an appeal's new oral, or None: the group's rules but the oral period (the
    new oral comes after the release, when the period is over)."""
    return _place_refusal(slot.place) or _past_refusal(slot, now)


def notice_at(start: datetime, notice_seconds: float) -> datetime:
    """When the letter with an oral's time and place is due: the plan's notice ahead (at once, if that has passed)."""
    return start - timedelta(seconds=notice_seconds)


def _place_refusal(place: str) -> Refusal | None:
    if not place.strip():
        return Refusal("group.oral_place_missing")
    if len(place) > PLACE_MAX:
        return Refusal("group.oral_place_too_long", most=PLACE_MAX)
    return None


def _past_refusal(slot: OralSlot, now: datetime) -> Refusal | None:
    return Refusal("group.oral_slot_past", start=slot.start.isoformat()) if slot.start <= now else None
