"""The group's supervision meetings (domain/supervision.py): date, who came, a short note. A mixin of
GroupWorkflow, which holds the state and effects."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain import supervision
    from domain.catalogue.labels import OSLO
    from domain.models import CohortPlan
    from domain.supervision import SupervisionMeeting
    from workflows.group_facts import GroupFacts
    from workflows.messages import ActionResult, AdminAction
    from workflows.state import GroupState


class RecordSupervisionInput(AdminAction):
    meeting: SupervisionMeeting


class GroupSupervision:
    plan: CohortPlan
    state: GroupState
    facts: GroupFacts

    # provided by GroupWorkflow and GroupActions
    _record: Callable[..., ActionResult]
    _require_programme: Callable[[], None]
    _check: Callable[[Callable[[], object]], None]

    @workflow.update
    def record_supervision(self, input: RecordSupervisionInput) -> ActionResult:
        self.state.supervision = supervision.with_meeting(self.state.supervision, input.meeting)
        return self._record(
            input.actor,
            "record_supervision",
            meeting=input.meeting.day.strftime("%d.%m.%Y"),  # the statistics count meetings by it
            present=len(input.meeting.present),
        )

    @record_supervision.validator
    def _validate_record_supervision(self, input: RecordSupervisionInput) -> None:
        self._require_programme()
        members = {m.participant_workflow_id for m in self.facts.active() if not m.withdrawn}
        # dates as Oslo's calendar has them: a meeting at 00:30 is that day's, not the day before's in UTC
        today, admitted = workflow.now().astimezone(OSLO).date(), self.plan.selection_date.astimezone(OSLO).date()
        held = [m.day for m in self.state.supervision]
        self._check(lambda: supervision.check_meeting(input.meeting, today, admitted, members, held))
