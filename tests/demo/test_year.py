"""The demo's compressed year: the dates squeezed linearly, the windows the script acts within kept roomy enough for a
busy machine, the re-sit period open well after the orals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from demo.year import RESIT_ROOM_SECONDS, ROOM_SECONDS, compress_plan, scale
from domain.plan import load_plan
from tests.demo.helpers import ROOT

TEMPLATE = load_plan(ROOT / "demo" / "plans" / "kull-2022.json")
START = datetime(2030, 1, 1, tzinfo=UTC)
SPAN = (TEMPLATE.oral_end - TEMPLATE.application_deadline).total_seconds()


def test_the_dates_are_squeezed_linearly_into_the_year() -> None:
    plan = compress_plan(TEMPLATE, START, 120)
    assert plan.application_deadline == START and plan.oral_end == START + timedelta(seconds=120)
    assert scale(TEMPLATE, plan) == 120 / SPAN
    first = (TEMPLATE.gatherings[0].start - TEMPLATE.application_deadline) * (120 / SPAN)
    assert plan.gatherings[0].start == START + first


def test_a_short_year_keeps_room_for_the_script_on_a_busy_machine() -> None:
    plan = compress_plan(TEMPLATE, START, 120)  # linearly an appeal window would be 7 s, a resubmission 4.5 s
    assert plan.appeal_seconds == plan.resubmission_seconds == plan.approval_reminder_seconds == ROOM_SECONDS
    assert plan.resit_end is not None and plan.resit_end >= plan.oral_end + timedelta(seconds=RESIT_ROOM_SECONDS)


def test_a_long_year_keeps_the_plans_own_proportions() -> None:
    plan = compress_plan(TEMPLATE, START, 12_000)
    factor = 12_000 / SPAN
    assert plan.appeal_seconds == TEMPLATE.appeal_seconds * factor > ROOM_SECONDS
    assert TEMPLATE.resit_end is not None and plan.resit_end is not None
    assert plan.resit_end == START + (TEMPLATE.resit_end - TEMPLATE.application_deadline) * factor
