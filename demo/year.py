"""The demo's year: the cohort plan's calendar compressed to minutes, and the progress file a rerun continues from.

The calendar is squeezed linearly, with room where the script must act before a date on a busy machine: two dates of
the plan the script acts between (a gathering, a requirement deadline, the written deadline, the orals) are at least
`MIN_GAP_SECONDS` apart, the admission (confirming the selection, every group and member starting) has
`ADMISSION_SECONDS` before the first gathering, two deadlines of the coursework (every group hands in between them)
are at least `ROOM_SECONDS` apart, and a window the script must act within once the workflows let it (an
appeal after the release, a resubmission after a return, an approval before its reminder, a late hand-in within its
extension, a re-sit registration after the results) keeps at least `ROOM_SECONDS`. A busy machine runs the script
late; the year must still be the same year (the same grades, outcomes and letters). None of the windows holds
anything up: the cohort closes when its groups do.

Those rooms are what an idle two-core machine needs for the demo's dozen groups. A cohort of many groups needs more:
a room the script acts in for every group also holds that many groups' actions at the machine's measured rate
(`ACTION_SECONDS` each): between two deadlines, the follow-up of the one before, the hand-in of the next and the
attendance of the gatherings between them. On a busy machine every room is multiplied by the machine's pace
(`machine_pace`, measured before the cohort's dates are fixed): the same year, longer."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from domain.models import CohortPlan
from runtime.files import write_private

SECONDS_SETTINGS = ("resubmission_seconds", "approval_reminder_seconds", "appeal_seconds")
ROOM_SECONDS = 30.0  # the least time a window the script acts within keeps (a two-core machine with other work on it)
RESIT_ROOM_SECONDS = 4 * ROOM_SECONDS  # after the orals: publishing, the appeals and then the re-sits' registration
APPEAL_ROOM_SECONDS = 4 * ROOM_SECONDS  # from a group's release until every group is released and the appeals go in
MIN_GAP_SECONDS = 8.0  # between two dates of the plan the script acts between
ADMISSION_SECONDS = 45.0  # from the selection to the first gathering
MAX_PACE = 4.0  # the widest the rooms grow: a machine slower than this runs the script late
# What one scripted action for one group costs this two-core machine in a national cohort, its fan-out (participants'
# tasks, effects, timers) included, with room to spare. Measured from the read model's audit trail of a national year
# (bench/national.py at 1a87ba5, 357 groups, a quiet machine): requirement 2's 375 hand-ins, 357 approvals, 18
# returns and the next gathering's 357 days of attendance took 13-19 s in all (about 0.013 s an action); the first
# stretch, with the 357 supervision meetings, 58 s for ~1,450 actions (0.04 s). It was 0.09 when a group's action
# fanned out to every member (0.107 s each at 513 history events per participant-year, against ~96 now).
ACTION_SECONDS = 0.04
# The scripted actions per group a window holds (demo/run.py, demo/coursework.py): starting a group and its members
# (measured apart: 357 groups and their 1,428 participants running 207 s after the selection, bench/worker_memory.py,
# 0.58 s a group); a requirement's follow-up (approval, one group in five returned and handed in again, the
# project's report); a supervision meeting (after requirement 1's approval: the group's detail and the meeting); a
# hand-in; the written hand-in, its grade and the oral's time and place; an oral; a release and its letters; a day of
# attendance.
ADMISSION_ACTIONS = 6.5
FOLLOW_UP_ACTIONS = 1.5
# the supervision meeting and the oral's time: updates that fan out to no participant (ACTION_SECONDS is the mean of
# those that do), counted at half an action each, and the detail the meeting reads before it at a quarter
SUPERVISION_ACTIONS = 0.75
HAND_IN_ACTIONS = 1.0
WRITTEN_ACTIONS = 2.5
ORAL_ACTIONS = 1.0
RELEASE_ACTIONS = 2.0
# after every group is released the script registers the appeals and then the re-sits one at a time, each an update
# that starts a workflow: up to one a group (the national year registers about 150 re-sits and a few appeals for 357
# groups; with only the releases counted, its last 4 re-sit registrations came after the period had ended)
REGISTRATION_ACTIONS = 1.0


def machine_pace(samples: int = 4, seconds: float = 0.25) -> float:
    """How many times an idle machine's room the script needs now: a busy loop on a thread gets less CPU time than
    wall time when other work shares the cores; the worst of a few samples, squared (the worker, the server and its
    database contend with each other for what is left, so a step slows more than one thread does), between 1 and
    `MAX_PACE`. Measured on this two-core machine: about 1 idle, 1.5 to 2.5 with two CPU-bound loops beside."""
    worst = 1.0

    def sample() -> None:
        nonlocal worst
        wall, cpu = time.monotonic(), time.thread_time()
        while time.monotonic() - wall < seconds:
            pass
        worst = max(worst, (time.monotonic() - wall) / max(time.thread_time() - cpu, 1e-3))

    for _ in range(samples):
        probe = threading.Thread(target=sample)
        probe.start()
        probe.join()
    return min(max(worst**2, 1.0), MAX_PACE)


def scale(template: CohortPlan, plan: CohortPlan) -> float:
    """Seconds of the demo per second of the template's calendar, where it is squeezed linearly (its reminders)."""
    if template.reminder_seconds_before and plan.reminder_seconds_before:
        return plan.reminder_seconds_before[-1] / template.reminder_seconds_before[-1]
    span = (template.oral_end - template.application_deadline).total_seconds()
    return (plan.oral_end - plan.application_deadline).total_seconds() / span


