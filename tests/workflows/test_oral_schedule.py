"""Orals on a timetable on the dev server: the administration sets the group's time and place through the gateway,
the members who sit the oral get a letter the plan's notice ahead (here at once: the notice is longer than the wait),
a new place is a new letter, and a time outside the oral period is refused in Norwegian and changes nothing."""

from __future__ import annotations

from datetime import timedelta

from activities.letters import NOTICE, Contact, render_letter
from domain.ids import GroupId
from domain.models import Grade
from domain.orals import OralSlot
from gateway import commands
from tests.conftest import Harness
from tests.workflows.helpers import eventually, outbox
from tests.workflows.plans import running_plan
from tests.workflows.test_appeal import acting, admin, refused
from tests.workflows.test_resit import OFFICE, written_graded
from workflows.group import GroupWorkflow
from workflows.messages import ScheduleOralInput


async def letters(harness: Harness, count: int) -> list[str]:
    async def queued() -> list[str]:
        rows = await outbox(harness.sessions, "oral_scheduled")
        assert len(rows) == count, rows
        return [render_letter(NOTICE.validate_json(r.notice), "Kari", Contact("stab@example.no")).body for r in rows]

    return await eventually(queued)


async def test_the_groups_oral_gets_its_time_and_place_and_its_members_a_letter(harness: Harness) -> None:
    plan = running_plan(oral_notice_seconds=6 * 3600)  # the oral is three hours ahead: the letter is due at once
    handle, _ = await written_graded(harness, Grade.C, plan)  # members 1 and 2 sit the oral
    gateway, office = admin(harness), acting(OFFICE)
    group = GroupId.parse(handle.id)
    start = plan.oral_start + timedelta(seconds=5)

    outside = ScheduleOralInput(actor=OFFICE, slot=OralSlot(start=plan.oral_end + timedelta(hours=1), place="Rom 101"))
    await refused(gateway.perform(commands.ORAL_SCHEDULE, group, outside, office), "er utenfor perioden for muntlig")
    assert (await handle.query(GroupWorkflow.detail)).oral_slot is None

    first = ScheduleOralInput(actor=OFFICE, slot=OralSlot(start=start, place="Rom 101, Storgata 1"))
    await gateway.perform(commands.ORAL_SCHEDULE, group, first, office)
    bodies = await letters(harness, 2)  # one to each member who sits it, none to the course participant
    assert all("Sted: Rom 101, Storgata 1" in body and "med ett trinn opp eller ned" in body for body in bodies)
    assert (await handle.query(GroupWorkflow.detail)).oral_slot == first.slot

    moved = ScheduleOralInput(actor=OFFICE, slot=OralSlot(start=start, place="Auditoriet, Storgata 3"))
    await gateway.perform(commands.ORAL_SCHEDULE, group, moved, office)
    bodies = await letters(harness, 4)
    assert sum("Sted: Auditoriet, Storgata 3" in body for body in bodies) == 2
