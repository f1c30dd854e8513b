"""Who the demo's script acts as, and which command of the gateway's list (gateway.commands) each of its steps is.

The script names its steps as a workflow's update and its actor's user name; each actor is an account (made at
start-up by web.demo_accounts.create_actor_accounts with the role here), and the step goes through
`Admin.perform` as that account, with the command's role check, as a person's would. A hand-in the script gives for
a group (its teacher or examiner handing in on the group's behalf; the contact is no account yet) is given as the
administration's account, which may register a hand-in, as the office would.
"""

from __future__ import annotations

from typing import Any

from demo.scenario import Scenario
from domain.ids import CohortId, WorkflowRef
from gateway.commands import COMMANDS, AnyCommand
from store.accounts import Account, Role


def actor_roles(scenario: Scenario) -> dict[str, Role]:
    """Who the script acts as, by role: the administration, the teacher, the examiner and the appeals' examiners."""
    actors = scenario.script.actors
    examiners = scenario.end_of_year.appeal_examiners if scenario.end_of_year else []
    return {actors.admin: Role.ADMIN, actors.teacher: Role.TEACHER} | dict.fromkeys(
        [actors.examiner, *examiners], Role.EXAMINER
    )


def external_actors(scenario: Scenario) -> frozenset[str]:
    """The appeals' examiners whose accounts are marked external."""
    return frozenset(scenario.end_of_year.external_examiners if scenario.end_of_year else [])


def appeal_examiner(scenario: Scenario) -> str | None:
    """The commission member whose password the demo's accounts file holds (`appeal_examiner`): its first external
    examiner, who signs in to the appeal's blind page."""
    return min(external_actors(scenario), default=None)


def account(scenario: Scenario, username: str) -> Account:
    """The script's account of this user name (it exists: made at start-up with this role)."""
    return Account(username=username, role=actor_roles(scenario)[username])


def office(scenario: Scenario) -> Account:
    return account(scenario, scenario.script.actors.admin)


def typed(scenario: Scenario, workflow_id: str, update: Any, actor: str) -> tuple[AnyCommand, WorkflowRef, Account]:
    """The command whose update this is, its typed target and the account that gives it."""
    name = getattr(update, "__qualname__", None)
    command = next(c for c in COMMANDS.values() if getattr(c.update, "__qualname__", None) == name)
    who = account(scenario, actor)
    return command, target(command.target, workflow_id), who if command.allows(who) else office(scenario)


def target(kind: type[WorkflowRef], workflow_id: str) -> WorkflowRef:
    if kind is CohortId:
        return CohortId.parse(workflow_id.removeprefix("kull-"))
    return kind.parse(workflow_id)
