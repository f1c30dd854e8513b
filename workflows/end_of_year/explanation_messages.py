"""Inputs, results and state of the begrunnelse's workflow: one model in, one model out. No personal data beyond the
opaque person ID; examiners are account user names. The begrunnelse's words are not here: they live in the read model
(store/explanations.py), written by the gateway."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict

from domain.models import Grade, PersonId, Strict
from workflows.messages import AdminAction


class ExplanationInput(Strict):
    """One person's request for a begrunnelse of their grade, as the gateway registers it."""

    participant_workflow_id: str
    group_workflow_id: str
    cohort: str
    person_id: PersonId
    grade: Grade  # the grade it explains: the combined grade as released
    examiners: list[str]  # the group's examiners (account user names): one of them writes it
    requested_by: str
    by_participant: bool  # asked on their own page; else registered by the administration
    received: date  # the day the request came (Oslo)
    released_at: AwareDatetime
    due: AwareDatetime  # when the begrunnelse is due
    appeal_seconds: float  # the plan's appeal window, counted from the begrunnelse once given


class ExplanationState(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    requested_at: datetime | None = None
    given_at: datetime | None = None
    given_by: str | None = None


class GiveExplanationInput(AdminAction):
    """The examiner has written the begrunnelse (the gateway stored its words in the read model first)."""


class ExplanationActionResult(Strict):
    given_at: datetime | None
    appeal_deadline: datetime | None


class ExplanationDetail(Strict):
    explanation_workflow_id: str
    participant_workflow_id: str
    group_workflow_id: str
    person_id: PersonId
    grade: Grade
    examiners: list[str]
    received: date
    requested_at: datetime | None
    due: datetime
    given_at: datetime | None
    given_by: str | None
    appeal_deadline: datetime | None  # from the begrunnelse, once given


class ExplanationResult(Strict):
    detail: ExplanationDetail


class ExplanationRow(BaseModel):
    """The begrunnelse's row in the read model (store/explanations.py), without its words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    explanation_id: str
    participant_id: str
    group_id: str
    cohort: str
    person_id: str
    examiners: list[str]
    received: date
    requested_at: datetime
    due: datetime
    given_at: datetime | None
    given_by: str | None
    appeal_deadline: datetime | None
