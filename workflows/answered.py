"""An update is applied once per update ID over a workflow's whole life, not only within one run.

Temporal deduplicates an update ID within a run. A client that does not hear the answer sends the update again with
the same ID (the Python client does so when its call's deadline passes), and if the run has meanwhile continued as
new, the request reaches the next run, which has never seen that ID and would apply it again: an audit entry, a
returned requirement or a grade twice (seen under load: 46 audit entries for 42 updates). So a workflow that
continues as new keeps the answers it gave to its latest updates in its state (`UpdateAnswers`), which travels into the
next run; a repeated ID is answered from there, its validator and handler not run again.

An interceptor, so every update of every workflow is covered: the worker and every replayer take `AnswerOnce`
(runtime/wiring.py), as a workflow's behaviour depends on it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, JsonValue
from pydantic_core import to_jsonable_python
from temporalio import workflow
from temporalio.worker import (
    HandleUpdateInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

# A client re-sends within seconds to minutes of its first try; a workflow gets far fewer updates than this in that
# time (a busy administration's 14 at once, in tests/workflows/test_continue_as_new.py).
KEPT = 64


class UpdateAnswers(BaseModel):
    """The answers to a workflow's latest updates, by update ID, oldest first (JSON, as the client reads them)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    answers: dict[str, JsonValue] = {}

    def get(self, update_id: str) -> tuple[bool, JsonValue]:
        return (update_id in self.answers, self.answers.get(update_id))

    def remember(self, update_id: str, answer: Any) -> None:
        self.answers[update_id] = to_jsonable_python(answer)
        for oldest in list(self.answers)[: max(0, len(self.answers) - KEPT)]:
            del self.answers[oldest]


def _answered() -> UpdateAnswers | None:
    """The running workflow's answers, where it keeps them (its state's `update_answers`)."""
    answered = getattr(getattr(workflow.instance(), "state", None), "update_answers", None)
    return answered if isinstance(answered, UpdateAnswers) else None


class AnswerOnce(Interceptor):
    """Answers a repeated update ID from the workflow's state (see the module's docstring)."""

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor] | None:
        return _AnswerOnce


class _AnswerOnce(WorkflowInboundInterceptor):
    def handle_update_validator(self, input: HandleUpdateInput) -> None:
        answered = _answered()
        if answered is None or not answered.get(input.id)[0]:  # a repeat was valid when it was applied
            super().handle_update_validator(input)

    async def handle_update_handler(self, input: HandleUpdateInput) -> Any:
        answered = _answered()
        if answered is None:
            return await super().handle_update_handler(input)
        known, answer = answered.get(input.id)
        if known:
            workflow.logger.info("update %s answered again from its first answer, not applied again", input.update)
            return answer
        result = await super().handle_update_handler(input)
        answered.remember(input.id, result)
        return result
