"""An appeal of a re-sit's grade on the dev server: a person fails, sits again, appeals the re-sit's grade to a
commission, and the best grade counts after it; the letters name the attempt; and each refusal, by name."""

from __future__ import annotations

from datetime import timedelta

from domain.ids import AppealId, ResitId
from domain.models import Grade
from gateway import commands
from gateway.end_of_year.appeal import register_appeal
from gateway.end_of_year.resit import register_resit
from gateway.results import group_results
from tests.conftest import Harness
from tests.workflows.commission import EXAMINER, commission_decides, schedule_new_oral
from tests.workflows.helpers import eventually
from tests.workflows.test_appeal import acting, admin, publish, refused
from tests.workflows.test_resit import OFFICE, failed_group, letter
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.messages import (
    AssignExaminersInput,
    NewOralAdjustmentInput,
    NewWrittenGradeInput,
    ResitDetail,
)
from workflows.end_of_year.resit import ResitWorkflow
from workflows.ids import appeal_workflow_id

RESIT_EXAMINER = "sensor.omkonte"  # graded the re-sit: not on its appeal's commission


async def failed_resit(harness: Harness, written: Grade = Grade.F) -> tuple[list[str], ResitDetail]:
    """Member 2 fails (F), sits again and gets `written` (an F: decided at once, no oral)."""
    handle, ids = await failed_group(harness)
    await publish(handle)
    gateway = admin(harness)
    resit = await register_resit(gateway, ids[1], acting(OFFICE))
    written_grade = NewWrittenGradeInput(actor=RESIT_EXAMINER, grade=written)
    resit_id = ResitId.parse(resit.resit_workflow_id)
    await gateway.perform(commands.RESIT_WRITTEN, resit_id, written_grade, acting(RESIT_EXAMINER))
    decided: ResitDetail = await gateway.query(resit.resit_workflow_id, ResitWorkflow.detail)
    return ids, decided


async def test_a_resits_grade_is_appealed_to_a_commission_and_the_best_grade_counts(harness: Harness) -> None:
    ids, resit = await failed_resit(harness)
    assert (resit.stage, resit.attempt_grade, resit.grade_after) == ("decided", Grade.F, Grade.F)
    gateway = admin(harness)
    appeal = await register_appeal(gateway, ids[1], acting(OFFICE))  # the latest decided attempt: the re-sit
    assert appeal.appeal_workflow_id == f"{ids[1]}.klage-2" == appeal_workflow_id(ids[1], 2)
    assert (appeal.attempt, appeal.written_before, appeal.oral_before, appeal.final_before) == (
        2,
        Grade.F,
        None,
        Grade.F,
    )
    assert appeal.grade_before_attempt == Grade.F
    assert resit.decided_at is not None
    assert appeal.deadline > resit.decided_at
    await refused(register_resit(gateway, ids[1], acting(OFFICE)), "klage")  # a pending appeal blocks a new re-sit
    await refused(
        register_appeal(gateway, ids[1], acting(OFFICE), attempt=2),
        "Personen har allerede klaget på karakteren på forsøk 2",
    )
    target = AppealId.parse(appeal.appeal_workflow_id)
    assert (await commission_decides(gateway, target, Grade.E)).stage == "awaiting_oral"
    commissioned = await letter(harness, "appeal_commission")
    assert "Klagen din på karakteren på ny eksamen (forsøk 2) på kull" in commissioned
    await schedule_new_oral(gateway, target)  # the new oral's time and place, before its adjustment
    oral = NewOralAdjustmentInput(actor=EXAMINER, adjustment=1)
    assert (await gateway.perform(commands.APPEAL_ORAL, target, oral, acting(EXAMINER))).stage == "decided"
    result = await harness.client.get_workflow_handle_for(AppealWorkflow.run, appeal.appeal_workflow_id).result()
    d = result.detail
    assert (d.written_after, d.attempt_grade_after, d.final_after, d.credits_after) == (Grade.E, Grade.D, Grade.D, 30)

    decided = await letter(harness, "appeal_decided")
    assert "Klagen din på karakteren på ny eksamen (forsøk 2) på kull" in decided
    assert "Den skriftlige delen får nå karakteren E (ved første sensur F)." in decided
    assert "Karakteren på forsøk 2 blir D (før klagen F). Den beste karakteren av forsøkene dine gjelder: D" in decided
    assert "Du har bestått og får 30 studiepoeng." in decided

    cohort = resit.group_workflow_id.split(".")[0].removeprefix("kull-")

    async def counted() -> None:  # the year's results read the decided appeal of the re-sit
        results = await group_results(gateway, cohort, [resit.group_workflow_id])
        [mine] = [r for r in results if r.participant_id == ids[1]]
        assert (mine.grade, mine.credits, mine.certificate) == (Grade.D, 30, "transcript")

    await eventually(counted)
    await refused(register_resit(gateway, ids[1], acting(OFFICE)), "Eksamen er bestått (D)")


async def test_the_resits_examiner_may_not_sit_on_its_appeals_commission(harness: Harness) -> None:
    ids, _ = await failed_resit(harness)
    gateway = admin(harness)
    appeal = await register_appeal(gateway, ids[1], acting(OFFICE), attempt=2)
    named = AssignExaminersInput(
        actor=OFFICE, examiners=[RESIT_EXAMINER, "sensor.ekstern"], external=["sensor.ekstern"]
    )
    await refused(
        gateway.perform(commands.APPEAL_EXAMINERS, AppealId.parse(appeal.appeal_workflow_id), named, acting(OFFICE)),
        f"{RESIT_EXAMINER} satte den første karakteren",
    )


async def test_a_resit_appeal_is_refused_without_a_decided_attempt_and_after_its_deadline(harness: Harness) -> None:
    handle, ids = await failed_group(harness)
    await publish(handle)
    gateway = admin(harness)
    await refused(
        register_appeal(gateway, ids[1], acting(OFFICE), attempt=2), "Det er ingen avgjort ny eksamen (forsøk 2)"
    )
    resit = await register_resit(gateway, ids[1], acting(OFFICE))
    await refused(
        register_appeal(gateway, ids[1], acting(OFFICE), attempt=2), "Det er ingen avgjort ny eksamen (forsøk 2)"
    )
    written = NewWrittenGradeInput(actor=RESIT_EXAMINER, grade=Grade.F)
    await gateway.perform(
        commands.RESIT_WRITTEN, ResitId.parse(resit.resit_workflow_id), written, acting(RESIT_EXAMINER)
    )
    late = resit.registered_at + timedelta(days=60) if resit.registered_at else None
    await refused(register_appeal(gateway, ids[1], acting(OFFICE), attempt=2, now=late), "Klagefristen")
