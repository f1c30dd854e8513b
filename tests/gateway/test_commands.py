"""The gateway's one command list and the typed IDs: each command's declared types are its update's, and an ID
that does not parse is refused by code."""

from __future__ import annotations

import typing

import pytest

from domain.refusals import Refusal
from gateway.commands import COMMANDS, REQUIREMENT_APPROVE
from store.accounts import Account, Role
from workflows.ids import CohortId, GroupId, ParticipantId


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_declares_its_updates_input_and_result(name: str) -> None:
    command = COMMANDS[name]
    hints = typing.get_type_hints(command.update)
    assert (hints["input"], hints["return"]) == (command.input, command.result)
    assert command.audit == getattr(command.update, "__name__", None) and command.roles


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
    for parse, text, code in [
        (CohortId.parse, "20 22", "ids.bad_cohort"),
        (GroupId.parse, "kull-2022.gruppe-18", "ids.bad_group"),
        (ParticipantId.parse, "kull-2022.gruppe-1804", "ids.bad_participant"),
        (ParticipantId.parse, "kull-2022.gruppe-1804.deltaker-1\x1b[2J", "ids.bad_participant"),
        (lambda text: GroupId.of("2022", text), "1804+", "ids.bad_application"),
    ]:
        with pytest.raises(Refusal) as refused:
            parse(text)
        assert refused.value.code == code, text
