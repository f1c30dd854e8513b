"""The commands the web app gives (from gateway.commands, by name) and what a page says when one is done; the API
and the forms both go through `_perform`, so a right is decided in one place and the actor is always the signed-in
account."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from fastapi import HTTPException, status
from starlette.datastructures import UploadFile
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from domain.ids import CohortId, GroupId, ParticipantId, WorkflowRef
from domain.plan import parse_plan
from domain.refusals import Refusal
from gateway.accounts import Account, Role
from gateway.admin import OutcomeUnknown, Refused
from gateway.commands import COMMANDS, AnyCommand, Command
from gateway.messages import AdminAction
from web.errors import refusal
from web.state import Web

T = TypeVar("T", bound=WorkflowRef)
I = TypeVar("I", bound=AdminAction)  # noqa: E741 (the input, as in Command[T, I, R])
R = TypeVar("R")

OUTCOME_SECONDS = 10.0  # how long a hand-in whose outcome was lost waits to learn it before keeping its file

# what the page says once a command is done, by the command's name (gateway.commands); the web's own words
GROUP_DONE: dict[str, str] = {
    "requirement-submit": "Arbeidskrav {number} er registrert som levert.",
    "requirement-approve": "Arbeidskrav {number} er godkjent.",
    "requirement-return": "Arbeidskrav {number} er sendt tilbake.",
    "requirement-extend": "Arbeidskrav {number} har fått ny frist.",
    "attendance": "Oppmøte for samling {gathering} er registrert.",
    "non-participating": "Deltakeren er registrert som ikke deltakende i gruppearbeidet.",
    "written-submit": "Den skriftlige oppgaven er registrert som levert.",
    "written-grade": "Karakteren er registrert.",
    "oral": "De muntlige justeringene er registrert.",
    "oral-schedule": "Tid og sted for den muntlige eksamenen er satt, og de som skal opp får brev.",
    "project": "Innovasjonsprosjektet er registrert.",
    "project-report": "Drivere og barrierer for arbeidskrav {number} er registrert.",
    "supervision": "Veiledningsmøtet er registrert.",
}
COHORT_DONE: dict[str, str] = {
    "confirm-selection": "Utvalget er bekreftet, og gruppene får beskjed.",
    "publish": "Resultatene er publisert.",
    "publish-group": "Resultatene for gruppen {application_id} er kontrollert og publisert.",
    "withdraw-group": "Søknaden {application_id} har gitt fra seg plassen.",
}
PARTICIPANT_DONE: dict[str, str] = {
    "assessment": "Den individuelle vurderingen er registrert.",
    "withdraw": "Deltakeren er trukket.",
}
# the commands the web's forms and routes give, from the one list
GROUP_ACTIONS: dict[str, AnyCommand] = {name: COMMANDS[name] for name in GROUP_DONE}
COHORT_ACTIONS: dict[str, AnyCommand] = {name: COMMANDS[name] for name in COHORT_DONE}
PARTICIPANT_ACTIONS: dict[str, AnyCommand] = {name: COMMANDS[name] for name in PARTICIPANT_DONE}


async def open_cohort(web: Web, account: Account, data: object, seed: str | None) -> str:
    """Open a cohort from its plan (already parsed JSON); the cohort's name, or Refused with every broken rule."""
    if account.role != Role.ADMIN:
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    plan, problems = parse_plan(data)
    if problems or plan is None:
        raise Refused(Refusal.of(problems))
    await web.admin.open_cohort(plan, seed or None)
    return plan.cohort


def allowed(account: Account, command: AnyCommand) -> bool:
    return command.allows(account)


async def perform_group(
    web: Web, account: Account, cohort: str, application_id: str, command: Command[GroupId, I, R], action: I
) -> R:
    await web.group_id(account, cohort, application_id)  # 404 before 403: nothing leaks about others' groups
    return await _perform(web, account, command, GroupId.of(cohort, application_id), action)


async def hand_in(
    web: Web,
    account: Account,
    cohort: str,
    application_id: str,
    command: Command[GroupId, I, R],
    build: Callable[[str | None], I],
    document: UploadFile | None,
) -> R:
    """A hand-in with its document, for the page and the API alike: the rights first (404, 403), then the file
    (ValueError when empty or too large), then the workflow. The file is stored only once the workflow accepted
    it; a refusal leaves nothing; an outcome Temporal could not tell is asked for again by the update's ID, and
    the file kept if the answer stays unknown (the workflow may name it)."""
    workflow_id = await web.group_id(account, cohort, application_id)
    if not command.allows(account):
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    staged = None
    if document is not None and document.filename:
        staged = await web.uploads.stage(document, document.filename, document.content_type)
    update_id = f"hand-in-{uuid.uuid4()}"
    try:
        action = build(staged.upload.sha256 if staged else None)
        result = await _perform(web, account, command, GroupId.of(cohort, application_id), action, update_id)
    except OutcomeUnknown:
        if staged is not None and await accepted(web, workflow_id, update_id) is False:
            web.uploads.discard(staged)
        elif staged is not None:
            web.uploads.keep(staged)
        raise
    except BaseException:
        if staged is not None:
            web.uploads.discard(staged)
        raise
    if staged is not None:
        web.uploads.keep(staged)
    return result


async def accepted(web: Web, workflow_id: str, update_id: str) -> bool | None:
    """Whether the update of this ID was accepted: True, False (refused or never admitted), None (still unknown)."""
    handle = web.admin.client.get_workflow_handle(workflow_id).get_update_handle(update_id)
    try:
        await handle.result(rpc_timeout=timedelta(seconds=OUTCOME_SECONDS))
    except WorkflowUpdateFailedError:
        return False
    except RPCError as error:
        return False if error.status == RPCStatusCode.NOT_FOUND else None
    return True


async def perform_cohort(web: Web, account: Account, cohort: str, command: Command[CohortId, I, R], action: I) -> R:
    try:
        target = CohortId.parse(cohort)
    except Refusal:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet") from None
    return await _perform(web, account, command, target, action)


async def perform_participant(
    web: Web, account: Account, participant_id: str, command: Command[ParticipantId, I, R], action: I
) -> R:
    try:
        target = ParticipantId.parse(participant_id)
    except Refusal:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke deltakeren") from None
    return await _perform(web, account, command, target, action)


async def _perform(
    web: Web, account: Account, command: Command[T, I, R], target: T, action: I, update_id: str | None = None
) -> R:
    """The command through the gateway as the signed-in account: a role that may not is 403 here (the gateway
    would refuse it too), a workflow that is not there is 404, as a page that is not there."""
    if not command.allows(account):
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    sent, refused_outright = datetime.now(UTC), False
    try:
        return await web.admin.perform(command, target, action, account, update_id=update_id)
    except Refused as refused:
        refused_outright = True
        if refused.code == "gateway.no_workflow":
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke saken") from None
        raise
    finally:
        if not refused_outright:  # done, or its outcome unknown: either may have changed the group
            web.sent(target, action, sent)


async def perform_on(web: Web, account: Account, command: Command[T, I, R], target: T, action: I) -> R:
    """A command on a target the caller has already found and let the account see (the end of the year's steps:
    web/end_of_year.py decides who may see the person)."""
    return await _perform(web, account, command, target, action)
