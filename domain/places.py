"""Where a task or an entry of the log belongs, in the words the pages and the staff's letters say it."""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache

from domain.ids import GroupId, ParticipantId
from domain.municipalities import names
from domain.refusals import Refusal


def said_group(cohort: str, application_id: str, *, numbered: bool) -> str:
    """Where a group's task belongs: `Kull 2022, gruppe Kristiansand (4204)`."""
    return f"Kull {cohort}, gruppe {said_application(application_id, numbered)}"


@lru_cache(maxsize=4096)
def said_application(application_id: str, numbered: bool) -> str:
    """`names`, remembered: a national cohort's pages say the same ~360 groups on every view."""
    return names(application_id, numbered=numbered)


def said_place(workflow_id: str) -> str:
    """Where an entry of the log acted, in words: `Kull 2022, Kristiansand (4204), deltaker 2, klage`; an ID this
    does not know shows as itself."""
    for suffix, words in ((".klage", "klage"), (".ny-eksamen-", "ny eksamen"), (".begrunnelse", "begrunnelse")):
        head, found, _ = workflow_id.partition(suffix)
        if found:
            return f"{said_place(head)}, {words}"
    with suppress(Refusal):
        member = ParticipantId.parse(workflow_id)
        return f"{said_place(member.group.workflow_id)}, deltaker {member.number}"
    with suppress(Refusal):
        group = GroupId.parse(workflow_id)
        return f"Kull {group.cohort.cohort}, {names(group.application_id, numbered=True)}"
    cohort = workflow_id.removeprefix("kull-")
    return f"Kull {cohort}" if cohort != workflow_id and "." not in cohort else workflow_id
