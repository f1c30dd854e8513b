"""Orals on a timetable: the administration sets each group's time and place within the plan's oral period; the
members who sit the oral get a letter the plan's `oral_notice_seconds` ahead (a week by default), and a new one when
the time or place changes. A letter whose moment has passed when the written grade comes goes out then."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime

from domain.models import CohortPlan, Strict
from domain.refusals import Refusal

PLACE_MAX = 200  # characters: a room and a building, or an address


class OralSlot(Strict):
    start: AwareDatetime
    place: str


def slot_refusal(plan: CohortPlan, slot: OralSlot, now: datetime) -> Refusal | None:
    """Why this time and place cannot be the group's oral, or None."""
    if not slot.place.strip():
        return Refusal("group.oral_place_missing")
    if len(slot.place) > PLACE_MAX:
        return Refusal("group.oral_place_too_long", most=PLACE_MAX)
    if not plan.oral_start <= slot.start <= plan.oral_end:
        return Refusal(
            "group.oral_slot_outside_period",
            start=slot.start.isoformat(),
            oral_start=plan.oral_start.isoformat(),
            oral_end=plan.oral_end.isoformat(),
        )
    if slot.start <= now:
        return Refusal("group.oral_slot_past", start=slot.start.isoformat())
    return None
