"""Appeals on the dev server: registered through the gateway after release, new examiners, the new written grade,
the new oral, the final result and its letter; and every refusal, by name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowHandle

from domain.end_of_year.appeals import appeal_deadline
from domain.ids import AppealId
from domain.models import Grade
from gateway import commands
from gateway.admin import Admin, Refused
from gateway.end_of_year import appeal as appeal_gateway
from gateway.end_of_year.appeal import assign_examiners, register_appeal
from store.accounts import Account, Accounts, Role
from store.end_of_year import AppealRecord
from store.tables import AuditRecord
from tests.conftest import Harness
from tests.workflows.commission import EXAMINER, EXTERNAL, OFFICE, commission_decides, decide, grade, schedule_new_oral
from tests.workflows.helpers import eventually, only_letter
from tests.workflows.test_group import ACTOR, approve_all, members, start_group
from workflows.end_of_year.appeal import AppealWorkflow
from workflows.end_of_year.messages import AssignExaminersInput, NewOralAdjustmentInput
from workflows.group import GroupWorkflow
from workflows.ids import appeal_workflow_id
from workflows.messages import (
    MarkNonParticipatingInput,
    OralAdjustment,
    OralInput,
    PublishSignal,
    SubmitWrittenInput,
    WrittenGradeInput,
)


async def graded_group(harness: Harness) -> tuple[WorkflowHandle[Any, Any], list[str]]:
    """Written C; member 1 +1 (B), member 2 -1 (D), member 3 not taking part, member 4 a course participant."""
    handle = await start_group(harness)
    ids = await members(handle)
    await approve_all(handle)
    await handle.execute_update(
        GroupWorkflow.mark_non_participating, MarkNonParticipatingInput(actor=ACTOR, participant_workflow_id=ids[2])
    )
    await handle.execute_update(GroupWorkflow.submit_written, SubmitWrittenInput(actor=ACTOR))
    await handle.execute_update(GroupWorkflow.register_written_grade, WrittenGradeInput(actor=ACTOR, grade=Grade.C))
    await handle.execute_update(
        GroupWorkflow.register_oral,
        OralInput(
            actor=ACTOR,
            adjustments=[
                OralAdjustment(participant_workflow_id=ids[0], adjustment=1),
                OralAdjustment(participant_workflow_id=ids[1], adjustment=-1),
            ],
        ),
    )

    async def graded() -> None:
        assert (await handle.query(GroupWorkflow.detail)).stage == "graded"

    await eventually(graded)
    return handle, ids


async def publish(handle: WorkflowHandle[Any, Any]) -> None:
    """Release the group's results once its grades are computed. The group ignores a publish before that (the
    cohort's update refuses it, by the group's report), and its stage may say "no_exam" while the activity that
    computes the grades still runs (it timed out CI that way): so ask again until the group says it published."""

    async def published() -> None:
        await handle.signal(GroupWorkflow.publish, PublishSignal())  # a second one, once published, is ignored
        assert (await handle.query(GroupWorkflow.detail)).published_at is not None

    await eventually(published, timeout=120, interval=0.5)
    await handle.result()


def admin(harness: Harness) -> Admin:
    return Admin(harness.client, harness.sessions, harness.task_queue)


def acting(username: str) -> Account:
    """The account a test acts as: the office's is the administration's, any other an examiner's."""
    return Account(username=username, role=Role.ADMIN if username == OFFICE else Role.EXAMINER)


async def examiner_accounts(
    harness: Harness, *usernames: str, group: str | None = None, external: bool = False
) -> None:
    """Examiner accounts by these user names (marked external, or not); with `group`, each assigned to that group."""
    accounts = Accounts(harness.sessions)
    await Accounts.create_table(harness.engine)
    for username in usernames:
        account = Account(username=username, role=Role.EXAMINER, external=external)
        await accounts.add(account, "et passord som holder")
        if group is not None:
            await accounts.assign(username, group)


async def refused(action: object, reason: str) -> Refused:
    """The action is refused with these words (the catalogue's Norwegian); the refusal, for its codes."""
    with pytest.raises(Refused) as refusal:
        await action  # type: ignore[misc]
    assert reason in str(refusal.value)
    return refusal.value


