"""An appeal whose commission's grade is two grades from the first: assessed further, with all documents, before
it is fixed; the letters at each step, read as the person gets them."""

from __future__ import annotations

from domain.ids import AppealId
from domain.models import Grade
from gateway import commands
from gateway.end_of_year.appeal import register_appeal
from store.accounts import Account, Role
from tests.conftest import Harness
from tests.workflows.commission import EXAMINER, EXTERNAL, OFFICE, appoint, decide, grade, schedule_new_oral
from tests.workflows.helpers import only_letter
from tests.workflows.test_appeal import acting, admin, graded_group, publish, refused
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.messages import CommissionDecisionInput, NewOralAdjustmentInput


async def test_two_grades_from_the_first_is_assessed_further_before_the_grade_is_fixed(harness: Harness) -> None:
    handle, ids = await graded_group(harness)  # written C, member 1 +1: B
    await publish(handle)
    gateway = admin(harness)
    appeal = AppealId.parse((await register_appeal(gateway, ids[0], acting(OFFICE))).appeal_workflow_id)
    office = Account(username=OFFICE, role=Role.ADMIN)
    further = CommissionDecisionInput(actor=OFFICE, grade=Grade.B, by_admin=True)
    await appoint(gateway, appeal)
    await refused(
        gateway.perform(commands.APPEAL_FURTHER, appeal, further, office), "Klagen venter ikke på en videre vurdering"
    )
    await grade(gateway, appeal, EXAMINER, Grade.A)
    await grade(gateway, appeal, EXTERNAL, Grade.B)
    outsider = await refused(
        gateway.perform(
            commands.APPEAL_WRITTEN,
            appeal,
            CommissionDecisionInput(actor="sensor.annen", grade=Grade.A),
            acting("sensor.annen"),
        ),
        "sensor.annen sitter ikke i klagekommisjonen",
    )
    assert outsider.code == "appeal.not_commission"
    assert (await decide(gateway, appeal, Grade.A)).stage == "further_assessment"  # C to A: two grades
    detail = await harness.client.get_workflow_handle(appeal.workflow_id).query(AppealWorkflow.detail)
    assert (detail.commission_grade, detail.written_after, detail.further_assessment) == (Grade.A, None, True)
    letter = await only_letter(harness.sessions, "appeal_further_assessment")
    assert "avviker med to eller flere trinn fra karakteren ved første sensur" in letter
    assert "alle dokumentene i saken tilgjengelige, også den første karakteren" in letter

    # the administration fixes it after the further assessment: B, one from the first, so a new oral follows
    assert (await gateway.perform(commands.APPEAL_FURTHER, appeal, further, office)).stage == "awaiting_oral"
    await refused(
        gateway.perform(commands.APPEAL_FURTHER, appeal, further, office), "Klagen venter ikke på en videre vurdering"
    )
    await schedule_new_oral(gateway, appeal)
    oral = NewOralAdjustmentInput(actor=EXTERNAL, adjustment=0)
    assert (await gateway.perform(commands.APPEAL_ORAL, appeal, oral, acting(EXTERNAL))).stage == "decided"
    result = await harness.client.get_workflow_handle_for(AppealWorkflow.run, appeal.workflow_id).result()
    assert (result.detail.written_after, result.detail.final_after) == (Grade.B, Grade.B)
    decided = await only_letter(harness.sessions, "appeal_decided")
    assert "er den vurdert videre før den ble fastsatt" in decided
    assert "Den skriftlige delen får nå karakteren B (ved første sensur C)." in decided
