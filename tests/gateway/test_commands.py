"""The gateway's one command list and the typed IDs: each command's declared types are its update's, and an ID
that does not parse is refused by code."""

from __future__ import annotations

import typing

import pytest
from sqlalchemy import select

from domain.ids import AppealId, CohortId, GroupId, ParticipantId, ResitId
from domain.refusals import Refusal
from gateway.admin import Admin, Refused
from gateway.commands import COMMANDS, CONFIRM_SELECTION, REQUIREMENT_APPROVE
from store.accounts import Account, Role
from store.tables import AuditRecord
from tests.conftest import Harness
from tests.test_starter_admin import cohort_plan
from workflows.messages import ConfirmSelectionInput


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_declares_its_updates_input_and_result(name: str) -> None:
    command = COMMANDS[name]
    hints = typing.get_type_hints(command.update)
    assert (hints["input"], hints["return"]) == (command.input, command.result)
    recorded = RECORDED_AS.get(name, getattr(command.update, "__name__", None))
    assert command.audit == recorded and command.roles


RECORDED_AS = {  # the re-sit's workflow names its grades as a re-sit's in the audit trail
    "resit-written": "register_resit_written_grade",
    "resit-oral": "register_resit_oral_adjustment",
}


def test_a_role_the_command_does_not_name_is_refused_by_code() -> None:
    REQUIREMENT_APPROVE.check(Account(username="turid", role=Role.TEACHER))
    with pytest.raises(Refusal) as refused:
        REQUIREMENT_APPROVE.check(Account(username="kommune-5001", role=Role.MUNICIPALITY, municipality="5001"))
    assert refused.value.code == "gateway.role_forbidden"
    assert str(refused.value) == "Rollen kommune kan ikke gi kommandoen requirement-approve"


def test_one_parser_for_cohort_group_and_participant_ids() -> None:
    member = ParticipantId.parse("kull-2022.gruppe-1833+1832.deltaker-2")
    assert member.group == GroupId.of("2022", "1833+1832") == GroupId.parse("kull-2022.gruppe-1833+1832")
    assert (member.workflow_id, member.group.cohort) == ("kull-2022.gruppe-1833+1832.deltaker-2", CohortId("2022"))
    appeal, resit = "kull-2022.gruppe-1804.deltaker-1.klage", "kull-2022.gruppe-1804.deltaker-1.ny-eksamen-2"
    assert AppealId.parse(appeal) == AppealId.of("kull-2022.gruppe-1804.deltaker-1")
    assert (AppealId.parse(appeal).workflow_id, ResitId.parse(resit).workflow_id) == (appeal, resit)
    for parse, text, code in [
        (CohortId.parse, "20 22", "ids.bad_cohort"),
        (GroupId.parse, "kull-2022.gruppe-18", "ids.bad_group"),
        (ParticipantId.parse, "kull-2022.gruppe-1804", "ids.bad_participant"),
        (ParticipantId.parse, "kull-2022.gruppe-1804.deltaker-1\x1b[2J", "ids.bad_participant"),
        (lambda text: GroupId.of("2022", text), "1804+", "ids.bad_application"),
        (AppealId.parse, "kull-2022.gruppe-1804.deltaker-1.klagen", "ids.bad_appeal"),
        (ResitId.parse, "kull-2022.gruppe-1804.deltaker-1.ny-eksamen-1", "ids.bad_resit"),
    ]:
        with pytest.raises(Refusal) as refused:
            parse(text)
        assert refused.value.code == code, text


async def test_no_workflow_an_ended_one_and_a_role_that_may_not_are_refused_by_code(harness: Harness) -> None:
    admin = Admin(harness.client, harness.sessions, harness.task_queue)
    kari, turid = Account(username="kari", role=Role.ADMIN), Account(username="turid", role=Role.TEACHER)
    confirm = ConfirmSelectionInput(actor="anyone")  # the gateway puts the account's user name in

    async def code(target: CohortId, account: Account) -> str | None:
        with pytest.raises(Refused) as refused:
            await admin.perform(CONFIRM_SELECTION, target, confirm, account)
        return refused.value.code

    assert await code(CohortId("ingen-slik"), kari) == "gateway.no_workflow"
    plan = cohort_plan(deadline_in=600)
    handle = await admin.open_cohort(plan)
    assert await code(CohortId(plan.cohort), turid) == "gateway.role_forbidden"
    await handle.terminate("test done")
    assert await code(CohortId(plan.cohort), kari) == "gateway.workflow_ended"
    async with harness.sessions() as session:
        refused = select(AuditRecord).where(AuditRecord.outcome == "refused").order_by(AuditRecord.id)
        audited = (await session.scalars(refused)).all()
    assert [(a.actor, a.action) for a in audited][-2:] == [
        ("turid", "confirm_selection"),
        ("kari", "confirm_selection"),
    ]
