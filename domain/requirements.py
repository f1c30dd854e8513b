"""The four work requirements: submit, approve, return with feedback, one resubmission, extensions."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from domain.models import Strict


class RuleViolation(ValueError):
    """An action the rules refuse; the message names why."""


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
        raise RuleViolation(f"work requirement {state.number} is {state.status.value}; nothing to submit")
    if now > state.deadline:
        raise RuleViolation(
            f"work requirement {state.number}: the deadline {state.deadline:%Y-%m-%d %H:%M:%S} has passed"
        )
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
        raise RuleViolation(f"work requirement {state.number} is {state.status.value}, not submitted; cannot approve")
    return state.model_copy(update={"status": RequirementStatus.APPROVED, "feedback": None})


def return_with_feedback(
    state: RequirementState, feedback: str, now: datetime, resubmission: timedelta
) -> RequirementState:
    """First return opens one resubmission by a new deadline; returning it again fails the requirement."""
    if state.status != RequirementStatus.SUBMITTED:
        raise RuleViolation(f"work requirement {state.number} is {state.status.value}, not submitted; cannot return")
    if not feedback.strip():
        raise RuleViolation("feedback: a returned work requirement needs feedback")
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
        raise RuleViolation(f"work requirement {state.number} is {state.status.value}; no extension possible")
    if new_deadline <= max(state.deadline, now):
        raise RuleViolation(
            f"work requirement {state.number}: the new deadline must be later than the current one and now"
        )
    if latest is not None and new_deadline > latest:
        raise RuleViolation(
            f"work requirement {state.number}: the new deadline {_minutes(new_deadline)} is after the "
            f"last oral exam; the latest allowed is {_minutes(latest)}"
        )
    return state.model_copy(update={"deadline": new_deadline, "reminders_from": now})


def _minutes(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")
