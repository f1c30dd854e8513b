"""Inputs, results and state of the appeal workflow: one model in, one model out. No personal data beyond the
opaque person ID; examiners are account names."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from domain.models import Grade, PersonId, Strict
from domain.text import Actor
from workflows.messages import AdminAction

AppealStage = Literal["awaiting_examiners", "awaiting_written", "awaiting_oral", "decided"]


class AppealInput(Strict):
    participant_workflow_id: str
    group_workflow_id: str
    cohort: str
    person_id: PersonId
    attempt: int = Field(default=1, ge=1)
    step_limit: int = Field(ge=0)
    written_before: Grade
    oral_before: int | None
    final_before: Grade
    first_examiners: list[str]  # who graded the written work and the oral first: not the appeal's examiners
    registered_by: str
    deadline: AwareDatetime  # the appeal window's end; the appeal was registered before it


class AppealState(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    examiners: list[str] = []
    written_after: Grade | None = None
    oral_adjustment_after: int | None = None
    final_after: Grade | None = None
    credits_after: int | None = None
    registered_at: datetime | None = None
    decided_at: datetime | None = None


class AssignExaminersInput(AdminAction):
    examiners: list[Actor] = Field(max_length=10)  # the rule (1-3, new ones) is the workflow's: domain.appeals

    @field_validator("examiners")
    @classmethod
    def _tidy(cls, examiners: list[str]) -> list[str]:
        return [e.strip() for e in examiners]


class NewWrittenGradeInput(AdminAction):
    grade: Grade


class NewOralAdjustmentInput(AdminAction):
    adjustment: int = Field(ge=-5, le=5)  # the plan's step limit is the workflow's rule


class AppealDetail(Strict):
    appeal_workflow_id: str
    participant_workflow_id: str
    group_workflow_id: str
    person_id: PersonId
    attempt: int
    stage: AppealStage
    deadline: datetime
    examiners: list[str]
    written_before: Grade
    oral_before: int | None
    final_before: Grade
    written_after: Grade | None
    oral_adjustment_after: int | None
    final_after: Grade | None
    credits_after: int | None
    registered_at: datetime | None
    decided_at: datetime | None
    pending_action: str | None


class AppealActionResult(Strict):
    stage: AppealStage


class AppealResult(Strict):
    detail: AppealDetail


class AppealRow(BaseModel):
    """The appeal's row in the read model (store/appeals.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    appeal_id: str
    participant_id: str
    group_id: str
    cohort: str
    person_id: PersonId
    attempt: int
    stage: str
    written_before: str
    final_before: str
    written_after: str | None
    oral_adjustment_after: int | None
    final_after: str | None
    credits_after: int | None
    registered_at: AwareDatetime
    decided_at: AwareDatetime | None
