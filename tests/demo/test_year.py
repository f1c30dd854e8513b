"""The demo's compressed year: the dates squeezed linearly, with room where the script acts before a date on a busy
machine, the windows it acts within at least 30 s, the re-sit period open well after the orals."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from demo.year import (
    ACTION_SECONDS,
    ADMISSION_ACTIONS,
    ADMISSION_SECONDS,
    APPEAL_ROOM_SECONDS,
    FOLLOW_UP_ACTIONS,
    HAND_IN_ACTIONS,
    MAX_PACE,
    MIN_GAP_SECONDS,
    REGISTRATION_ACTIONS,
    RELEASE_ACTIONS,
    RESIT_ROOM_SECONDS,
    ROOM_SECONDS,
    SUPERVISION_ACTIONS,
    anchors,
    compress_plan,
    machine_pace,
    scale,
)
from domain.models import CohortPlan
from domain.plan import load_plan
from tests.demo.helpers import ROOT

TEMPLATE = load_plan(ROOT / "demo" / "plans" / "kull-2022.json")
START = datetime(2030, 1, 1, tzinfo=UTC)
SPAN = (TEMPLATE.oral_end - TEMPLATE.application_deadline).total_seconds()


def compressed_anchors(plan: CohortPlan) -> list[float]:
    dates = [plan.application_deadline, plan.selection_date, plan.written_deadline, plan.oral_start, plan.oral_end]
    dates += [g.start for g in plan.gatherings] + [w.deadline for w in plan.work_requirements]
    return sorted((d - START).total_seconds() for d in dates)


def test_a_short_year_keeps_room_between_the_dates_the_script_acts_between() -> None:
    plan = compress_plan(TEMPLATE, START, 120)
    seconds = compressed_anchors(plan)
    assert len(seconds) == len(anchors(TEMPLATE)) and seconds[0] == 0
    gaps = [b - a for a, b in zip(seconds, seconds[1:], strict=False)]
    assert min(gaps) >= MIN_GAP_SECONDS - 1e-6
    admission = (plan.gatherings[0].start - plan.selection_date).total_seconds()
    assert admission >= ADMISSION_SECONDS - 1e-6
    deadlines = [w.deadline for w in plan.work_requirements] + [plan.written_deadline]
    assert all((b - a).total_seconds() >= ROOM_SECONDS - 1e-6 for a, b in zip(deadlines, deadlines[1:], strict=False))
    assert 120 < seconds[-1] < 120 + 90  # the room costs the year a minute and a half at most
    assert abs(scale(TEMPLATE, plan) - 120 / SPAN) < 1e-12  # a day of an extension is still a linear day


def test_a_short_year_keeps_room_for_the_script_on_a_busy_machine() -> None:
    plan = compress_plan(TEMPLATE, START, 120)  # linearly an appeal window would be 7 s, a resubmission 4.5 s
    assert plan.resubmission_seconds == plan.approval_reminder_seconds == ROOM_SECONDS
    assert plan.appeal_seconds == APPEAL_ROOM_SECONDS  # the appeals go in once every group is released
    assert plan.resit_end is not None and plan.resit_end >= plan.oral_end + timedelta(seconds=RESIT_ROOM_SECONDS)


def test_a_long_year_keeps_the_plans_own_proportions() -> None:
    plan = compress_plan(TEMPLATE, START, 12_000)
    factor = 12_000 / SPAN
    assert plan.oral_end == START + timedelta(seconds=12_000)
    assert plan.gatherings[2].start == START + (TEMPLATE.gatherings[2].start - TEMPLATE.application_deadline) * factor
    assert plan.appeal_seconds == TEMPLATE.appeal_seconds * factor > APPEAL_ROOM_SECONDS
    assert TEMPLATE.resit_end is not None and plan.resit_end is not None
    proportional = START + (TEMPLATE.resit_end - TEMPLATE.application_deadline) * factor
    # the re-sit period only refuses registrations after it: it ends no earlier than one more year after the orals
    assert plan.resit_end == max(proportional, plan.oral_end + timedelta(seconds=12_000))


def test_a_busy_machine_widens_every_room_by_its_pace_and_keeps_the_year() -> None:
    idle, busy = compress_plan(TEMPLATE, START, 120), compress_plan(TEMPLATE, START, 120, pace=2.5)
    seconds = compressed_anchors(busy)
    assert min(b - a for a, b in zip(seconds, seconds[1:], strict=False)) >= 2.5 * MIN_GAP_SECONDS - 1e-6
    assert (busy.gatherings[0].start - busy.selection_date).total_seconds() >= 2.5 * ADMISSION_SECONDS - 1e-6
    deadlines = [w.deadline for w in busy.work_requirements] + [busy.written_deadline]
    assert all(
        (b - a).total_seconds() >= 2.5 * ROOM_SECONDS - 1e-6 for a, b in zip(deadlines, deadlines[1:], strict=False)
    )
    assert busy.resubmission_seconds == 2.5 * ROOM_SECONDS and busy.appeal_seconds == 2.5 * APPEAL_ROOM_SECONDS
    assert busy.oral_end - busy.application_deadline > 2 * (idle.oral_end - idle.application_deadline)
    # the same year: each date where it was among the others
    for date in ("selection_date", "written_deadline", "oral_start", "oral_end"):
        before = [g.start < getattr(idle, date) for g in idle.gatherings]
        assert [g.start < getattr(busy, date) for g in busy.gatherings] == before
    assert compress_plan(TEMPLATE, START, 120, pace=1.0) == idle


def test_the_machines_pace_grows_when_other_work_takes_the_probes_cpu() -> None:
    """A thread spinning beside the probe in this process takes about half its time (the interpreter lock), as a busy
    core would: the probe's wall time is about twice its CPU time, so the rooms grow to the most they may."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            pass

    beside = threading.Thread(target=spin)
    beside.start()
    try:
        pace = machine_pace(samples=2, seconds=0.2)
    finally:
        stop.set()
        beside.join()
    assert 1.5 < pace <= MAX_PACE


