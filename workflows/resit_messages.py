"""Inputs, results and state of the re-sit workflow: one model in, one model out. No personal data beyond the
opaque person ID; examiners are account names."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.models import Grade, PersonId, Strict
from domain.resits import ResitPeriod
from workflows.messages import AdminAction

ResitStage = Literal["awaiting_written", "awaiting_oral", "decided"]


class ResitInput(Strict):
    participant_workflow_id: str
    group_workflow_id: str
    cohort: str
    person_id: PersonId
    attempt: int = Field(ge=2)  # the sitting: the ordinary exam was the first
    step_limit: int = Field(ge=0)
    grade_before: Grade | None  # the grade that counts when the re-sit is registered: an F, or none after an absence
    postponed: bool = False  # utsatt eksamen: the oral alone, on the group's written grade
    written_before: Grade | None = None  # the group's written grade, which a postponed oral adjusts
    period: ResitPeriod
    registered_by: str
    previous: list[str] = []  # the workflow IDs of the person's earlier re-sits and appeal: the linked attempts


class ResitState(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    written: Grade | None = None
    oral_adjustment: int | None = None
    attempt_grade: Grade | None = None
    grade_after: Grade | None = None
    credits_after: int | None = None
    examiners: list[str] = []  # who registered its grades, in order
    registered_at: datetime | None = None
    decided_at: datetime | None = None


class ResitWrittenInput(AdminAction):
    grade: Grade


class ResitOralInput(AdminAction):
    adjustment: int = Field(ge=-5, le=5)  # the plan's step limit is the workflow's rule


class ResitDetail(Strict):
    resit_workflow_id: str
    participant_workflow_id: str
    group_workflow_id: str
    person_id: PersonId
    attempt: int
    stage: ResitStage
    period: ResitPeriod
    postponed: bool
    grade_before: Grade | None
    written: Grade | None
    oral_adjustment: int | None
    attempt_grade: Grade | None
    grade_after: Grade | None
    credits_after: int | None
    examiners: list[str]
    previous: list[str]
    registered_at: datetime | None
    decided_at: datetime | None
    pending_action: str | None


class ResitActionResult(Strict):
    stage: ResitStage


class ResitResult(Strict):
    detail: ResitDetail


class ResitRow(BaseModel):
    """The re-sit's row in the read model (store/resits.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    resit_id: str
    participant_id: str
    group_id: str
    cohort: str
    person_id: PersonId
    attempt: int
    stage: str
    period_label: str
    period_end: AwareDatetime
    grade_before: str | None
    written: str | None
    oral_adjustment: int | None
    attempt_grade: str | None
    grade_after: str | None
    credits_after: int | None
    registered_at: AwareDatetime
    decided_at: AwareDatetime | None
