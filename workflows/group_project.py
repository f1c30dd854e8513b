"""The group's innovation project on record (domain/project.py): its title, problem and partners, and the drivers
and barriers it reports with each work requirement. A mixin of GroupWorkflow, which holds the state and effects."""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.models import InnovationRow
    from domain.models import CohortPlan
    from domain.project import with_report
    from workflows.effects import Effects
    from workflows.messages import ActionResult, RecordProjectInput, ReportProjectInput
    from workflows.state import GroupState


class GroupProject:
    id: str
    plan: CohortPlan
    state: GroupState
    effects: Effects

    # provided by GroupWorkflow and GroupActions
    _record: Callable[..., ActionResult]
    _require_programme: Callable[[], None]

    @workflow.update
    def record_project(self, input: RecordProjectInput) -> ActionResult:
        self.state.project = input.project
        self.effects.changed()  # the read model counts the partners
        return self._record(input.actor, "record_project", partners=len(input.project.partners))

    @record_project.validator
    def _validate_record_project(self, input: RecordProjectInput) -> None:
        self._require_programme()

    @workflow.update
    def report_project(self, input: ReportProjectInput) -> ActionResult:
        self.state.project_reports = with_report(self.state.project_reports, input.report)
        self.effects.changed()
        return self._record(input.actor, "report_project", requirement=input.report.number)

    @report_project.validator
    def _validate_report_project(self, input: ReportProjectInput) -> None:
        self._require_programme()

    # ---- the read model's row ------------------------------------------------------------------
    def _innovation(self) -> list[InnovationRow]:
        project = self.state.project
        if project is None:
            return []
        kinds = ",".join(p.kind.value for p in project.partners)
        reports = len(self.state.project_reports)
        return [
            InnovationRow(
                group_id=self.id, cohort=self.plan.cohort, title=project.title, partner_kinds=kinds, reports=reports
            )
        ]