def test_a_national_cohort_gets_room_for_every_groups_actions_between_two_deadlines() -> None:
    """357 groups: each stretch to a deadline holds the follow-up of the one before, the hand-in and the attendance
    of the gatherings in it, for every group, at the machine's measured rate; the dozen groups' year is unchanged."""
    national = compress_plan(TEMPLATE.model_copy(update={"places": 357}), START, 600)
    per_action = 357 * ACTION_SECONDS
    deadlines = [w.deadline for w in national.work_requirements] + [national.written_deadline]
    windows = [(b - a).total_seconds() for a, b in zip(deadlines, deadlines[1:], strict=False)]
    attendance = [4, 2, 3, 2]  # the days of the gatherings between two deadlines of kull-2022
    supervision = [SUPERVISION_ACTIONS, 0, 0, 0]  # the meeting after requirement 1's approval
    for seconds, days, meeting in zip(windows, attendance, supervision, strict=True):
        assert seconds >= (FOLLOW_UP_ACTIONS + meeting + HAND_IN_ACTIONS + days) * per_action - 1e-6
    first = (national.work_requirements[0].deadline - national.selection_date).total_seconds()
    assert first >= (ADMISSION_ACTIONS + 3 + HAND_IN_ACTIONS) * per_action - 1e-6
    assert (national.gatherings[0].start - national.selection_date).total_seconds() >= ADMISSION_ACTIONS * per_action
    assert national.appeal_seconds >= RELEASE_ACTIONS * per_action
    assert national.resit_end is not None
    after_orals = (national.resit_end - national.oral_end).total_seconds()
    assert after_orals >= (2 * RELEASE_ACTIONS + REGISTRATION_ACTIONS) * per_action - 1e-6
    assert national.resit_end - national.oral_end >= national.oral_end - national.application_deadline
    assert national.oral_end - national.application_deadline < timedelta(minutes=20)
    assert compress_plan(TEMPLATE.model_copy(update={"places": 12}), START, 120) == compress_plan(TEMPLATE, START, 120)
