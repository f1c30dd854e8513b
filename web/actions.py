"""Every action the web app can take on a workflow, with the roles that may take it; the API and the forms both
go through `perform`, so a right is decided in one place and the actor is always the signed-in account."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import HTTPException, status
from starlette.datastructures import UploadFile
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.plan import parse_plan
from domain.refusals import Refusal
from gateway.admin import OutcomeUnknown, Refused
from store.accounts import Account, Role
from web.errors import refusal
from web.state import Web, not_found
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import cohort_workflow_id
from workflows.messages import AdminAction
from workflows.participant import ParticipantWorkflow

ADMIN = frozenset({Role.ADMIN})
TEACHING = frozenset({Role.ADMIN, Role.TEACHER})
CONTACT = frozenset({Role.ADMIN, Role.MUNICIPALITY})
PROJECT = frozenset({Role.ADMIN, Role.TEACHER, Role.MUNICIPALITY})  # the group, its supervisor, the administration
EXAMINING = frozenset({Role.ADMIN, Role.EXAMINER})
OUTCOME_SECONDS = 10.0  # how long a hand-in whose outcome was lost waits to learn it before keeping its file


@dataclass(frozen=True)
class Action:
    update: Any  # the workflow's update method
    roles: frozenset[Role]
    done: str  # what the page says afterwards


GROUP_ACTIONS: dict[str, Action] = {
    "requirement-submit": Action(
        GroupWorkflow.submit_requirement, CONTACT, "Arbeidskrav {number} er registrert som levert."
    ),
    "requirement-approve": Action(GroupWorkflow.approve_requirement, TEACHING, "Arbeidskrav {number} er godkjent."),
    "requirement-return": Action(GroupWorkflow.return_requirement, TEACHING, "Arbeidskrav {number} er sendt tilbake."),
    "requirement-extend": Action(GroupWorkflow.grant_extension, TEACHING, "Arbeidskrav {number} har fått ny frist."),
    "attendance": Action(
        GroupWorkflow.register_attendance, TEACHING, "Oppmøte for samling {gathering}, dag {day} er registrert."
    ),
    "non-participating": Action(
        GroupWorkflow.mark_non_participating, TEACHING, "Deltakeren er registrert som ikke deltakende i gruppearbeidet."
    ),
    "written-submit": Action(
        GroupWorkflow.submit_written, CONTACT, "Den skriftlige oppgaven er registrert som levert."
    ),
    "written-grade": Action(GroupWorkflow.register_written_grade, EXAMINING, "Karakteren er registrert."),
    "oral": Action(GroupWorkflow.register_oral, EXAMINING, "De muntlige justeringene er registrert."),
    "project": Action(GroupWorkflow.record_project, PROJECT, "Innovasjonsprosjektet er registrert."),
    "project-report": Action(
        GroupWorkflow.report_project, PROJECT, "Drivere og barrierer for arbeidskrav {number} er registrert."
    ),
}
COHORT_ACTIONS: dict[str, Action] = {
    "confirm-selection": Action(
        CohortWorkflow.confirm_selection, ADMIN, "Utvalget er bekreftet, og gruppene får beskjed."
    ),
    "publish": Action(CohortWorkflow.publish_results, ADMIN, "Resultatene er publisert."),
    "publish-group": Action(
        CohortWorkflow.publish_group, ADMIN, "Resultatene for gruppen {application_id} er kontrollert og publisert."
    ),
    "withdraw-group": Action(
        CohortWorkflow.withdraw_group, ADMIN, "Søknaden {application_id} har gitt fra seg plassen."
    ),
}
PARTICIPANT_ACTIONS: dict[str, Action] = {
    "assessment": Action(ParticipantWorkflow.decide_assessment, ADMIN, "Den individuelle vurderingen er registrert."),
    "withdraw": Action(ParticipantWorkflow.withdraw, ADMIN, "Deltakeren er trukket."),
}


async def open_cohort(web: Web, account: Account, data: object, seed: str | None) -> str:
    """Open a cohort from its plan (already parsed JSON); the cohort's name, or Refused with every broken rule."""
    if account.role != Role.ADMIN:
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    plan, problems = parse_plan(data)
    if problems or plan is None:
        raise Refused(Refusal.of(problems))
    try:
        await web.admin.open_cohort(plan, seed or None)
    except WorkflowAlreadyStartedError:
        raise Refused(
            f"cohort {plan.cohort} has already run; its workflow {cohort_workflow_id(plan.cohort)} is closed"
        ) from None
    return plan.cohort


def allowed(account: Account, action: Action) -> bool:
    return account.role in action.roles


async def perform_group(
    web: Web, account: Account, cohort: str, application_id: str, name: str, action: AdminAction
) -> Any:
    workflow_id = await web.group_id(
        account, cohort, application_id
    )  # 404 before 403: nothing leaks about others' groups
    return await _perform(web, account, workflow_id, GROUP_ACTIONS[name], action)


async def hand_in(
    web: Web,
    account: Account,
    cohort: str,
    application_id: str,
    name: str,
    build: Callable[[str | None], AdminAction],
    document: UploadFile | None,
) -> Any:
    """A hand-in with its document, for the page and the API alike: the rights first (404, 403), then the file
    (ValueError when empty or too large), then the workflow. The file is stored only once the workflow accepted
    it; a refusal leaves nothing; an outcome Temporal could not tell is asked for again by the update's ID, and
    the file kept if the answer stays unknown (the workflow may name it)."""
    workflow_id = await web.group_id(account, cohort, application_id)
    spec = GROUP_ACTIONS[name]
    if not allowed(account, spec):
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    staged = None
    if document is not None and document.filename:
        staged = await web.uploads.stage(document, document.filename, document.content_type)
    update_id = f"hand-in-{uuid.uuid4()}"
    try:
        result = await perform_update(
            web, workflow_id, spec.update, build(staged.upload.sha256 if staged else None), update_id
        )
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


async def perform_cohort(web: Web, account: Account, cohort: str, name: str, action: AdminAction) -> Any:
    try:
        workflow_id = cohort_workflow_id(cohort)
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke kullet") from None
    return await _perform(web, account, workflow_id, COHORT_ACTIONS[name], action)


async def perform_participant(web: Web, account: Account, participant_id: str, name: str, action: AdminAction) -> Any:
    return await _perform(web, account, participant_id, PARTICIPANT_ACTIONS[name], action)


async def _perform(web: Web, account: Account, workflow_id: str, spec: Action, action: AdminAction) -> Any:
    if not allowed(account, spec):
        raise refusal(status.HTTP_403_FORBIDDEN, "web.role_forbidden", role=account.role.value)
    return await perform_update(web, workflow_id, spec.update, action)


async def perform_update(
    web: Web, workflow_id: str, update: Any, action: AdminAction, update_id: str | None = None
) -> Any:
    """The update through the gateway; a workflow that is not there is 404, as a page that is not there."""
    try:
        return await web.admin.perform(workflow_id, update, action, update_id=update_id)
    except Refused as refused:
        if not_found(str(refused)):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Fant ikke saken") from None
        raise
