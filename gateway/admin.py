"""The study administration's gateway: every admin action as a workflow update, refusals kept in the audit trail.

An update refused by its validator leaves no trace in workflow history, so the gateway records it here. An action
that breaks its model's bounds (domain.text) is refused before anything is sent, whoever built it.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import uuid4

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from activities.models import AuditEntry
from domain.errors import problems
from domain.models import Application, CohortPlan, Participant
from domain.refusals import Problem, Refusal
from gateway import people as registration
from gateway.commands import Command
from runtime.settings import get_settings
from store.accounts import Account, Accounts
from store.db import record_audit
from store.people import Enrolled, People
from workflows import search
from workflows.cohort import CohortWorkflow
from workflows.group import GroupWorkflow
from workflows.ids import ParticipantId, WorkflowRef, cohort_workflow_id
from workflows.messages import (
    ActionResult,
    AdminAction,
    ApplyInput,
    ApplyResult,
    CohortInput,
    GroupDetail,
    ReplaceParticipantInput,
)

T = TypeVar("T", bound=WorkflowRef)
I = TypeVar("I", bound=AdminAction)  # noqa: E741 (the input, as in Command[T, I, R])
R = TypeVar("R")
SWEEP_EVERY_SECONDS = 600.0


class Refused(Exception):
    """The workflow refused the action, or there is no workflow to take it; the reason is for the user.

    A refusal by code (domain.refusals) carries its problems, and its text is the catalogue's Norwegian, said here
    rather than taken from the workflow, so what a person reads follows the catalogue, not the code that ran."""

    def __init__(self, reason: str | Refusal) -> None:
        self.problems: tuple[Problem, ...] = reason.problems if isinstance(reason, Refusal) else ()
        super().__init__(reason.text() if isinstance(reason, Refusal) else reason)

    @property
    def code(self) -> str | None:
        return self.problems[0].code if self.problems else None


class OutcomeUnknown(Refused):
    """Temporal did not answer in a way that says whether the update ran (unavailable, deadline exceeded)."""


class Admin:
    def __init__(
        self,
        client: Client,
        sessions: async_sessionmaker[AsyncSession] | None,
        task_queue: str,
        people: People | None = None,
    ) -> None:
        self.client = client
        self.sessions = sessions
        self.task_queue = task_queue
        self._swept = -SWEEP_EVERY_SECONDS
        self.people = people  # the register; needed by the actions that name people (apply, replace_participant)
        # each workflow task's time on a worker, for the workflows this starts (their children inherit it)
        self.task_timeout = timedelta(seconds=get_settings().workflow_task_timeout_seconds)

    async def open_cohort(self, plan: CohortPlan, seed: str | None = None) -> WorkflowHandle[Any, Any]:
        """Start the cohort's workflow; opening a cohort that is already open returns the running one, one that has
        run is Refused (gateway.cohort_already_ran)."""
        try:
            return await self._start_cohort(plan, seed)
        except WorkflowAlreadyStartedError:
            workflow_id = cohort_workflow_id(plan.cohort)
            raise Refused(Refusal("gateway.cohort_already_ran", cohort=plan.cohort, workflow_id=workflow_id)) from None

    async def _start_cohort(self, plan: CohortPlan, seed: str | None) -> WorkflowHandle[Any, Any]:
        return await self.client.start_workflow(
            CohortWorkflow.run,
            CohortInput(plan=plan, seed=seed),
            id=cohort_workflow_id(plan.cohort),
            task_queue=self.task_queue,
            task_timeout=self.task_timeout,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            search_attributes=TypedSearchAttributes(
                [SearchAttributePair(search.COHORT, plan.cohort), SearchAttributePair(search.STAGE, "intake")]
            ),
        )

    async def perform(
        self, command: Command[T, I, R], target: T, input: I, actor: Account, update_id: str | None = None
    ) -> R:
        """Give one command from the list (gateway.commands) to its workflow as `actor`: the account's role must be
        one of the command's (every channel; else Refused gateway.role_forbidden), and what the workflow and the audit
        trail record as the actor is the account's user name, whatever the input said. Returns the command's
        result; a refusal raises Refused with the reason and is audited."""
        if not isinstance(target, command.target):
            raise TypeError(f"{command.name} takes a {command.target.__name__}")
        if not command.allows(actor):
            refusal = Refusal("gateway.role_forbidden", role=actor.role.value, command=command.name)
            await self._audit_refusal(target.workflow_id, actor.username, command.audit, refusal)
            raise Refused(refusal)
        action = input.model_copy(update={"actor": actor.username})
        result: R = await self._update(target.workflow_id, command.update, action, update_id, command.audit)
        return result

    async def _update(
        self, workflow_id: str, update: Any, action: AdminAction, update_id: str | None, audit: str | None = None
    ) -> Any:
        _check_bounds(action)
        handle = self.client.get_workflow_handle(workflow_id)
        answer = await self._send(handle, update, action, update_id)
        for _ in range(UNPROCESSED_ATTEMPTS - 1):  # only an update no worker processed is sent again
            if answer is not UNPROCESSED:
                break
            await asyncio.sleep(UNPROCESSED_PAUSE_SECONDS)
            answer = await self._send(handle, update, action, update_id)
        if answer is UNPROCESSED:  # not the workflow's refusal: said as no answer, not audited
            raise OutcomeUnknown(Refusal("gateway.no_answer", workflow_id=workflow_id, status="unprocessed"))
        if isinstance(answer, Refusal):
            await self._audit_refusal(workflow_id, action.actor, audit or update.__name__, answer)
            raise Refused(answer)
        return answer

    async def _send(
        self, handle: WorkflowHandle[Any, Any], update: Any, action: AdminAction, update_id: str | None
    ) -> Any:
        """One try: the update's result; the Refusal of the workflow, or of its absence; UNPROCESSED when no worker
        took it (the server's rejection, worth another try). OutcomeUnknown when no one can tell whether it ran."""
        try:
            return await handle.execute_update(update, action, id=update_id)
        except WorkflowUpdateFailedError as failed:
            return UNPROCESSED if unprocessed(failed.cause) else refusal_of(failed.cause)
        except WorkflowUpdateRPCTimeoutOrCancelledError:
            raise OutcomeUnknown(Refusal("gateway.no_answer", workflow_id=handle.id, status="timeout")) from None
        except RPCError as error:
            if error.status != RPCStatusCode.NOT_FOUND:  # unavailable, a deadline: the update may have run
                status = error.status.name
                raise OutcomeUnknown(Refusal("gateway.no_answer", workflow_id=handle.id, status=status)) from None
            return await self._missing(handle.id)

    async def account(self, username: str | None) -> Account:
        """The command line's configured account (--as, NIS_ACCOUNT) from the accounts table, or Refused by code."""
        if not username:
            raise Refused(Refusal("gateway.no_account"))
        if self.sessions is None:
            raise RuntimeError("this gateway has no read model to find accounts in (Admin(client, sessions, ...))")
        found = await Accounts(self.sessions).get(username)
        if found is None:
            raise Refused(Refusal("gateway.unknown_account", username=username))
        return found

    async def _missing(self, workflow_id: str) -> Refusal:
        """NOT_FOUND for an update: no such workflow, or one that has ended (the server says both alike)."""
        try:
            described = await self.client.get_workflow_handle(workflow_id).describe()
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return Refusal("gateway.no_workflow", workflow_id=workflow_id)
            status = error.status.name
            raise OutcomeUnknown(Refusal("gateway.no_answer", workflow_id=workflow_id, status=status)) from None
        if described.status != WorkflowExecutionStatus.RUNNING:
            return Refusal("gateway.workflow_ended", workflow_id=workflow_id)
        return Refusal("gateway.no_workflow", workflow_id=workflow_id)  # running again (a new run): not this one

    async def apply(self, application: Application, actor: str) -> ApplyResult:
        """Hand in an application: its people into the register, their IDs to the cohort (see gateway/people.py
        for why a refusal leaves no one behind and a retry duplicates no one). A refused application is a
        result (`accepted` False), not an exception, as the cohort records it; Refused when no workflow takes it."""
        people = self._register()
        if time.monotonic() - self._swept > SWEEP_EVERY_SECONDS:  # leftovers are days old: no need to look each time
            await people.sweep(registration.SWEEP_AFTER)
            self._swept = time.monotonic()
        facts = await registration.register_application(people, application)
        action = ApplyInput(actor=actor, application=facts)
        try:
            result: ApplyResult = await self._update(
                cohort_workflow_id(application.cohort),
                CohortWorkflow.apply,
                action,
                registration.update_id("apply", facts.model_dump_json()),
            )
        except OutcomeUnknown:
            raise  # the cohort may have accepted it: nothing is discarded; handing it in again tells
        except Refused:
            await people.discard_unconfirmed(registration.person_ids(facts))
            raise
        if result.accepted:
            await people.enrol(
                application.cohort, registration.enrolled(application, registration.group_of(application))
            )
        else:  # the cohort queued a letter telling the contact why: keep only what reaches them, until the sweep
            await people.discard_unconfirmed([p.person_id for p in facts.participants if p.person_id != facts.contact])
            await people.register(application.cohort, registration.contact_data(application))
        return result

    async def replace_participant(
        self, participant_workflow: str, replacement: Participant, actor: str
    ) -> ActionResult:
        """Replace a member: the replacement into the register, their ID to the group; kept only if accepted."""
        people = self._register()
        try:
            member = ParticipantId.parse(participant_workflow)
        except Refusal as refusal:
            raise Refused(refusal) from None
        cohort, group_id = member.group.cohort.cohort, member.group.workflow_id
        enrolment = await registration.register_participant(people, cohort, replacement)
        action = ReplaceParticipantInput(
            actor=actor, participant_workflow_id=participant_workflow, replacement=enrolment
        )
        try:
            result: ActionResult = await self._update(
                group_id,
                GroupWorkflow.replace_participant,
                action,
                registration.update_id("replace", participant_workflow, enrolment.model_dump_json()),
            )
        except OutcomeUnknown:
            raise
        except Refused:
            await people.discard_unconfirmed([enrolment.person_id])
            raise
        detail: GroupDetail = await self.query(group_id, GroupWorkflow.detail)
        await people.enrol(
            cohort,
            [
                Enrolled(
                    person=registration.participant_data(replacement),
                    group_workflow_id=group_id,
                    participant_workflow_id=_member_of(detail, enrolment.person_id),
                )
            ],
        )
        return result

    def _register(self) -> People:
        if self.people is None:
            raise RuntimeError("this gateway has no register of people (Admin(..., people=People(...)))")
        return self.people

    async def query(self, workflow_id: str, query: Any) -> Any:
        try:
            return await self.client.get_workflow_handle(workflow_id).query(query)
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise Refused(Refusal("gateway.no_workflow", workflow_id=workflow_id)) from None
            raise Refused(Refusal("gateway.no_answer", workflow_id=workflow_id, status=error.status.name)) from None

    async def _audit_refusal(self, workflow_id: str, actor: str, name: str, reason: str | Refusal) -> None:
        """Record a refused action by `actor` (the account's user name): its code (the command's audit name), and
        why as the refusal's codes and parameters (the pages say them from the catalogue), with its text; a refusal
        without codes keeps its text only."""
        if self.sessions is None:
            return
        entry = AuditEntry(
            key=f"{workflow_id}:refused:{uuid4().hex}",
            workflow_id=workflow_id,
            actor=actor,
            action=name,
            outcome="refused",
            reason=str(reason),
            at=datetime.now(UTC),
            problems=reason.dump() if isinstance(reason, Refusal) else [],
        )
        async with self.sessions() as session, session.begin():
            await record_audit(session, entry)


# The server rejects an update that a worker's completed workflow task left unanswered (a worker killed or evicting
# while the update was on its way: seen once in 24 kills of the chaos bench, where a group's release was audited as
# refused). The update never ran and a rejection is not recorded, so it is given again under the same ID.
UNPROCESSED_UPDATE = "UnprocessedUpdate"
UNPROCESSED_ATTEMPTS = 3
UNPROCESSED_PAUSE_SECONDS = 0.5
UNPROCESSED = object()  # _send's answer for an update the server rejected before any worker saw it


def unprocessed(cause: BaseException | None) -> bool:
    """Whether the server, not the workflow, rejected the update: no worker processed it."""
    return isinstance(cause, ApplicationError) and cause.type == UNPROCESSED_UPDATE


def refusal_of(cause: BaseException | None) -> str | Refusal:
    """The refusal an update failed with: its codes and parameters when the workflow refused by code (an
    ApplicationError whose details are the problems, workflows.refusing), else its message."""
    if isinstance(cause, ApplicationError):
        details = list(cause.details)
        if details and all(isinstance(d, dict) and "code" in d for d in details):
            return Refusal.of(Problem.load(d) for d in details)
        return cause.message
    return str(cause)


def _check_bounds(action: AdminAction) -> None:
    """Validate the action again: one made with `model_construct` or by older code skipped its model's bounds."""
    try:
        type(action).model_validate(action.model_dump())
    except ValidationError as error:
        raise Refused(Refusal.of(problems(error))) from None


def _member_of(detail: GroupDetail, person_id: str) -> str:
    # members carry their person ID once the group takes Enrolment; until then the replacement is the newest
    mine = [m for m in detail.members if m.person_id == person_id]
    return (mine or detail.members)[-1].participant_workflow_id
