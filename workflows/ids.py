"""The one place where workflow IDs are made: from cohort and kommunenumre, never from names."""

from __future__ import annotations

from domain.ids import AppealId as AppealId
from domain.ids import CohortId as CohortId  # the typed IDs (domain/ids.py), for the layers above
from domain.ids import GroupId as GroupId
from domain.ids import ParticipantId as ParticipantId
from domain.ids import ResitId as ResitId
from domain.ids import WorkflowRef as WorkflowRef
from domain.refusals import Refusal


def cohort_workflow_id(cohort: str) -> str:
    return CohortId.parse(cohort).workflow_id


def group_workflow_id(cohort: str, application_id: str) -> str:
    """One group per application; the application's id is its kommunenumre joined by '+'."""
    return f"{cohort_workflow_id(cohort)}.gruppe-{application_id}"


def participant_workflow_id(group_workflow_id: str, number: int) -> str:
    """Participants are numbered within their group in the order named (replacements get the next number)."""
    return f"{group_workflow_id}.deltaker-{number}"


def appeal_workflow_id(participant_workflow_id: str, attempt: int = 1) -> str:
    """One appeal per person and attempt: `<participant>.klage`, `<participant>.klage-2` for a re-sit's."""
    return f"{participant_workflow_id}.klage" + ("" if attempt == 1 else f"-{attempt}")


def resit_workflow_id(participant_workflow_id: str, attempt: int) -> str:
    """One re-sit per person and attempt (2 is the first re-sit): `<participant>.ny-eksamen-2`."""
    if attempt < 2:
        raise Refusal("ids.resit_attempt", attempt=attempt)
    return f"{participant_workflow_id}.ny-eksamen-{attempt}"
