"""The four work requirements: submit, approve, return with feedback, one resubmission, extensions."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from domain.models import Strict
from domain.refusals import Refusal


class RequirementStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"  # ikke godkjent, resubmission due by the new deadline
    MISSED = "missed"  # deadline passed without a submission, resubmission due
    FAILED = "failed"


class RequirementState(Strict):
    number: int
    deadline: datetime
    status: RequirementStatus = RequirementStatus.OPEN
    resubmission_used: bool = False
    submissions: int = 0
    feedback: str | None = None
    submitted_at: datetime | None = None
    reminders_from: datetime | None = None  # set by an extension: reminders of the new deadline due before it are moot
    document: str | None = None  # the SHA-256 of the last handed-in document, when one came with the submission


AWAITING_SUBMISSION = {RequirementStatus.OPEN, RequirementStatus.RETURNED, RequirementStatus.MISSED}


def submit(state: RequirementState, now: datetime, document: str | None = None) -> RequirementState:
    if state.status not in AWAITING_SUBMISSION:
        raise Refusal("requirement.not_awaiting_submission", number=state.number, status=state.status.value)
    if now > state.deadline:
        raise Refusal("requirement.deadline_passed", number=state.number, deadline=state.deadline.isoformat())
    return state.model_copy(
        update={
            "status": RequirementStatus.SUBMITTED,
            "submissions": state.submissions + 1,
            "submitted_at": now,
            "document": document,
        }
    )


def approve(state: RequirementState) -> RequirementState:
    if state.status != RequirementStatus.SUBMITTED:
        raise Refusal("requirement.not_submitted_to_approve", number=state.number, status=state.status.value)
    return state.model_copy(update={"status": RequirementStatus.APPROVED, "feedback": None})


def return_with_feedback(
    state: RequirementState, feedback: str, now: datetime, resubmission: timedelta
) -> RequirementState:
    """First return opens one resubmission by a new deadline; returning it again fails the requirement."""
    if state.status != RequirementStatus.SUBMITTED:
        raise Refusal("requirement.not_submitted_to_return", number=state.number, status=state.status.value)
    if not feedback.strip():
        raise Refusal("requirement.feedback_missing")
    if state.resubmission_used:
        return state.model_copy(update={"status": RequirementStatus.FAILED, "feedback": feedback})
    return state.model_copy(
        update={
            "status": RequirementStatus.RETURNED,
            "feedback": feedback,
            "resubmission_used": True,
            "deadline": now + resubmission,
        }
    )


def deadline_passed(state: RequirementState, resubmission: timedelta) -> RequirementState:
    """At the deadline: an unsubmitted requirement gets its one resubmission window, or fails if it had it."""
    if state.status not in AWAITING_SUBMISSION:
        return state
    if state.resubmission_used:
        return state.model_copy(update={"status": RequirementStatus.FAILED})
    return state.model_copy(
        update={
            "status": RequirementStatus.MISSED,
            "resubmission_used": True,
            "deadline": state.deadline + resubmission,
        }
    )


def extend(
    state: RequirementState, new_deadline: datetime, now: datetime, latest: datetime | None = None
) -> RequirementState:
    """A later deadline for a requirement still awaiting submission, no later than `latest`: the plan's last oral
    date (`plan.oral_end`), after which no work can count. (`latest` becomes required once the group passes it.)"""
    if state.status not in AWAITING_SUBMISSION:
        raise Refusal("requirement.no_extension", number=state.number, status=state.status.value)
    if new_deadline <= max(state.deadline, now):
        raise Refusal("requirement.extension_not_later", number=state.number)
    if latest is not None and new_deadline > latest:
        raise Refusal(
            "requirement.extension_after_orals",
            number=state.number,
            deadline=new_deadline.isoformat(),
            latest=latest.isoformat(),
        )
    return state.model_copy(update={"deadline": new_deadline, "reminders_from": now})
