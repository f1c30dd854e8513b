"""An update the server rejects because no worker processed it (a worker killed or evicting while it was on its
way: the chaos bench saw a group's release audited as refused) is not the workflow's refusal: it never ran and the
rejection is not recorded, so the gateway gives it again under the same ID, and says "no answer" if it keeps coming."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from gateway.admin import UNPROCESSED_ATTEMPTS, Admin, OutcomeUnknown, Refused, unprocessed
from workflows.messages import ConfirmSelectionInput

# the failure the server gives (Source "Server", ApplicationFailureInfo type "UnprocessedUpdate", non-retryable)
SERVER_REJECTION = ApplicationError(
    "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported "
    "by the worker.",
    type="UnprocessedUpdate",
    non_retryable=True,
)
WORKFLOW_REFUSAL = ApplicationError("refused", {"code": "cohort.selection_not_drawn", "params": {}}, type="Refusal")


class Handle:
    """A workflow handle whose updates fail as given, then answer: the server's answers, in order."""

    def __init__(self, failures: list[BaseException]) -> None:
        self.failures = failures
        self.ids: list[str | None] = []

    async def execute_update(self, update: Any, action: Any, id: str | None = None) -> str:
        self.ids.append(id)
        if self.failures:
            raise WorkflowUpdateFailedError(self.failures.pop(0))
        return "accepted"


class Client:
    def __init__(self, handle: Handle) -> None:
        self.handle = handle

    def get_workflow_handle(self, workflow_id: str) -> Handle:
        return self.handle


def admin(handle: Handle) -> Admin:
    return Admin(Client(handle), None, "tq")  # type: ignore[arg-type]


def test_only_the_servers_rejection_is_unprocessed() -> None:
    assert unprocessed(SERVER_REJECTION)
    assert not unprocessed(WORKFLOW_REFUSAL)
    assert not unprocessed(None)


async def test_an_unprocessed_update_is_given_again_under_the_same_id() -> None:
    handle = Handle([SERVER_REJECTION])
    action = ConfirmSelectionInput(actor="kari")
    assert await admin(handle)._update("kull-2022", "confirm_selection", action, "demo.step.1") == "accepted"
    assert handle.ids == ["demo.step.1", "demo.step.1"]


async def test_an_update_no_worker_processes_is_said_as_no_answer_not_as_a_refusal() -> None:
    handle = Handle([SERVER_REJECTION] * UNPROCESSED_ATTEMPTS)
    with pytest.raises(OutcomeUnknown) as raised:
        await admin(handle)._update("kull-2022", "confirm_selection", ConfirmSelectionInput(actor="kari"), "u-1")
    assert raised.value.code == "gateway.no_answer"
    assert len(handle.ids) == UNPROCESSED_ATTEMPTS


async def test_the_workflows_own_refusal_is_not_given_again() -> None:
    handle = Handle([WORKFLOW_REFUSAL])
    with pytest.raises(Refused) as raised:
        await admin(handle)._update(
            "kull-2022", "confirm_selection", ConfirmSelectionInput(actor="kari"), "u-1", "confirm_selection"
        )
    assert not isinstance(raised.value, OutcomeUnknown)
    assert handle.ids == ["u-1"]