def anchors(template: CohortPlan) -> list[datetime]:
    """The dates the script acts between, in order: the room between them is kept."""
    dates = [template.application_deadline, template.selection_date, template.written_deadline]
    dates += [template.oral_start, template.oral_end]
    dates += [g.start for g in template.gatherings] + [w.deadline for w in template.work_requirements]
    return sorted(set(dates))


def room(seconds: float, actions: float, groups: int, pace: float) -> float:
    """A room of at least `seconds`, and of at least `actions` per group for `groups` groups at `ACTION_SECONDS`
    each, times the machine's pace."""
    return max(seconds, actions * groups * ACTION_SECONDS) * pace


def warp(template: CohortPlan, factor: float, pace: float = 1.0) -> list[tuple[datetime, float]]:
    """Each anchor with its second on the compressed calendar: linear, but never closer to the one before than the
    room the script needs there, and a deadline (a requirement's, the written one) never closer to the deadline before
    it (the first: to the selection) than the room for what the script does for every group between them."""
    groups = template.places
    deadlines = [w.deadline for w in template.work_requirements] + [template.written_deadline]
    points: list[tuple[datetime, float]] = []
    window = 0.0  # where the stretch to the next deadline started (the selection, then each deadline)
    actions = ADMISSION_ACTIONS  # what the script does for each group in that stretch, so far
    for date in anchors(template):
        actions += sum(g.days for g in template.gatherings if g.start == date)
        if not points:
            points.append((date, 0.0))
            continue
        before, second = points[-1]
        if before == template.selection_date:
            gap = room(ADMISSION_SECONDS, ADMISSION_ACTIONS, groups, pace)
        elif date == template.oral_end:
            gap = room(MIN_GAP_SECONDS, ORAL_ACTIONS, groups, pace)
        else:
            gap = MIN_GAP_SECONDS * pace
        at = second + max((date - before).total_seconds() * factor, gap)
        if date in deadlines:
            hand_in = WRITTEN_ACTIONS if date == template.written_deadline else HAND_IN_ACTIONS
            at = max(at, window + room(ROOM_SECONDS, actions + hand_in, groups, pace))
            first = date == template.work_requirements[0].deadline
            window, actions = at, FOLLOW_UP_ACTIONS + (SUPERVISION_ACTIONS if first else 0.0)
        if date == template.selection_date:
            window = at
        points.append((date, at))
    return points


def compress_plan(template: CohortPlan, start: datetime, year_seconds: float, pace: float = 1.0) -> CohortPlan:
    """The same plan with its calendar squeezed so the application deadline is `start` and the orals end about
    `year_seconds` later, with the room the module's docstring lists, times `pace` (`machine_pace`)."""
    origin = template.application_deadline
    factor = year_seconds / (template.oral_end - origin).total_seconds()
    points = warp(template, factor, pace)

    def at(t: datetime) -> datetime:
        """Linear between the two anchors around `t` (after the last one, at the plain factor)."""
        later = [i for i, (date, _) in enumerate(points) if date > t]
        if not later:
            date, second = points[-1]
            return start + timedelta(seconds=second) + (t - date) * factor
        (a, sa), (b, sb) = points[later[0] - 1], points[later[0]]
        return start + timedelta(seconds=sa + (sb - sa) * (t - a).total_seconds() / (b - a).total_seconds())

    data = template.model_dump()
    data |= {
        "application_deadline": start,
        "selection_date": at(template.selection_date),
        "written_deadline": at(template.written_deadline),
        "oral_start": at(template.oral_start),
        "oral_end": at(template.oral_end),
        "gatherings": [g.model_dump() | {"start": at(g.start), "end": at(g.end)} for g in template.gatherings],
        "work_requirements": [w.model_dump() | {"deadline": at(w.deadline)} for w in template.work_requirements],
        "reminder_seconds_before": [s * factor for s in template.reminder_seconds_before],
    }
    data |= {name: max(getattr(template, name) * factor, ROOM_SECONDS * pace) for name in SECONDS_SETTINGS}
    releases = room(APPEAL_ROOM_SECONDS, RELEASE_ACTIONS, template.places, pace)  # every group released, then appeals
    data["appeal_seconds"] = max(template.appeal_seconds * factor, releases)
    if template.resit_start is not None and template.resit_end is not None:
        # the releases, the appeals' window after them, then the appeals' and the re-sits' registration
        after_orals = room(RESIT_ROOM_SECONDS, 2 * RELEASE_ACTIONS + REGISTRATION_ACTIONS, template.places, pace)
        # nothing waits for the period's end (it only refuses later registrations), so it is generous: a script that
        # fell behind all year (the national bench's 600 s year ran 1,559 s) still registers within it
        year = at(template.oral_end) - start
        latest = at(template.oral_end) + max(timedelta(seconds=after_orals), year)
        data |= {"resit_start": at(template.resit_start), "resit_end": max(at(template.resit_end), latest)}
    return CohortPlan.model_validate(data)


def save_progress(path: Path, plan: CohortPlan, done: set[str], pace: float = 1.0) -> None:
    """The compressed plan, the pace its rooms were sized by and the steps done, for a rerun to continue; 0600 like
    everything in the data folder."""
    write_private(path, json.dumps({"plan": plan.model_dump(mode="json"), "done": sorted(done), "pace": pace}))
