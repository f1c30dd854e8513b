"""What the appeal's and the re-sit's workflows share, written once: one person's step after release that waits
for its grades, records each accepted action in the audit trail and its own row in the read model, and ends when
it is decided. Each workflow adds its updates, its rules and its view (workflows/end_of_year/appeal.py, resit.py).

Not a workflow itself: the Temporal decorators stay on each workflow's class, so their names do not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from temporalio import workflow

Params = Mapping[str, str | int | None]  # an accepted action's parameters, as the audit trail keeps them

with workflow.unsafe.imports_passed_through():
    from activities.models import ProjectInput
    from domain.calendar import DueItem
    from domain.refusals import Refusal
    from workflows.due_timer import DueTimer
    from workflows.effects import Effects, drain
    from workflows.end_of_year.messages import StepInput, StepRow, StepState
    from workflows.refusing import refused


class Step:
    DECIDED: ClassVar[Refusal]  # the refusal of any action once the step is decided
    WRITTEN_FIRST: ClassVar[Refusal]  # the refusal of an oral adjustment before the written grade
    PENDING: ClassVar[dict[str, str | None]]  # what each stage waits for, a code of domain/catalogue/pending.py

    input: StepInput
    state: StepState

    def _begin(self, input: StepInput, state: StepState) -> None:
        self.input, self.state = input, state
        self.effects = Effects()
        self.row_due = True
        self.timer = DueTimer()

    async def _until_decided(self) -> None:
        """Flush the effects and the row as actions come, and act on the step's timed items when their timer fires
        (decided by the item that fired, never by re-reading the clock), until the step is decided and all is
        written. Without timed items this waits exactly as before (no timer), so older histories replay."""
        while True:
            fired = await self.timer.wait(self._due(), lambda: self._work_pending() or self._ended())
            for item in fired:
                self._on_due(item)
            await self._flush()
            if self._ended() and not self._work_pending():
                break
        await drain(self._flush, self._work_pending)

    def _due(self) -> list[DueItem]:
        """The step's timed items not yet handled, earliest first: none, unless the step has some."""
        return []

    def _on_due(self, item: DueItem) -> None:
        raise NotImplementedError

    def _ended(self) -> bool:
        """Decided (or, for an appeal, withdrawn): nothing more comes."""
        return self.state.decided_at is not None

    def _work_pending(self) -> bool:
        return self.effects.pending or self.row_due

    async def _flush(self) -> None:
        if self.row_due:
            self.row_due = False
            await self._write_row()
        self.effects.projection_due = False  # the step's row is its own (above), not the group's
        await self.effects.flush(ProjectInput())

    async def _write_row(self) -> None:
        raise NotImplementedError

    def _accept(self, actor: str, action: str, params: Params) -> None:
        """Record the accepted action with its parameters (the catalogue says them: domain/catalogue/actions.py)."""
        self.effects.accepted(actor, action, params=params)
        self.row_due = True

    def _refuse_if_decided(self) -> None:
        if self.state.decided_at is not None:
            raise refused(self.DECIDED)

    def _refuse_oral(self, written: Any, oral: Refusal | None) -> None:
        """An oral adjustment needs the written grade first, and then keeps within the plan's step limit."""
        if written is None:
            raise refused(self.WRITTEN_FIRST)
        if oral is not None:
            raise refused(oral)

    def _decided_now(self, credits: int) -> None:
        self.state.credits_after, self.state.decided_at = credits, workflow.now()

    def _shared_detail(self, stage: str) -> dict[str, Any]:
        """The detail's fields both steps have (messages.StepDetail)."""
        i, s = self.input, self.state
        return {
            "participant_workflow_id": i.participant_workflow_id,
            "group_workflow_id": i.group_workflow_id,
            "person_id": i.person_id,
            "attempt": i.attempt,
            "stage": stage,
            "examiners": s.examiners,
            "credits_after": s.credits_after,
            "registered_at": s.registered_at,
            "decided_at": s.decided_at,
            "pending_action": self.PENDING[stage],
        }

    def _shared_row(self, stage: str) -> dict[str, Any]:
        """The row's columns both steps have (messages.StepRow)."""
        i, s = self.input, self.state
        assert s.registered_at is not None  # set as the run begins, before the first row is written
        return StepRow(
            participant_id=i.participant_workflow_id,
            group_id=i.group_workflow_id,
            cohort=i.cohort,
            person_id=i.person_id,
            attempt=i.attempt,
            stage=stage,
            credits_after=s.credits_after,
            registered_at=s.registered_at,
            decided_at=s.decided_at,
        ).model_dump()