async def test_an_appeal_that_changes_the_written_grade_needs_a_new_oral_and_is_final(harness: Harness) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    await examiner_accounts(harness, EXAMINER, ACTOR, "sensor.intern")  # ACTOR registered the group's grades
    await examiner_accounts(harness, EXTERNAL, external=True)
    await examiner_accounts(harness, "sensor.gruppe", group=handle.id, external=True)  # assigned, graded nothing
    gateway = admin(harness)
    appeal = await register_appeal(gateway, ids[1], acting(OFFICE))
    assert (appeal.stage, appeal.written_before, appeal.final_before) == ("awaiting_examiners", Grade.C, Grade.D)
    appeal_id = appeal_workflow_id(ids[1])
    assert appeal.appeal_workflow_id == appeal_id == f"{ids[1]}.klage"

    await refused(decide(gateway, AppealId.parse(appeal_id), Grade.B), "De nye sensorene må oppnevnes først")
    await refused(
        assign_examiners(
            gateway,
            AppealId.parse(appeal_id),
            AssignExaminersInput(actor=OFFICE, examiners=[EXTERNAL, ACTOR]),
            acting(OFFICE),
        ),
        f"{ACTOR} satte den første karakteren; en klage skal vurderes av nye sensorer",
    )
    await refused(
        assign_examiners(
            gateway,
            AppealId.parse(appeal_id),
            AssignExaminersInput(actor=OFFICE, examiners=[EXTERNAL]),
            acting(OFFICE),
        ),
        "En klagekommisjon skal ha minst 2 sensorer, ikke 1",
    )
    no_external = await refused(
        assign_examiners(  # the caller's word for who is external counts for nothing: the accounts say it
            gateway,
            AppealId.parse(appeal_id),
            AssignExaminersInput(actor=OFFICE, examiners=[EXAMINER, "sensor.intern"], external=["sensor.intern"]),
            acting(OFFICE),
        ),
        "Minst én av sensorene i klagekommisjonen skal være ekstern",
    )
    assert no_external.code == "appeal.commission_no_external"
    await refused(
        assign_examiners(
            gateway,
            AppealId.parse(appeal_id),
            AssignExaminersInput(actor=OFFICE, examiners=["sensor.gruppe", EXAMINER]),
            acting(OFFICE),
        ),
        "sensor.gruppe satte den første karakteren",  # the group's examiner, though the grades were keyed by another
    )
    unknown = await refused(
        assign_examiners(
            gateway,
            AppealId.parse(appeal_id),
            AssignExaminersInput(actor=OFFICE, examiners=[EXAMINER, OFFICE]),
            acting(OFFICE),
        ),
        f"{OFFICE} er ikke brukernavnet til en sensorkonto",
    )
    assert [p.dump() for p in unknown.problems] == [
        {"code": "appeal.not_examiner_account", "params": {"examiners": OFFICE}}
    ]
    async with harness.sessions() as session:
        audited = await session.scalars(
            select(AuditRecord.reason).where(
                AuditRecord.workflow_id == appeal_id,
                AuditRecord.action == "assign_examiners",
                AuditRecord.outcome == "refused",
            )
        )
        assert f"{OFFICE} er ikke brukernavnet til en sensorkonto" in list(audited)
    named = AssignExaminersInput(actor=OFFICE, examiners=[EXAMINER, EXTERNAL])
    assigned = await assign_examiners(gateway, AppealId.parse(appeal_id), named, acting(OFFICE))
    assert assigned.stage == "awaiting_commission"
    commission = (await harness.client.get_workflow_handle(appeal_id).query(AppealWorkflow.detail)).external
    assert commission == [EXTERNAL]
    appointed = await only_letter(harness.sessions, "appeal_commission")
    assert "En klagekommisjon på 2 nye sensorer, én av dem ekstern, vurderer den skriftlige delen på nytt." in appointed
    assert EXAMINER not in appointed and EXTERNAL not in appointed  # the person is not told who they are
    stranger = await refused(
        grade(gateway, AppealId.parse(appeal_id), ACTOR, Grade.B),
        f"{ACTOR} er ikke sensor for denne klagen (sensorene er {EXAMINER}, {EXTERNAL})",
    )
    assert [p.dump() for p in stranger.problems] == [
        {"code": "appeal.not_examiner", "params": {"actor": ACTOR, "examiners": f"{EXAMINER}, {EXTERNAL}"}}
    ]
    assert (await grade(gateway, AppealId.parse(appeal_id), EXAMINER, Grade.B)).stage == "awaiting_commission"
    await refused(
        grade(gateway, AppealId.parse(appeal_id), EXAMINER, Grade.A), f"{EXAMINER} har allerede gitt sin karakter (B)"
    )
    await refused(
        decide(gateway, AppealId.parse(appeal_id), Grade.B),
        f"Alle sensorene i kommisjonen må gi sin karakter først; venter på {EXTERNAL}",
    )
    assert (await grade(gateway, AppealId.parse(appeal_id), EXTERNAL, Grade.C)).stage == "awaiting_decision"
    await refused(
        decide(gateway, AppealId.parse(appeal_id), Grade.A),
        "Kommisjonens karakter A ligger utenfor karakterene sensorene ga (B-C)",
    )
    await refused(
        assign_examiners(gateway, AppealId.parse(appeal_id), named, acting(OFFICE)),
        "Kommisjonen har begynt å gi karakterer; sensorene kan ikke lenger byttes",
    )
    await refused(
        gateway.perform(
            commands.APPEAL_ORAL,
            AppealId.parse(appeal_id),
            NewOralAdjustmentInput(actor=EXAMINER, adjustment=0),
            acting(EXAMINER),
        ),
        "Den nye skriftlige karakteren må registreres før den muntlige justeringen",
    )
    written = await decide(gateway, AppealId.parse(appeal_id), Grade.B, by=EXTERNAL)  # agreed on one of theirs
    assert written.stage == "awaiting_oral"
    await schedule_new_oral(gateway, AppealId.parse(appeal_id))
    await refused(
        gateway.perform(
            commands.APPEAL_ORAL,
            AppealId.parse(appeal_id),
            NewOralAdjustmentInput(actor=EXAMINER, adjustment=2),
            acting(EXAMINER),
        ),
        "Den muntlige eksamenen kan flytte karakteren høyst 1 trinn, ikke +2",
    )
    decided = await gateway.perform(
        commands.APPEAL_ORAL,
        AppealId.parse(appeal_id),
        NewOralAdjustmentInput(actor=EXAMINER, adjustment=0),
        acting(EXAMINER),
    )
    assert decided.stage == "decided"

    result = await harness.client.get_workflow_handle_for(AppealWorkflow.run, appeal_id).result()
    d = result.detail
    assert (d.written_after, d.oral_adjustment_after, d.final_after, d.credits_after) == (Grade.B, 0, Grade.B, 30)
    await refused(
        gateway.perform(
            commands.APPEAL_ORAL,
            AppealId.parse(appeal_id),
            NewOralAdjustmentInput(actor=EXAMINER, adjustment=1),
            acting(EXAMINER),
        ),
        "er avsluttet",
    )
    await refused(register_appeal(gateway, ids[1], acting(OFFICE)), "Personen har allerede klaget")

    body = await only_letter(harness.sessions, "appeal_decided")
    assert "Den skriftlige delen får nå karakteren B (ved første sensur C)." in body
    assert "Den samlede karakteren din endres fra D til B." in body
    assert "Resultatet av klagen er endelig og kan ikke påklages." in body

    async def recorded() -> AppealRecord:
        async with harness.sessions() as session:
            row = (await session.scalars(select(AppealRecord).where(AppealRecord.appeal_id == appeal_id))).one()
        assert row.stage == "decided"
        return row

    row = await eventually(recorded)
    assert (row.final_before, row.final_after, row.person_id) == ("D", "B", appeal.person_id)


async def test_the_same_written_grade_keeps_the_combined_grade(harness: Harness) -> None:
    handle, ids = await graded_group(harness)
    await publish(handle)
    gateway = admin(harness)
    appeal_id = (await register_appeal(gateway, ids[0], acting(OFFICE))).appeal_workflow_id
    decided = await commission_decides(gateway, AppealId.parse(appeal_id), Grade.C)
    assert decided.stage == "decided"
    d = (await harness.client.get_workflow_handle_for(AppealWorkflow.run, appeal_id).result()).detail
    assert (d.written_after, d.oral_adjustment_after, d.final_after, d.credits_after) == (Grade.C, None, Grade.B, 30)

    assert "den samme som ved første sensur. Den samlede karakteren din blir derfor stående: B." in await only_letter(
        harness.sessions, "appeal_decided"
    )


async def test_who_may_not_appeal_is_refused_by_name_and_audited(harness: Harness) -> None:
    handle, ids = await graded_group(harness)
    gateway = admin(harness)
    await refused(register_appeal(gateway, ids[0], acting(OFFICE)), "Resultatene er ikke publisert ennå")
    await publish(handle)
    await refused(register_appeal(gateway, ids[3], acting(OFFICE)), "En kursdeltaker får ikke karakter")
    await refused(
        register_appeal(gateway, ids[2], acting(OFFICE)), "Det er ingen karakter å klage på"
    )  # did not take part
    released = (await handle.query(GroupWorkflow.detail)).published_at
    assert released is not None
    late = appeal_deadline(released, 21 * 86400) + timedelta(seconds=1)  # the end of the last day, in Oslo
    deadline = await refused(appeal_gateway.register_appeal(gateway, ids[0], acting(OFFICE), now=late), "Klagefristen ")
    assert deadline.code == "appeal.deadline_passed" and str(deadline).endswith(" er passert")
    await refused(
        register_appeal(gateway, "kull-x.gruppe-9999.deltaker-1", acting(OFFICE)), "Fant ingen sak"
    )  # none to audit
    bad = await refused(register_appeal(gateway, "kull-x.gruppe 1", acting(OFFICE)), "er ikke en saks-ID")
    assert bad.code is not None and bad.code.startswith("validation.")  # by code, in Norwegian: nothing to audit
    for pid in ids:
        assert not await appeal_gateway._exists(harness.client, appeal_workflow_id(pid))  # noqa: SLF001 - nothing started
    async with harness.sessions() as session:
        refusals = list(
            await session.scalars(
                select(AuditRecord.reason).where(
                    AuditRecord.outcome == "refused", AuditRecord.action == "register_appeal"
                )
            )
        )
    assert len(refusals) == 4 and any("En kursdeltaker" in r for r in refusals if r)
